"""Same-basket co-occurrence as a candidate source: products that share orders with what the customer bought
(core/recommend/baskets.py's shrunk PMI), where the shop's lines carry order ids.

Training must not see the purchases it is trained to predict: the matrix it learns with is built from the
orders' lines in the inner hold-out's earlier part only (each customer's held-out purchases dropped from their
orders, as they are from the co-purchase model's inner fit); the one it serves with from every order. A shop
whose lines have no order ids has no baskets here (one customer's day is no order; the co-purchase sources
already see what a customer buys over time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sqlite_utils

from lrec_desktop.core.cf.data import positive_rating_threshold
from lrec_desktop.core.recommend.baskets import Baskets, association
from lrec_desktop.core.store.schema import PRODUCT_LINES, PURCHASE, RATING
from lrec_desktop.core.vocab import Vocabulary


@dataclass(frozen=True)
class OrderLines:
    """Every order line with an order id: its order (0..), customer row (-1 for none) and product."""

    order: np.ndarray
    customer: np.ndarray
    item: np.ndarray
    anonymous: np.ndarray  # bool per order: no customer (a till receipt)

    @property
    def orders(self) -> int:
        return len(self.anonymous)

    def without(self, held_out: dict[int, np.ndarray], n_items: int) -> OrderLines:
        """These lines less each customer's ``held_out`` products (customer row → products: a hold-out's later
        purchases), so a matrix built from them knows nothing of what they are held out for."""
        if not held_out:
            return self
        held_keys = np.concatenate([row * n_items + np.asarray(p, dtype=np.int64) for row, p in held_out.items()])
        keys = np.where(self.customer >= 0, self.customer * n_items + self.item, -1)
        keep = ~np.isin(keys, held_keys)
        return OrderLines(self.order[keep], self.customer[keep], self.item[keep], self.anonymous)


def order_lines(db: sqlite_utils.Database, items: Vocabulary, customers: Vocabulary) -> OrderLines | None:
    """The shop's order lines over ``items`` (bought, or rated as liked), or None when no line has an order id."""
    if db.execute("SELECT 1 FROM interactions WHERE order_id IS NOT NULL LIMIT 1").fetchone() is None:
        return None
    threshold = positive_rating_threshold(db)
    rows = db.execute(
        f"""SELECT order_id, customer_id, item_id FROM interactions
            WHERE order_id IS NOT NULL AND (event = ? OR (event = ? AND rating >= ?)) AND {PRODUCT_LINES}
            GROUP BY order_id, customer_id, item_id""",
        [PURCHASE, RATING, threshold if threshold is not None else 0.0],
    ).fetchall()
    if not rows:
        return None
    order_ids, customer_ids, item_ids = zip(*rows, strict=True)
    _, order = np.unique(np.asarray(order_ids, dtype=object).astype(str), return_inverse=True)
    item = items.indices(list(item_ids))
    known = np.asarray([c is not None for c in customer_ids], dtype=bool)
    customer = np.where(known, customers.indices([c if c is not None else "" for c in customer_ids]), -1)
    customer = customer.astype(np.int64)
    anonymous = np.zeros(int(order.max()) + 1, dtype=bool)
    anonymous[order[customer < 0]] = True
    keep = item >= 0
    return OrderLines(order[keep].astype(np.int64), customer[keep], item[keep].astype(np.int64), anonymous)


def basket_weights(lines: OrderLines, n_items: int) -> sp.csr_matrix:
    """Products × products association from the orders' lines (core/recommend/baskets.association)."""
    X = sp.csr_matrix((np.ones(len(lines.item), dtype=np.float32), (lines.order, lines.item)),
                      shape=(lines.orders, n_items))
    X.sum_duplicates()
    X.data[:] = 1.0
    return association(Baskets(X, lines.anonymous))
