"""Trending and new arrivals (core.recommend.lists) on order lines with real dates imported through the real CLI:
counted back from the shop's latest sale, till receipts included, growth over volume, the rules applied."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.recommend.lists import new_arrivals, trending
from lrec_desktop.core.recommend.service import Recommender

LAST = dt.datetime(2011, 12, 9, 12, 0)  # Online Retail's last day


def _write(folder: Path) -> Path:
    lines = []
    number = 540000

    def sale(item: str, days_ago: float, customer: str = "") -> None:
        nonlocal number
        number += 1
        when = LAST - dt.timedelta(days=days_ago)
        lines.append([str(number), item, f"Product {item}", 1, when.strftime("%m/%d/%Y %H:%M"), "1.25", customer])

    for week in range(16):  # the bestseller: 10 a week, steadily, for 16 weeks
        for k in range(10):
            sale("STEADY", week * 7 + k * 0.5, f"{12000 + k}")
    for week in range(4, 16, 4):  # the riser: 1 a month, then 9 in the last 4 weeks, mostly on till receipts
        sale("RISER", week * 7 + 1, "12001")
    for k in range(9):
        sale("RISER", k * 3, "" if k % 3 else "12002")
    for k in range(6):  # sold out, rising as fast: never listed while out of stock is hidden
        sale("SOLDOUT", k * 2, "12003")
    for k in range(4):  # first sold ten days ago
        sale("FRESH", 10 - k, "12004")
    for k in range(3):
        sale("OLDIE", 200 + k, "12005")  # long ago only
    orders = folder / "orders.csv"
    with orders.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"])
        w.writerows(lines)
    catalog = folder / "catalog.csv"
    with catalog.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["StockCode", "Description", "Stock"])
        for item in ("STEADY", "RISER", "SOLDOUT", "FRESH", "OLDIE", "UNSOLD"):
            w.writerow([item, f"Product {item}", 0 if item == "SOLDOUT" else 10])
    shop = folder / "shop.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(catalog), "--interactions", str(orders)]) == 0
    return shop


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return _write(tmp_path)


def test_trending_is_growth_counted_back_from_the_latest_sale(shop: Path) -> None:
    recs = trending(Recommender.load(shop), 5)
    ids = [r.item_id for r in recs]
    assert ids[0] == "RISER"  # 9 where about 1 was expected beats the bestseller's steady 40
    assert "STEADY" not in ids and "OLDIE" not in ids
    assert "SOLDOUT" not in ids  # out of stock, hidden by the shop's rules
    assert recs[0].reason == "Selling well lately: 9 sold in the 4 weeks to 2011-12-09, about 1 in 4 weeks before"


def test_new_arrivals_first_sold_lately_then_not_sold_yet(shop: Path) -> None:
    recs = new_arrivals(Recommender.load(shop), 5)
    assert [r.item_id for r in recs][:2] == ["FRESH", "UNSOLD"]
    assert recs[0].reason == "New: first sold on 2011-11-29, 4 sold since"
    assert recs[1].reason == "New in the catalog, not sold yet"
    assert not {"STEADY", "OLDIE", "SOLDOUT"} & {r.item_id for r in recs}


def test_the_cli_lists(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--quiet", "lists", "--db", str(shop), "--trending", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["item_id"] == "RISER"
    assert main(["--quiet", "lists", "--db", str(shop), "--new-arrivals", "--days", "5", "--json"]) == 0
    assert "FRESH" not in {r["item_id"] for r in json.loads(capsys.readouterr().out)}  # 10 days is not new at 5
    assert main(["--quiet", "lists", "--db", str(shop)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_list_is_exported_as_csv_and_never_over_the_shop(shop: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "trending.csv"
    assert main(["--quiet", "lists", "--db", str(shop), "--trending", "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0] == {"rank": "1", "item_id": "RISER", "title": "Product RISER",
                       "reason": "Selling well lately: 9 sold in the 4 weeks to 2011-12-09, about 1 in 4 weeks before"}
    from tests.core.conftest import content_hash

    before = content_hash(shop)
    capsys.readouterr()
    assert main(["--quiet", "lists", "--db", str(shop), "--new-arrivals", "--out", str(shop)]) == 2
    assert "never replaces a shop" in capsys.readouterr().err and content_hash(shop) == before
