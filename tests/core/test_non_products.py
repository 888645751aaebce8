"""Postage, fees, discounts, gift cards and manual lines (issue 18, item 2): kept as order lines, never
recommended on any path, never learned from as products; the owner's word overrules what was found."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.ingest.nonproducts import DISCOUNT, FEE, GIFT, MANUAL, NO_PRICE, POSTAGE, TIP, reason

FOUND = [
    ("POST", "POSTAGE", POSTAGE), ("DOT", "DOTCOM POSTAGE", POSTAGE), ("C2", "CARRIAGE", POSTAGE),
    ("M", "Manual", MANUAL), ("BANK CHARGES", "Bank Charges", FEE), ("AMAZONFEE", "AMAZON FEE", FEE),
    ("gift_0001_20", "Dotcomgiftshop Gift Voucher £20.00", GIFT), ("X1", "Gift Card EUR 25", GIFT),
    ("X2", "Versandkosten", POSTAGE), ("X3", "Express Versand DE", POSTAGE), ("X4", "Porto", POSTAGE),
    ("X5", "frais de port", POSTAGE), ("X6", "Envío", POSTAGE), ("X7", "spedizione", POSTAGE),
    ("X8", "verzendkosten", POSTAGE), ("X9", "运费 10元", POSTAGE), ("X10", "送料", POSTAGE),
    ("X11", "Geschenkgutschein 50 €", GIFT), ("X12", "carte cadeau", GIFT), ("X13", "ギフトカード 3000円", GIFT),
    ("X14", "Rabatt", DISCOUNT), ("X15", "Trinkgeld", TIP), ("X16", "Shipping & Handling", POSTAGE),
    ("X17", "Adjust bad debt", MANUAL), ("X18", "礼品卡", GIFT), ("X19", "buono regalo", GIFT),
    ("X20", "cadeaubon", GIFT), ("X21", "tarjeta regalo", GIFT),
]
PRODUCTS = [
    "Free shipping tea set", "Gift card holder", "送料無料 緑茶", "Sencha 送料込み", "Earl Grey 100g",
    "Courier (1987)", "Q-Tip", "HAND WARMER RED POLKA DOT", "Delivery Man (2013)", "Tea tasting workshop",
]


@pytest.mark.parametrize(("item_id", "title", "why"), FOUND)
def test_well_known_codes_and_names_in_several_languages(item_id: str, title: str, why: str) -> None:
    assert reason(item_id, title) == why


@pytest.mark.parametrize("title", PRODUCTS)
def test_a_product_that_merely_mentions_shipping_or_gifts_stays_a_product(title: str) -> None:
    assert reason("SKU1", title, 12.5) == ""


def test_never_priced_above_zero() -> None:
    assert reason("S1", "Free sample", 0.0) == NO_PRICE
    assert reason("S1", "Free sample", None) == ""  # no price known says nothing


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


TEAS = ["Earl Grey", "Sencha", "Darjeeling", "Assam", "Oolong", "Rooibos", "Chai", "Matcha"]


def _orders(path: Path) -> Path:
    """Twelve customers buying teas, nearly every order with postage, some with a gift card or a discount line."""
    rows = []
    for c in range(12):
        for n in range(4):
            order = f"{c}-{n}"
            day = f"2024-0{1 + n}-{10 + c}"
            tea = (c + n * 3) % len(TEAS)
            rows.append([order, f"T{tea}", TEAS[tea], "1", day, "4.50", f"C{c}"])
            rows.append([order, "POST", "POSTAGE", "1", day, "3.95", f"C{c}"])
            if n == 1:
                rows.append([order, "", "Gift Card EUR 25", "1", day, "25.00", f"C{c}"])
            if c % 3 == 0:
                rows.append([order, "D", "Discount", "1", day, "-1.00", f"C{c}"])
    return _write(path, ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
                         "CustomerID"], rows)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    db = tmp_path / "tea.lrec"
    assert main(["--quiet", "import", "--db", str(db), "--interactions", str(_orders(tmp_path / "orders.csv"))]) == 0
    return db


NON_PRODUCTS = {"POST", "D", "Gift Card EUR 25"}


def _exported(db: Path, out: Path, *extra: str) -> list[dict[str, str]]:
    assert main(["--quiet", "export", "--db", str(db), "--out", str(out), "--top", "6", *extra]) == 0
    with out.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_non_products_are_kept_as_lines_but_never_recommended(shop: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(shop)
    found = dict(conn.execute("SELECT item_id, non_product FROM items WHERE non_product != ''").fetchall())
    lines = conn.execute("SELECT count(*) FROM interactions WHERE item_id = 'POST'").fetchone()[0]
    conn.close()
    assert found == {"POST": POSTAGE, "D": DISCOUNT, "Gift Card EUR 25": GIFT}
    assert lines == 48  # every postage line is kept
    rows = _exported(shop, tmp_path / "recs.csv")
    assert rows and not {r["item_id"] for r in rows} & NON_PRODUCTS
    assert not any("POSTAGE" in r["reason"] or "Gift Card" in r["reason"] for r in rows)
    for discovery in ("0", "1"):
        rows = _exported(shop, tmp_path / f"recs{discovery}.csv", "--discovery", discovery)
        assert not {r["item_id"] for r in rows} & NON_PRODUCTS
    capsys.readouterr()
    assert main(["similar", "--db", str(shop), "--item", "T1", "--top", "20", "--json"]) == 0
    similar = {r["item_id"] for r in json.loads(capsys.readouterr().out)}
    assert similar and not similar & NON_PRODUCTS


def test_a_customer_with_postage_only_gets_products(shop: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    orders = _write(tmp_path / "more.csv", ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                                            "UnitPrice", "CustomerID"], [["N1", "POST", "POSTAGE", "1", "2024-06-01",
                                                                          "3.95", "NEW"]])
    assert main(["--quiet", "import", "--db", str(shop), "--interactions", str(orders)]) == 0
    capsys.readouterr()
    assert main(["--quiet", "recommend", "--db", str(shop), "--customer", "NEW", "--top", "20", "--json"]) == 0
    recs = {r["item_id"] for r in json.loads(capsys.readouterr().out)}
    assert recs and not recs & NON_PRODUCTS


def test_even_when_out_of_stock_products_are_shown(shop: Path, tmp_path: Path) -> None:
    from lrec_desktop.core.recommend.rules import Rules
    from lrec_desktop.core.store.db import connect

    db = connect(shop)
    Rules(hide_out_of_stock=False).save(db)
    assert Rules.load(db).not_products == sorted(NON_PRODUCTS)
    assert "not_products" not in json.loads(db.execute("SELECT value FROM settings WHERE key='rules'").fetchone()[0])
    db.close()
    assert not {r["item_id"] for r in _exported(shop, tmp_path / "recs.csv")} & NON_PRODUCTS


def test_the_owner_overrules_what_was_found(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["products", "--db", str(shop)]) == 0
    listed = capsys.readouterr().out
    assert "POST  POSTAGE  — postage or shipping" in listed and "Gift Card EUR 25" in listed
    before = {r["item_id"] for r in _exported(shop, tmp_path / "before.csv")}
    assert "T3" in before
    capsys.readouterr()
    assert main(["products", "--db", str(shop), "--not-a-product", "T3", "--is-a-product", "POST", "--json"]) == 0
    marked = {p["item_id"]: p for p in json.loads(capsys.readouterr().out)}
    assert marked["T3"]["owner"] == "not-a-product" and marked["T3"]["reason"] == "marked by you"
    assert marked["POST"]["owner"] == "product" and marked["POST"]["found"] == POSTAGE
    after = {r["item_id"] for r in _exported(shop, tmp_path / "after.csv")}
    assert "T3" not in after  # the model was prepared again with the owner's word
    capsys.readouterr()
    assert main(["similar", "--db", str(shop), "--item", "T1", "--top", "20", "--json"]) == 0
    assert "POST" in {r["item_id"] for r in json.loads(capsys.readouterr().out)}  # everyone bought it: not in export
    # A new import finds postage again but keeps the owner's word.
    more = _write(tmp_path / "more.csv", ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                                          "UnitPrice", "CustomerID"], [["N2", "T3", "Assam", "1", "2024-07-01",
                                                                        "4.5", "C1"]])
    assert main(["--quiet", "import", "--db", str(shop), "--interactions", str(more)]) == 0
    capsys.readouterr()
    assert main(["products", "--db", str(shop), "--auto", "POST", "--json"]) == 0
    marked = {p["item_id"]: p for p in json.loads(capsys.readouterr().out)}
    assert marked["T3"]["owner"] == "not-a-product" and marked["POST"]["owner"] == "auto"


def test_unknown_product_refused_in_one_line(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = shop.read_bytes()
    assert main(["products", "--db", str(shop), "--not-a-product", "T3", "--not-a-product", "NOPE"]) == 2
    assert capsys.readouterr().err.strip() == "lrec-desktop: No product 'NOPE' in tea.lrec."
    conn = sqlite3.connect(shop)
    assert conn.execute("SELECT owner_product FROM items WHERE item_id = 'T3'").fetchone()[0] is None  # all or none
    conn.close()
    assert len(before) == shop.stat().st_size


def test_shopify_gift_card_column_and_no_shipping_clue(tmp_path: Path) -> None:
    products = _write(tmp_path / "products.csv",
                      ["Handle", "Title", "Variant SKU", "Variant Price", "Gift Card", "Variant Requires Shipping"],
                      [["present", "A present for a friend", "GC-1", "25.00", "TRUE", "FALSE"],
                       ["present", "", "GC-2", "50.00", "", "FALSE"],
                       ["workshop", "Tea tasting workshop", "WS-1", "30.00", "FALSE", "FALSE"],
                       ["tip", "Tip for the team", "TIP-1", "2.00", "FALSE", "FALSE"],
                       ["sencha", "Sencha", "SEN-1", "6.00", "FALSE", "TRUE"]])
    db = tmp_path / "s.lrec"
    assert main(["--quiet", "import", "--db", str(db), "--items", str(products)]) == 0
    conn = sqlite3.connect(db)
    found = dict(conn.execute("SELECT item_id, non_product FROM items").fetchall())
    conn.close()
    # A workshop needs no shipping and is a product; a tip that needs none is a tip.
    assert found == {"GC-1": GIFT, "GC-2": GIFT, "WS-1": "", "TIP-1": TIP, "SEN-1": ""}


def test_a_shop_of_the_previous_format_has_its_postage_found(tmp_path: Path) -> None:
    from lrec_desktop.core.store.db import connect

    db = tmp_path / "old.lrec"
    connect(db, create=True).close()
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX interactions_variant")
    conn.execute("DROP INDEX items_group")
    conn.execute("ALTER TABLE interactions DROP COLUMN variant_id")
    for column in ("non_product", "owner_product", "top_price", "file_hint", "group_id", "product_id", "options"):
        conn.execute(f"ALTER TABLE items DROP COLUMN {column}")
    conn.execute("INSERT INTO items(item_id, title, price) VALUES ('POST', 'POSTAGE', 18), ('A', 'Tea', 3)")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    connect(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT item_id, non_product, top_price FROM items ORDER BY item_id").fetchall() == [
        ("A", "", 3.0), ("POST", POSTAGE, 18.0)]
    conn.close()
    assert (tmp_path / "old.lrec.v4.bak").exists()
