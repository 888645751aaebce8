"""Buy again (issue 21, item 6) on real data slices: the tea shop's Shopify orders (customers reorder their teas),
the MovieLens slice (nobody buys a film twice): steady reorders found as the orders show them, the shop's habit
detected, the per-shop setting, and due reorders at the top of recommendations and exports with their reason."""

from __future__ import annotations

import csv
import itertools
import json
import statistics
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.recommend.buy_again import detect, reorders
from lrec_desktop.core.store import db as store

FIXTURES = Path(__file__).parents[1] / "fixtures"
REAL = FIXTURES / "real"


@pytest.fixture
def tea(tmp_path: Path) -> Path:
    shop = tmp_path / "tea.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(REAL / "tea_shopify_products.csv"),
                 "--interactions", str(REAL / "tea_shopify_orders.csv")]) == 0
    return shop


def test_steady_reorders_are_read_off_the_orders(tea: Path) -> None:
    db = store.connect(tea, readonly=True)
    try:
        habit = detect(db)
        found = reorders(db, due_only=False)
        latest = db.execute("SELECT max(ts) FROM interactions WHERE event = 'purchase'").fetchone()[0] // 86_400
        for r in found:
            days = sorted({ts // 86_400 for (ts,) in db.execute(
                "SELECT ts FROM interactions WHERE customer_id = ? AND item_id = ? AND event = 'purchase'",
                [r.customer_id, r.item_id])})
            gaps = [b - a for a, b in itertools.pairwise(days)]
            assert len(days) >= 3 and r.gap_days == statistics.median(gaps)
            assert max(abs(g - r.gap_days) for g in gaps) <= 0.5 * r.gap_days
            assert r.since_days == latest - days[-1]
    finally:
        db.close()
    assert habit.enabled and habit.setting == "auto" and (habit.reorderers, habit.customers) == (18, 38)
    assert len(found) >= 18 and any(r.due for r in found)


def test_due_reorders_lead_recommendations_and_exports(tea: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lists", "--buy-again", "--db", str(tea), "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert due and all(d["reason"].startswith("Usually reordered every ~") and " ago" in d["reason"] for d in due)
    first = due[0]
    assert main(["recommend", "--db", str(tea), "--customer", first["customer_id"], "--top", "6", "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert recs[0]["badges"] == ["buy again"] and recs[0]["reason"] == next(
        d["reason"] for d in due if d["customer_id"] == first["customer_id"])
    out = tmp_path / "long.csv"
    assert main(["--quiet", "export", "--db", str(tea), "--out", str(out), "--top", "6"]) == 0
    with out.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["customer_id"] == first["customer_id"]]
    assert rows[0]["reason"].startswith("Usually reordered every")
    # The owner turns it off for the shop: recommendations are what they were without it.
    assert main(["--quiet", "settings", "--db", str(tea), "--buy-again", "off"]) == 0
    capsys.readouterr()
    assert main(["recommend", "--db", str(tea), "--customer", first["customer_id"], "--top", "6", "--json"]) == 0
    assert all(r["badges"] != ["buy again"] for r in json.loads(capsys.readouterr().out))
    assert main(["lists", "--buy-again", "--db", str(tea)]) == 0
    assert capsys.readouterr().out.startswith("Buy again is off (your choice)")


def test_a_shop_where_nobody_reorders_keeps_it_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = tmp_path / "films.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(FIXTURES / "movielens" / "movies.csv"),
                 "--interactions", str(FIXTURES / "movielens" / "ratings.csv")]) == 0
    capsys.readouterr()
    assert main(["lists", "--buy-again", "--db", str(shop)]) == 0
    said = capsys.readouterr().out
    # MovieLens ratings are no purchases: no customer has three orders, and nothing is due.
    assert said.startswith("Buy again is off, as there is too little history yet to tell") and said.count("\n") == 1
    assert main(["lists", "--buy-again", "--db", str(shop), "--customer", "nobody"]) == 2
    assert "No customer 'nobody'" in capsys.readouterr().err
    assert main(["settings", "--db", str(shop), "--buy-again", "sometimes"]) == 2
