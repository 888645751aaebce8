"""The customer × product purchase matrix that collaborative filtering learns from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sqlite_utils

from lrec_desktop.core.store.schema import PURCHASE, RATING
from lrec_desktop.core.vocab import Vocabulary

# A rating counts as liking the product from this share of the file's top rating (3.5 of 5 stars).
POSITIVE_RATING_SHARE = 0.7


@dataclass
class PurchaseMatrix:
    """Binary matrix X[c, i] = 1 when customer c bought (or liked) product i; plus each cell's last time."""

    customers: Vocabulary
    items: Vocabulary
    X: sp.csr_matrix
    last_ts: sp.csr_matrix  # same pattern as X: Unix time of the latest purchase (0 when unknown)

    @property
    def popularity(self) -> np.ndarray:
        """Number of distinct buyers per product."""
        return np.asarray(self.X.sum(axis=0)).ravel()


def positive_rating_threshold(db: sqlite_utils.Database) -> float | None:
    top = db.execute("SELECT max(rating) FROM interactions WHERE event = ?", [RATING]).fetchone()[0]
    return None if top is None else POSITIVE_RATING_SHARE * float(top)


def load_purchases(db: sqlite_utils.Database, items: Vocabulary | None = None) -> PurchaseMatrix:
    """Read every known customer's purchases and positive ratings into a sparse matrix."""
    if items is None:
        items = Vocabulary(r[0] for r in db.execute("SELECT item_id FROM items ORDER BY item_id"))
    threshold = positive_rating_threshold(db)
    rows = db.execute(
        """SELECT customer_id, item_id, max(coalesce(ts, 0)) FROM interactions
           WHERE customer_id IS NOT NULL
             AND (event = ? OR (event = ? AND rating >= ?))
           GROUP BY customer_id, item_id""",
        [PURCHASE, RATING, threshold if threshold is not None else 0.0],
    ).fetchall()
    customers = Vocabulary(sorted({r[0] for r in rows}))
    if rows:
        cust, item, ts = zip(*rows, strict=True)
        r = customers.indices(cust)
        c = items.indices(item)
        keep = c >= 0
        r, c = r[keep], c[keep]
        ts_arr = np.asarray(ts, dtype=np.float64)[keep]
    else:
        r = c = np.zeros(0, dtype=np.int64)
        ts_arr = np.zeros(0)
    shape = (len(customers), len(items))
    X = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=shape)
    X.data[:] = 1.0
    last = sp.csr_matrix((ts_arr, (r, c)), shape=shape)
    return PurchaseMatrix(customers, items, X, last)
