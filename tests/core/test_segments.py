"""Segments for campaigns (issue 21, item 7) on the tea shop's real Shopify exports: each segment checked against
the orders themselves, segments combined, and bad segment input refused in one sentence with exit 2."""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.segments import categories, choose_customers, parse_segment
from lrec_desktop.core.store import db as store

REAL = Path(__file__).parents[1] / "fixtures" / "real"
DAY = 86_400


@pytest.fixture(scope="module")
def tea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shop = tmp_path_factory.mktemp("tea") / "tea.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(REAL / "tea_shopify_products.csv"),
                 "--interactions", str(REAL / "tea_shopify_orders.csv")]) == 0
    return shop


def _orders(shop: Path) -> dict[str, list[tuple[str, int, str]]]:
    conn = sqlite3.connect(shop)
    found = defaultdict(list)
    for c, order, ts, category in conn.execute(
            "SELECT x.customer_id, x.order_id, x.ts, i.category FROM interactions x JOIN items i USING (item_id) "
            "WHERE x.event = 'purchase' AND x.customer_id IS NOT NULL AND i.non_product = ''"):
        found[c].append((order, ts, category))
    return found


def test_each_segment_matches_the_orders(tea: Path) -> None:
    orders = _orders(tea)
    latest = max(ts for lines in orders.values() for _o, ts, _c in lines)
    db = store.connect(tea, readonly=True)
    try:
        def members(*specs: str) -> set[str]:
            return set(choose_customers(db, list(specs)).customers)

        once = {c for c, lines in orders.items() if len({o for o, _t, _c in lines}) == 1}
        assert members("first-time") == once
        assert members("repeat") == set(orders) - once and members("repeat")
        recent = {c for c, lines in orders.items() if max(t for _o, t, _c in lines) > latest - 60 * DAY}
        assert members("recent:60") == recent and 0 < len(recent) < len(orders)
        assert members("lapsed:60") == set(orders) - recent
        assert members("category:green tea") == {c for c, lines in orders.items()
                                                 if any(cat == "Green tea" for _o, _t, cat in lines)}
        assert members("product:Matcha") == members("product:MATCHA-50")  # a name, or a size, stands for it
        assert members("lapsed:60", "category:Oolong") == (set(orders) - recent) & members("category:Oolong")
        top = members("big-spenders:10")
        assert len(top) == 4  # 10% of the 40 customers with purchases
        assert "Green tea" in categories(db)
    finally:
        db.close()


@pytest.mark.parametrize(("spec", "words"), [
    ("lapsed", "needs a whole number of days"),
    ("lapsed:abc", "needs a whole number of days"),
    ("big-spenders:0", "from 1 to 100"),
    ("vip", "Unknown segment 'vip'"),
    ("category:", "needs a category"),
    ("first-time:3", "takes no value"),
])
def test_bad_segments_are_one_sentence(spec: str, words: str) -> None:
    with pytest.raises(UserError, match=words):
        parse_segment(spec)


def test_cli_segment_export_and_bad_input(tea: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lapsed.csv"
    assert main(["--quiet", "export", "--db", str(tea), "--out", str(out), "--segment", "lapsed:60",
                 "--segment", "category:Oolong", "--top", "2"]) == 0
    said = capsys.readouterr().out
    assert "no order in the last 60 days and bought from the category Oolong" in said
    db = store.connect(tea, readonly=True)
    try:
        wanted = set(choose_customers(db, ["lapsed:60", "category:Oolong"]).customers)
    finally:
        db.close()
    with out.open(encoding="utf-8") as f:
        assert {r["customer_id"] for r in csv.DictReader(f)} == wanted
    for bad in ("lapsed:x", "category:Coffee", "product:NOPE"):
        target = tmp_path / "bad.csv"
        assert main(["--quiet", "export", "--db", str(tea), "--out", str(target), "--segment", bad]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and bad.split(":")[0] in err and not target.exists()


def test_preview_prints_the_first_rows_and_writes_nothing(tea: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never.csv"
    assert main(["--quiet", "export", "--db", str(tea), "--out", str(out), "--segment", "repeat", "--top", "2",
                 "--layout", "wide", "--preview", "3"]) == 0
    said = capsys.readouterr()
    rows = list(csv.reader(said.out.splitlines()))
    assert rows[0][:5] == ["customer_id", "email", "name", "product_1_title", "product_1_id"] and len(rows) == 4
    db = store.connect(tea, readonly=True)
    try:
        repeat = choose_customers(db, ["repeat"]).customers
    finally:
        db.close()
    assert [r[0] for r in rows[1:]] == repeat[:3]
    assert f"({len(repeat)} customers: bought more than once; nothing written)" in said.err and not out.exists()
