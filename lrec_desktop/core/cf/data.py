"""The customer × product purchase matrix that collaborative filtering learns from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sqlite_utils

from lrec_desktop.core.ratings import LIKED_SHARE, stored_scale
from lrec_desktop.core.store.schema import PRODUCT_LINES, PURCHASE, RATING
from lrec_desktop.core.vocab import Vocabulary

# Recent purchases say more about what a customer wants next: the n-th most recent counts 0.5 ** (n / this).
# The default is measured on ml-latest-small's temporal split (+4.6% recall@20 over equal weights); each
# shop's own value is chosen when recommendations are prepared (recommend/tune.py), since order files
# whose times carry no signal do better with equal weights (0 = off).
RECENCY_HALF_LIFE = 10.0

# A rating counts as liking the product from this share of the shop's top rating (3.5 of 5 stars); the top is
# read robustly from all ratings (core/ratings.py), so one odd rating cannot move it.
POSITIVE_RATING_SHARE = LIKED_SHARE


@dataclass
class PurchaseMatrix:
    """Binary X[c, i] = 1 when customer c bought (or liked) product i, with the time of each purchase."""

    customers: Vocabulary
    items: Vocabulary
    X: sp.csr_matrix  # canonical CSR: sorted indices, no duplicates
    ts: np.ndarray  # Unix time of each stored entry of X, aligned with X.data (0 when unknown)

    @property
    def popularity(self) -> np.ndarray:
        """Number of distinct buyers per product."""
        return np.asarray(self.X.sum(axis=0)).ravel()

    def recent(self, half_life: float = RECENCY_HALF_LIFE) -> sp.csr_matrix:
        """X with each customer's purchases weighted by recency_weights."""
        weights = np.ones(self.X.nnz, dtype=np.float32)
        indptr = self.X.indptr
        for row in range(self.X.shape[0]):
            a, b = indptr[row], indptr[row + 1]
            if b - a > 1:
                weights[a:b] = recency_weights(self.ts[a:b], half_life)
        return sp.csr_matrix((weights, self.X.indices, indptr), shape=self.X.shape)

    def last_times(self, rows: np.ndarray) -> np.ndarray:
        """Per customer row, the time of their latest purchase (0 for a row of -1, none, or unknown times)."""
        out = np.zeros(len(rows))
        for n, r in enumerate(rows):
            a, b = (self.X.indptr[r], self.X.indptr[r + 1]) if r >= 0 else (0, 0)
            out[n] = self.ts[a:b].max() if b > a else 0.0
        return out

    def rows(self, rows: np.ndarray) -> PurchaseMatrix:
        """The same products for a subset of customers (all of them when ``rows`` covers every row)."""
        sub = self.X[rows]
        starts = self.X.indptr[rows]
        ts = np.concatenate([self.ts[s : s + n] for s, n in zip(starts, np.diff(sub.indptr), strict=True)]
                            or [np.zeros(0)])
        return PurchaseMatrix(Vocabulary(self.customers.ids[r] for r in rows), self.items, sub, ts)


def build_purchases(customers: Vocabulary, items: Vocabulary, r: np.ndarray, c: np.ndarray,
                    ts: np.ndarray) -> PurchaseMatrix:
    """A PurchaseMatrix from (row, column, time) triples; duplicates keep their latest time."""
    order = np.lexsort((-ts, c, r))
    r, c, ts = r[order], c[order], ts[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    r, c, ts = r[first], c[first], ts[first]
    shape = (len(customers), len(items))
    X = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=shape)
    X.sort_indices()
    # (r, c) are unique and sorted by row then column, exactly the CSR storage order.
    return PurchaseMatrix(customers, items, X, ts.astype(np.float64))


def positive_rating_threshold(db: sqlite_utils.Database) -> float | None:
    scale = stored_scale(db.conn)
    return None if scale is None else scale.liked_from


FETCH = 200_000  # rows read at a time: on 5M order lines a single fetchall held ~1.5 GB of Python tuples


def load_purchases(db: sqlite_utils.Database, items: Vocabulary | None = None) -> PurchaseMatrix:
    """Read every known customer's purchases and positive ratings into a sparse matrix."""
    if items is None:
        items = Vocabulary(r[0] for r in db.execute("SELECT item_id FROM items ORDER BY item_id"))
    threshold = positive_rating_threshold(db)
    # Ordered by customer, so customers are numbered as they come (SQLite's binary order of UTF-8 text is
    # Python's order of str, the order Vocabulary(sorted(...)) would give). Postage, fees and gift cards are left
    # out: in every basket, they would make everything "bought together" with them (core.ingest.nonproducts).
    cursor = db.execute(
        f"""SELECT customer_id, item_id, max(coalesce(ts, 0)) FROM interactions
           WHERE customer_id IS NOT NULL
             AND (event = ? OR (event = ? AND rating >= ?)) AND {PRODUCT_LINES}
           GROUP BY customer_id, item_id ORDER BY customer_id""",
        [PURCHASE, RATING, threshold if threshold is not None else 0.0],
    )
    ids: list[str] = []
    r_parts, c_parts, t_parts = [], [], []
    while rows := cursor.fetchmany(FETCH):
        cust, item, ts = zip(*rows, strict=True)
        starts = np.ones(len(cust), dtype=bool)
        starts[1:] = np.asarray(cust[1:], dtype=object) != np.asarray(cust[:-1], dtype=object)
        if ids and cust[0] == ids[-1]:
            starts[0] = False
        r = len(ids) - 1 + np.cumsum(starts)  # the customer before this chunk, then one more per new one
        ids.extend(c for c, new in zip(cust, starts, strict=True) if new)
        c = items.indices(item)
        keep = c >= 0
        r_parts.append(r[keep])
        c_parts.append(c[keep])
        t_parts.append(np.asarray(ts, dtype=np.float64)[keep])
    customers = Vocabulary(ids)
    if not r_parts:
        empty = np.zeros(0, dtype=np.int64)
        return build_purchases(customers, items, empty, empty, np.zeros(0))
    return build_purchases(customers, items, np.concatenate(r_parts), np.concatenate(c_parts),
                           np.concatenate(t_parts))


def recency_weights(timestamps: np.ndarray, half_life: float = RECENCY_HALF_LIFE) -> np.ndarray:
    """Weight per purchase of one customer from its recency rank (newest = 1); equal when times are unknown."""
    if len(timestamps) == 0 or half_life <= 0 or np.all(timestamps == timestamps[0]):
        return np.ones(len(timestamps), dtype=np.float32)
    # Rank = how many purchases are strictly newer, so purchases at the same moment weigh the same and the
    # weights do not depend on the order rows were read in.
    ascending = np.sort(timestamps)
    rank = len(timestamps) - np.searchsorted(ascending, timestamps, side="right")
    return (0.5 ** (rank / half_life)).astype(np.float32)
