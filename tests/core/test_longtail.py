"""Discovery slots, business rules, the long-tail report and stored evaluations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.core.evaluate.longtail import BUCKETS, longtail_reports
from lrec_desktop.core.evaluate.run import evaluate, evaluation_history
from lrec_desktop.core.recommend.discovery import discovery_slots, rerank
from lrec_desktop.core.recommend.rules import Rules
from lrec_desktop.core.recommend.service import PINNED_REASON, Recommender
from lrec_desktop.core.store import db as store
from tests.core.shopdb import write_shop


def test_discovery_slots_are_spread_and_bounded() -> None:
    scores = np.linspace(1.0, 0.01, 40)
    long_tail = np.zeros(40, dtype=bool)
    long_tail[30:] = True
    assert rerank(scores, 20, 0.0, long_tail) == list(range(20))
    picks = rerank(scores, 20, 0.2, long_tail)
    assert discovery_slots(20, 0.2) == 2 and len(picks) == 20
    assert [r for r, j in enumerate(picks) if long_tail[j]] == [6, 12]  # 7th and 13th: the top stays the surest
    assert picks[:6] == list(range(6))
    assert sum(long_tail[j] for j in rerank(scores, 20, 1.0, long_tail)) == 10
    blocked = scores.copy()
    blocked[30:] = -np.inf  # nothing in the tail may be shown: the list is filled from the rest
    assert rerank(blocked, 20, 1.0, long_tail) == list(range(20))


def long_tail_shop(path: Path) -> Path:
    """30 products: 5 bestsellers bought by everyone, 20 bought by one or two customers, 5 never sold."""
    rng = np.random.default_rng(1)
    items = [{"item_id": f"P{j:02d}", "title": f"Product {j}", "category": "Gifts" if j % 2 else "Home",
              "price": float(5 + j)} for j in range(30)]
    sales = []
    for c in range(60):
        sales += [(f"C{c:02d}", f"P{j:02d}", 1000 * c + j) for j in range(5) if rng.random() < 0.7]
        sales += [(f"C{c:02d}", f"P{j:02d}", 1000 * c + 50 + int(j)) for j in rng.choice(np.arange(5, 25), 2,
                                                                                          replace=False)]
    return write_shop(path, items, sales)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return long_tail_shop(tmp_path / "tail.lrec")


def test_more_discovery_spreads_exposure_over_the_catalog(shop: Path) -> None:
    low, high = longtail_reports(shop, [0.0, 1.0], k=6)
    assert low.customers == 60 and len(low.sales_curve) == 30
    assert low.sales_curve[0] >= low.sales_curve[-1] and low.never_sold == 5
    assert abs(sum(low.sales_share) - 1) < 1e-6 and abs(sum(high.exposure_share) - 1) < 1e-6
    assert high.tail_share > low.tail_share and high.coverage >= low.coverage
    assert high.gini < low.gini
    assert len(BUCKETS) == len(low.exposure_share)
    assert high.shown_to("P00") >= 0 and high.shown_to("NOPE") == 0


def test_rules_exclude_pin_boost_and_price_band(shop: Path) -> None:
    rec = Recommender.load(shop)
    customer = "C03"
    before = rec.recommend(customer, 8, discovery=0.0)
    rec.set_rules(Rules(exclude_categories=["Gifts"]))
    assert all(int(r.item_id[1:]) % 2 == 0 for r in rec.recommend(customer, 8, discovery=0.0))
    rec.set_rules(Rules(pinned_items=["P29"], max_price=20.0))
    recs = rec.recommend(customer, 8, discovery=0.0)
    assert recs[0].item_id == "P29" and recs[0].reason == PINNED_REASON  # pinned beats the price band
    assert all(float(r.item_id[1:]) + 5 <= 20 for r in recs[1:])
    last = before[-1].item_id
    rec.set_rules(Rules(boosted_items={last: 100.0}))
    assert rec.recommend(customer, 8, discovery=0.0)[0].item_id == last
    db = store.connect(shop)
    Rules(exclude_items=["P00", "P01"]).save(db)
    db.close()
    reloaded = Recommender.load(shop)
    assert {"P00", "P01"}.isdisjoint(r.item_id for c in ("C05", "C06") for r in reloaded.recommend(c, 10))


def test_evaluations_are_stored_per_run(shop: Path) -> None:
    first = evaluate(shop, k=5, mode="sales", discovery=0.0)
    second = evaluate(shop, k=5, mode="sales", discovery=1.0)
    history = evaluation_history(shop)
    assert [h["discovery"] for h in history] == [0.0, 1.0]
    assert history[0]["recall"] == pytest.approx(first.recall) and history[1]["model_version"] == "sales only"
    assert second.tail_share >= first.tail_share
