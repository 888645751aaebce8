"""Catalog pages walk an index of (sort key, product id): every product is listed exactly once, in the
order the column says, with ties by product id, whatever the page size or filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.queries import SORT_KEYS, count_items, items_page
from tests.core.shopdb import write_shop

COLUMNS = ["item_id", "title", "category", "price", "in_stock", "sales", "buyers", "last_sold"]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    items = [{"item_id": f"P{n:02d}", "title": f"{('Mug', 'Teapot', 'Scarf')[n % 3]} {n % 5}",
              "category": ("Kitchen", "Gifts")[n % 2], "price": None if n % 7 == 0 else float(n % 4),
              "in_stock": n % 3 != 0} for n in range(40)]
    sales = [(f"C{c}", f"P{(c * c + k) % 25:02d}", 1000 + 10 * c + k) for c in range(30) for k in range(c % 4 + 1)]
    path = write_shop(tmp_path / "shop.lrec", items, sales)
    db = store.connect(path)
    # A product written without refreshing the figures (as a later writer might) still gets its row.
    db.execute("INSERT INTO items(item_id, title) VALUES ('Z-NEW', 'Mug, brand new')")
    db.close()
    return path


def expected(rows: list[tuple], column: str, descending: bool) -> list[str]:
    c = COLUMNS.index(column)
    # SQLite's order: NULL first ascending; ties by item_id in the same direction.
    ordered = sorted(rows, key=lambda r: (r[c] is not None, r[c] if r[c] is not None else 0, r[0]),
                     reverse=descending)
    return [r[0] for r in ordered]


@pytest.mark.parametrize("sort", list(SORT_KEYS))
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("text", ["", "mug"])
def test_pages_list_every_product_once_in_order(shop: Path, sort: str, descending: bool, text: str) -> None:
    db = store.connect(shop)
    try:
        everything = items_page(db, offset=0, limit=1000, text=text, sort=sort, descending=descending)
        pages = [row for offset in range(0, 50, 7)
                 for row in items_page(db, offset=offset, limit=7, text=text, sort=sort, descending=descending)]
        total = count_items(db, text)
    finally:
        db.close()
    assert len(everything) == total == (41 if not text else 15)
    assert [r[0] for r in everything] == expected(everything, sort, descending)
    assert pages == everything


def test_never_sold_products_count_zero(shop: Path) -> None:
    db = store.connect(shop)
    try:
        row = next(r for r in items_page(db, offset=0, limit=100, sort="sales", descending=False) if r[0] == "Z-NEW")
    finally:
        db.close()
    assert row[5:8] == (0, 0, None)
