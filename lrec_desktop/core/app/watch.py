"""A watched folder: export files dropped in it are imported once each, then the recommendations refreshed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.watch import WatchResult

__all__ = ["WatchResult", "check_folder", "new_files", "refresh_once", "watch"]


def check_folder(folder: Path) -> Path:
    """The folder, or UserError when it is no folder that can be read."""
    from lrec_desktop.core.watch import check_folder as check

    return check(Path(folder))


def new_files(db_path: Path, folder: Path, *, progress: ProgressFn = no_progress,
              cancel: CancelToken | None = None) -> tuple[list[tuple[Path, str]], list[str]]:
    """A quick job: (the files not seen before with their digests, the names left out and why)."""
    from lrec_desktop.core.watch import new_files as look

    return look(Path(db_path), Path(folder), progress=progress, cancel=cancel)


def refresh_once(db_path: Path, folder: Path, *, progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> WatchResult:
    """The heavy job: import what is new in the folder, then prepare the recommendations."""
    from lrec_desktop.core.watch import refresh_once as refresh

    return refresh(Path(db_path), Path(folder), progress=progress, cancel=cancel)


def watch(db_path: Path, folder: Path, *, interval: float, report: Callable[[WatchResult], None],
          cancel: CancelToken | None = None) -> None:
    """Look into the folder every ``interval`` seconds until cancelled (the command line's ``refresh``)."""
    from lrec_desktop.core.watch import watch as keep_watching

    keep_watching(Path(db_path), Path(folder), interval=interval, report=report, cancel=cancel)
