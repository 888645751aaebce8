"""The evaluate job: fit on the past, rank for each customer, score against what they bought next."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from lrec_desktop.core.evaluate.metrics import coverage, gini, ndcg_at_k, recall_at_k
from lrec_desktop.core.evaluate.split import temporal_split
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.recommend.catalog import CatalogInfo
from lrec_desktop.core.recommend.model import fit_purchases
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store


@dataclass(frozen=True)
class Evaluation:
    k: int
    customers: int
    recall: float
    ndcg: float
    tail_recall: float
    cold_recall: float
    coverage: float
    gini: float
    tail_share: float  # share of recommended slots that go to products outside the head
    tail_targets: int
    cold_targets: int
    algorithm: str
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


def evaluate(
    db_path: Path, *, k: int = 20, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> Evaluation:
    cancel = cancel or CancelToken()
    started = time.monotonic()
    db = store.connect(db_path)
    try:
        progress(0.05, "Holding out each customer's latest purchases")
        split = temporal_split(db)
        cancel.raise_if_cancelled()
        progress(0.2, "Learning from the earlier purchases")
        model = fit_purchases(split.train, lam=float(store.get_setting(db, "ease_lambda", 200.0)))
        catalog = CatalogInfo.load(db, model.items, model.popularity)
    finally:
        db.close()
    cancel.raise_if_cancelled()
    # The held-out purchases are scored against every product, in stock or not, as recsys_bench does.
    catalog.in_stock[:] = True
    rec = Recommender(Path(db_path), model, catalog)
    rows = np.fromiter(split.targets.keys(), dtype=np.int64, count=len(split.targets))
    X = split.train.X
    seen = [X.indices[X.indptr[r] : X.indptr[r + 1]] for r in rows]
    head, cold = catalog.is_head, model.popularity <= 0
    exposure = np.zeros(len(model.items))
    recall = ndcg = tail_share = 0.0
    tail_hit = tail_all = cold_hit = cold_all = 0
    for n, recs in enumerate(rec.recommend_many(split.train.recent[rows], seen, k)):
        if n % 256 == 0:
            cancel.raise_if_cancelled()
            progress(0.3 + 0.7 * n / max(len(rows), 1), "Scoring")
        ranked = [model.items.index(r.item_id) for r in recs]
        targets = split.targets[int(rows[n])]
        relevant = set(targets.tolist())
        exposure[ranked] += 1
        recall += recall_at_k(ranked, relevant, k)
        ndcg += ndcg_at_k(ranked, relevant, k)
        tail_share += float(np.mean(~head[ranked])) if ranked else 0.0
        top = set(ranked)
        for j in targets:
            if cold[j]:
                cold_all += 1
                cold_hit += j in top
            elif not head[j]:
                tail_all += 1
                tail_hit += j in top
    users = max(len(rows), 1)
    progress(1.0, "Evaluation done")
    return Evaluation(
        k=k, customers=len(rows), recall=recall / users, ndcg=ndcg / users,
        tail_recall=tail_hit / max(tail_all, 1), cold_recall=cold_hit / max(cold_all, 1),
        coverage=coverage(exposure), gini=gini(exposure), tail_share=tail_share / users,
        tail_targets=tail_all, cold_targets=cold_all, algorithm=model.config.algorithm,
        seconds=round(time.monotonic() - started, 1),
    )
