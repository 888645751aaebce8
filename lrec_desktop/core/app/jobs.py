"""The job contract for callers of the application API, and the shop's job journal (interrupted jobs).

The window and the command line import the contract from here rather than from the core modules below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import Cancelled, CancelToken, ProgressFn, no_progress, throttled

if TYPE_CHECKING:
    from lrec_desktop.core.journal import JournalEntry

__all__ = [
    "CancelToken",
    "Cancelled",
    "LogFn",
    "ProgressFn",
    "UserError",
    "discard",
    "history",
    "interrupted",
    "interrupted_state",
    "no_progress",
    "run_again",
    "storage_error",
    "throttled",
]

LogFn = Callable[[str], None]


def storage_error(exc: BaseException, db_path: Path | None = None) -> UserError | None:
    """A full disk, a locked or read-only file as a sentence for the owner; None for any other error."""
    from lrec_desktop.core.store.failures import storage_error as refused

    return refused(exc, db_path)


def interrupted(db_path: Path) -> list[JournalEntry]:
    """Jobs on this shop cut short by a crash or a kill, newest first."""
    from lrec_desktop.core.journal import interrupted as cut_short

    return cut_short(Path(db_path))


def history(db_path: Path) -> list[JournalEntry]:
    """Every recorded job of this shop, newest first."""
    from lrec_desktop.core.journal import history as recorded

    return recorded(Path(db_path))


def interrupted_state() -> str:
    from lrec_desktop.core.journal import INTERRUPTED

    return INTERRUPTED


def run_again(db_path: Path, job_id: int, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
              log_fn: LogFn | None = None) -> object:
    """Run an interrupted job again with the inputs it had (its own result: a summary with ``message()``)."""
    from lrec_desktop.core.resume import run_again as again

    result: object = again(Path(db_path), job_id, progress=progress, cancel=cancel, log_fn=log_fn)
    return result


def discard(db_path: Path, job_id: int, *, progress: ProgressFn = no_progress,
            cancel: CancelToken | None = None) -> JournalEntry:
    """Forget an interrupted job and tidy the temporary folders it left."""
    from lrec_desktop.core.resume import discard as forget

    return forget(Path(db_path), job_id)


def log_dir() -> Path:
    """Where the app's logs and crash reports are written."""
    from lrec_desktop.core.paths import log_dir as folder

    return folder()
