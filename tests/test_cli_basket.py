"""``lrec-desktop basket`` and ``lrec-desktop export-related`` through the real CLI on a shop of real-looking
order lines (tests/core/basket_shop.py): the basket's own products, blocked and out-of-stock products are
never offered, reasons name the product they come from, unknown or ambiguous products exit 2 in one line, and
the exported files parse with the columns the shops import and round-trip the shop's ids."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.export_related import GENERIC_HEADER, SHOPIFY_COMPLEMENTARY, SHOPIFY_RELATED, WOO_HEADER
from lrec_desktop.core.recommend.rules import Rules
from lrec_desktop.core.store import db as store
from tests.core.basket_shop import OUT_OF_STOCK, TITLES, build
from tests.core.conftest import content_hash


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build(tmp_path)


def _basket(shop: Path, items: str, capsys: pytest.CaptureFixture[str], top: int = 5) -> list[dict]:
    capsys.readouterr()
    assert main(["--quiet", "basket", "--db", str(shop), "--items", items, "--top", str(top), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _rules(shop: Path, **changes: object) -> None:
    db = store.connect(shop)
    try:
        rules = Rules.load(db)
        for key, value in changes.items():
            setattr(rules, key, value)
        rules.save(db)
    finally:
        db.close()


def test_what_goes_in_the_same_order_comes_first_with_its_reason(shop: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    recs = _basket(shop, "22423", capsys)
    assert recs[0]["item_id"] == "22697"  # the teacup, not the bestseller that is in every order
    assert recs[0]["reason"] == f"Often in the same order as “{TITLES['22423']}”"
    assert [r["rank"] for r in recs] == list(range(1, len(recs) + 1)) and len(recs) == 5
    # Cake cases went together only on receipts without a customer: the till prompt still knows.
    assert _basket(shop, "21212", capsys)[0]["item_id"] == "84991"


def test_never_the_baskets_own_products_nor_blocked_ones(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything = ",".join(i for i in TITLES if i not in ("POST", "22697", "47566"))
    ids = [r["item_id"] for r in _basket(shop, everything, capsys, top=10)]
    assert set(ids) <= {"22697", "47566"}  # only what is not in the basket; never postage nor the sold-out box
    recs = _basket(shop, "22720", capsys, top=10)  # the cook book's partner, the recipe box, is out of stock
    assert OUT_OF_STOCK not in {r["item_id"] for r in recs} and "22720" not in {r["item_id"] for r in recs}
    assert "POST" not in {r["item_id"] for r in recs}
    _rules(shop, exclude_items=["22697"], pinned_items=["47566"])
    recs = _basket(shop, "22423", capsys)
    assert recs[0]["item_id"] == "47566" and recs[0]["reason"] == "Chosen by you for everyone"
    assert "22697" not in {r["item_id"] for r in recs}


def test_names_are_matched_like_the_catalog_search(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_name = _basket(shop, "regency cakestand 3 tier", capsys)  # the exact name, any case
    assert by_name == _basket(shop, "22423", capsys)
    assert _basket(shop, "CAKESTAND", capsys) == by_name  # the only product whose name holds it


@pytest.mark.parametrize(("items", "says"), [
    ("22423,NOPE-1", "No product 'NOPE-1'"),
    ("PANTRY", "'PANTRY' fits several products"),
    (" , ", "No products given"),
])
def test_unknown_or_ambiguous_products_exit_2_in_one_sentence(shop: Path, capsys: pytest.CaptureFixture[str],
                                                              items: str, says: str) -> None:
    before = content_hash(shop)
    capsys.readouterr()
    assert main(["--quiet", "basket", "--db", str(shop), "--items", items]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert content_hash(shop) == before


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _export(shop: Path, out: Path, fmt: str, top: int = 4) -> None:
    assert main(["--quiet", "export-related", "--db", str(shop), "--out", str(out), "--format", fmt,
                 "--top", str(top)]) == 0


def test_generic_long_list(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "related.csv"
    _export(shop, out, "generic")
    header, rows = _read(out)
    assert header == GENERIC_HEADER
    by_product: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_product.setdefault(row["product_id"], []).append(row)
    assert set(by_product) <= set(TITLES) - {"POST"}  # postage gets no list of its own
    for product, related in by_product.items():
        assert [int(r["rank"]) for r in related] == list(range(1, len(related) + 1)) and len(related) <= 4
        assert all(r["related_id"] in TITLES and r["related_id"] != product for r in related)
        assert all(r["title"] == TITLES[r["related_id"]] for r in related)
        assert not {r["related_id"] for r in related} & {"POST", OUT_OF_STOCK}
    assert by_product["22423"][0]["related_id"] == "22697"
    assert by_product["22423"][0]["reason"] == f"Often in the same order as “{TITLES['22423']}”"


def test_woocommerce_upsells_and_cross_sells_by_sku(shop: Path, tmp_path: Path) -> None:
    _rules(shop, pinned_items=["20725"])
    out = tmp_path / "woo.csv"
    _export(shop, out, "woocommerce", top=3)
    header, rows = _read(out)
    assert header == WOO_HEADER
    skus = [r["SKU"] for r in rows]
    assert sorted(skus) == sorted(set(TITLES) - {"POST"})  # every product once, by the shop's own id
    assert all(r["ID"] == "" for r in rows)  # matched by SKU on import
    cross = {r["SKU"]: [s for s in r["Cross-sells"].split(",") if s] for r in rows}
    assert cross["22423"][:2] == ["20725", "22697"]  # the pin first, then what goes in the same orders
    for sku, listed in cross.items():
        assert len(listed) <= 3 and sku not in listed and set(listed) <= set(TITLES) - {"POST", OUT_OF_STOCK}
    assert all(r["Upsells"] == "" for r in rows)  # no text model read this shop: nothing described alike


def test_shopify_handles_and_metafields(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "shopify.csv"
    _export(shop, out, "shopify")
    header, rows = _read(out)
    assert header == ["Handle", SHOPIFY_RELATED, SHOPIFY_COMPLEMENTARY]
    handles = {r["Handle"] for r in rows}
    assert "regency-cakestand-3-tier" in handles and len(handles) == len(rows) == len(TITLES) - 1
    by_handle = {r["Handle"]: r for r in rows}
    related = by_handle["regency-cakestand-3-tier"][SHOPIFY_RELATED].split(",")
    assert related[0] == "green-regency-teacup-and-saucer"
    for row in rows:
        for column in (SHOPIFY_RELATED, SHOPIFY_COMPLEMENTARY):
            listed = [h for h in row[column].split(",") if h]
            assert set(listed) <= handles and row["Handle"] not in listed
            assert "recipe-box-pantry-yellow-design" not in listed  # out of stock


def test_an_output_over_the_shop_is_refused_and_changes_nothing(shop: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    before, mtime = content_hash(shop), shop.stat().st_mtime_ns
    capsys.readouterr()
    assert main(["--quiet", "export-related", "--db", str(shop), "--out", str(shop)]) == 2
    err = capsys.readouterr().err
    assert "never replaces a shop" in err and err.count("\n") == 1
    assert content_hash(shop) == before and shop.stat().st_mtime_ns == mtime


def test_shopify_handles_round_trip_from_a_shopify_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A shop imported from Shopify's own product and order exports gets its rows back under the file's Handles,
    each product once (its sizes are variants, not products of their own)."""
    real = Path(__file__).parent / "fixtures" / "real"
    shop = tmp_path / "tea.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(real / "tea_shopify_products.csv"),
                 "--interactions", str(real / "tea_shopify_orders.csv")]) == 0
    with (real / "tea_shopify_products.csv").open(encoding="utf-8", newline="") as f:
        file_handles = {row["Handle"] for row in csv.DictReader(f)}
    out = tmp_path / "shopify.csv"
    _export(shop, out, "shopify")
    _, rows = _read(out)
    handles = [r["Handle"] for r in rows]
    assert len(handles) == len(set(handles)) and set(handles) <= file_handles
    related = [h for r in rows for h in r[SHOPIFY_RELATED].split(",") if h]
    assert related and set(related) <= file_handles
    # The till prompt takes a size's SKU for its product, and never offers the product back.
    recs = _basket(shop, "EARL-GREY-100", capsys)
    assert recs and all(not r["item_id"].startswith("EARL-GREY") for r in recs)
    # A name its sizes share names the product, not three products.
    assert _basket(shop, "gyokuro", capsys) == _basket(shop, "GYOKURO-250", capsys)


def test_a_cancelled_export_leaves_the_previous_file(shop: Path, tmp_path: Path) -> None:
    from lrec_desktop.core.export_related import export_related
    from lrec_desktop.core.jobs import Cancelled, CancelToken

    out = tmp_path / "related.csv"
    out.write_text("the previous export\n", encoding="utf-8")
    cancel = CancelToken()

    def cancel_midway(fraction: float, _message: str = "") -> None:
        if _message.startswith("Related products:"):  # while the rows are being written
            cancel.cancel()

    with pytest.raises(Cancelled):
        export_related(shop, out, fmt="woocommerce", progress=cancel_midway, cancel=cancel)
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".related")] == []  # no temp file left


def test_shopify_handles_stay_unique_for_products_named_alike(shop: Path, tmp_path: Path) -> None:
    """Rows with one Handle are one product's variants to Shopify: a second cake stand of the same name must
    not merge into the first."""
    more = tmp_path / "more-products.csv"
    more.write_text("StockCode,Description,Stock\n22423B,REGENCY CAKESTAND 3 TIER,5\n", encoding="utf-8")
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(more)]) == 0
    out = tmp_path / "shopify.csv"
    _export(shop, out, "shopify")
    _, rows = _read(out)
    handles = [r["Handle"] for r in rows]
    assert len(handles) == len(set(handles)) == len(TITLES)  # 10 products + the second stand, postage left out
    assert {"regency-cakestand-3-tier", "regency-cakestand-3-tier-1"} <= set(handles)


def test_a_shop_without_sales_says_there_is_nothing_to_offer(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("StockCode,Description\n85123A,WHITE HANGING HEART T-LIGHT HOLDER\n71053,WHITE METAL LANTERN\n",
                       encoding="utf-8")
    shop = tmp_path / "new.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(catalog)]) == 0
    capsys.readouterr()
    assert main(["--quiet", "basket", "--db", str(shop), "--items", "85123A"]) == 0
    assert capsys.readouterr().out.startswith("Nothing to offer with this basket yet")
