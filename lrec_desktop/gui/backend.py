"""The GUI's one doorway into the core jobs it runs.

Every core module that may pull in heavy libraries (pandas readers, the recommender, torch) is imported
inside the function that needs it, so the window opens before any of them load. Jobs here take a shop
*path* and open their own connection in the worker thread that runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

# Human words for the canonical field names of ingest.mapping.FIELDS (UX.md: products, customers, ...).
FIELD_LABELS: dict[str, str] = {
    "item_id": "product id",
    "title": "product name",
    "description": "description",
    "category": "category",
    "tags": "tags",
    "price": "price",
    "stock": "stock",
    "customer_id": "customer id",
    "timestamp": "date",
    "quantity": "quantity",
    "event": "kind of sale",
    "rating": "rating",
    "order_id": "order number",
    "email": "customer e-mail",
    "customer_name": "customer name",
    "status": "order status",
}
IGNORE = "ignore"


def field_label(name: str | None) -> str:
    if not name or name == IGNORE:
        return "(ignore)"
    return FIELD_LABELS.get(name, name.replace("_", " "))


def fields() -> tuple[str, ...]:
    from lrec_desktop.core.ingest.mapping import FIELDS

    return tuple(FIELDS)


# --- shops ---------------------------------------------------------------------------------------


def ensure_demo_shop(*, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Path:
    from lrec_desktop.core.shop import ensure_demo_shop as build

    return Path(build(progress=progress, cancel=cancel))


def is_demo(db_path: Path) -> bool:
    from lrec_desktop.core.shop import is_demo as check

    return bool(check(Path(db_path)))


def create_shop(path: Path) -> Path:
    """An empty shop file (``.lrec`` added when missing); UserError when it already exists."""
    from lrec_desktop.core.shop import create_shop as create

    return Path(create(Path(path)))


# --- recommendations -----------------------------------------------------------------------------


def is_prepared(db_path: Path) -> bool:
    from lrec_desktop.core.recommend.service import is_prepared as check

    return bool(check(Path(db_path)))


def load_recommender(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Any:
    """Prepare recommendations if the sales changed, then load them (a heavy job)."""
    from lrec_desktop.core.recommend.service import Recommender

    return Recommender.load(Path(db_path), progress=progress, cancel=cancel)


# --- import --------------------------------------------------------------------------------------


def read_preview(
    path: Path, db_path: Path | None, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> Any:
    from lrec_desktop.core.ingest.readers import read_preview as read
    from lrec_desktop.core.store.db import connect

    db = connect(db_path) if db_path else None
    try:
        return read(Path(path), db=db)
    finally:
        if db is not None:
            db.conn.close()


@dataclass
class ImportPlan:
    """What the Import page asks for: the files, the chosen mapping, and per file the columns to remember."""

    items: Path | None
    interactions: Path | None
    mapping: dict[str, str]
    remember: list[tuple[list[str], dict[str, str]]] = field(default_factory=list)


def run_import(
    db_path: Path, plan: ImportPlan, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> Any:
    from lrec_desktop.core.ingest.importer import ImportRequest
    from lrec_desktop.core.ingest.importer import run_import as run
    from lrec_desktop.core.ingest.mapping import remember_mapping
    from lrec_desktop.core.store.db import connect

    db = connect(db_path)
    try:
        for columns, mapping in plan.remember:
            remember_mapping(db, columns, mapping)
    finally:
        db.conn.close()
    request = ImportRequest(items=plan.items, interactions=plan.interactions, mapping=dict(plan.mapping))
    return run(Path(db_path), request, progress=progress, cancel=cancel)


# --- export --------------------------------------------------------------------------------------


def export_recommendations(
    db_path: Path,
    out: Path,
    top: int,
    customers: list[str] | None,
    layout: str,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Any:
    from lrec_desktop.core.export import ExportRequest
    from lrec_desktop.core.export import export_recommendations as export

    request = ExportRequest(out=Path(out), top=top, customers=customers, layout=layout)
    return export(Path(db_path), request, progress=progress, cancel=cancel)
