"""Choosing a shop's own settings on its own history: fit on each customer's earlier purchases, pick what
best predicts their latest ones. Costs one extra fit when recommendations are prepared."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.cf.data import RECENCY_HALF_LIFE, PurchaseMatrix
from lrec_desktop.core.cf.ease_text import TextCF
from lrec_desktop.core.evaluate.split import Split, holdout_matrix

log = logging.getLogger(__name__)

HALF_LIVES = (0.0, 5.0, 10.0, 20.0, 40.0)
MIN_CUSTOMERS = 30  # below this many customers with held-out purchases, a choice would be noise
# Above this many, a seeded sample decides: the recall of 5 candidates separates long before 100,000
# customers, and scoring all of them at 200,000 products took over 15 minutes of a 2-core machine.
MAX_CUSTOMERS = 5000
K = 20


def recall_of(split: Split, score: Callable[[sp.csr_matrix], np.ndarray], X: sp.csr_matrix,
              batch: int | None = None, rows: np.ndarray | None = None) -> float:
    """Mean recall@K over the split's customers (or ``rows`` of them), excluding what each bought in the
    train part. Scores are dense, so a batch holds at most ~25M of them."""
    if rows is None:
        rows = np.fromiter(split.targets, dtype=np.int64, count=len(split.targets))
    batch = batch or max(16, min(512, 25_000_000 // max(X.shape[1], 1)))
    total = 0.0
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        scores = score(X[chunk])
        train = split.train.X[chunk]
        scores[train.nonzero()] = -np.inf
        k = min(K, scores.shape[1] - 1)
        if k < 1:
            return 0.0
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        for n, row in enumerate(chunk):
            target = split.targets[int(row)]
            total += np.isin(top[n], target).sum() / min(len(target), K)
    return total / max(len(rows), 1)


@dataclass
class InnerFit:
    """The shop's own hold-out and the co-purchase weights fitted on its earlier part: the half-life is chosen
    on it, and the learned ranker trains on it (one fit serves both)."""

    split: Split
    weights: sp.csr_matrix
    text_cf: TextCF | None = None  # of the same fit, when it had text vectors


def inner_fit(purchases: PurchaseMatrix, fit: Callable[[PurchaseMatrix], sp.csr_matrix]) -> InnerFit:
    split = holdout_matrix(purchases)
    return InnerFit(split, fit(split.train))


def tune_half_life(purchases: PurchaseMatrix, fit: Callable[[PurchaseMatrix], sp.csr_matrix],
                   candidates: Sequence[float] = HALF_LIVES,
                   inner: InnerFit | None = None) -> tuple[float, dict[float, float]]:
    """The recency half-life (0 = equal weights) that best predicts customers' latest purchases."""
    split = inner.split if inner is not None else holdout_matrix(purchases)
    if len(split.targets) < MIN_CUSTOMERS:
        return RECENCY_HALF_LIFE, {}
    rows = np.fromiter(split.targets, dtype=np.int64, count=len(split.targets))
    if len(rows) > MAX_CUSTOMERS:
        rows = np.sort(np.random.default_rng(0).choice(rows, MAX_CUSTOMERS, replace=False))
    W = inner.weights if inner is not None else fit(split.train)
    results = {hl: recall_of(split, lambda x: np.asarray((x @ W).todense()), split.train.recent(hl), rows=rows)
               for hl in candidates}
    best = max(results, key=lambda hl: (round(results[hl], 4), hl == RECENCY_HALF_LIFE))
    log.info("recency half-life %s chosen from %s", best, results)
    return best, results
