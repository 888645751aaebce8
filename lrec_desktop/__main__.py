"""``python -m lrec_desktop`` (and the ``lrec-desktop-gui`` script): open the desktop app."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lrec-desktop-gui", description="Open the lrec_desktop window.")
    parser.add_argument("--db", type=Path, default=None, help="the shop file to open (default: the last one)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from lrec_desktop.gui.app import run

    return run(args.db)


if __name__ == "__main__":
    sys.exit(main())
