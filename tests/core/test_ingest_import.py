"""The import job end to end, on fixtures shaped like real shop exports."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lrec_desktop.core.errors import InputError
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
from lrec_desktop.core.ingest.mapping import layout_key
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.store.db import connect, data_version, get_setting


def rows(path: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def one(path: Path, sql: str, args: tuple[Any, ...] = ()) -> Any:
    return rows(path, sql, args)[0][0]


def test_uci_order_lines(shop_path: Path, fixtures: Path) -> None:
    summary = run_import(shop_path, ImportRequest(interactions=fixtures / "uci_orders.csv"))
    (file,) = summary.files
    assert (file.kind, file.rows_read, file.accepted, file.rejected) == ("interactions", 198, 195, 3)
    assert [(p[1], p[2].split(" ")[0]) for p in file.problems] == [
        ("Quantity", "quantity"),
        ("StockCode", "no"),
        ("InvoiceDate", "date"),
    ]
    assert all(isinstance(p[0], int) and p[0] > 1 for p in file.problems)
    assert summary.message().startswith("195 order lines imported from uci_orders.csv; 3 skipped.")
    assert one(shop_path, "SELECT count(*) FROM interactions") == 195
    assert one(shop_path, "SELECT count(*) FROM import_problems") == 3
    # Ids: the spreadsheet's ".0" is gone, leading zeros stay, nothing is stored as "17850.0".
    customers = {r[0] for r in rows(shop_path, "SELECT customer_id FROM customers")}
    assert "17850" in customers and not any(c.endswith(".0") for c in customers)
    items = {r[0] for r in rows(shop_path, "SELECT item_id FROM items")}
    assert {"00123", "02201", "85123A"} <= items
    assert one(shop_path, "SELECT title FROM items WHERE item_id = '85123A'") == "WHITE HANGING HEART T-LIGHT HOLDER"
    assert one(shop_path, "SELECT price FROM items WHERE item_id = '85123A'") == pytest.approx(2.55)
    # Cancellations and returns are kept but are not purchases.
    assert rows(shop_path, "SELECT event, quantity FROM interactions WHERE order_id = 'C536379' ORDER BY quantity") == [
        ("cancel", -2.0),
        ("cancel", -1.0),
    ]
    assert rows(shop_path, "SELECT event, customer_id FROM interactions WHERE order_id = '536999'") == [
        ("return", None)
    ]
    # Sales without a customer are still sales.
    assert one(shop_path, "SELECT count(*) FROM interactions WHERE customer_id IS NULL AND event = 'purchase'") > 0
    stats = one(shop_path, "SELECT sum(sales) FROM item_stats")
    assert stats == one(shop_path, "SELECT count(*) FROM interactions WHERE event = 'purchase'")
    # December 2010, read month-first; first_seen is the first sale.
    assert one(shop_path, "SELECT min(ts) FROM interactions") == 1291191960
    assert (
        one(
            shop_path,
            "SELECT count(*) FROM items i WHERE first_seen != "
            "(SELECT min(ts) FROM interactions x WHERE x.item_id = i.item_id)",
        )
        == 0
    )
    db = connect(shop_path)
    assert data_version(db) == 1
    header = (fixtures / "uci_orders.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert get_setting(db, f"mapping:{layout_key(header)}")["item_id"] == "StockCode"
    db.conn.close()


def test_same_file_twice_adds_nothing(shop_path: Path, fixtures: Path, shop_hash: Callable[[Path], str]) -> None:
    run_import(shop_path, ImportRequest(interactions=fixtures / "uci_orders.csv"))
    before = shop_hash(shop_path)
    summary = run_import(shop_path, ImportRequest(interactions=fixtures / "uci_orders.csv"))
    assert summary.files[0].already_imported and summary.files[0].import_id is None
    assert "imported before" in summary.message()
    assert shop_hash(shop_path) == before


def test_overlapping_exports_add_only_new_lines(shop_path: Path, fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "uci_orders.csv").read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    (tmp_path / "jan.csv").write_text("\n".join([header, *body[:120]]) + "\n", encoding="utf-8")
    (tmp_path / "feb.csv").write_text("\n".join([header, *body[80:]]) + "\n", encoding="utf-8")
    run_import(shop_path, ImportRequest(interactions=tmp_path / "jan.csv"))
    second = run_import(shop_path, ImportRequest(interactions=tmp_path / "feb.csv"))
    # Rows 80-119 are in both files; three of them are bad rows, skipped each time.
    assert (second.files[0].duplicates, second.files[0].accepted) == (37, 115)
    assert "78 order lines imported from feb.csv; 3 skipped; 37 were already in the shop." in second.message()
    whole = tmp_path / "whole.lrec"
    run_import(whole, ImportRequest(interactions=fixtures / "uci_orders.csv"))
    key_sql = "SELECT line_key FROM interactions ORDER BY line_key"
    assert rows(shop_path, key_sql) == rows(whole, key_sql)


def test_identical_lines_within_one_file_are_two_sales(shop_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("sku,customer,date\nA,1,2024-01-01\nA,1,2024-01-01\nB,1,2024-01-01\n", encoding="utf-8")
    assert run_import(shop_path, ImportRequest(interactions=path)).files[0].accepted == 3
    assert one(shop_path, "SELECT count(*) FROM interactions") == 3


def test_shopify_products_and_orders(shop_path: Path, fixtures: Path) -> None:
    summary = run_import(
        shop_path, ImportRequest(items=fixtures / "shopify_products.csv", interactions=fixtures / "shopify_orders.csv")
    )
    products, orders = summary.files
    assert (products.kind, products.accepted, products.rejected) == ("items", 7, 0)  # the image row is no product
    assert (orders.accepted, orders.rejected) == (27, 0)
    tee = rows(shop_path, "SELECT title, description, category, price, in_stock FROM items WHERE item_id = 'TEE-WHT-S'")
    assert tee == [
        (
            "Organic Tee",
            "Soft organic cotton tee & relaxed fit.",
            "T-Shirts",  # Shopify's Type; its Product Category (Google's taxonomy) is a tag (issue 18)
            24.0,
            0,
        )
    ]
    assert one(shop_path, "SELECT tags FROM items WHERE item_id = 'TEE-WHT-S'") == (
        "cotton, organic, summer, Acme, Shirts & Tops")
    assert rows(shop_path, "SELECT price, in_stock FROM items WHERE item_id = 'CAND-FIG'") == [(29.0, 0)]
    assert one(shop_path, "SELECT title FROM items WHERE item_id = 'gift-card'") == "Gift Card"  # no SKU: the handle
    assert "organic-tee" not in {r[0] for r in rows(shop_path, "SELECT item_id FROM items")}
    # Order-level cells on the first line only: customer and date filled from the same order.
    assert one(shop_path, "SELECT count(*) FROM interactions WHERE customer_id IS NULL OR ts IS NULL") == 0
    assert rows(shop_path, "SELECT DISTINCT customer_id FROM interactions WHERE order_id = '#1003'") == [
        ("edsger@example.com",)
    ]
    assert rows(shop_path, "SELECT name, email FROM customers WHERE customer_id = 'grace@example.org'") == [
        ("Grace Hopper", "grace@example.org")
    ]
    # Refunded (#1004) and cancelled/voided (#1007) orders are cancels; partially refunded is still a sale.
    events = dict(rows(shop_path, "SELECT order_id, group_concat(DISTINCT event) FROM interactions GROUP BY 1"))
    assert events["#1004"] == "cancel" and events["#1007"] == "cancel" and events["#1010"] == "purchase"
    assert one(shop_path, "SELECT min(ts) FROM interactions WHERE order_id = '#1001'") == 1709284500  # +0100 → UTC


def test_woocommerce_orders(shop_path: Path, fixtures: Path) -> None:
    summary = run_import(shop_path, ImportRequest(interactions=fixtures / "woocommerce_orders.csv"))
    assert summary.files[0].rejected == 0
    customers = dict(rows(shop_path, "SELECT customer_id, name FROM customers"))
    assert customers["12"] == "Marie Curie"
    assert "guest@example.com" in customers and "0" not in customers  # guest checkout: the e-mail is the customer
    events = dict(rows(shop_path, "SELECT order_id, group_concat(DISTINCT event) FROM interactions GROUP BY 1"))
    assert {o for o, e in events.items() if e == "cancel"} == {"4105", "4109", "4112"}
    # A line without a SKU is named by its product.
    assert one(shop_path, "SELECT title FROM items WHERE item_id = 'Honey Dipper (wood)'") == "Honey Dipper (wood)"


def test_movielens_format_pair(shop_path: Path, fixtures: Path) -> None:
    summary = run_import(
        shop_path,
        ImportRequest(items=fixtures / "movielens" / "movies.csv", interactions=fixtures / "movielens" / "ratings.csv"),
    )
    assert summary.files[1].what == "ratings"
    assert "40 ratings imported from ratings.csv" in summary.message()
    assert rows(shop_path, "SELECT DISTINCT event FROM interactions") == [("rating",)]
    assert one(shop_path, "SELECT count(*) FROM interactions WHERE rating IS NULL") == 0
    assert rows(shop_path, "SELECT category, tags FROM items WHERE item_id = '3'") == [
        ("Action", "Action, Adventure, Thriller")
    ]
    assert one(shop_path, "SELECT category FROM items WHERE item_id = '8'") == ""


def test_broken_file_rolls_back_everything(
    shop_path: Path, fixtures: Path, tmp_path: Path, shop_hash: Callable[[Path], str]
) -> None:
    run_import(shop_path, ImportRequest(interactions=fixtures / "woocommerce_orders.csv"))
    before = shop_hash(shop_path)
    broken = tmp_path / "orders.csv"
    broken.write_text(
        "InvoiceNo,StockCode,Quantity,InvoiceDate\n1,A,1,2024-01-02\n2,B,x,2024-01-02\n"
        "3,C,1,someday\n4,,1,2024-01-02\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        run_import(shop_path, ImportRequest(items=fixtures / "shopify_products.csv", interactions=broken))
    error = info.value
    assert (error.file, error.row, error.column) == ("orders.csv", 3, "Quantity")
    assert str(error).startswith("orders.csv, row 3, column 'Quantity': 3 of 4 rows could not be used")
    assert shop_hash(shop_path) == before


def test_no_acceptable_row_names_file_row_and_column(
    shop_path: Path, tmp_path: Path, shop_hash: Callable[[Path], str]
) -> None:
    path = tmp_path / "sales.csv"
    path.write_text("sku;date\nA;soon\nB;later\n", encoding="utf-8")
    before = shop_hash(shop_path)
    with pytest.raises(InputError, match=r"sales\.csv, row 2, column 'date': no row could be imported") as info:
        run_import(shop_path, ImportRequest(interactions=path))
    assert "'soon'" in str(info.value)
    assert shop_hash(shop_path) == before


def test_file_without_product_column_is_refused(shop_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Customer ID,Country\n1,France\n", encoding="utf-8")
    with pytest.raises(InputError, match="product") as info:
        run_import(shop_path, ImportRequest(interactions=path))
    assert info.value.file == "people.csv"


def test_cancel_mid_import_leaves_database_unchanged(
    shop_path: Path, fixtures: Path, shop_hash: Callable[[Path], str]
) -> None:
    run_import(shop_path, ImportRequest(interactions=fixtures / "movielens" / "ratings.csv"))
    before = shop_hash(shop_path)
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, message: str = "") -> None:
        seen.append(fraction)
        if fraction > 0.2:  # some chunks are written by now
            token.cancel()

    with pytest.raises(Cancelled):
        run_import(
            shop_path,
            ImportRequest(interactions=fixtures / "uci_orders.csv"),
            progress=progress,
            cancel=token,
            chunksize=40,
        )
    assert 0.2 < max(seen) < 0.9
    assert shop_hash(shop_path) == before


def test_progress_runs_from_zero_to_one(shop_path: Path, fixtures: Path) -> None:
    seen: list[float] = []
    run_import(
        shop_path,
        ImportRequest(items=fixtures / "shopify_products.csv", interactions=fixtures / "uci_orders.csv"),
        progress=lambda f, m="": seen.append(f),
        chunksize=30,
    )
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_mapping_overrides(shop_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Art,Bezeichnung,Kunde,Menge\n0042,Tasse,K1,2\n0043,Teller,K2,1\n", encoding="utf-8")
    request = ImportRequest(
        interactions=path,
        mapping={"item_id": "Art", "title": "bezeichnung", "customer_id": "Kunde", "quantity": "Menge"},
    )
    run_import(shop_path, request)
    assert rows(shop_path, "SELECT customer_id, item_id, quantity FROM interactions ORDER BY 1") == [
        ("K1", "0042", 2.0),
        ("K2", "0043", 1.0),
    ]
    assert one(shop_path, "SELECT title FROM items WHERE item_id = '0042'") == "Tasse"
    with pytest.raises(InputError, match="Artikel"):
        run_import(shop_path, ImportRequest(interactions=path, mapping={"item_id": "Artikel"}))
    with pytest.raises(InputError, match="colour"):
        run_import(shop_path, ImportRequest(interactions=path, mapping={"colour": "Art"}))


def test_chinese_catalog_and_european_order_file(shop_path: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "商品.csv"
    catalog.write_bytes(
        "商品编号,商品名称,价格\n001,绿茶杯,12.5\n002,红色连衣裙,99\n003,手工陶瓷碗,35\n".encode("gb18030")
    )
    orders = tmp_path / "bestellungen.csv"
    orders.write_bytes(
        "Bestellnummer;Artikelnummer;Menge;Datum;Kunde;Preis\n"
        "A-1;001;2;01.12.2010;K1;12,50\nA-2;002;1;13.12.2010;K2;99,00\n".encode("cp1252")
    )
    # One mapping names one column per field, so files with different id headers are imported one by one.
    run_import(
        shop_path, ImportRequest(items=catalog, mapping={"item_id": "商品编号", "title": "商品名称", "price": "价格"})
    )
    run_import(
        shop_path,
        ImportRequest(
            interactions=orders,
            mapping={
                "item_id": "Artikelnummer",
                "customer_id": "Kunde",
                "timestamp": "Datum",
                "quantity": "Menge",
                "order_id": "Bestellnummer",
                "price": "Preis",
            },
        ),
    )
    assert rows(shop_path, "SELECT item_id, title, price FROM items ORDER BY 1") == [
        ("001", "绿茶杯", 12.5),
        ("002", "红色连衣裙", 99.0),
        ("003", "手工陶瓷碗", 35.0),
    ]
    assert rows(shop_path, "SELECT item_id, ts FROM interactions ORDER BY 1") == [
        ("001", 1291161600),
        ("002", 1292198400),
    ]


def test_excel_order_file(shop_path: Path, tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Order Number", "SKU", "Qty", "Order Date", "Customer ID", "Product Name"])
    sheet.append(["1001", "00123", 2, dt.datetime(2024, 5, 1, 9, 30), 17850.0, "Blue mug"])
    sheet.append(["1002", "00124", 1, dt.datetime(2024, 5, 2, 10, 0), 17851.0, "Green mug"])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    run_import(shop_path, ImportRequest(interactions=path))
    assert rows(shop_path, "SELECT customer_id, item_id, ts FROM interactions ORDER BY 1") == [
        ("17850", "00123", 1714555800),
        ("17851", "00124", 1714644000),
    ]
    assert one(shop_path, "SELECT title FROM items WHERE item_id = '00123'") == "Blue mug"


def test_real_movielens_slice(shop_path: Path, movielens_dir: Path, tmp_path: Path) -> None:
    with (movielens_dir / "ratings.csv").open(encoding="utf-8") as handle:
        head = [next(handle) for _ in range(5001)]
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("".join(head), encoding="utf-8")
    summary = run_import(shop_path, ImportRequest(items=movielens_dir / "movies.csv", interactions=ratings))
    assert [f.rejected for f in summary.files] == [0, 0]
    assert summary.files[1].accepted == 5000
    assert one(shop_path, "SELECT count(*) FROM interactions WHERE event = 'rating'") == 5000
    assert one(shop_path, "SELECT count(*) FROM items") == summary.files[0].accepted
    assert (
        one(
            shop_path,
            "SELECT count(*) FROM interactions x LEFT JOIN items i USING(item_id) "
            "WHERE i.title IS NULL OR i.title = ''",
        )
        == 0
    )
