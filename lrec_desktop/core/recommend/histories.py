"""What many customers bought, in the shape batch ranking needs (export, the long-tail report)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import sqlite_utils

from lrec_desktop.core.cf.data import PurchaseMatrix, load_purchases
from lrec_desktop.core.recommend.service import Recommender


def customer_histories(
    db: sqlite_utils.Database, rec: Recommender, customers: list[str], purchases: PurchaseMatrix | None = None
) -> tuple[sp.csr_matrix, list[np.ndarray]]:
    """Per customer, in order: liked products weighted by recency (a row for scoring; empty for customers
    without purchases) and every product they touched (never recommended again)."""
    purchases = purchases or load_purchases(db, items=rec.model.items)
    rows = purchases.customers.indices(customers)
    n_items = len(rec.model.items)
    liked = sp.vstack(
        [purchases.recent(rec.half_life), sp.csr_matrix((1, n_items), dtype=np.float32)], format="csr"
    )[np.where(rows >= 0, rows, purchases.X.shape[0])]
    position = {c: n for n, c in enumerate(customers)}
    seen: list[list[int]] = [[] for _ in customers]
    for customer_id, item_id in db.execute(
        "SELECT DISTINCT customer_id, item_id FROM interactions WHERE customer_id IS NOT NULL"
    ):
        n = position.get(customer_id)
        j = rec.model.items.index(item_id)
        if n is not None and j is not None:
            seen[n].append(j)
    return liked, [np.asarray(s, dtype=np.int64) for s in seen]
