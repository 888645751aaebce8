"""Shops as files: creating one, and the bundled demo shop built on first launch."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from lrec_desktop.core import paths
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import IS_DEMO, SHOP_NAME

log = logging.getLogger(__name__)

DEMO_MAPPING = {
    "item_id": "product_id",
    "title": "title",
    "customer_id": "customer_id",
    "customer_name": "customer_name",
    "timestamp": "order_date",
    "order_id": "order_id",
    "quantity": "quantity",
}


def create_shop(path: Path) -> Path:
    """Create an empty shop file at ``path`` (it must not exist yet)."""
    path = Path(path)
    if path.suffix != store.SHOP_SUFFIX:
        path = path.with_name(path.name + store.SHOP_SUFFIX)
    if path.exists():
        from lrec_desktop.core.errors import UserError

        raise UserError(f"{path} already exists; open it instead, or choose another name.")
    store.connect(path, create=True).close()
    return path


def is_demo(db_path: Path) -> bool:
    db = store.connect(db_path)
    try:
        return IS_DEMO.read(db)
    finally:
        db.close()


def ensure_demo_shop(*, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Path:
    """The demo shop's file, built from resources/demo the first time (import, then prepare)."""
    from lrec_desktop.core.ingest.importer import ImportRequest, run_import
    from lrec_desktop.core.recommend.model import is_prepared, prepare

    target = paths.demo_shop_path()
    if target.exists():
        if not is_prepared(target):
            prepare(target, progress=progress, cancel=cancel)
        return target
    source = paths.demo_source_dir()
    building = target.with_name(target.name + ".building")
    for leftover in building.parent.glob(building.name + "*"):
        leftover.unlink()
    shutil.rmtree(paths.models_dir(building), ignore_errors=True)
    store.connect(building, create=True).close()
    request = ImportRequest(items=source / "products.csv", interactions=source / "orders.csv", mapping=DEMO_MAPPING)
    run_import(building, request, progress=sub_progress(progress, 0.0, 0.6), cancel=cancel)
    db = store.connect(building)
    try:
        IS_DEMO.write(db, True)
        SHOP_NAME.write(db, "Demo shop")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    building.rename(target)
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    prepare(target, progress=sub_progress(progress, 0.6, 1.0), cancel=cancel)
    return target
