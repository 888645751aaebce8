"""Entry script of the frozen build (see ``lrec_desktop.spec``): one program that is the app and the command line.

Like the pip-installed ``lrec-desktop``, it opens the window when given no command, and runs the command line
otherwise. Only the app's own options (``--db PATH``, ``--smoke-test``, ``--smoke-timeout S``) and a shop file
(``NAME.lrec``, as a double-click passes it) go to the window,
so ``--smoke-test`` works the same on every platform; anything else (a command, ``--help``, a typo) goes to the
command line, which explains or exits with 2. The windowed ``lrec-desktop-gui.exe`` of the Windows build has no
console to print to, so it always opens the window.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

GUI_SUFFIX = "-gui"
GUI_FLAGS = frozenset({"--smoke-test"})
GUI_OPTIONS = frozenset({"--db", "--smoke-timeout"})  # each takes a value
SHOP_SUFFIX = ".lrec"


def wants_gui(args: list[str]) -> bool:
    """True when ``args`` hold nothing but the app's own options."""
    i = 0
    while i < len(args):
        arg = args[i]
        name, has_value, _value = arg.partition("=")
        if arg.startswith("-psn_"):  # the process serial number older macOS Finder passes to an app
            i += 1
        elif name in GUI_FLAGS and not has_value:
            i += 1
        elif arg.lower().endswith(SHOP_SUFFIX) and not arg.startswith("-"):
            i += 1  # a shop file: what a double-click on one passes (the desktop entry's %f)
        elif name in GUI_OPTIONS:
            if not has_value and i + 1 >= len(args):
                return False  # "--db" without its path: the CLI's parser says so
            i += 1 if has_value else 2
        else:
            return False
    return True


def main() -> int:
    # A frozen program that starts worker processes must let them run as workers, not as a second app.
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if Path(sys.executable).stem.lower().endswith(GUI_SUFFIX) or wants_gui(args):
        from lrec_desktop.__main__ import main as gui_main

        return gui_main([a for a in args if not a.startswith("-psn_")])
    from lrec_desktop.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
