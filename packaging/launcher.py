"""Entry script of the frozen build: one script, two executables (see ``lrec_desktop.spec``).

``lrec-desktop-gui`` (windowed on Windows and macOS) opens the app; ``lrec-desktop`` (a console program) is the
command line, which also opens the app when given no command, exactly like the pip-installed scripts of the
same names. Both executables share one Analysis, so the folder carries torch, Qt and the rest only once; this
script tells them apart by the executable's own name.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

GUI_SUFFIX = "-gui"


def main() -> int:
    # A frozen program that starts worker processes must let them run as workers, not as a second app.
    multiprocessing.freeze_support()
    if Path(sys.executable).stem.lower().endswith(GUI_SUFFIX):
        from lrec_desktop.__main__ import main as gui_main

        return gui_main()
    from lrec_desktop.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
