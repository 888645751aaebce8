"""Candidates and their features for a batch of customers: each source's best products, merged, with what
every source thinks of each, how the product sells, and how it fits the customer's own history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.rank.context import ShopContext
from lrec_desktop.core.rank.signals import DAY
from lrec_desktop.core.rank.sources.base import Batch
from lrec_desktop.core.recommend.text_side import profiles

PRODUCT_FEATURES = ["log_buyers", "log_recent", "last_month", "trend", "age_days", "never_sold", "is_head"]
CUSTOMER_FEATURES = ["history", "days_since_last", "category_share", "price_ratio"]
TEXT_FEATURES = ["text_closest", "text_latest"]
CLOSEST_OF = 100  # past purchases compared with each candidate


def feature_names(source_names: Sequence[str]) -> list[str]:
    per_source = [f"{s}_{kind}" for s in source_names for kind in ("score", "scaled", "rank")]
    return per_source + TEXT_FEATURES + PRODUCT_FEATURES + CUSTOMER_FEATURES


@dataclass
class Candidates:
    items: list[np.ndarray]  # per customer, candidate products
    features: np.ndarray  # all candidates of all customers × features, in that order
    source_scores: list[np.ndarray]  # per customer, candidates × sources (scaled; 0 where a source has nothing)

    @property
    def sizes(self) -> np.ndarray:
        return np.array([len(c) for c in self.items], dtype=np.int64)


def _shared_top(values: np.ndarray, take: int, blocked: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A customer-independent source's best ``take`` per customer: one ordering for all, minus what each may not
    see (sorting every customer's copy of the same row cost a quarter of an export)."""
    reach = min(take + max((len(b) for b in blocked), default=0), len(values))
    order = np.argsort(-values, kind="stable")[:reach]
    order = order[np.isfinite(values[order])]
    idx = np.zeros((len(blocked), take), dtype=np.int64)
    ok = np.zeros((len(blocked), take), dtype=bool)
    for row, b in enumerate(blocked):
        keep = order[~np.isin(order, b)][:take]
        idx[row, : len(keep)] = keep
        ok[row, : len(keep)] = True
    return idx, ok


def _candidate_sets(scores: list[np.ndarray], takes: list[int], blocked: Sequence[np.ndarray]) -> list[np.ndarray]:
    n_rows = scores[0].shape[0]
    tops = []
    for s, take in zip(scores, takes, strict=True):
        if not s.flags.writeable:  # a broadcast row: the same scores for every customer
            tops.append(_shared_top(s[0], min(take, s.shape[1]), blocked))
            continue
        for row, b in enumerate(blocked):
            s[row, b] = -np.inf
        take = min(take, s.shape[1] - 1)
        idx = np.argpartition(-s, take, axis=1)[:, :take] if take > 0 else np.zeros((n_rows, 0), dtype=np.int64)
        ok = np.isfinite(np.take_along_axis(s, idx, axis=1))
        tops.append((idx, ok))
    return [np.unique(np.concatenate([idx[row][ok[row]] for idx, ok in tops])) for row in range(n_rows)]


def _ranks(values: np.ndarray) -> np.ndarray:
    """1 for the best among the candidates; -inf (nothing from this source) ranks last."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float32)
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


def build(ctx: ShopContext, batch: Batch, last_ts: np.ndarray, blocked: Sequence[np.ndarray]) -> Candidates:
    """Candidates (never a product in ``blocked[row]``) and their features for each customer of the batch."""
    from threadpoolctl import threadpool_limits

    # Many small products per customer: BLAS threads spinning up for each cost more than they save, and on a
    # loaded 2-core machine far more (300 customers of ml-latest-small: 3.8 s with 2 threads, 2.0 s with 1).
    with threadpool_limits(limits=1, user_api="blas"):
        return _build(ctx, batch, last_ts, blocked)


def _build(ctx: ShopContext, batch: Batch, last_ts: np.ndarray, blocked: Sequence[np.ndarray]) -> Candidates:
    scores = [src.scores(batch) for src in ctx.sources]
    items = _candidate_sets(scores, [src.take for src in ctx.sources], blocked)
    sig, info = ctx.signals, ctx.info
    product = np.column_stack([
        np.log1p(sig.buyers), np.log1p(sig.recent), sig.last_month, sig.trend, sig.age_days,
        (sig.buyers <= 0).astype(np.float32), sig.is_head.astype(np.float32),
    ]).astype(np.float32)
    X = batch.X
    rows, per_source = [], []
    for row, cand in enumerate(items):
        bought = X.indices[X.indptr[row] : X.indptr[row + 1]]
        weights = batch.recent.data[batch.recent.indptr[row] : batch.recent.indptr[row + 1]]
        cols = []
        scaled_all = []
        for s in scores:
            v = s[row, cand]
            finite = np.isfinite(v)
            top = v[finite].max() if finite.any() else 0.0
            raw = np.where(finite, v, 0.0)
            scaled = np.where(finite, raw / top, 0.0) if top > 0 else np.zeros(len(cand))
            cols += [raw, scaled, _ranks(np.where(finite, v, -np.inf))]
            scaled_all.append(scaled)
        per_source.append(np.column_stack(scaled_all).astype(np.float32) if scaled_all else np.zeros((len(cand), 0)))
        cols += _text_features(info.vectors, info.present, bought, weights, cand)
        customer = _customer_features(info.category, info.price, bought, cand, sig.now, last_ts[row])
        rows.append(np.column_stack([*cols, product[cand], *customer]).astype(np.float32))
    width = len(feature_names(ctx.source_names))
    features = np.concatenate(rows) if rows else np.zeros((0, width), dtype=np.float32)
    return Candidates(items, features, per_source)


def _text_features(vectors: np.ndarray | None, present: np.ndarray | None, bought: np.ndarray,
                   weights: np.ndarray, cand: np.ndarray) -> list[np.ndarray]:
    """How close the candidate's description is to the closest past purchase and to the latest one."""
    nan = np.full(len(cand), np.nan, dtype=np.float32)
    if vectors is None or present is None or len(bought) == 0:
        return [nan, nan]
    has = present[bought]
    if not has.any():
        return [nan, nan]
    bought, weights = bought[has], weights[has]
    if len(bought) > CLOSEST_OF:  # the most recent ones: a long history's oldest purchases say little
        keep = np.argsort(-weights, kind="stable")[:CLOSEST_OF]
        bought, weights = bought[keep], weights[keep]
    sims = vectors[bought] @ vectors[cand].T
    latest = int(np.argmax(weights))
    closest = sims.max(axis=0)
    return [np.where(present[cand], closest, np.nan), np.where(present[cand], sims[latest], np.nan)]


def _customer_features(category: np.ndarray, price: np.ndarray, bought: np.ndarray, cand: np.ndarray,
                       now: float, last_ts: float) -> list[np.ndarray]:
    n = len(cand)
    history = np.full(n, np.log1p(len(bought)), dtype=np.float32)
    since = np.full(n, (now - last_ts) / DAY if last_ts > 0 else np.nan, dtype=np.float32)
    share = np.full(n, np.nan, dtype=np.float32)
    if len(bought) and (category >= 0).any():
        cats = category[bought]
        counts = np.bincount(cats[cats >= 0], minlength=int(category.max()) + 1)
        c = category[cand]
        share = np.where(c >= 0, counts[np.maximum(c, 0)] / max(len(bought), 1), np.nan).astype(np.float32)
    ratio = np.full(n, np.nan, dtype=np.float32)
    paid = price[bought] if len(bought) else np.zeros(0)
    paid = paid[np.isfinite(paid) & (paid > 0)]
    if len(paid):
        ratio = np.log(np.where(price[cand] > 0, price[cand], np.nan) / float(np.median(paid))).astype(np.float32)
    return [history, since, share, ratio]


def batch_of(X: sp.csr_matrix, recent: sp.csr_matrix, vectors: np.ndarray | None) -> Batch:
    """A Batch with text profiles: the recency-weighted mean of the customer's products' vectors."""
    return Batch(X=sp.csr_matrix(X, dtype=np.float32), recent=sp.csr_matrix(recent, dtype=np.float32),
                 profiles=None if vectors is None else profiles(recent, vectors))
