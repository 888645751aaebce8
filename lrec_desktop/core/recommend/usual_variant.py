"""The size (or colour) a customer usually buys, for the products the export recommends (issue 18, item 1).

Recommendations are products; the export names, where it matters, the variant the customer is most likely to want:
the one whose options they bought most often ("Size: 100 g" for someone who buys 100 g tins), in stock first. A
customer without a usual option, or a product without variants, is exported as the product, as before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlite_utils


def _parts(options: str) -> list[str]:
    return [p.strip() for p in options.split(";") if p.strip()]


@dataclass
class UsualVariants:
    variants: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)  # product → (id, options, stock)
    usual: dict[str, Counter[str]] = field(default_factory=dict)  # customer → option part → times bought

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> UsualVariants:
        """Nothing is read beyond one indexed look when the shop has no variants."""
        if db.execute("SELECT 1 FROM items WHERE product_id IS NOT NULL AND product_id != item_id LIMIT 1"
                      ).fetchone() is None:
            return cls()
        variants: dict[str, list[tuple[str, str, bool]]] = {}
        for product, item, options, stock in db.execute(
                "SELECT product_id, item_id, options, in_stock FROM items WHERE product_id IS NOT NULL "
                "AND options != '' ORDER BY product_id, rowid"):
            variants.setdefault(product, []).append((item, options, bool(stock)))
        usual: dict[str, Counter[str]] = {}
        for customer, options, times in db.execute(
                # A line of the product's own row has no variant_id: the row is its first variant.
                """SELECT x.customer_id, v.options, count(*) FROM interactions x
                   JOIN items v ON v.item_id = coalesce(x.variant_id, x.item_id)
                   WHERE x.customer_id IS NOT NULL AND v.options != '' AND x.event IN ('purchase', 'rating')
                   GROUP BY 1, 2"""):
            counter = usual.setdefault(customer, Counter())
            for part in _parts(options):
                counter[part] += times
        return cls({p: v for p, v in variants.items() if len(v) > 1}, usual)

    def choose(self, customer_id: str, product_id: str, title: str) -> tuple[str, str]:
        """(item id, title) to export: the usual variant with its options named, else the product as it is."""
        choices = self.variants.get(product_id)
        usual = self.usual.get(customer_id)
        if not choices or not usual:
            return product_id, title
        best = max(choices, key=lambda v: (v[2], sum(usual[p] for p in _parts(v[1]))))  # in stock first
        if sum(usual[p] for p in _parts(best[1])) == 0:
            return product_id, title
        return best[0], f"{title} ({best[1]})"
