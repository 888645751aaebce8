"""Business rules a shop owner sets: never show these, always show those, lift some, a price band.

Stored per shop in the settings table as JSON; applied to every list (GUI, CLI, export) after ranking
scores are computed and before the top is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import sqlite_utils

from lrec_desktop.core.store.settings import RULES
from lrec_desktop.core.vocab import Vocabulary

MAX_PINNED = 5
# Read from the products themselves (core.products), never saved with the owner's rules.
DERIVED = frozenset({"not_products", "variants"})


@dataclass
class Rules:
    exclude_items: list[str] = field(default_factory=list)
    exclude_categories: list[str] = field(default_factory=list)
    pinned_items: list[str] = field(default_factory=list)  # shown first to everyone who has not bought them
    boosted_items: dict[str, float] = field(default_factory=dict)  # score multiplier, e.g. 1.5
    boosted_categories: dict[str, float] = field(default_factory=dict)
    min_price: float | None = None
    max_price: float | None = None
    hide_out_of_stock: bool = True
    # Postage, fees, gift cards and what the owner marked so (core.products): never recommended, on any path and
    # whatever the stock setting, since they are no products to offer. Loaded with the rules, not saved with them.
    not_products: list[str] = field(default_factory=list, compare=False)
    # Variant rows under another row's product (ingest.variants): the product is recommended, never a second size.
    variants: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> Rules:
        from lrec_desktop.core.products import not_product_ids, variant_row_ids

        data = RULES.read(db)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k not in DERIVED}
        return cls(**known, not_products=not_product_ids(db), variants=variant_row_ids(db))

    def save(self, db: sqlite_utils.Database) -> None:
        RULES.write(db, {f.name: getattr(self, f.name) for f in fields(self)
                                              if f.name not in DERIVED})

    @property
    def is_default(self) -> bool:
        return self == Rules()


@dataclass
class CompiledRules:
    """Rules turned into arrays over one product vocabulary, ready to apply to score rows."""

    allowed: np.ndarray  # bool per product
    multiplier: np.ndarray  # float per product
    pinned: np.ndarray  # product indices, in the owner's order

    @classmethod
    def compile(cls, rules: Rules, items: Vocabulary, categories: np.ndarray, prices: np.ndarray,
                in_stock: np.ndarray) -> CompiledRules:
        index, n_items = items.index, len(items)
        allowed = np.ones(n_items, dtype=bool)
        if rules.hide_out_of_stock:
            allowed &= in_stock
        for item_id in (*rules.exclude_items, *rules.not_products, *rules.variants):
            j = index(item_id)
            if j is not None:
                allowed[j] = False
        if rules.exclude_categories:
            allowed &= ~np.isin(categories, rules.exclude_categories)
        # A pin is the owner's explicit choice: it overrides the price band and boosts, not an exclusion,
        # being out of stock or being no product.
        pinnable = allowed.copy()
        with np.errstate(invalid="ignore"):
            if rules.min_price is not None:
                allowed &= ~(prices < rules.min_price)  # unknown prices (NaN) stay allowed
            if rules.max_price is not None:
                allowed &= ~(prices > rules.max_price)
        multiplier = np.ones(n_items, dtype=np.float32)
        for category, factor in rules.boosted_categories.items():
            multiplier[categories == category] *= float(factor)
        for item_id, factor in rules.boosted_items.items():
            j = index(item_id)
            if j is not None:
                multiplier[j] *= float(factor)
        pinned = [j for j in (index(i) for i in rules.pinned_items[:MAX_PINNED]) if j is not None and pinnable[j]]
        return cls(allowed, multiplier, np.asarray(pinned, dtype=np.int64))
