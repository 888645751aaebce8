"""Responsiveness benchmark: how long the window's event loop stalls while the heavy jobs run.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_gui_stall.py [--learn-pairs 256] [--blame]

Opens the real MainWindow (offscreen, 1280x800) on a new shop and, through the GUI's own job path
(pages → session → JobManager → worker thread), runs one after the other:

1. Import ml-latest-small (ratings.csv as orders, movies.csv as products) from the Import page;
1b. Import the orders again (a copy with one line more) and, while that import holds the shop's write
   transaction, save the discovery level, the text model choice and the rules from the window (they are
   write jobs on the write pool: the GUI thread must not wait for the lock);
2. Read product descriptions (the Overview's button: the text model reads 9,742 titles);
3. Learn from my sales, with few pairs (``--learn-pairs``): training takes well under a minute; reading the
   9,742 descriptions again with the new version and comparing both versions take the rest (~4 min on 2 cores);
4. Prepare recommendations (the Overview's button);
5. Close the window while preparing (the sales changed, so it fits again): how long the close takes to
   cancel the job and return.

A 10 ms QTimer ticks on the GUI thread meanwhile; a stall is the gap between two ticks minus the interval.
Per job it prints the wall time, the longest stall, the 99th-percentile stall and the number of ticks.
Target: longest stall < 100 ms. ``--blame`` also samples every thread's Python stack every 5 ms and, for
each of the longest stalls, prints what the GUI thread was doing, whether the sampler itself was starved
(then some thread held the GIL), and the pure C calls over 80 ms and garbage collections over 20 ms on the
worker threads that overlap it (profiling slows the workers: take the figures to report without it).
Prints, asserts nothing; the dataset stays in ../shared and the shop in a temporary folder.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# ml-latest-small; LREC_ML_SMALL names another place for it (a git worktree has no ../shared beside it).
DATASET = Path(os.environ.get("LREC_ML_SMALL", REPO.parent / "shared" / "datasets" / "ml-latest-small"))
INTERVAL_MS = 10


@dataclass
class Figures:
    job: str
    wall_s: float
    ticks: int
    longest_ms: float
    p99_ms: float
    over_100ms: int


class Sampler(threading.Thread):
    """Every ``period`` s, the innermost frames of every thread, stamped (a poor man's py-spy, in process)."""

    def __init__(self, period: float = 0.005) -> None:
        super().__init__(daemon=True, name="stall-sampler")
        self.period = period
        self.samples: collections.deque[tuple[float, dict[int, tuple[str, ...]]]] = collections.deque(maxlen=200_000)
        self.stop_event = threading.Event()
        self.main_id = threading.main_thread().ident

    def run(self) -> None:
        while not self.stop_event.wait(self.period):
            now = time.perf_counter()
            frames = sys._current_frames()
            stacks = {tid: _stack(frame) for tid, frame in frames.items() if tid != threading.get_ident()}
            self.samples.append((now, stacks))

    def explain(self, start: float, end: float) -> list[str]:
        """What the threads were doing between ``start`` and ``end`` (a stall of the GUI thread)."""
        samples = list(self.samples)  # one C-level copy: the sampler thread appends meanwhile
        inside = [(t, s) for t, s in samples if start <= t <= end]
        before = [(t, s) for t, s in samples if t < start][-1:]
        after = [(t, s) for t, s in samples if t > end][:1]
        lines = []
        biggest_hole = max((b[0] - a[0] for a, b in zip(before + inside, inside + after, strict=False)), default=0)
        if biggest_hole > 0.05:
            lines.append(f"  sampler starved for {biggest_hole * 1000:.0f} ms: a thread held the GIL (C code)")
        main = collections.Counter(s.get(self.main_id, ()) for _t, s in inside + after)
        for stack, n in main.most_common(2):
            lines.append(f"  GUI thread ({n} samples): " + " < ".join(stack[:6]))
        others = collections.Counter(
            st for _t, s in before + inside + after for tid, st in s.items() if tid != self.main_id and st
        )
        for stack, n in others.most_common(2):
            lines.append(f"  worker ({n} samples): " + " < ".join(stack[:6]))
        return lines


class LongCalls:
    """With ``--blame``: every C function call of more than ``threshold`` s on a worker thread that ran no Python
    code inside (a pure C call: if it keeps the GIL, the GUI thread freezes for as long). Installed per worker
    thread from ``Worker.run``; it slows the workers' Python code, so figures taken with it are not the ones
    to report."""

    def __init__(self, threshold: float = 0.08) -> None:
        self.threshold = threshold
        self.calls: list[tuple[float, float, str, tuple[str, ...]]] = []  # (start, end, function, caller)
        self._local = threading.local()

    def hook(self, frame: object, event: str, arg: object) -> None:
        local = self._local.__dict__
        if event == "c_call":
            local.setdefault("open", []).append((time.perf_counter(), local.get("events", 0)))
        elif event in ("c_return", "c_exception"):
            if not local.get("open"):
                return
            began, events = local["open"].pop()
            ended = time.perf_counter()
            if ended - began >= self.threshold and events == local.get("events", 0):
                name = getattr(arg, "__qualname__", None) or getattr(arg, "__name__", repr(arg))
                module = getattr(arg, "__module__", None) or type(getattr(arg, "__self__", None)).__name__
                self.calls.append((began, ended, f"{module}.{name}", _stack(frame, 4)))
        else:  # Python code ran: the C calls open around it are not pure C
            local["events"] = local.get("events", 0) + 1

    def gc_callback(self, phase: str, info: dict) -> None:
        """Garbage collections hold the GIL from start to stop, in whichever thread triggered them."""
        now = time.perf_counter()
        if phase == "start":
            self._gc_started = now
        elif now - getattr(self, "_gc_started", now) >= self.threshold / 4:
            thread = "GUI" if threading.current_thread() is threading.main_thread() else "worker"
            self.calls.append((self._gc_started, now, f"garbage collection of generation {info['generation']} "
                               f"({info['collected']} freed) on the {thread} thread", ()))

    def install(self) -> None:
        import gc

        from lrec_desktop.gui import workers

        gc.callbacks.append(self.gc_callback)

        run = workers.Worker.run
        calls = self

        def profiled_run(worker: object) -> None:
            sys.setprofile(calls.hook)
            try:
                run(worker)  # type: ignore[arg-type]
            finally:
                sys.setprofile(None)

        workers.Worker.run = profiled_run  # type: ignore[method-assign]

    def overlapping(self, start: float, end: float) -> list[str]:
        return [f"  C call {(b - a) * 1000:.0f} ms: {name} from " + " < ".join(caller[:3])
                for a, b, name, caller in self.calls if a < end and b > start]


def _stack(frame: object, depth: int = 8) -> tuple[str, ...]:
    out = []
    while frame is not None and len(out) < depth:
        code = frame.f_code  # type: ignore[attr-defined]
        name = Path(code.co_filename)
        where = "/".join(name.parts[-2:])
        out.append(f"{code.co_name}@{where}:{frame.f_lineno}")  # type: ignore[attr-defined]
        frame = frame.f_back  # type: ignore[attr-defined]
    return tuple(out)


class Probe:
    """A 10 ms timer on the GUI thread; each gap beyond the interval is a stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.stamps: list[float] = []

    def _tick(self) -> None:
        self.stamps.append(time.perf_counter())

    def start(self) -> None:
        self.stamps = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> list[tuple[float, float]]:
        """(start, length in s) of every gap beyond the interval."""
        self.timer.stop()
        self.stamps.append(time.perf_counter())
        return [(a, b - a - INTERVAL_MS / 1000) for a, b in zip(self.stamps, self.stamps[1:], strict=False)]


def run_until(done: Callable[[], bool], timeout_s: float) -> None:
    """Run the real event loop (not processEvents in a loop) until ``done()``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)
    deadline = time.monotonic() + timeout_s

    def poll() -> None:
        if done() or time.monotonic() > deadline:
            loop.quit()

    check.timeout.connect(poll)
    check.start()
    loop.exec()
    check.stop()
    if not done():
        raise TimeoutError(f"not done after {timeout_s:.0f} s")


def measure(name: str, start: Callable[[], object], done: Callable[[], bool], timeout_s: float,
            sampler: Sampler | None, top: int, calls: LongCalls | None = None) -> Figures:
    probe = Probe()
    probe.start()
    began = time.perf_counter()
    start()
    run_until(done, timeout_s)
    wall = time.perf_counter() - began
    gaps = probe.stop()
    lengths = sorted(max(g, 0.0) for _s, g in gaps)
    p99 = lengths[min(len(lengths) - 1, int(len(lengths) * 0.99))] if lengths else 0.0
    figures = Figures(name, wall, len(gaps), lengths[-1] * 1000 if lengths else 0.0, p99 * 1000,
                      sum(g > 0.1 for g in lengths))
    if sampler is not None:
        for at, length in sorted(gaps, key=lambda g: -g[1])[:top]:
            if length < 0.05:
                break
            print(f"[{name}] stall of {length * 1000:.0f} ms at +{at - began:.2f} s")
            for line in sampler.explain(at, at + length + INTERVAL_MS / 1000):
                print(line)
            for line in calls.overlapping(at, at + length) if calls is not None else []:
                print(line)
    return figures


def saving_while_importing(win: object, scratch: Path) -> tuple[Callable[[], object], Callable[[], bool]]:
    """(start, done) of job 1b: the orders imported again (a copy with one line more, so it is a new file) and,
    once the import is inside its transaction, three settings saved from the GUI thread."""
    from PySide6.QtCore import QTimer

    page, session = win.import_page, win.session  # type: ignore[attr-defined]
    again = scratch / "ratings-again.csv"
    shutil.copyfile(DATASET / "ratings.csv", again)
    with again.open("a", encoding="utf-8") as f:
        f.write("1,1,4.0,964982704\n")
    page._clear_products()
    page.set_file("orders", again)
    run_until(lambda: "orders" in page.previews and idle(win), 60)
    imported: list[object] = []
    page.sig_imported.connect(imported.append)
    saves: list[object] = []
    poll = QTimer()
    poll.setInterval(20)

    def save_when_locked() -> None:
        if saves or page.job is None or not page.job.active or page.job.fraction < 0.1:
            return  # the import's transaction opens once its files were checked
        poll.stop()
        saves.extend([session.set_discovery(0.35), session.save_text_settings(None, "cpu"),
                      session.set_rules(session.rules())])

    poll.timeout.connect(save_when_locked)

    def start() -> None:
        poll.start()
        page.import_button.click()

    def done() -> bool:
        return bool(imported) and bool(saves) and idle(win) and session.settings.discovery == 0.35

    return start, done


def idle(win: object) -> bool:
    return not any(j.active for j in win.jobs.jobs)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learn-pairs", type=int, default=256, help="pairs to learn from (256: 8 steps)")
    parser.add_argument("--blame", action="store_true", help="sample stacks and explain the longest stalls")
    parser.add_argument("--top", type=int, default=5, help="stalls to explain per job with --blame")
    parser.add_argument("--only", default="",
                        help="a subset of write,read,learn,prepare,close (the import always runs)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # lines show as they come, piped too
    if not (DATASET / "ratings.csv").exists():
        sys.exit(f"{DATASET} is missing")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    scratch = Path(tempfile.mkdtemp(prefix="lrec-stall-"))
    os.environ["LREC_DATA_DIR"] = str(scratch / "appdata")  # no trace in the real app data folder

    from PySide6.QtWidgets import QApplication

    from lrec_desktop.core.app import shops
    from lrec_desktop.gui.main_window import MainWindow
    from lrec_desktop.gui.session import READY

    app = QApplication.instance() or QApplication(sys.argv[:1])
    win = MainWindow()
    win.resize(1280, 800)
    win.show()
    shop = shops.create_shop(scratch / "movies.lrec")
    assert win.open_path(shop)
    run_until(lambda: idle(win), 30)
    sampler = Sampler() if args.blame else None
    calls = LongCalls() if args.blame else None
    if sampler is not None and calls is not None:
        sampler.start()
        calls.install()
    def job(name: str, start: Callable[[], object], done: Callable[[], bool], timeout_s: float) -> Figures:
        return measure(name, start, done, timeout_s, sampler, args.top, calls)

    wanted = set(filter(None, args.only.split(","))) or {"import", "write", "read", "learn", "prepare", "close"}
    results: list[Figures] = []

    # 1. Import, as the Import page does it: the two previews first (not measured), then the Import button.
    page = win.import_page
    win.go("Import")
    page.set_file("orders", DATASET / "ratings.csv")
    page.set_file("products", DATASET / "movies.csv")
    run_until(lambda: {"orders", "products"} <= set(page.previews) and idle(win), 60)
    imported: list[object] = []
    page.sig_imported.connect(imported.append)
    # always: the later jobs need the shop's data
    results.append(job("import ml-latest-small", page.import_button.click, lambda: bool(imported) and idle(win), 300))

    # 1b. Settings saved while an import holds the shop's write transaction.
    if "write" in wanted:
        results.append(job("save settings during an import", *saving_while_importing(win, scratch), 300))

    # 2. Reading the descriptions (the Overview's button).
    win.go("Overview")
    run_until(lambda: idle(win), 60)
    if "read" in wanted:
        button = win.overview.text_row.button
        results.append(job("read 9,742 product descriptions", button.click,
                           lambda: win.session.text_job is not None and idle(win), 1800))

    # 3. Learn from my sales with a small budget (the page's own start, with fewer pairs than the button's).
    if "learn" in wanted:
        win.go("Learn from my sales")
        run_until(lambda: idle(win), 120)
        learn = win.learn
        results.append(job(f"learn from sales ({args.learn_pairs} pairs)",
                           lambda: learn.start(max_pairs=args.learn_pairs, device="cpu"),
                           lambda: learn.job is not None and idle(win), 1800))

    # 4. Preparing the recommendations (the Overview's button).
    if "prepare" in wanted:
        win.go("Overview")
        run_until(lambda: idle(win), 120)
        results.append(job("prepare recommendations", win.overview.rec_row.button.click,
                           lambda: win.session.rec_state == READY and idle(win), 600))

    # 5. Close the window while it prepares again, in the middle of fitting (as after an import).
    closing = ""
    if "close" in wanted:
        from lrec_desktop.core.store import db as store_db

        db = store_db.connect(shop)
        store_db.bump_data_version(db)
        db.close()
        win.session.data_changed()
        run_until(lambda: win.overview.rec_row.button.isEnabled(), 60)
        win.overview.rec_row.button.click()
        fitting = "Learning which products are bought together"
        run_until(lambda: any(j.active and j.message.startswith(fitting) for j in win.jobs.jobs), 120)
        pause_until = time.monotonic() + 2.0  # well inside the fit
        run_until(lambda: time.monotonic() > pause_until, 10)
        began = time.perf_counter()
        win.close()
        closing = f"close while preparing: {time.perf_counter() - began:.2f} s (cancel and wait for the job)"
    else:
        win.close()
    if sampler is not None:
        sampler.stop_event.set()
    load = os.getloadavg()
    print(f"\nmachine load (1/5/15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs")
    print(f"{'job':<36} {'wall s':>8} {'longest ms':>11} {'p99 ms':>8} {'>100 ms':>8} {'ticks':>7}")
    for f in results:
        print(f"{f.job:<36} {f.wall_s:>8.1f} {f.longest_ms:>11.0f} {f.p99_ms:>8.1f} {f.over_100ms:>8} {f.ticks:>7}")
    if closing:
        print(closing)
    del app


if __name__ == "__main__":
    main()
