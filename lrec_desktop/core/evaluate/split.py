"""Holding out each customer's most recent purchases, to measure recommendations on what came next."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
import sqlite_utils

from lrec_desktop.core.cf.data import PurchaseMatrix, positive_rating_threshold, recency_weights
from lrec_desktop.core.store.schema import PURCHASE, RATING
from lrec_desktop.core.vocab import Vocabulary

HOLDOUT_SHARE = 0.2


@dataclass
class Split:
    train: PurchaseMatrix
    targets: dict[int, np.ndarray]  # train row of a customer → held-out products they had not bought before
    cutoff: int | None  # the latest time in the train part


def positive_events(db: sqlite_utils.Database) -> pd.DataFrame:
    """Each customer's first purchase (or positive rating) of each product, in time order."""
    threshold = positive_rating_threshold(db) or 0.0
    frame = pd.DataFrame(
        db.execute(
            """SELECT customer_id, item_id, coalesce(ts, 0), id FROM interactions
               WHERE customer_id IS NOT NULL AND (event = ? OR (event = ? AND rating >= ?))""",
            [PURCHASE, RATING, threshold],
        ).fetchall(),
        columns=["customer_id", "item_id", "ts", "id"],
    )
    frame = frame.sort_values(["ts", "id"], kind="stable")
    return frame.drop_duplicates(["customer_id", "item_id"], keep="first")


def temporal_split(db: sqlite_utils.Database, holdout: float = HOLDOUT_SHARE) -> Split:
    """Each customer's last ``holdout`` share of purchases, by time, is held out (recsys_bench's split)."""
    items = Vocabulary(r[0] for r in db.execute("SELECT item_id FROM items ORDER BY item_id"))
    events = positive_events(db)
    events = events[items.indices(events["item_id"].tolist()) >= 0]
    rank = events.groupby("customer_id")["ts"].rank(method="first", pct=True)
    train, test = events[rank <= 1 - holdout], events[rank > 1 - holdout]
    customers = Vocabulary(sorted(set(train["customer_id"])))
    r = customers.indices(train["customer_id"].tolist())
    c = items.indices(train["item_id"].tolist())
    shape = (len(customers), len(items))
    X = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=shape)
    weights = np.ones(len(r), dtype=np.float32)
    ts = train["ts"].to_numpy(dtype=np.float64)
    order = np.argsort(r, kind="stable")
    bounds = np.flatnonzero(np.diff(r[order])) + 1
    for a, b in zip(np.r_[0, bounds], np.r_[bounds, len(r)], strict=True):
        weights[order[a:b]] = recency_weights(ts[order[a:b]])
    recent = sp.csr_matrix((weights, (r, c)), shape=shape)
    targets: dict[int, np.ndarray] = {}
    for customer_id, group in test.groupby("customer_id"):
        row = customers.index(str(customer_id))
        if row is None:
            continue
        held = np.setdiff1d(items.indices(group["item_id"].tolist()), X.indices[X.indptr[row] : X.indptr[row + 1]])
        if len(held):
            targets[row] = held
    cutoff = int(train["ts"].max()) if len(train) else None
    return Split(PurchaseMatrix(customers, items, X, recent), targets, cutoff)
