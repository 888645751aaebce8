"""Importing files: a file's preview with the columns recognised, the fields a column can be, the import itself.

The columns the owner chose for each file are remembered only when the import succeeds, as the core does
with the columns it recognised: a cancelled or refused import changes nothing, its mapping included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.ingest.importer import ImportSummary
    from lrec_desktop.core.ingest.readers import Preview

IGNORE = "ignore"  # the mapping's word for a column that is none of the fields


def fields() -> tuple[str, ...]:
    """The fields a column can be (``--map FIELD=COLUMN``)."""
    from lrec_desktop.core.ingest.mapping import FIELDS

    return tuple(FIELDS)


def check_mapping(mapping: dict[str, str]) -> None:
    """UserError when one column is named for two fields (before any file or shop is opened)."""
    from lrec_desktop.core.ingest.plan import check_mapping as check

    check(mapping)


def kind_message(file_name: str, which: str, mapping: dict[str, str]) -> str | None:
    """A warning when a file's mapped columns don't fit it as orders or products."""
    from lrec_desktop.core.ingest.kind import kind_message as message

    return message(file_name, which, mapping)


def read_preview(path: Path, db_path: Path | None, *, progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> Preview:
    """A quick job: the file's first rows and what each column looks like (with the shop's remembered mappings)."""
    from lrec_desktop.core.ingest.readers import read_preview as read

    if db_path is None:
        return read(Path(path))
    with opened(db_path) as db:
        return read(Path(path), db=db)


@dataclass
class ImportPlan:
    """The files, the chosen mapping, and per file its columns and the mapping to remember for them."""

    items: Path | None
    interactions: Path | None
    mapping: dict[str, str]
    remember: list[tuple[list[str], dict[str, str]]] = field(default_factory=list)


def run_import(db_path: Path, plan: ImportPlan, *, progress: ProgressFn = no_progress,
               cancel: CancelToken | None = None) -> ImportSummary:
    """The heavy job: import the files in one transaction; the chosen columns are remembered after it succeeds."""
    from lrec_desktop.core.ingest.importer import ImportRequest
    from lrec_desktop.core.ingest.importer import run_import as run
    from lrec_desktop.core.ingest.mapping import remember_mapping

    request = ImportRequest(items=plan.items, interactions=plan.interactions, mapping=dict(plan.mapping))
    summary = run(Path(db_path), request, progress=progress, cancel=cancel)
    if plan.remember:
        with opened(db_path) as db:
            for columns, mapping in plan.remember:
                remember_mapping(db, columns, mapping)
    return summary
