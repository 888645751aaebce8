"""Benchmark: how long until the main window shows (issue 2: within 2 s). Prints, asserts nothing.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_startup.py [--db SHOP] [--runs 5]

Each run is a fresh process, timed from the process's own start (interpreter start-up and imports
included) to the first paint of the main window, as `lrec-desktop` would start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

CHILD = r"""
import sys, time, psutil
started = psutil.Process().create_time()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import lrec_desktop.gui.app as app_module
from lrec_desktop.gui.main_window import MainWindow, start_later
app = QApplication(sys.argv[:1])
window = MainWindow()
window.show()
def shown():
    print(f"{time.time() - started:.3f}", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
start_later(window, sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None)
app.exec()
heavy = [m for m in ("torch", "transformers", "faiss") if m in sys.modules]
print("heavy modules at start:", heavy or "none", flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    times, note = [], ""
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", CHILD, args.db], capture_output=True, text=True, env=env,
                             timeout=120)
        lines = out.stdout.strip().splitlines()
        if out.returncode != 0 or not lines:
            print(out.stdout, out.stderr)
            raise SystemExit(1)
        times.append(float(lines[0]))
        note = lines[-1]
    print(f"window shown after: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
          f"over {args.runs} fresh processes; {note}")


if __name__ == "__main__":
    main()
