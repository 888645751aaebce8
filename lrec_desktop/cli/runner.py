"""Running one command: parse, run its function, and turn what went wrong into an exit code and one line.

Exit codes: 0 success; 2 bad input or usage (one line on stderr); 1 unexpected error (with a log path) or
cancelled; 141 when the reader of stdout went away (``| head``), as for a tool stopped by SIGPIPE.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from lrec_desktop.cli.output import Context, say, stderr_progress
from lrec_desktop.cli.parser import build_parser
from lrec_desktop.core.app.jobs import Cancelled, UserError, log_dir, storage_error
from lrec_desktop.core.printable import show_path

log = logging.getLogger("lrec_desktop.cli")


def _log_unexpected() -> Path:
    path = log_dir() / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.log"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path


def _reader_gone() -> int:
    """stdout's reader closed it (``| head``): stop quietly, as the Python docs advise for SIGPIPE.

    stdout is pointed at devnull so the interpreter's own flush at exit does not fail a second time.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is no real file (a test's capture): nothing to flush
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def _run(args: argparse.Namespace) -> int:
    """The command's own function, with its progress on stderr; the GUI when no command is given."""
    if args.command is None:
        from lrec_desktop.gui.app import run

        return run(args.db)
    try:
        code: int = args.func(args, Context(stderr_progress(args.quiet)))
        sys.stdout.flush()  # a closed pipe shows here, inside main's handler, not at interpreter exit
        return code
    except Cancelled:
        say("cancelled")
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except BrokenPipeError:
        return _reader_gone()
    except UserError as exc:
        say(str(exc))
        return 2
    except KeyboardInterrupt:
        say("interrupted")
        return 1
    except Exception as exc:
        refused = storage_error(exc, getattr(args, "db", None))
        if refused is not None:
            say(str(refused))
            return 2
        path = _log_unexpected()
        say(f"unexpected error: {exc!r} (details in {show_path(path)})")
        return 1
