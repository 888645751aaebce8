"""Holding out each customer's most recent purchases, to measure recommendations on what came next."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlite_utils

from lrec_desktop.core.cf.data import PurchaseMatrix, build_purchases, positive_rating_threshold
from lrec_desktop.core.store.schema import PRODUCT_LINES, PURCHASE, RATING
from lrec_desktop.core.vocab import Vocabulary

HOLDOUT_SHARE = 0.2


@dataclass
class Split:
    train: PurchaseMatrix
    targets: dict[int, np.ndarray]  # train row of a customer → held-out products they had not bought before
    cutoff: int | None  # the latest time in the train part


def positive_events(db: sqlite_utils.Database) -> pd.DataFrame:
    """Each customer's first purchase (or positive rating) of each product, in time order; non-products (postage,
    gift cards) left out as cf.data.load_purchases does."""
    threshold = positive_rating_threshold(db) or 0.0
    frame = pd.DataFrame(
        db.execute(
            f"""SELECT customer_id, item_id, coalesce(ts, 0), id FROM interactions
               WHERE customer_id IS NOT NULL AND (event = ? OR (event = ? AND rating >= ?)) AND {PRODUCT_LINES}""",
            [PURCHASE, RATING, threshold],
        ).fetchall(),
        columns=["customer_id", "item_id", "ts", "id"],
    )
    frame = frame.sort_values(["ts", "id"], kind="stable")
    return frame.drop_duplicates(["customer_id", "item_id"], keep="first")


def _held_out(rank: np.ndarray, holdout: float) -> np.ndarray:
    return rank > 1 - holdout


def temporal_split(db: sqlite_utils.Database, holdout: float = HOLDOUT_SHARE) -> Split:
    """Each customer's last ``holdout`` share of purchases, by time, is held out (recsys_bench's split)."""
    items = Vocabulary(r[0] for r in db.execute("SELECT item_id FROM items ORDER BY item_id"))
    events = positive_events(db)
    events = events[items.indices(events["item_id"].tolist()) >= 0]
    rank = events.groupby("customer_id")["ts"].rank(method="first", pct=True).to_numpy()
    test_mask = _held_out(rank, holdout)
    train, test = events[~test_mask], events[test_mask]
    customers = Vocabulary(sorted(set(train["customer_id"])))
    matrix = build_purchases(customers, items, customers.indices(train["customer_id"].tolist()),
                             items.indices(train["item_id"].tolist()), train["ts"].to_numpy(dtype=np.float64))
    rows = customers.indices(test["customer_id"].tolist())
    cols = items.indices(test["item_id"].tolist())
    cutoff = int(train["ts"].max()) if len(train) else None
    return Split(matrix, _targets(matrix, rows, cols), cutoff)


def holdout_matrix(purchases: PurchaseMatrix, holdout: float = HOLDOUT_SHARE) -> Split:
    """The same split inside a purchase matrix (for tuning on the shop's own history, without the DB)."""
    X = purchases.X
    row_of = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    frame = pd.DataFrame({"row": row_of, "ts": purchases.ts, "pos": np.arange(X.nnz)})
    rank = frame.sort_values(["ts", "pos"], kind="stable").groupby("row")["ts"].rank(method="first", pct=True)
    test_mask = _held_out(rank.reindex(frame.index).to_numpy(), holdout)
    train = build_purchases(purchases.customers, purchases.items, row_of[~test_mask], X.indices[~test_mask],
                            purchases.ts[~test_mask])
    cutoff = int(purchases.ts[~test_mask].max()) if (~test_mask).any() else None
    return Split(train, _targets(train, row_of[test_mask], X.indices[test_mask]), cutoff)


def _targets(train: PurchaseMatrix, rows: np.ndarray, cols: np.ndarray) -> dict[int, np.ndarray]:
    X = train.X
    targets: dict[int, np.ndarray] = {}
    order = np.argsort(rows, kind="stable")
    rows, cols = rows[order], cols[order]
    bounds = np.flatnonzero(np.diff(rows)) + 1
    for a, b in zip(np.r_[0, bounds], np.r_[bounds, len(rows)], strict=True):
        if a == b or rows[a] < 0:
            continue
        row = int(rows[a])
        if X.indptr[row + 1] == X.indptr[row]:
            continue  # a customer with nothing in the train part cannot be scored
        held = np.setdiff1d(cols[a:b], X.indices[X.indptr[row] : X.indptr[row + 1]])
        if len(held):
            targets[row] = held
    return targets
