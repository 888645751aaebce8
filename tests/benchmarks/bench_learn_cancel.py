"""How long "Learn from my sales" takes to stop after Cancel, in each of its phases (issue 20: < 2 s).

    python tests/benchmarks/bench_learn_cancel.py [--shop FILE] [--phases a,b] [--max-pairs N]

Runs the real job (core.finetune.job.finetune, on the processor, the bundled text model) on a copy of the
shop (default: the demo shop, built from resources/demo in a temporary folder), once per phase: when the job's
progress says that phase has begun (plus ``--into`` seconds), it presses Cancel and measures until the job has
stopped (raised Cancelled). Prints one line per phase: the phase, when Cancel was pressed, and the latency.
Each run starts from a shop whose descriptions were never read, so "reading first" comes first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

# Each phase by the first words of the job's progress message that opens it.
PHASES = {
    "reading first": "Reading product descriptions with the current model first",
    "pairs": "Finding pairs",
    "getting ready": "Getting ready",
    "first check": "Checking how well it predicts before learning",
    "learning": "Learning from sales: step",
    "reading new": "Reading product descriptions with the new version",
    "comparing": "Comparing with the current version",
}


def build_demo(folder: Path) -> Path:
    os.environ["LREC_DATA_DIR"] = str(folder / "data")
    from lrec_desktop.core.shop import ensure_demo_shop

    return Path(ensure_demo_shop())


def measure(shop: Path, phase: str, *, max_pairs: int, into: float) -> tuple[float, float, str]:
    """(seconds into the run when Cancel was pressed, seconds until it stopped, how it ended)."""
    from lrec_desktop.core.finetune.job import finetune
    from lrec_desktop.core.jobs import Cancelled, CancelToken

    work = Path(tempfile.mkdtemp(prefix="cancel-"))
    copy = work / shop.name
    shutil.copy2(shop, copy)
    cancel = CancelToken()
    started = time.monotonic()
    pressed: list[float] = []
    words = PHASES[phase]

    def press() -> None:
        pressed.append(time.monotonic())
        cancel.cancel()

    def progress(_fraction: float, message: str = "") -> None:
        if not pressed and message.startswith(words) and not getattr(progress, "armed", False):
            progress.armed = True  # type: ignore[attr-defined]
            threading.Timer(into, press).start()

    outcome = "finished without reaching the phase"
    try:
        finetune(copy, device="cpu", max_pairs=max_pairs, progress=progress, cancel=cancel)
    except Cancelled:
        outcome = "cancelled"
    except Exception as exc:
        outcome = f"failed: {exc}"
    stopped = time.monotonic()
    shutil.rmtree(work, ignore_errors=True)
    if not pressed:
        return float("nan"), float("nan"), outcome
    return pressed[0] - started, stopped - pressed[0], outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shop", type=Path, default=None, help="a shop file (default: the demo shop)")
    parser.add_argument("--phases", default=",".join(PHASES), help="comma-separated, from: " + ", ".join(PHASES))
    parser.add_argument("--max-pairs", type=int, default=20_000)
    parser.add_argument("--into", type=float, default=0.5, help="seconds into the phase to press Cancel")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="learn-cancel-"))
    shop = args.shop or build_demo(folder)
    print(f"shop {shop}, max_pairs {args.max_pairs}, Cancel {args.into} s into each phase", flush=True)
    for phase in args.phases.split(","):
        at, latency, outcome = measure(shop, phase, max_pairs=args.max_pairs, into=args.into)
        print(f"{phase:14s} pressed at {at:6.1f} s  stopped after {latency:5.2f} s  ({outcome})", flush=True)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
