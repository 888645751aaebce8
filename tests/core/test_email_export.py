"""E-mail-ready exports (issue 21, item 4) on the real-format fixtures: pictures, links and prices imported from
Shopify's "Image Src" and WooCommerce's "Images"/"Permalink", written in the wide layout with the currency, and
products without a picture left out on request; a version 6 shop gains the columns by migration."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.schema import SCHEMA_VERSION

REAL = Path(__file__).parents[1] / "fixtures" / "real"


@pytest.fixture(scope="module")
def tea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shop = tmp_path_factory.mktemp("tea") / "tea.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(REAL / "tea_shopify_products.csv"),
                 "--interactions", str(REAL / "tea_shopify_orders.csv")]) == 0
    return shop


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_shopify_image_src_reaches_every_size_and_the_wide_export(tea: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(tea)
    images = dict(conn.execute("SELECT item_id, image_url FROM items"))
    assert images["EARL-GREY-250"] == images["EARL-GREY-50"] == "https://cdn.shopify.com/s/files/1/tea/earl-grey.jpg"
    assert images["SILVER-NEEDLE-50"] == ""  # the fixture's one tea without a picture
    out = tmp_path / "wide.csv"
    assert main(["--quiet", "export", "--db", str(tea), "--out", str(out), "--top", "3", "--layout", "wide"]) == 0
    rows = _rows(out)
    assert list(rows[0])[:8] == ["customer_id", "email", "name", "product_1_title", "product_1_id",
                                 "product_1_image", "product_1_url", "product_1_price"]
    price = dict(conn.execute("SELECT item_id, price FROM items"))
    for row in rows:
        for k in (1, 2, 3):
            item = row[f"product_{k}_id"]
            assert row[f"product_{k}_image"] == images[item]
            assert row[f"product_{k}_price"] == f"{price[item]:.2f} EUR"  # the orders' currency


def test_products_without_a_picture_are_left_out_on_request(tea: Path, tmp_path: Path) -> None:
    everything, pictured = tmp_path / "all.csv", tmp_path / "pictured.csv"
    base = ["--quiet", "export", "--db", str(tea), "--top", "30", "--layout", "wide"]
    assert main([*base, "--out", str(everything)]) == 0
    assert main([*base, "--out", str(pictured), "--only-with-picture"]) == 0

    def without_picture(rows: list[dict[str, str]]) -> int:
        return sum(1 for r in rows for k in range(1, 31) if r[f"product_{k}_id"] and not r[f"product_{k}_image"])

    assert without_picture(_rows(everything)) > 0  # Silver Needle is recommended to someone...
    assert without_picture(_rows(pictured)) == 0  # ...and never when e-mail tools would skip it
    assert len(_rows(pictured)) == len(_rows(everything))  # every customer still gets a row


def test_pictures_only_in_a_shop_without_pictures_is_one_sentence(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    shop, out = tmp_path / "films.lrec", tmp_path / "mail.csv"
    movielens = Path(__file__).parents[1] / "fixtures" / "movielens"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(movielens / "movies.csv"),
                 "--interactions", str(movielens / "ratings.csv")]) == 0
    capsys.readouterr()
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(out), "--only-with-picture"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No product of this shop has a picture yet" in err and not out.exists()


def test_woocommerce_images_first_url_and_permalink(tmp_path: Path) -> None:
    shop = tmp_path / "honey.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(REAL / "woocommerce_products.csv"),
                 "--interactions", str(REAL / "woocommerce_orders.csv")]) == 0
    conn = sqlite3.connect(shop)
    media = {r[0]: r[1:] for r in conn.execute("SELECT item_id, image_url, product_url, price FROM items")}
    assert media["HNY-500"] == ("https://honey.example.com/wp-content/uploads/hny-500.jpg",
                                "https://honey.example.com/product/hny-500/", 8.9)
    assert media["DIP-01"][0] == ""
    out = tmp_path / "wide.csv"
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(out), "--top", "2", "--layout", "wide"]) == 0
    row = next(r for r in _rows(out) if r["product_1_id"])
    assert row["product_1_url"] == media[row["product_1_id"]][1] and row["product_1_url"].startswith("https://")


def test_a_version_6_shop_gains_picture_link_and_campaign_tables(tea: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.lrec"
    conn = sqlite3.connect(old)
    src = sqlite3.connect(tea)
    src.backup(conn)
    src.close()
    for table in ("campaign_members", "campaigns", "watched_files"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE items DROP COLUMN image_url")
    conn.execute("ALTER TABLE items DROP COLUMN product_url")
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()
    db = store.connect(old)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # 7 then, and on through the later ones
    assert {"campaigns", "campaign_members", "watched_files"} <= set(db.table_names())
    assert db.execute("SELECT count(*) FROM items WHERE image_url = '' AND product_url = ''").fetchone()[0] > 0
    db.close()
    assert (tmp_path / "old.lrec.v6.bak").exists()
