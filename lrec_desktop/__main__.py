"""``python -m lrec_desktop`` (and the ``lrec-desktop-gui`` script): open the desktop app.

``--smoke-test`` is for installers and CI: it opens the window as a user would (the given shop, else the last
one, else the demo shop, built on first launch), waits until the recommendations are ready, makes one lookup,
shows every page once, then prints a report line and exits: 0 when everything worked, 1 on any failed job,
unexpected error or timeout, 2 when the window cannot open on this machine (missing system libraries, named).
tests/test_packaging.py runs it on the built installer, tests/gui on the source.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

SMOKE_PREFIX = "lrec-desktop smoke-test:"
SMOKE_REPORT = "smoke-test.txt"  # in the log folder too: a windowed Windows build has no stdout to print to
DEFAULT_SMOKE_TIMEOUT_S = 600.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lrec-desktop-gui", description="Open the lrec_desktop window.")
    parser.add_argument("shop", type=Path, nargs="?", default=None,
                        help="a shop file (.lrec) to open: what a double-click on one passes (the desktop entry's %%f)")
    parser.add_argument("--db", type=Path, default=None, help="the shop file to open (default: the last one)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the window on the shop, wait until its recommendations are ready, report and "
                             "exit (0: all worked); for testing an installed build")
    parser.add_argument("--smoke-timeout", type=float, default=DEFAULT_SMOKE_TIMEOUT_S, metavar="SECONDS",
                        help=f"give up the smoke test after this long (default {DEFAULT_SMOKE_TIMEOUT_S:.0f})")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    _configure_logging()
    shop = args.db or args.shop
    if args.smoke_test:
        return smoke_test(shop, args.smoke_timeout)
    from lrec_desktop.gui.app import run

    return run(shop)


def _configure_logging() -> None:
    """The console, where there is one; the rotating log file (gui.logfile) is started by gui.app.run for
    every launch, from a menu or a terminal."""
    if sys.stderr is not None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


class _Smoke:
    """Watches the app that ``gui.app.run`` starts, from a timer on the GUI thread, and ends it."""

    def __init__(self, db_path: Path | None, timeout_s: float) -> None:
        from lrec_desktop.core.paths import log_dir

        self.db_path = db_path
        self.timeout_s = timeout_s
        self.started = time.perf_counter()
        self.report = log_dir() / SMOKE_REPORT
        self.report.unlink(missing_ok=True)
        self.window: Any = None
        self.shown_s: float | None = None
        self.asked_to_prepare = False
        self.code: int | None = None

    def say(self, words: str) -> None:
        line = f"{SMOKE_PREFIX} {words}"
        print(line, flush=True)  # prints nothing, without failing, where there is no stdout
        with self.report.open("a", encoding="utf-8") as f:
            f.write(line + "\n")

    def since_start(self) -> float:
        return time.perf_counter() - self.started

    def finish(self, code: int, words: str) -> None:
        if self.code is not None:
            return
        self.code = code
        self.say(words)
        from PySide6.QtWidgets import QApplication

        if self.window is not None:
            self.window.close()  # cancels running jobs and waits for them, as closing the window would
        QApplication.exit(code)

    def _excepthook(self, kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        # Instead of the crash dialog, whose modal loop would hold the test until its timeout.
        logging.getLogger(__name__).error("unexpected error", exc_info=(kind, exc, tb))
        self.finish(1, f"FAILED: unexpected error {exc!r}")

    def _job_changed(self, job: Any) -> None:
        if job.state == "failed":
            self.finish(1, f"FAILED: job '{job.title}' failed: {job.error}")

    def tick(self) -> None:
        try:
            self._tick()
        except Exception as exc:
            logging.getLogger(__name__).exception("smoke test")
            self.finish(1, f"FAILED: {exc!r}")

    def _tick(self) -> None:
        if self.code is not None:
            return
        if self.window is None:
            self.window = self._find_window()
            if self.window is not None:
                sys.excepthook = self._excepthook
                self.window.jobs.sig_job_changed.connect(self._job_changed)
                self._watch_status(self.window.overview)
        if self.since_start() > self.timeout_s:
            state = self.window.session.rec_state if self.window is not None else "no window"
            self.finish(1, f"FAILED: not ready after {self.timeout_s:.0f} s (recommendations: {state})")
            return
        if self.window is None:
            return
        window, session = self.window, self.window.session
        if self.shown_s is None and window.isVisible():
            self.shown_s = self.since_start()
            self.say(f"window shown after {self.shown_s:.3f} s (epoch {time.time():.3f})")
        if not session.is_open:
            return
        if session.rec_state == "not prepared" and not self.asked_to_prepare:
            self.asked_to_prepare = True  # a shop never prepared before: do what the Overview's button does
            session.prepare_recommendations()
        elif session.rec_state == "failed":
            self.finish(1, f"FAILED: recommendations could not be prepared: {session.rec_error}")
        elif session.rec_state == "ready" and session.recommender is not None:
            self._ready(window, session)

    def _watch_status(self, overview: Any) -> None:
        """An error line on the Overview (a shop that can't be opened, a demo that can't be built) fails the test
        at once, instead of at the timeout."""
        show_status = overview.show_status

        def show(text: str, kind: str = "info") -> None:
            show_status(text, kind)
            if kind == "error":
                self.finish(1, f"FAILED: {text}")

        overview.show_status = show

    @staticmethod
    def _find_window() -> Any:
        from PySide6.QtWidgets import QApplication

        from lrec_desktop.gui.main_window import MainWindow

        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def _ready(self, window: Any, session: Any) -> None:
        from PySide6.QtWidgets import QApplication

        from lrec_desktop.core.app.choice import check_model_folder

        ready_s = self.since_start()
        epoch = time.time()
        products = session.shop.product_count()
        customer = session.shop.first_customer()
        if customer is None:
            self.finish(1, f"FAILED: the shop {session.path} has no customers to recommend to")
            return
        recommendations = session.recommender.recommend(customer, 10)
        if not recommendations:
            self.finish(1, f"FAILED: no recommendations for customer {customer}")
            return
        model = check_model_folder(None)  # the bundled text model is found (and complete)
        for name in window.pages:  # every page once: imports what pages load lazily (the charts' pyqtgraph)
            window.go(name)
            QApplication.processEvents()
        window.go("Overview")
        self.finish(0, f"ok: shop ready after {ready_s:.3f} s (epoch {epoch:.3f}); {products} products, "
                       f"{len(recommendations)} recommendations for {customer}, {len(window.pages)} pages shown; "
                       f"shop {session.path}; bundled text model {model.path}")


def smoke_test(db_path: Path | None, timeout_s: float = DEFAULT_SMOKE_TIMEOUT_S) -> int:
    """Run the app as ``run`` does, but watched by ``_Smoke``; returns its exit code."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from lrec_desktop.gui.app import refuse_without_platform, run

    refused = refuse_without_platform()
    if refused is not None:
        print(f"{SMOKE_PREFIX} FAILED: the window can't open on this machine (see above)", flush=True)
        return refused
    smoke = _Smoke(db_path, timeout_s)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    timer = QTimer(app)
    timer.setInterval(20)  # fine enough for the start-up timings it reports
    timer.timeout.connect(smoke.tick)
    timer.start()
    # Timers fire once run() enters the event loop, after it created and showed the window; this one is queued
    # before run() queues the shop's opening, so "window shown" is timed before any work on the shop.
    QTimer.singleShot(0, smoke.tick)
    try:
        run(db_path)
    finally:
        timer.stop()
    if smoke.code is None:  # the window was closed by someone else
        smoke.say("FAILED: the window closed before the shop was ready")
        return 1
    return smoke.code


if __name__ == "__main__":
    sys.exit(main())
