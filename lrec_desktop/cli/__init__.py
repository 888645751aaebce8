"""The ``lrec-desktop`` command line: the same application API as the window (``lrec_desktop.core.app``), for
scripts and power users. ``parser.py`` declares every command and the small function that runs it (the
``*_commands.py`` modules); ``main.py`` turns the outcome into an exit code: 0 success; 2 bad input or usage
(one line on stderr); 1 unexpected error (with a log path); 141 when the reader of stdout went away.
"""

from __future__ import annotations

from lrec_desktop.cli.args import MAP_FIELDS, UsageError
from lrec_desktop.cli.parser import build_parser
from lrec_desktop.cli.runner import main

__all__ = ["MAP_FIELDS", "UsageError", "build_parser", "main"]
