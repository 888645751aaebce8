"""What many customers bought, in the shape batch ranking needs (export, the long-tail report)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import sqlite_utils

from lrec_desktop.core.cf.data import PurchaseMatrix, load_purchases
from lrec_desktop.core.recommend.service import Recommender


def customer_histories(
    db: sqlite_utils.Database, rec: Recommender, customers: list[str], purchases: PurchaseMatrix | None = None
) -> tuple[sp.csr_matrix, list[np.ndarray], np.ndarray]:
    """Per customer, in order: liked products weighted by recency (a row for scoring; empty for customers
    without purchases), every product they touched (never recommended again), and their latest purchase's time
    (0 when none)."""
    purchases = purchases or load_purchases(db, items=rec.model.items)
    rows = purchases.customers.indices(customers)
    n_items = len(rec.model.items)
    liked = sp.vstack(
        [purchases.recent(rec.half_life), sp.csr_matrix((1, n_items), dtype=np.float32)], format="csr"
    )[np.where(rows >= 0, rows, purchases.X.shape[0])]
    return liked, _touched(db, rec, customers), purchases.last_times(rows)


FETCH = 200_000  # pairs read at a time: memory stays flat on shops with millions of order lines


def _touched(db: sqlite_utils.Database, rec: Recommender, customers: list[str]) -> list[np.ndarray]:
    """Every product each customer touched (bought, rated, returned), as product indices."""
    position = {c: n for n, c in enumerate(customers)}
    who, what = [], []
    cursor = db.execute("SELECT DISTINCT customer_id, item_id FROM interactions WHERE customer_id IS NOT NULL")
    while pairs := cursor.fetchmany(FETCH):
        cust, item = zip(*pairs, strict=True)
        n = np.fromiter((position.get(c, -1) for c in cust), dtype=np.int64, count=len(cust))
        j = rec.model.items.indices(item)
        keep = (n >= 0) & (j >= 0)
        who.append(n[keep])
        what.append(j[keep])
    n = np.concatenate(who) if who else np.zeros(0, dtype=np.int64)
    j = np.concatenate(what) if what else np.zeros(0, dtype=np.int64)
    order = np.argsort(n, kind="stable")
    n, j = n[order], j[order]
    bounds = np.searchsorted(n, np.arange(len(customers) + 1))
    return [j[bounds[k] : bounds[k + 1]] for k in range(len(customers))]
