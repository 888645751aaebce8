"""Start-up of the built app on a first launch: time to "window shown" and to "demo shop ready".

    QT_QPA_PLATFORM=offscreen python packaging/measure_startup.py [--app dist/lrec-desktop] [--runs 3] [--source]
                                                                  [--later]

Each run starts ``lrec-desktop-gui --smoke-test`` with a new, empty data folder (LREC_DATA_DIR), so the demo shop
is built from its CSVs as on a user's first launch, and reads the times it reports against the moment this
script started the process (the loader and imports included). ``--later`` times later launches instead: one
untimed first launch, then every run on the same data folder (the demo shop exists and is prepared).
``--source`` times ``python -m lrec_desktop`` from the checkout, for comparison. Prints the median and the
spread; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EPOCH = re.compile(r"epoch (\d+\.\d+)")


def one_run(command: list[str], data: str) -> tuple[float, float, float]:
    """(window shown, shop ready, process ended) in seconds after the launch, with ``data`` as the data folder."""
    env = {**os.environ, "LREC_DATA_DIR": data, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    launched = time.time()
    result = subprocess.run([*command, "--smoke-test", "--smoke-timeout", "600"], env=env, capture_output=True,
                            text=True, timeout=900, cwd=data)
    ended = time.time() - launched
    report = Path(data) / "logs" / "smoke-test.txt"
    text = report.read_text(encoding="utf-8") if report.exists() else result.stdout
    epochs = [float(m.group(1)) for m in EPOCH.finditer(text)]
    if result.returncode != 0 or len(epochs) != 2:
        raise SystemExit(f"the smoke test failed ({result.returncode}):\n{text}\n{result.stderr[-3000:]}")
    return epochs[0] - launched, epochs[1] - launched, ended


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=REPO / "dist" / "lrec-desktop", help="the built app folder")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", action="store_true", help="time the checkout (python -m lrec_desktop) instead")
    parser.add_argument("--later", action="store_true", help="time later launches (the demo shop already built)")
    args = parser.parse_args()
    exe = ".exe" if sys.platform == "win32" else ""
    command = [sys.executable, "-m", "lrec_desktop"] if args.source else [str(args.app / f"lrec-desktop-gui{exe}")]
    kind = "later launches" if args.later else "first launches"
    runs = []
    with tempfile.TemporaryDirectory(prefix="lrec-startup-") as kept:
        if args.later:
            one_run(command, kept)  # the first launch builds the demo shop; not timed
        for i in range(args.runs):
            if args.later:
                shown, ready, ended = one_run(command, kept)
            else:
                with tempfile.TemporaryDirectory(prefix="lrec-startup-") as fresh:
                    shown, ready, ended = one_run(command, fresh)
            runs.append((shown, ready, ended))
            print(f"run {i + 1}: window shown {shown:.2f} s, demo shop ready {ready:.2f} s, exited {ended:.2f} s",
                  flush=True)
    for label, column in (("window shown", 0), ("demo shop ready", 1), ("exited", 2)):
        values = [run[column] for run in runs]
        print(f"{label}: median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}) "
              f"over {len(values)} {kind}")


if __name__ == "__main__":
    main()
