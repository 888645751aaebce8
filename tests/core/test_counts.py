"""Counts that add up (issue 18, item 4): the import summary, ``stats`` and the long-tail report give the same
figures, and every line read is accounted for once."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.evaluate.longtail import longtail_report
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
from lrec_desktop.core.store.counts import LineCounts
from lrec_desktop.core.store.db import connect
from lrec_desktop.core.store.queries import shop_stats

HEADER = ["Order", "SKU", "Product", "Qty", "Date", "Price", "Customer", "Status"]


def _orders(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _shop_rows() -> list[list[str]]:
    rows = []
    for c in range(10):
        for n in range(3):
            order, day = f"O{c}-{n}", f"2024-0{1 + n}-1{c}"
            rows.append([order, f"T{(c + n) % 6}", f"Tea {(c + n) % 6}", "1", day, "4.50", f"C{c}", "paid"])
            rows.append([order, "POST", "POSTAGE", "1", day, "3.95", f"C{c}", "paid"])
    rows += [["R1", "T1", "Tea 1", "1", "2024-04-01", "4.50", "C1", "refunded"],  # a refunded order
             ["V1", "T2", "Tea 2", "1", "2024-04-02", "4.50", "C2", "voided"],
             ["X1", "T3", "Tea 3", "-1", "2024-04-03", "4.50", "C3", "paid"],  # a return
             ["W1", "SHOP-ONLY", "Walk-in honey", "1", "2024-04-04", "7.00", "", "paid"],  # only walk-ins bought it
             ["W2", "T1", "Tea 1", "2", "2024-04-05", "4.50", "", "paid"],
             ["B1", "T1", "Tea 1", "two", "2024-04-06", "4.50", "C1", "paid"],  # skipped: quantity
             ["B2", "T1", "Tea 1", "1", "", "4.50", "C1", "paid"]]  # skipped: no date
    return rows


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "s.lrec", _orders(tmp_path / "orders.csv", _shop_rows())


def test_every_line_read_is_counted_once_and_the_same_everywhere(shop: tuple[Path, Path], tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db, orders = shop
    summary = run_import(db, ImportRequest(interactions=orders))
    (file,) = summary.files
    expected = LineCounts(read=67, skipped=2, already_there=0, purchases=30, without_customer=2, not_purchases=3,
                          non_product_lines=30)
    assert file.counts == expected and expected.adds_up
    message = summary.message()
    assert "65 order lines imported from orders.csv; 2 skipped." in message
    assert "30 purchases by known customers" in message and "2 sales without a customer" in message
    assert "3 returns, cancellations or refunded orders" in message and "30 postage, fees" in message
    assert "Skipped: no date (1), quantity … is not a number (1)." in message
    # An overlapping export: the lines it shares are counted as already there, and it all still adds up.
    again = _orders(tmp_path / "again.csv", [*_shop_rows()[:10], ["N1", "T5", "Tea 5", "1", "2024-05-01", "4.5",
                                                                  "C9", "paid"]])
    second = run_import(db, ImportRequest(interactions=again)).files[0]
    assert second.counts == LineCounts(read=11, already_there=10, purchases=1)
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["lines_read"], stats["lines_skipped"], stats["lines_already_there"]) == (78, 2, 10)
    assert (stats["sales_lines"], stats["sales_without_customer"], stats["returns"], stats["non_product_lines"]) == (
        33, 2, 3, 30)
    assert stats["lines_read"] == sum(stats[k] for k in ("lines_skipped", "lines_already_there", "sales_lines",
                                                         "returns", "non_product_lines"))
    assert (stats["products"], stats["non_products"], stats["products_never_sold"]) == (7, 1, 0)
    assert main(["stats", "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(
        "78 order lines read: 31 purchases by known customers")


def test_sold_only_without_a_customer_is_not_never_sold(shop: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = shop
    postage_only = ["P1", "POST", "POSTAGE", "1", "2024-04-07", "3.95", "C10", "paid"]  # no product bought
    run_import(db, ImportRequest(interactions=_orders(tmp_path / "all.csv", [*_shop_rows(), postage_only])))
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("SKU,Name,Price\nNEW-1,Lavender honey,8.00\n", encoding="utf-8")
    run_import(db, ImportRequest(items=catalog))
    report = longtail_report(db, k=3)
    # 8 products (postage is none): the walk-in honey sold, so only the new lavender honey is "never sold", here
    # and in stats.
    assert report.head_size + report.rarely_sold + report.never_sold == 8
    assert report.never_sold == 1
    assert "POST" not in report.curve_item_ids and len(report.curve_item_ids) == 8
    stats = connect(db)
    assert (shop_stats(stats).products_never_sold, shop_stats(stats).products) == (1, 8)
    stats.close()
    # The long tail counts the lists of every customer, as the export writes them.
    out = tmp_path / "recs.csv"
    assert main(["--quiet", "export", "--db", str(db), "--out", str(out), "--top", "3"]) == 0
    with out.open(encoding="utf-8") as f:
        exported = {r["customer_id"] for r in csv.DictReader(f)}
    assert report.customers == len(exported) == 11
