"""Shops: create one, build the demo, open one for the window's quick reads, and count what it holds.

``OpenShop`` is the window's handle on the open shop: it owns the one connection the GUI thread reads
through (indexed lookups of a few milliseconds: completions, a product's details, a page of the catalog)
and never writes; every write goes through a job that opens its own connection on a worker thread.
"""

from __future__ import annotations

import gc
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.app.settings import ShopSettings, load_rules, read_settings
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    import sqlite_utils

    from lrec_desktop.core.recommend.buy_again import ReorderHabit
    from lrec_desktop.core.recommend.rules import Rules
    from lrec_desktop.core.store.queries import CustomerCard, ShopStats

log = logging.getLogger(__name__)


def create_shop(path: Path) -> Path:
    """An empty shop file (``.lrec`` added when missing); UserError when it already exists."""
    from lrec_desktop.core.shop import create_shop as create

    return Path(create(Path(path)))


def ensure_shop(path: Path) -> Path:
    """The shop file at ``path``, created empty when it is not there yet."""
    from lrec_desktop.core.store.db import connect

    connect(Path(path), create=True).close()
    return Path(path)


def ensure_demo_shop(*, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Path:
    from lrec_desktop.core.shop import ensure_demo_shop as build

    return Path(build(progress=progress, cancel=cancel))


def is_demo(db_path: Path) -> bool:
    from lrec_desktop.core.shop import is_demo as check

    return bool(check(Path(db_path)))


@dataclass(frozen=True)
class ShopCounts:
    """What the Overview sums up: the shop's counts and when the latest import ran (None: never)."""

    stats: ShopStats
    last_import: int | None


def shop_counts(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> ShopCounts:
    """A quick job: the shop's counts (the distinct-orders count is slow on large shops: off the GUI thread)."""
    from lrec_desktop.core.store import queries

    with opened(db_path, readonly=True) as db:
        history = queries.import_history(db)
        return ShopCounts(queries.shop_stats(db), int(history[0][3]) if history else None)


def shop_stats(db_path: Path) -> ShopStats:
    from lrec_desktop.core.store import queries

    with opened(db_path, readonly=True) as db:
        return queries.shop_stats(db)


class OpenShop:
    """The open shop's quick reads for the GUI thread (read-only: writes are jobs on worker threads)."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        from lrec_desktop.core.store.db import connect

        self.path = Path(path)
        # Created (when asked) through a writable connection, then read through this one.
        self.db: sqlite_utils.Database = connect(self.path, create=create)
        self.demo = is_demo(self.path)

    def close(self) -> None:
        self.db.close()
        release_side_files(self.path)

    def settings(self) -> ShopSettings:
        return read_settings(self.db)

    def rules(self) -> Rules:
        return load_rules(self.db)

    def customer_count(self) -> int:
        from lrec_desktop.core.store.queries import customer_count

        return customer_count(self.db)

    def product_count(self) -> int:
        from lrec_desktop.core.store.queries import product_count

        return product_count(self.db)

    def first_customer(self) -> str | None:
        from lrec_desktop.core.store.queries import first_customer

        return first_customer(self.db)

    def search_customers(self, text: str, limit: int = 50) -> list[tuple[str, str, str]]:
        from lrec_desktop.core.store.queries import search_customers

        return search_customers(self.db, text, limit=limit)

    def find_customer(self, key: str) -> str | None:
        """A customer id for an id or an e-mail (None: no such customer)."""
        from lrec_desktop.core.store.queries import find_customer

        return find_customer(self.db, key)

    def customer_card(self, customer_id: str) -> CustomerCard | None:
        from lrec_desktop.core.store.queries import customer_card

        return customer_card(self.db, customer_id)

    def get_item(self, item_id: str) -> dict[str, Any] | None:
        """One product's catalog row by column name (None: no such product)."""
        from lrec_desktop.core.store.queries import get_item

        return get_item(self.db, item_id)

    def item_ids(self) -> set[str]:
        return {str(r[0]) for r in self.db.execute("SELECT item_id FROM items")}

    def count_items(self, text: str = "") -> int:
        from lrec_desktop.core.store.queries import count_items

        return count_items(self.db, text)

    def items_page(self, *, offset: int, limit: int, text: str = "", sort: str = "sales",
                   descending: bool = True) -> list[tuple[Any, ...]]:
        from lrec_desktop.core.store.queries import items_page

        return list(items_page(self.db, offset=offset, limit=limit, text=text, sort=sort, descending=descending))

    def categories(self) -> list[str]:
        """The shop's categories, alphabetically (an indexed read: no sales)."""
        from lrec_desktop.core.segments import categories

        return list(categories(self.db))

    def reorder_habit(self) -> ReorderHabit:
        """How common steady reorders are here, and whether buy-again is on (counted by the import)."""
        from lrec_desktop.core.recommend.buy_again import detect

        return detect(self.db)

    def sizes_of(self, product_id: str) -> list[tuple[str, str]]:
        """A product's variants (item id, options such as "Size: 100 g"), its own row first; [] without any."""
        from lrec_desktop.core.products import sizes_of

        return list(sizes_of(self.db, product_id))

    def product_role(self, item_id: str) -> tuple[str, str]:
        """(the owner's word on the product: PRODUCT, NOT_PRODUCT or AUTO; what the import found: '' or why not)."""
        from lrec_desktop.core.products import product_role

        return product_role(self.db, item_id)

    def product_choices(self) -> list[tuple[str, str, str, float | None]]:
        """(id, title, category, price) of every product, by title (the rules' product pickers)."""
        from lrec_desktop.core.store.queries import product_choices

        return product_choices(self.db)


def release_side_files(path: Path | None) -> None:
    """Leave no -wal/-shm beside a shop we are done with. SQLite removes them when the last connection to the
    file closes, but only if that connection may write: when a reader closes last (a job's read-only
    connection, or one dropped without closing and freed later by the collector), both files stay. So
    collect dropped connections, then open and close one writer of our own: as the last, it folds -wal into
    the shop and removes both. With another connection still open it changes nothing, which is right."""
    from lrec_desktop.core.store.db import writable

    if path is None:
        return
    side = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not any(p.exists() for p in side) or not writable(path):
        return
    gc.collect()
    try:
        conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL, so closing folds it
        finally:
            conn.close()
    except sqlite3.Error as exc:  # busy or gone: another program has it, and it will tidy up itself
        log.info("could not fold %s's -wal into the shop: %s", path, exc)

