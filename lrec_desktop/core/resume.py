"""Running an interrupted job again, or discarding it, from what the journal recorded.

Every journaled job can be run again from its recorded inputs: an import repeats as a whole (its
transaction rolled back), reading descriptions continues (finished batches were kept), preparing and
learning start over. Either way the leftovers of the cut-short run (temp folders, a learned version
saved but never registered) are tidied first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lrec_desktop.core import artifacts, journal
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.paths import models_dir

log = logging.getLogger(__name__)


def tidy_leftovers(db_path: Path) -> list[str]:
    """Remove what cut-short jobs left beside the shop, unless a job of the shop is running right now."""
    if journal.running_elsewhere(db_path):
        return []
    from lrec_desktop.core.text.versions import remove_orphans

    done = artifacts.recover_folders(models_dir(db_path))
    done += [f"removed unregistered version {name}" for name in remove_orphans(db_path)]
    for line in done:
        log.info("tidied %s: %s", db_path, line)
    return done


def discard(db_path: Path, job_id: int) -> journal.JournalEntry:
    """Forget an interrupted job and tidy its leftovers; the shop stays as it is."""
    entry = journal.get(db_path, job_id)
    journal.settle(db_path, job_id, journal.DISCARDED)
    tidy_leftovers(db_path)
    return entry


def _file(params: dict[str, Any], key: str) -> Path | None:
    value = params.get(key)
    if not value:
        return None
    path = Path(value)
    if not path.exists():
        raise UserError(f"{path} is no longer there, so the import cannot run again: import it from where it is "
                        "now (Import page), then discard this one.")
    return path


def run_again(
    db_path: Path,
    job_id: int,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    log_fn: Callable[[str], None] | None = None,
) -> Any:
    """Job: run an interrupted job again with the inputs it had; returns that job's own result."""
    db_path = Path(db_path)
    entry = journal.get(db_path, job_id)
    if entry.state != journal.INTERRUPTED:
        raise UserError(f"Job {job_id} ({entry.title}) was not interrupted; it is {entry.state}.")
    p = entry.params
    fn: Callable[..., Any]
    if entry.kind == journal.IMPORT:
        from lrec_desktop.core.ingest.importer import ImportRequest, run_import

        fn = run_import
        options: dict[str, Any] = {"request": ImportRequest(
            items=_file(p, "items"), interactions=_file(p, "interactions"), mapping=dict(p.get("mapping") or {}))}
    elif entry.kind == journal.EMBED:
        from lrec_desktop.core.text.embed_job import embed_catalog

        fn = embed_catalog
        options = {"model_dir": p.get("model_dir"), "device": p.get("device", "auto"),
                   "batch_size": p.get("batch_size"), "activate": p.get("activate", True), "log_fn": log_fn}
    elif entry.kind == journal.PREPARE:
        from lrec_desktop.core.recommend.model import prepare

        fn, options = prepare, {}
    elif entry.kind == journal.FINETUNE:
        from lrec_desktop.core.finetune.job import finetune

        fn = finetune
        options = {k: p[k] for k in ("epochs", "device", "max_minutes", "max_pairs", "batch_size", "force",
                                          "train_layers") if k in p}
    else:
        raise UserError(f"Job {job_id} is of a kind this version cannot run again ({entry.kind}); discard it.")
    journal.settle(db_path, job_id, journal.RESUMED)
    tidy_leftovers(db_path)
    return fn(db_path, progress=progress, cancel=cancel, **options)
