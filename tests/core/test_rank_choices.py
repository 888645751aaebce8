"""What the learned ranking chooses per shop on its own hold-out (the default's meaning, the same-basket source),
and that candidates from sparse scores get the features dense scores gave."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from lrec_desktop.core.rank import features as feats
from lrec_desktop.core.rank import saved
from lrec_desktop.core.rank.calibrate import ACCURACY_BUDGET, POSITIONS, choose, point, slider_position
from lrec_desktop.core.rank.sources.base import ColumnBlock
from lrec_desktop.core.rank.sources.baskets import OrderLines, basket_weights
from lrec_desktop.core.recommend.discovery import DEFAULT_DISCOVERY
from lrec_desktop.core.recommend.model import prepare
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store
from tests.core.shopdb import CATEGORIES, taste_catalog, write_shop


def test_the_slider_keeps_its_ends_and_its_default_means_the_shops_choice() -> None:
    for chosen in (0.0, 0.25, 0.55, 1.0):
        at = [slider_position(d, DEFAULT_DISCOVERY, chosen) for d in np.linspace(0, 1, 41)]
        assert at[0] == 0.0 and at[-1] == pytest.approx(1.0)
        assert slider_position(DEFAULT_DISCOVERY, DEFAULT_DISCOVERY, chosen) == pytest.approx(chosen)
        assert (np.diff(at) >= 0).all()  # more on the slider, never less discovery


def _curve(recall: np.ndarray, tail: np.ndarray) -> list[dict]:
    return [{"recall": float(r), "tail_recall": float(t)} for r, t in zip(recall, tail, strict=True)]


def test_the_default_is_the_most_discovery_within_the_accuracy_budget() -> None:
    p = np.asarray(POSITIONS)
    # Recall flat up to 0.5, then falling by 0.5 per unit; 5% of 0.30 is lost at 0.53: the default stays at 0.5
    # (0.55's smoothed recall is below the budget).
    recall = np.where(p <= 0.5, 0.30, 0.30 - 0.5 * (p - 0.5))
    tail = 0.02 + 0.08 * p
    assert choose(_curve(recall, tail)) == pytest.approx(0.5)
    assert (1 - ACCURACY_BUDGET) * 0.30 > 0.30 - 0.5 * 0.05
    # A jumpy curve: one lucky position far out (0.8) is not reached, the positions before it are below budget.
    lucky = recall.copy()
    lucky[POSITIONS.index(0.8)] = 0.31
    assert choose(_curve(lucky, tail)) == pytest.approx(0.5)
    # A shop where discovery costs nothing: the most of it.
    assert choose(_curve(np.full(len(p), 0.3), 0.02 + 0.1 * p)) == pytest.approx(1.0)
    # One where it only costs sales: within the budget, the position with the most rarely sold recall.
    assert choose(_curve(0.3 - 0.2 * p, np.full(len(p), 0.02))) == pytest.approx(0.0)
    # Steadily falling recall, rising rarely sold recall: the last position that keeps 95% of the best.
    falling = 0.30 - 0.1 * p
    chosen = choose(_curve(falling, 0.02 + 0.1 * p))
    assert 0.30 - 0.1 * chosen >= (1 - ACCURACY_BUDGET) * 0.30 - 1e-9
    assert 0.30 - 0.1 * (chosen + 0.05) < (1 - ACCURACY_BUDGET) * 0.30


def _customers_curve(recall: np.ndarray, tail: np.ndarray, spread: float, customers: int) -> list[dict]:
    """A curve whose every position's per-customer recalls scatter by ``spread`` around its mean, each customer's
    noise independent from position to position (lists that swap products)."""
    rng = np.random.default_rng(3)
    noise = rng.normal(0.0, spread, (len(recall), customers))
    noise -= noise.mean(axis=1, keepdims=True)  # the means stay exactly ``recall``
    return [{"recall": float(r), "tail_recall": float(t), "per_customer": r + e}
            for r, t, e in zip(recall, tail, noise, strict=True)]


def test_the_default_spends_the_budget_only_where_the_customers_make_it_sure() -> None:
    p = np.asarray(POSITIONS)
    falling = 0.30 - 0.1 * p  # 5% of 0.30 is lost at 0.15
    tail = 0.02 + 0.1 * p
    on_means = choose(_curve(falling, tail))
    # Thousands of customers, a small spread: the bound is as tight as the mean, the same default.
    assert choose(_customers_curve(falling, tail, 0.02, 4000)) == pytest.approx(on_means)
    # A few hundred customers whose recall swings widely between positions: the promise of 95% holds only
    # nearer the best, so the default gives up less.
    unsure = choose(_customers_curve(falling, tail, 0.3, 300))
    assert unsure < on_means
    assert 0.30 - 0.1 * unsure > (1 - ACCURACY_BUDGET) * 0.30
    # Flat recall, a moderate spread: discovery surely costs nothing, the most of it.
    assert choose(_customers_curve(np.full(len(p), 0.3), tail, 0.05, 300)) == pytest.approx(1.0)


def test_a_point_carries_each_customers_recall_for_the_bound() -> None:
    from lrec_desktop.core.rank.calibrate import Held

    held = Held([np.arange(5), np.arange(5)], [np.array([1, 7]), np.array([9])],
                [np.array([1, 2]), np.array([3])], np.zeros(10, dtype=bool))
    got = point([np.array([1, 2, 3]), np.array([0, 4])], held)
    assert got["per_customer"].tolist() == [0.5, 0.0]
    assert got["recall"] == pytest.approx(0.25)


def test_training_sees_no_basket_that_only_held_out_purchases_make() -> None:
    # Orders 0 and 1 both hold products 1 and 2: two shared orders, the pair's support. Customer 1's product 2
    # is held out: without it the pair has one shared order, too few to count.
    lines = OrderLines(order=np.array([0, 0, 1, 1, 2]), customer=np.array([0, 0, 1, 1, 2]),
                       item=np.array([1, 2, 1, 2, 3]), anonymous=np.zeros(3, dtype=bool))
    full = basket_weights(lines, 4)
    assert full[1, 2] > 0 and full[2, 1] > 0
    inner = basket_weights(lines.without({1: np.array([2])}, 4), 4)
    assert inner.nnz == 0
    assert len(lines.without({1: np.array([2])}, 4).item) == 4


def basket_shop(path: Path, customers: int = 320, seed: int = 11) -> Path:
    """The taste shop's buying, with order numbers: each product has a partner (its neighbour in the
    category) that most orders of it also hold, whichever sells more on its own."""
    rng = np.random.default_rng(seed)
    items, by_category, weights = taste_catalog()
    sales, orders = [], []
    for n in range(customers):
        favourites = rng.choice(CATEGORIES, 2, replace=False)
        bought: set[str] = set()
        for t in range(int(rng.integers(5, 10))):
            category = favourites[0] if rng.random() < 0.7 else favourites[1]
            k = int(rng.choice(25, p=weights))
            basket = [k] + ([k ^ 1] if k ^ 1 < 25 and rng.random() < 0.8 else [])
            for j in basket:
                item = by_category[category][j]
                if item not in bought:
                    bought.add(item)
                    sales.append((f"C{n:03d}", item, 1_700_000_000 + 86_400 * (t * 7 + n % 7)))
                    orders.append(f"O{n}-{t}")
    write_shop(path, items, sales)
    db = store.connect(path)
    with store.transaction(db) as conn:
        conn.executemany("UPDATE interactions SET order_id = ? WHERE line_key = ?",
                         [(o, f"k{n}") for n, o in enumerate(orders)])
        store.bump_data_version(db)
    db.close()
    return path


def test_a_shop_with_order_numbers_trains_with_and_without_baskets_and_serves_what_it_kept(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    shop = basket_shop(tmp_path / "baskets.lrec")
    with caplog.at_level(logging.INFO, logger="lrec_desktop.core.rank.train"):
        prepare(shop)
    tried = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ranker with sources")]
    assert len(tried) == 2 and "same_basket" not in tried[0] and "same_basket" in tried[1]
    worth = [float(m.rsplit(" ", 1)[1]) for m in tried]
    folder = saved.rank_folder(shop)
    config = json.loads((folder / "ranker.json").read_text())
    # Kept only when the validation customers' lists are better with them; the one without among equals. (On
    # this shop EASE on whole histories already sees most partners, so the two come out within noise.)
    assert ("same_basket" in config["source_names"]) == (worth[1] > worth[0])
    # Serving a ranker that kept them: the associations saved beside it and used as a source.
    from lrec_desktop.core.rank import train

    monkeypatch.setattr(train, "worth", lambda levels: float(levels.boosters[0].members[0].num_feature()))
    shutil.rmtree(folder)  # trained again, the basket option now the better one
    prepare(shop)
    config = json.loads((folder / "ranker.json").read_text())
    assert "same_basket" in config["source_names"]
    assert (folder / saved.BASKETS).exists()
    rec = Recommender.load(shop)
    assert rec.ranking is not None and "same_basket" in rec.ranking.context.source_names
    assert rec.ranking.context.baskets is not None and rec.ranking.context.baskets.nnz > 0
    assert len(rec.recommend("C001", 10)) == 10


def test_a_shop_without_order_numbers_has_no_basket_source(prepared_taste_shop: Path) -> None:
    shop = prepared_taste_shop
    config = json.loads((saved.rank_folder(shop) / "ranker.json").read_text())
    assert "same_basket" not in config["source_names"]
    assert not (saved.rank_folder(shop) / saved.BASKETS).exists()
    assert config["default_position"] in POSITIONS and len(config["calibration"]) == len(POSITIONS)


def _reference(values: np.ndarray, cand: np.ndarray) -> list[np.ndarray]:
    """The per-customer features as dense scores gave them: raw, scaled by the best, rank among candidates."""
    v = values[cand]
    finite = np.isfinite(v)
    top = v[finite].max() if finite.any() else 0.0
    raw = np.where(finite, v, 0.0)
    scaled = np.where(finite, raw / top, 0.0) if top > 0 else np.zeros(len(cand))
    order = np.argsort(-np.where(finite, v, -np.inf), kind="stable")
    ranks = np.empty(len(cand))
    ranks[order] = np.arange(1, len(cand) + 1)
    return [raw, scaled, ranks]


def test_sparse_and_column_block_scores_give_the_features_dense_scores_gave() -> None:
    rng = np.random.default_rng(3)
    n_rows, n_items = 7, 60
    dense = np.where(rng.random((n_rows, n_items)) < 0.3, rng.random((n_rows, n_items)) + 0.01, -np.inf)
    dense = dense.astype(np.float32)
    dense[4] = -np.inf  # a customer this source has nothing for
    sparse = sp.csr_matrix(np.where(np.isfinite(dense), dense, 0.0))
    cols = np.flatnonzero(rng.random(n_items) < 0.5)
    block = ColumnBlock(dense[:, cols].copy(), cols)
    block_dense = np.full_like(dense, -np.inf)
    block_dense[:, cols] = dense[:, cols]
    items = [np.sort(rng.choice(n_items, int(rng.integers(0, 20)), replace=False)) for _ in range(n_rows)]
    columns, evidence = feats._source_columns([dense, sparse, block], items, n_items)
    offsets = np.r_[0, np.cumsum([len(c) for c in items])]
    for row, cand in enumerate(items):
        span = slice(offsets[row], offsets[row + 1])
        expected = _reference(dense[row], cand) * 2 + _reference(block_dense[row], cand)
        for got, want in zip(columns, expected, strict=True):
            np.testing.assert_allclose(got[span], want, rtol=1e-6)
        np.testing.assert_allclose(evidence[span][:, 0], expected[1], rtol=1e-6)
