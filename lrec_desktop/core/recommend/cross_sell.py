"""What to offer with a basket (the till prompt, the cart's cross-sell) and with one product (related products).

Products come in tiers, each ranked within itself and never mixed across: what goes in the same orders as the
basket (core.recommend.baskets), then what the same customers bought (the co-purchase model's item weights,
then its item-kNN neighbours), then products described alike (the text model's neighbours), then the shop's
bestsellers. Every tier is a sparse row per product, so a lookup sums a few sparse rows and sorts a few hundred
candidates: no pass over the whole catalog, which keeps a basket well under 50 ms at 200,000 products.

The shop's rules apply as on every other list: blocked products (out of stock when hidden, never recommend,
excluded categories, price band, non-products, variant rows) never appear, boosts multiply within a tier, and
pinned products come first. The basket's own products are never offered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.recommend.baskets import basket_matrix
from lrec_desktop.core.recommend.rules import CompiledRules
from lrec_desktop.core.recommend.service import PINNED_REASON, POPULAR_REASON, Recommendation, Recommender
from lrec_desktop.core.store import db as store

SAME_ORDER = "same_order"
BOUGHT_BY_SAME = "co_purchase"
DESCRIBED_ALIKE = "described_alike"
POPULAR = "popular"
PINNED = "pinned"
CROSS_SELL_TIERS = (SAME_ORDER, BOUGHT_BY_SAME)  # what goes with a product (WooCommerce's cross-sells)
SIMILAR_TIERS = (DESCRIBED_ALIKE,)  # what could be had instead (WooCommerce's upsells)
ALL_TIERS = (SAME_ORDER, BOUGHT_BY_SAME, DESCRIBED_ALIKE)
MAX_NAME_MATCHES = 3  # candidates named when a name fits several products


def compile_rules(rec: Recommender) -> CompiledRules:
    """The shop's rules over the recommender's products, as every list applies them."""
    c = rec.catalog
    return CompiledRules.compile(rec.rules, rec.model.items, c.categories, c.prices, c.in_stock)


def _reasons(titles: list[str]) -> dict[str, Callable[[int], str]]:
    return {
        SAME_ORDER: lambda s: f"Often in the same order as “{titles[s]}”",
        BOUGHT_BY_SAME: lambda s: f"Customers who bought “{titles[s]}” also bought this",
        DESCRIBED_ALIKE: lambda s: f"Described like “{titles[s]}”",
    }


def _positive(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Only positive weights: EASE's negative ones say "not with this", never a reason to offer it."""
    m = matrix.tocsr().astype(np.float32, copy=True)
    m.data[m.data < 0] = 0
    m.eliminate_zeros()
    return m


@dataclass
class _Tier:
    name: str
    matrix: sp.csr_matrix


class CrossSell:
    """Basket and related-product lists for one loaded Recommender; built once (warm), lookups read-only."""

    def __init__(self, rec: Recommender, together: sp.csr_matrix) -> None:
        self.rec = rec
        self.items = rec.model.items
        self.titles = rec.catalog.titles
        self.rules = compile_rules(rec)
        self.blocked = ~self.rules.allowed
        tiers = [_Tier(SAME_ORDER, together.tocsr())]
        bought = [_positive(rec.model.weights)]
        if rec.model.neighbours is not None:  # item-kNN finds what EASE leaves at 0 for rarely sold products
            bought.append(_positive(rec.model.neighbours))
        tiers += [_Tier(BOUGHT_BY_SAME, m) for m in bought]
        if rec.text is not None:
            tiers.append(_Tier(DESCRIBED_ALIKE, _positive(rec.text.neighbours())))
        self.tiers = tiers
        self._reason = _reasons(self.titles)
        popularity = rec.model.popularity.astype(np.float64)
        order = np.lexsort((np.arange(len(popularity)), -popularity))  # best first, ties by position
        self._bestsellers = order[(popularity[order] > 0) & self.rules.allowed[order]]
        self._by_title: dict[str, list[int]] | None = None

    @classmethod
    def load(cls, rec: Recommender, *, progress: ProgressFn = no_progress,
             cancel: CancelToken | None = None) -> CrossSell:
        return cls(rec, basket_matrix(rec.db_path, rec.model.items, progress=progress, cancel=cancel))

    # ------------------------------------------------------------------ naming products
    def resolve(self, keys: Sequence[str]) -> list[int]:
        """Product indices for ids (a variant's id stands for its product) or names: the exact name, else the
        only product whose name, id, category or tags contain the text (as the Catalog's search matches).
        A key that fits no product, or several, is a UserError naming it."""
        found: list[int] = []
        db = store.connect(self.rec.db_path, readonly=True)
        try:
            for key in (k.strip() for k in keys):
                if not key:
                    continue
                j = self._one(db, key)
                if j not in found:
                    found.append(j)
        finally:
            db.close()
        if not found:
            raise UserError("No products given: name the basket's products by id or name, separated by commas.")
        return found

    def _one(self, db: store.sqlite_utils.Database, key: str) -> int:
        if _has_product_id(db):  # a size or colour stands for its product
            row = db.execute("SELECT coalesce(product_id, item_id) FROM items WHERE item_id = ?", [key]).fetchone()
            if row is not None and (j := self.items.index(row[0])) is not None:
                return j
        j = self.items.index(key)
        if j is not None:
            return j
        exact = self._titles().get(key.casefold(), [])
        if len(exact) == 1:
            return exact[0]
        like = f"%{key}%"
        product = "coalesce(product_id, item_id)" if _has_product_id(db) else "item_id"
        matches = exact or [
            j for (item_id,) in db.execute(
                f"SELECT DISTINCT {product} FROM items WHERE item_id LIKE ? OR title LIKE ? OR category LIKE ? "
                "OR tags LIKE ? LIMIT 50", [like, like, like, like])
            if (j := self.items.index(item_id)) is not None
        ]
        if len(matches) == 1:
            return matches[0]
        shop = self.rec.db_path.name
        if not matches:
            raise UserError(f"No product '{key}' in {shop} (by id or name): check the id, or search the Catalog.")
        named = ", ".join(f"{self.items.ids[m]} ({self.titles[m]})" for m in matches[:MAX_NAME_MATCHES])
        more = "" if len(matches) <= MAX_NAME_MATCHES else f" and {len(matches) - MAX_NAME_MATCHES} more"
        raise UserError(f"'{key}' fits several products in {shop}: {named}{more}; give the product's id.")

    def _titles(self) -> dict[str, list[int]]:
        if self._by_title is None:
            by_title: dict[str, list[int]] = {}
            variants = set(self.rec.rules.variants)  # a size shares its product's name: the product answers
            for j, title in enumerate(self.titles):
                if self.items.ids[j] not in variants:
                    by_title.setdefault(title.casefold(), []).append(j)
            self._by_title = by_title
        return self._by_title

    # ------------------------------------------------------------------ lists
    def for_basket(self, basket: Sequence[int], n: int = 10, tiers: Sequence[str] = ALL_TIERS, *,
                   pins: bool = True, bestsellers: bool = True) -> list[Recommendation]:
        """The top ``n`` products to offer with ``basket`` (product indices), best first, each with its reason.
        ``tiers``: which evidence to use; ``pins``: the owner's pinned products first; ``bestsellers``: fill
        the list with them after the evidence (off where a short list beats an unrelated one: a web shop's
        related products)."""
        basket_idx = np.unique(np.asarray(basket, dtype=np.int64))
        taken = np.zeros(len(self.items), dtype=bool)  # offered already, in the basket, or blocked
        taken[basket_idx] = True
        recs: list[Recommendation] = []
        if pins:
            for j in self.rules.pinned:
                if len(recs) < n and not taken[j]:
                    recs.append(self._rec(int(j), 1.0, PINNED_REASON))
                    taken[j] = True
        taken |= self.blocked
        for tier in self.tiers:
            if len(recs) >= n:
                break
            if tier.name in tiers:
                recs += self._from_tier(tier, basket_idx, n - len(recs), taken)
        if bestsellers and len(recs) < n:
            for j in self._bestsellers:
                if len(recs) >= n:
                    break
                if not taken[j]:
                    recs.append(self._rec(int(j), 0.0, POPULAR_REASON))
                    taken[j] = True
        return recs

    def related(self, j: int, n: int = 10, tiers: Sequence[str] = ALL_TIERS, *, pins: bool = True,
                bestsellers: bool = False) -> list[Recommendation]:
        """Related products of one product (its page, the web shop's related products): evidence only by
        default, no bestsellers to fill it."""
        return self.for_basket([j], n, tiers, pins=pins, bestsellers=bestsellers)

    def _from_tier(self, tier: _Tier, basket: np.ndarray, n: int, taken: np.ndarray) -> list[Recommendation]:
        m = tier.matrix
        starts, ends = m.indptr[basket], m.indptr[basket + 1]
        if int((ends - starts).sum()) == 0:
            return []
        cols = np.concatenate([m.indices[a:b] for a, b in zip(starts, ends, strict=True)])
        vals = np.concatenate([m.data[a:b] for a, b in zip(starts, ends, strict=True)]).astype(np.float64)
        # Which basket product each entry came from: the strongest one gives the reason.
        source = np.repeat(basket, ends - starts)
        keep = ~taken[cols]
        cols, vals, source = cols[keep], vals[keep], source[keep]
        if len(cols) == 0:
            return []
        products, where = np.unique(cols, return_inverse=True)
        scores = np.bincount(where, weights=vals) * self.rules.multiplier[products]
        strongest = np.full(len(products), -1, dtype=np.int64)
        best = np.full(len(products), -np.inf)
        for k in range(len(cols)):  # few hundred entries: the basket's rows only
            if vals[k] > best[where[k]]:
                best[where[k]], strongest[where[k]] = vals[k], source[k]
        order = np.lexsort((products, -scores))[:n]  # ties go by position, so lists are stable
        recs = []
        for k in order:
            j = int(products[k])
            recs.append(self._rec(j, float(scores[k]), self._reason[tier.name](int(strongest[k]))))
            taken[j] = True
        return recs

    def _rec(self, j: int, score: float, reason: str) -> Recommendation:
        return Recommendation(self.items.ids[j], self.titles[j], score, reason, self.rec.catalog.badges(j))


def _has_product_id(db: store.sqlite_utils.Database) -> bool:
    """Whether the shop's items carry product_id (variants, schema 6); older shops have no variant rows."""
    return any(row[1] == "product_id" for row in db.execute("PRAGMA table_info(items)"))


def basket_recommendations(rec: Recommender, items: Sequence[str], n: int = 10, *,
                           cross_sell: CrossSell | None = None) -> list[Recommendation]:
    """The top ``n`` products for a basket of product ids or names (see CrossSell.resolve, for_basket)."""
    cs = cross_sell or CrossSell.load(rec)
    return cs.for_basket(cs.resolve(items), n)
