"""A watched folder (issue 21, item 9): export files dropped in a folder are imported, and recommendations refreshed.

Each file is imported once: it is remembered in the shop (watched_files) by its path and content, so the same file
is never read twice, and a file saved again with new content is read again (the import itself skips order lines the
shop already has). A file that can't be imported is refused with the import's one sentence, remembered as refused
(not retried until its content changes) and left where it is. A file modified in the last SETTLE_SECONDS may still
be being copied: it waits for the next look. Whether a file holds orders or products is told from its columns, as
the import page does: a customer, date, order or quantity column means orders, else a product list.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import WATCHED_FOLDER

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
SETTLE_SECONDS = 10.0
INTERVAL_SECONDS = 60.0
FOLDER_SETTING = WATCHED_FOLDER.key  # the window's choice: the folder's path, '' or absent when off


@dataclass
class WatchResult:
    imported: list[tuple[str, str]] = field(default_factory=list)  # (file name, the import's summary)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, why, in one sentence)
    waiting: list[str] = field(default_factory=list)  # files still being written
    prepared: bool = False
    not_prepared: str = ""  # why recommendations could not be refreshed

    def message(self) -> str:
        """One line for the Jobs page and the command line."""
        parts = []
        if self.imported:
            parts.append(f"Imported {', '.join(name for name, _ in self.imported)} from the watched folder"
                         + ("; recommendations refreshed" if self.prepared else ""))
        for name, why in self.refused:
            parts.append(f"Left {name} in the folder: {why}")
        return ". ".join(parts) + "." if parts else "No new files in the watched folder."


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def check_folder(folder: Path) -> Path:
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError(f"The folder to watch, {folder}, does not exist or is not a folder.")
    return folder


def new_files(db_path: Path, folder: Path, now: float | None = None, *, progress: ProgressFn = no_progress,
              cancel: CancelToken | None = None) -> tuple[list[tuple[Path, str]], list[str]]:
    """(files not seen before with their content hash, oldest first; names still being written)."""
    now = time.time() if now is None else now
    db = store.connect(db_path, readonly=True)
    try:
        seen = {(p, h) for p, h in db.execute("SELECT path, sha256 FROM watched_files")}
    finally:
        db.close()
    found, waiting = [], []
    candidates = [p for p in check_folder(folder).iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))]
    for path in sorted(candidates, key=lambda p: (p.stat().st_mtime, p.name)):
        if now - path.stat().st_mtime < SETTLE_SECONDS:
            waiting.append(path.name)
            continue
        digest = _sha256(path)
        if (str(path.resolve()), digest) not in seen:
            found.append((path, digest))
    return found, waiting


def file_kind(db_path: Path, path: Path) -> str:
    """'interactions' when the file's columns are orders', else 'items' (a product list)."""
    from lrec_desktop.core.ingest.plan import plan_file
    from lrec_desktop.core.ingest.readers import INTERACTION_FIELDS

    db = store.connect(db_path, readonly=True)
    try:
        plan = plan_file(db, path, "interactions", {})
    finally:
        db.close()
    return "interactions" if set(plan.fields) & INTERACTION_FIELDS else "items"


def _remember(db_path: Path, path: Path, digest: str, outcome: str) -> None:
    db = store.connect(db_path)
    try:
        db.execute("INSERT OR REPLACE INTO watched_files (path, sha256, seen_at, outcome) VALUES (?, ?, ?, ?)",
                   [str(path.resolve()), digest, int(time.time()), outcome])
    finally:
        db.close()


def refresh_once(db_path: Path, folder: Path, *, now: float | None = None, progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> WatchResult:
    """Job: import every new file of ``folder`` (each in its own import), then prepare recommendations once."""
    from lrec_desktop.core.ingest.importer import ImportRequest, run_import
    from lrec_desktop.core.recommend.model import prepare

    cancel = cancel or CancelToken()
    found, waiting = new_files(db_path, folder, now)
    result = WatchResult(waiting=waiting)
    for n, (path, digest) in enumerate(found):
        cancel.raise_if_cancelled()
        span = sub_progress(progress, 0.6 * n / len(found), 0.6 * (n + 1) / len(found))
        try:
            kind = file_kind(db_path, path)
            request = ImportRequest(items=path) if kind == "items" else ImportRequest(interactions=path)
            summary = run_import(db_path, request, progress=span, cancel=cancel)
        except UserError as exc:
            result.refused.append((path.name, str(exc)))
            _remember(db_path, path, digest, f"refused: {exc}")
            continue
        result.imported.append((path.name, summary.message()))
        _remember(db_path, path, digest, "imported")
    if result.imported:
        try:
            prepare(db_path, progress=sub_progress(progress, 0.6, 1.0), cancel=cancel)
            result.prepared = True
        except UserError as exc:  # a product list alone: nothing sold yet to learn from
            result.not_prepared = str(exc)
    progress(1.0, result.message())
    return result


def watch(db_path: Path, folder: Path, *, interval: float = INTERVAL_SECONDS,
          report: Callable[[WatchResult], None] = lambda r: None, cancel: CancelToken | None = None,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Look into ``folder`` every ``interval`` seconds until cancelled (Ctrl+C on the command line)."""
    cancel = cancel or CancelToken()
    check_folder(folder)
    while not cancel.cancelled:
        result = refresh_once(db_path, folder, cancel=cancel)
        if result.imported or result.refused:
            report(result)
        sleep(interval)
