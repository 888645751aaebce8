"""The evaluate job: fit on the past, rank for each customer, score against what they bought next."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.evaluate.metrics import coverage, gini, ndcg_at_k, recall_at_k
from lrec_desktop.core.evaluate.split import HOLDOUT_SHARE, Split, temporal_split
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.products import not_product_ids, variant_row_ids
from lrec_desktop.core.rank.job import fit_side, text_key
from lrec_desktop.core.rank.sources.baskets import order_lines
from lrec_desktop.core.recommend.blend import BlendConfig
from lrec_desktop.core.recommend.catalog import CatalogInfo
from lrec_desktop.core.recommend.model import fit_purchases, fit_weights
from lrec_desktop.core.recommend.rules import Rules
from lrec_desktop.core.recommend.service import Recommender, blend_config
from lrec_desktop.core.recommend.text_side import TextSide, fit_vectors
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import DISCOVERY, EASE_LAMBDA
from lrec_desktop.core.text.vector_store import active_text_model

log = logging.getLogger(__name__)


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
    mode: str
    discovery: float
    model_version: str
    seconds: float
    holdout_share: float = HOLDOUT_SHARE  # each customer's latest share of purchases held out

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def long_tail_recall(self) -> float:
        """Share of held-out purchases of rarely sold and new products that were recommended, each purchase
        counted once (a sum of the two recalls would weigh the few new-product purchases far more)."""
        targets = self.tail_targets + self.cold_targets
        hits = self.tail_recall * self.tail_targets + self.cold_recall * self.cold_targets
        return hits / targets if targets else 0.0


MODES = ("hybrid", "sales", "text")


def model_version(text_model: dict | None) -> str:
    """A label for what produced the figures: the text model (and, once fine-tuned, its version)."""
    if not text_model:
        return "sales only"
    return f"{text_model.get('name') or 'text model'} ({text_model.get('fingerprint', '')[:8]})"


def save_evaluation(db_path: Path, result: Evaluation) -> None:
    db = store.connect(db_path)
    try:
        db.execute(
            """INSERT INTO evaluations(run_at, model_version, mode, discovery, k, figures)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [int(time.time()), result.model_version, result.mode, result.discovery, result.k,
             json.dumps(result.as_dict())],
        )
    finally:
        db.close()


def evaluation_history(db_path: Path) -> list[dict]:
    """Every stored evaluation, oldest first, each with its run time."""
    db = store.connect(db_path)
    try:
        rows = db.execute("SELECT run_at, figures FROM evaluations ORDER BY evaluation_id").fetchall()
    finally:
        db.close()
    return [{"run_at": run_at, **json.loads(figures)} for run_at, figures in rows]


def evaluate(
    db_path: Path, *, k: int = 20, mode: str = "hybrid", config: BlendConfig | None = None,
    discovery: float | None = None, save: bool = True, text_model: dict | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Evaluation:
    """Fit on each customer's earlier purchases and score the top ``k`` against their latest ones.

    ``mode``: "hybrid" (what the shop gets), "sales" (collaborative filtering alone) or "text" (the text
    model alone), so each part can be measured on its own. ``text_model`` evaluates another text model
    version than the active one (its index must exist); ``config`` defaults to that model's blend.
    """
    result = evaluate_configs(db_path, [config], k=k, mode=mode, discovery=discovery, text_model=text_model,
                              learned=config is None,
                              progress=progress, cancel=cancel)[0]
    if save and store.writable(db_path):
        save_evaluation(Path(db_path), result)
    elif save:  # the figures are still worth showing; only keeping them needs a shop that can be written
        log.warning("%s can't be changed, so these figures are not kept with the shop's earlier ones", db_path)
    return result


def evaluate_configs(
    db_path: Path, configs: Sequence[BlendConfig | None], *, k: int = 20, mode: str = "hybrid",
    discovery: float | None = None, text_model: dict | None = None, progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None, learned: bool = True,
) -> list[Evaluation]:
    """``evaluate`` for several blends (None = the text model's own) on one fit of the earlier purchases.
    ``learned``: rank with the learned ranking when the history allows one (what the shop gets), or with
    the blend alone (False: what the blend's own settings are compared on)."""
    if mode not in MODES:
        raise UserError(f"Unknown evaluation mode '{mode}': choose {', '.join(MODES)}.")
    cancel = cancel or CancelToken()
    started = time.monotonic()
    db = store.connect(db_path)
    try:
        progress(0.05, "Holding out each customer's latest purchases")
        split = temporal_split(db)
        cancel.raise_if_cancelled()
        progress(0.2, "Learning from the earlier purchases")
        text_model = text_model or active_text_model(db)
        text = (TextSide.load(Path(db_path), split.train.items, text_model.get("dir"), text_model.get("fingerprint"))
                if text_model and mode != "sales" else None)
        if mode != "sales" and text is None:
            raise UserError("The text model has not read the product descriptions yet: run 'lrec-desktop embed'.")
        vectors = fit_vectors(text, text_key(text_model, text)) if text is not None and mode == "hybrid" else None
        lam = EASE_LAMBDA.read(db)
        model = fit_purchases(split.train, lam=lam, cancel=cancel, text=vectors)
        if discovery is None:
            discovery = DISCOVERY.read(db)
        catalog = CatalogInfo.load(db, model.items, model.popularity)
        # Never the owner's exclusions or pins (recsys_bench scores against every product), but never what is not
        # a product either (postage, gift cards) nor a second size of one: the shop never shows those.
        structural = Rules(not_products=not_product_ids(db), variants=variant_row_ids(db))
        # The shop's orders less the purchases held out here: the same-basket source may not know them.
        lines = order_lines(db, model.items, split.train.customers)
        lines = lines.without(split.targets, len(model.items)) if lines is not None else None
    finally:
        db.close()
    if mode == "text":
        model.weights = sp.csr_matrix(model.weights.shape, dtype=np.float32)
    cancel.raise_if_cancelled()
    # The held-out purchases are scored against every product, in stock or not, as recsys_bench does.
    catalog.in_stock[:] = True
    side = None
    if mode != "text" and learned:
        # The same learned ranking the shop gets, trained the same way on the earlier purchases' own hold-out.
        progress(0.25, "Learning the ranking from the earlier purchases")
        side = fit_side(split.train, model.weights, model.neighbours, model.config.recency_half_life, catalog,
                        text, model.inner, lambda train: fit_weights(train, lam, cancel)[1], lines=lines,
                        text_fingerprint=text_key(text_model, text), text_cf=model.text_cf, lam=lam, cancel=cancel)
    fitted = time.monotonic() - started
    results = []
    for n, config in enumerate(configs):
        config = BlendConfig(text_weight=1.0, gate_buyers=1e12) if mode == "text" else (
            config or blend_config(text_model))
        rec = Recommender(Path(db_path), model, catalog, text, config, rules=structural, discovery=discovery,
                          ranking=side)
        began = time.monotonic()
        scored = _score(rec, split, k, sub_progress(progress, 0.3 + 0.7 * n / len(configs),
                                                    0.3 + 0.7 * (n + 1) / len(configs)), cancel)
        results.append(Evaluation(
            k=k, mode=mode, discovery=discovery, model_version=model_version(text_model),
            algorithm=model.config.algorithm + (" + learned ranking" if side is not None else ""),
            seconds=round(fitted + time.monotonic() - began, 1), **scored))
    progress(1.0, "Evaluation done")
    return results


def _score(rec: Recommender, split: Split, k: int, progress: ProgressFn, cancel: CancelToken) -> dict:
    model, catalog = rec.model, rec.catalog
    rows = np.fromiter(split.targets.keys(), dtype=np.int64, count=len(split.targets))
    X = split.train.X
    seen = [X.indices[X.indptr[r] : X.indptr[r + 1]] for r in rows]
    head, cold = catalog.is_head, model.popularity <= 0
    exposure = np.zeros(len(model.items))
    recall = ndcg = tail_share = 0.0
    tail_hit = tail_all = cold_hit = cold_all = 0
    last = split.train.last_times(rows)
    for n, recs in enumerate(rec.recommend_many(split.train.recent(rec.half_life)[rows], seen, k, last_ts=last)):
        if n % 256 == 0:
            cancel.raise_if_cancelled()
            progress(n / max(len(rows), 1), "Scoring")
        ranked = [model.items.known(r.item_id) for r in recs]
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
    return {
        "customers": len(rows), "recall": recall / users, "ndcg": ndcg / users,
        "tail_recall": tail_hit / max(tail_all, 1), "cold_recall": cold_hit / max(cold_all, 1),
        "coverage": coverage(exposure), "gini": gini(exposure), "tail_share": tail_share / users,
        "tail_targets": tail_all, "cold_targets": cold_all,
    }
