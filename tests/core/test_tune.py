"""Hold-out splits inside a purchase matrix, and choosing the recency half-life on a shop's own history."""

from __future__ import annotations

import numpy as np

from lrec_desktop.core.cf.data import build_purchases
from lrec_desktop.core.evaluate.split import holdout_matrix
from lrec_desktop.core.recommend.model import fit_weights
from lrec_desktop.core.recommend.tune import HALF_LIVES, tune_half_life
from lrec_desktop.core.vocab import Vocabulary


def drifting_shop(seed: int = 0, shuffle_time: bool = False):
    """Customers whose taste moves from one product family to another: the latest purchases say what is next.

    20 families of 40 products; each customer buys 8 products of an old family, then 10 of a new one, and
    the hold-out is the latest of the new ones. With ``shuffle_time`` the times carry no signal.
    """
    rng = np.random.default_rng(seed)
    rows, cols, times = [], [], []
    n_customers, families, size = 300, 20, 40
    for customer in range(n_customers):
        old, new = rng.choice(families, 2, replace=False)
        picks = [old * size + k for k in rng.choice(size, 8, replace=False)]
        picks += [new * size + k for k in rng.choice(size, 10, replace=False)]
        stamps = np.arange(len(picks), dtype=np.float64) + 1000.0 * customer
        if shuffle_time:
            rng.shuffle(stamps)
        rows += [customer] * len(picks)
        cols += picks
        times += list(stamps)
    return build_purchases(Vocabulary(f"C{c}" for c in range(n_customers)),
                           Vocabulary(f"P{p:04d}" for p in range(families * size)),
                           np.array(rows), np.array(cols), np.array(times))


def test_holdout_keeps_each_customers_latest_fifth() -> None:
    purchases = drifting_shop()
    split = holdout_matrix(purchases)
    assert split.train.X.nnz + sum(len(t) for t in split.targets.values()) == purchases.X.nnz
    for row, held in split.targets.items():
        a, b = purchases.X.indptr[row], purchases.X.indptr[row + 1]
        ts = dict(zip(purchases.X.indices[a:b], purchases.ts[a:b], strict=True))
        kept = split.train.X.indices[split.train.X.indptr[row] : split.train.X.indptr[row + 1]]
        train_times = [ts[j] for j in kept]
        assert min(ts[j] for j in held) > max(train_times)
        assert len(held) == 4  # ranks 15..18 of 18 are above 0.8


def test_recency_is_chosen_when_time_matters_and_not_when_it_is_noise() -> None:
    def fit(train):
        return fit_weights(train, lam=20.0)[1]

    chosen, results = tune_half_life(drifting_shop(), fit)
    assert set(results) == set(HALF_LIVES)
    assert chosen > 0 and results[chosen] > results[0.0]
    noise, results = tune_half_life(drifting_shop(shuffle_time=True), fit)
    assert results[noise] >= max(results.values()) - 1e-4
