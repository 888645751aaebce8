"""Candidates and their features for a batch of customers: each source's best products, merged, with what
every source thinks of each, how the product sells, and how it fits the customer's own history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.blas_threads import one_blas_thread
from lrec_desktop.core.rank.context import ShopContext
from lrec_desktop.core.rank.signals import DAY
from lrec_desktop.core.rank.sources.base import Batch, ColumnBlock, Scores
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


class _Marks:
    """One customer's blocked products as a boolean row over the catalog, set and cleared per customer (a
    lookup per product instead of a sorted search per source)."""

    def __init__(self, n_items: int) -> None:
        self.row = np.zeros(n_items, dtype=bool)

    def set(self, products: np.ndarray) -> np.ndarray:
        self.row[:] = False
        self.row[products] = True
        return self.row


def _best(cols: np.ndarray, values: np.ndarray, take: int) -> np.ndarray:
    """The ``take`` products of ``cols`` with the largest finite ``values``."""
    finite = np.isfinite(values)
    cols, values = cols[finite], values[finite]
    if len(values) <= take:
        return cols
    return cols[np.argpartition(-values, take)[:take]]


def _best_first(values: np.ndarray, reach: int) -> np.ndarray:
    order = np.argsort(-values, kind="stable")[:reach]
    return order[np.isfinite(values[order])]


def _dense_top(s: np.ndarray, take: int, blocked: Sequence[np.ndarray]) -> list[np.ndarray]:
    for row, b in enumerate(blocked):
        s[row, b] = -np.inf
    take = min(take, s.shape[1] - 1)
    if take <= 0:
        return [np.zeros(0, dtype=np.int64) for _ in blocked]
    idx = np.argpartition(-s, take, axis=1)[:, :take]
    ok = np.isfinite(np.take_along_axis(s, idx, axis=1))
    return [idx[row][ok[row]] for row in range(len(blocked))]


def _candidate_sets(scores: list[Scores], takes: list[int], blocked: Sequence[np.ndarray],
                    n_items: int) -> list[np.ndarray]:
    """Per customer, the union of every source's best products, none of ``blocked[row]``."""
    dense_tops = {n: _dense_top(s, take, blocked) for n, (s, take) in enumerate(zip(scores, takes, strict=True))
                  if isinstance(s, np.ndarray) and s.flags.writeable}
    # A customer-independent source: one ordering for all, minus what each may not see (sorting every
    # customer's copy of the same row cost a quarter of an export).
    reach = max((len(b) for b in blocked), default=0)
    shared = {n: _best_first(s[0], take + reach) for n, (s, take) in enumerate(zip(scores, takes, strict=True))
              if isinstance(s, np.ndarray) and not s.flags.writeable}
    marks = _Marks(n_items)
    out = []
    for row, b in enumerate(blocked):
        mark = marks.set(b)
        tops = []
        for n, (s, take) in enumerate(zip(scores, takes, strict=True)):
            if n in dense_tops:
                tops.append(dense_tops[n][row])
            elif n in shared:
                tops.append(shared[n][~mark[shared[n]]][:take])
            elif isinstance(s, ColumnBlock):
                keep = ~mark[s.cols]
                tops.append(_best(s.cols[keep], s.values[row][keep], take))
            else:
                csr = cast(sp.csr_matrix, s)  # the one shape left: a CSR matrix
                cols = csr.indices[csr.indptr[row] : csr.indptr[row + 1]]
                vals = csr.data[csr.indptr[row] : csr.indptr[row + 1]]
                keep = ~mark[cols]
                tops.append(_best(cols[keep], vals[keep], take))
        out.append(np.unique(np.concatenate(tops)) if tops else np.zeros(0, dtype=np.int64))
    return out


def _flat_values(s: Scores, row_of: np.ndarray, flat: np.ndarray, n_items: int) -> np.ndarray:
    """A source's score of every candidate of the batch (``row_of``: each one's customer), -inf where it has
    none. A sparse source is spread on a dense batch for the lookup: one at a time, the batch size bounds it."""
    if isinstance(s, ColumnBlock):
        where = np.full(n_items, -1, dtype=np.int64)
        where[s.cols] = np.arange(len(s.cols))
        at = where[flat]
        return np.where(at >= 0, s.values[row_of, np.maximum(at, 0)], -np.inf).astype(np.float32)
    if sp.issparse(s):
        csr = cast(sp.csr_matrix, s)
        spread = np.full(csr.shape, -np.inf, dtype=np.float32)
        spread[np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr)), csr.indices] = csr.data
        return spread[row_of, flat]
    return s[row_of, flat].astype(np.float32)


def _ranks(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each candidate's rank by ``values`` among its customer's (1 = best; ties in candidate order). One small
    sort per customer: a third of the time of one sort of the whole batch by customer and value."""
    ranks = np.empty(len(values), dtype=np.float32)
    negated = -values
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        order = np.argsort(negated[start : start + size], kind="stable")
        segment = ranks[start : start + size]
        segment[order] = np.arange(1, size + 1, dtype=np.float32)
    return ranks


def _source_columns(scores: list[Scores], items: list[np.ndarray],
                    n_items: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Each source's score, its score over the customer's best candidate's from it, and its rank among the
    customer's candidates (1 = best; nothing from the source ranks last), for every candidate of the batch at
    once; and the scaled scores (candidates × sources, the reasons' evidence)."""
    sizes = np.array([len(c) for c in items], dtype=np.int64)
    flat = np.concatenate(items) if items else np.zeros(0, dtype=np.int64)
    row_of = np.repeat(np.arange(len(items)), sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
    filled = sizes > 0
    columns, scaled_all = [], []
    for s in scores:
        v = _flat_values(s, row_of, flat, n_items)
        finite = np.isfinite(v)
        raw = np.where(finite, v, 0.0).astype(np.float32)
        top = np.zeros(len(items), dtype=np.float32)
        if len(flat):
            top[filled] = np.maximum.reduceat(np.where(finite, v, -np.inf), starts[filled])
        top = np.where(np.isfinite(top) & (top > 0), top, 0.0)[row_of]
        scaled = np.where(finite & (top > 0), raw / np.where(top > 0, top, 1.0), 0.0).astype(np.float32)
        columns += [raw, scaled, _ranks(v, starts, sizes)]
        scaled_all.append(scaled)
    evidence = np.column_stack(scaled_all) if scaled_all else np.zeros((len(flat), 0), dtype=np.float32)
    return columns, evidence


def build(ctx: ShopContext, batch: Batch, last_ts: np.ndarray, blocked: Sequence[np.ndarray]) -> Candidates:
    """Candidates (never a product in ``blocked[row]``) and their features for each customer of the batch."""
    # Many small products per customer: BLAS threads spinning up for each cost more than they save, and on a
    # loaded 2-core machine far more (300 customers of ml-latest-small: 3.8 s with 2 threads, 2.0 s with 1).
    with one_blas_thread():
        return _build(ctx, batch, last_ts, blocked)


def _build(ctx: ShopContext, batch: Batch, last_ts: np.ndarray, blocked: Sequence[np.ndarray]) -> Candidates:
    scores = [src.scores(batch) for src in ctx.sources]
    n_items = len(ctx.signals.buyers)
    items = _candidate_sets(scores, [src.take for src in ctx.sources], blocked, n_items)
    sig, info = ctx.signals, ctx.info
    product = np.column_stack([
        np.log1p(sig.buyers), np.log1p(sig.recent), sig.last_month, sig.trend, sig.age_days,
        (sig.buyers <= 0).astype(np.float32), sig.is_head.astype(np.float32),
    ]).astype(np.float32)
    X = batch.X
    source_cols, evidence = _source_columns(scores, items, n_items)
    rows = []
    for row, cand in enumerate(items):
        bought = X.indices[X.indptr[row] : X.indptr[row + 1]]
        weights = batch.recent.data[batch.recent.indptr[row] : batch.recent.indptr[row + 1]]
        customer = _customer_features(info.category, info.price, bought, cand, sig.now, last_ts[row])
        rows.append(np.column_stack([*_text_features(info.vectors, info.present, bought, weights, cand), *customer]))
    flat = np.concatenate(items) if items else np.zeros(0, dtype=np.int64)
    other = np.concatenate(rows) if rows else np.zeros((0, len(TEXT_FEATURES) + len(CUSTOMER_FEATURES)))
    width = len(feature_names(ctx.source_names))
    features = np.empty((len(flat), width), dtype=np.float32)
    n_source = len(source_cols)
    for n, col in enumerate(source_cols):
        features[:, n] = col
    features[:, n_source : n_source + len(TEXT_FEATURES)] = other[:, : len(TEXT_FEATURES)]
    at = n_source + len(TEXT_FEATURES)
    features[:, at : at + len(PRODUCT_FEATURES)] = product[flat]
    features[:, at + len(PRODUCT_FEATURES) :] = other[:, len(TEXT_FEATURES) :]
    per_source = np.split(evidence, np.cumsum([len(c) for c in items])[:-1]) if items else []
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
