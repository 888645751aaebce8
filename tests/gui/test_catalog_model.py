"""The catalog model pages through SQL 500 rows at a time and sorts in SQL (no window)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt

from lrec_desktop.core.app.shops import OpenShop
from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui.table_models import CATALOG_COLUMNS, CatalogModel
from tests.gui.shopdata import build_shop


def big_catalog(path: Path, n: int) -> OpenShop:
    db = store_db.connect(path, create=True)
    with store_db.transaction(db) as conn:
        conn.executemany(
            "INSERT INTO items(item_id, title, category, price) VALUES (?, ?, ?, ?)",
            ((f"SKU{i:06d}", f"Product {(i * 7919) % n:06d}", f"Cat {i % 40}", i % 97 + 0.5) for i in range(n)),
        )
    db.close()
    return OpenShop(path)


def test_fetches_in_pages(qapp, tmp_path: Path) -> None:
    db = big_catalog(tmp_path / "big.lrec", 1_200)
    model = CatalogModel(db)
    assert model.total == 1_200
    assert model.rowCount() == 500 and model.queries == 1
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 1_200 and model.queries == 3
    assert not model.canFetchMore()
    model.set_filter("Cat 3")  # Cat 3, Cat 30..39
    assert model.total == 330 and model.rowCount() == 330


def test_sort_asks_sql_again(qapp, tmp_path: Path) -> None:
    db = big_catalog(tmp_path / "big.lrec", 2_000)
    model = CatalogModel(db)
    title = [c[0] for c in CATALOG_COLUMNS].index("title")
    before = model.queries
    model.sort(title, Qt.SortOrder.AscendingOrder)
    assert model.queries == before + 1 and model.rowCount() == 500  # a new first page, not a Python sort
    assert model.index(0, title).data() == "Product 000000"
    model.sort(title, Qt.SortOrder.DescendingOrder)
    assert model.index(0, title).data() == "Product 001999"


def test_sales_columns_and_formatting(qapp, tmp_path: Path) -> None:
    path = build_shop(tmp_path / "shop.lrec")
    db = OpenShop(path)
    model = CatalogModel(db)
    sales = [c[0] for c in CATALOG_COLUMNS].index("sales")
    values = [int(model.index(r, sales).data().replace(",", "")) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True) and values[0] > 0


def test_smooth_with_100k_products(qapp, tmp_path: Path) -> None:
    db = big_catalog(tmp_path / "huge.lrec", 100_000)
    start = time.perf_counter()
    model = CatalogModel(db)
    model.fetchMore()
    model.sort(1, Qt.SortOrder.AscendingOrder)
    model.set_filter("Product 0999")
    elapsed = time.perf_counter() - start
    assert model.total == 100  # Product 099900..099999
    assert elapsed < 3.0, f"paging 100k products took {elapsed:.2f}s"
