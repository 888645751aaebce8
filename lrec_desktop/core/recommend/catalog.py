"""What ranking needs to know about products: titles, stock, categories, popularity badges."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlite_utils

from lrec_desktop.core.vocab import Vocabulary

# The head of the catalog is its 20% best-selling products (the usual long-tail convention).
HEAD_SHARE = 0.2
NEW = "new"
RARELY_SOLD = "rarely sold"


@dataclass
class CatalogInfo:
    items: Vocabulary
    titles: list[str]
    categories: np.ndarray  # category per product (object array of str)
    in_stock: np.ndarray  # bool per product
    prices: np.ndarray  # float per product, NaN when unknown
    popularity: np.ndarray  # distinct buyers per product
    is_head: np.ndarray  # bool per product

    @classmethod
    def load(cls, db: sqlite_utils.Database, items: Vocabulary, popularity: np.ndarray) -> CatalogInfo:
        n = len(items)
        titles = [""] * n
        categories = np.full(n, "", dtype=object)
        in_stock = np.ones(n, dtype=bool)
        prices = np.full(n, np.nan)
        for item_id, title, category, stock, price in db.execute(
            "SELECT item_id, title, category, in_stock, price FROM items"
        ):
            j = items.index(item_id)
            if j is not None:
                titles[j] = title or item_id
                categories[j] = category or ""
                in_stock[j] = bool(stock)
                prices[j] = np.nan if price is None else float(price)
        for j in range(n):
            titles[j] = titles[j] or items.ids[j]
        # A product with variants is in stock while any of its variants is (ingest.variants).
        for product_id, any_in_stock in db.execute(
            "SELECT product_id, max(in_stock) FROM items WHERE product_id IS NOT NULL GROUP BY product_id"
        ):
            j = items.index(product_id)
            if j is not None:
                in_stock[j] = bool(any_in_stock)
        return cls(items, titles, categories, in_stock, prices, popularity, head_mask(popularity))

    def badges(self, j: int) -> tuple[str, ...]:
        if self.popularity[j] <= 0:
            return (NEW,)
        if not self.is_head[j]:
            return (RARELY_SOLD,)
        return ()


def head_mask(popularity: np.ndarray) -> np.ndarray:
    """True for the HEAD_SHARE most bought products among those that sold at all."""
    sold = int((popularity > 0).sum())
    n_head = round(HEAD_SHARE * sold)
    mask = np.zeros(len(popularity), dtype=bool)
    if n_head:
        mask[np.argsort(-popularity, kind="stable")[:n_head]] = True
    return mask
