"""Recommendations and lookups over the prepared recommender: one customer, one product, a free-text search,
a product's audience, a basket, the lists that are the same for everyone, and the prices to show with them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.recommend.audience import AudienceMember
    from lrec_desktop.core.recommend.cross_sell import CrossSell
    from lrec_desktop.core.recommend.service import Recommendation, Recommender
    from lrec_desktop.core.store.queries import CustomerCard

TOP_N = 10
# A match's score is the cosine similarity of the description with the query: on the bundled model related
# products score ~0.3-0.7 and unrelated ones ~0-0.2. Keep those near the best one, at least a few.
MIN_SCORE, NEAR_BEST, AT_LEAST = 0.2, 0.6, 3


@dataclass(frozen=True)
class CustomerView:
    """One customer's card, history (newest first) and recommendations (None: not prepared yet)."""

    customer_id: str
    card: CustomerCard | None
    history: list[tuple[Any, ...]]
    recs: list[Recommendation] | None


@dataclass(frozen=True)
class Matches:
    """Products matching a description by meaning, with their catalog rows."""

    query: str
    recs: list[Recommendation]
    items: dict[str, dict[str, Any] | None]


def customer_view(db_path: Path, customer_id: str, recommender: Recommender | None, n: int = TOP_N, *,
                  progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> CustomerView:
    """A quick job: the card, the history and (when prepared) the recommendations of one customer."""
    from lrec_desktop.core.store.queries import customer_card, customer_history

    with opened(db_path, readonly=True) as db:
        card = customer_card(db, customer_id)
        history = list(customer_history(db, customer_id))
        if cancel is not None:
            cancel.raise_if_cancelled()
        recs = for_customer(recommender, db, customer_id, n) if recommender is not None else None
    return CustomerView(customer_id, card, history, recs)


def for_customer(recommender: Recommender, db: sqlite_utils.Database, customer_id: str, n: int = TOP_N,
                 discovery: float | None = None) -> list[Recommendation]:
    """One customer's recommendations, their due reorders first where buy-again is on for this shop (the window's
    customer card and ``lrec-desktop recommend`` alike)."""
    from lrec_desktop.core.recommend.buy_again import detect, merge, reorders

    recs = list(recommender.recommend(customer_id, n, discovery))
    if not detect(db).enabled:
        return recs
    due = reorders(db, [customer_id])
    return list(merge(recs, due, n)) if due else recs


def good_matches(recs: list[Recommendation]) -> list[Recommendation]:
    """The matches worth showing: those near the best one, at least a few; none when all are weak."""
    if not recs:
        return []
    best = max(r.score for r in recs)
    if best < MIN_SCORE:
        return []
    cut = max(MIN_SCORE, NEAR_BEST * best)
    strong = [r for r in recs if r.score >= cut]
    return strong if len(strong) >= AT_LEAST else [r for r in recs if r.score >= MIN_SCORE][:AT_LEAST]


def describe(db_path: Path, recommender: Recommender, query: str, n: int = 30, *,
             progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Matches:
    """A quick job: products matching ``query`` by meaning, with their catalog details; weak matches are left
    out (a shop owner reads a list that ends where the matches stop, not the whole catalog)."""
    from lrec_desktop.core.store.queries import get_item

    recs = good_matches(list(recommender.search(query, n)))
    if cancel is not None:
        cancel.raise_if_cancelled()
    with opened(db_path, readonly=True) as db:
        items = {r.item_id: get_item(db, r.item_id) for r in recs}
    return Matches(query, recs, items)


def similar_products(recommender: Recommender, item_id: str, n: int = TOP_N, *, progress: ProgressFn = no_progress,
                     cancel: CancelToken | None = None) -> list[Recommendation]:
    return list(recommender.similar(item_id, n))


def recommend_customer(recommender: Recommender, db_path: Path, key: str, n: int = TOP_N,
                       discovery: float | None = None) -> list[Recommendation]:
    """Recommendations for a customer named by id or e-mail; UserError when the shop has no such customer."""
    from lrec_desktop.core.store.queries import find_customer

    with opened(db_path, readonly=True) as db:
        customer = find_customer(db, key)
        if customer is None:
            raise UserError(f"No customer '{key}' in {Path(db_path).name}.")
        return for_customer(recommender, db, customer, n, discovery)


def similar_to(recommender: Recommender, db_path: Path, item_id: str, n: int = TOP_N) -> list[Recommendation]:
    """Products bought with or described like a product (a size stands for its product)."""
    from lrec_desktop.core.store.queries import get_item

    with opened(db_path, readonly=True) as db:
        item = get_item(db, item_id)
    if item is None:
        raise UserError(f"No product '{item_id}' in {Path(db_path).name}.")
    return list(recommender.similar(str(item["product_id"]), n))


def search(recommender: Recommender, db_path: Path, text: str, n: int = TOP_N) -> list[Recommendation]:
    """Products matching free text, each product once (its sizes come back as one)."""
    from lrec_desktop.core.products import one_per_product
    from lrec_desktop.core.store.queries import has_variants

    if recommender.text is None:  # a damaged index says so; else none was built yet
        raise recommender.text_problem or UserError(
            "The text model has not read the product descriptions yet: run 'lrec-desktop embed'.")

    def badges(item: str) -> tuple[str, ...]:  # as search gives them: sold out is said
        j = recommender.model.items.known(item)
        return tuple(recommender.catalog.badges(j)) + (() if recommender.catalog.in_stock[j] else ("out of stock",))

    with opened(db_path, readonly=True) as db:
        wanted = n * 3 if has_variants(db) else n  # without variants, exactly the list asked for
        found: list[Recommendation] = one_per_product(db, recommender.search(text, wanted), badges)
    return found[:n]


def find_audience(db_path: Path, item_id: str, recommender: Recommender | None = None, n: int = 50, *,
                  progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> list[AudienceMember]:
    """The customers most likely to want a product."""
    from lrec_desktop.core.recommend.audience import find_audience as find

    return list(find(Path(db_path), item_id, n, recommender=recommender, progress=progress, cancel=cancel))


_cross_sell: dict[tuple[int, int], CrossSell] = {}  # one per recommender and rules version: built once, then warm


def cross_sell_for(recommender: Recommender, rules_version: int = 0, cancel: CancelToken | None = None) -> CrossSell:
    """The recommender's cross-sell tables, built on first use (the window calls it on one worker thread)."""
    from lrec_desktop.core.recommend.cross_sell import CrossSell

    key = (id(recommender), rules_version)
    cs = _cross_sell.get(key)
    if cs is None or cs.rec is not recommender:
        cs = CrossSell.load(recommender, cancel=cancel)
        _cross_sell.clear()  # only the current recommender's is worth keeping
        _cross_sell[key] = cs
    return cs


@dataclass(frozen=True)
class BasketOffer:
    """A basket's products (ids and names) and what to offer with it."""

    ids: list[str]
    titles: list[str]
    recs: list[Recommendation]


def basket_offer(recommender: Recommender, rules_version: int, keys: Sequence[str], n: int = TOP_N, *,
                 progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> BasketOffer:
    """A quick job: a key that names no product, or several, raises the UserError that says so."""
    cs = cross_sell_for(recommender, rules_version, cancel)
    basket = cs.resolve(list(keys))
    return BasketOffer([cs.items.ids[j] for j in basket], [cs.titles[j] for j in basket],
                       list(cs.for_basket(basket, n)))


def same_order(recommender: Recommender, rules_version: int, item_id: str, n: int = TOP_N, *,
               progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> list[Recommendation]:
    """A quick job: the products most often in the same order as ``item_id``."""
    from lrec_desktop.core.recommend.cross_sell import SAME_ORDER

    cs = cross_sell_for(recommender, rules_version, cancel)
    j = recommender.model.items.index(item_id)
    return [] if j is None else list(cs.related(j, n, (SAME_ORDER,), pins=False))


def trending(recommender: Recommender, n: int = TOP_N, weeks: int = 4) -> list[Recommendation]:
    from lrec_desktop.core.recommend.lists import trending as rising

    return list(rising(recommender, n, weeks))


def new_arrivals(recommender: Recommender, n: int = TOP_N, days: int = 30) -> list[Recommendation]:
    from lrec_desktop.core.recommend.lists import new_arrivals as arrivals

    return list(arrivals(recommender, n, days))


def gem_slots(n: int, level: float, recommender: object | None = None) -> int:
    """How many of ``n`` recommendations are places kept for rarely sold or new products at discovery ``level``.
    With the shop's learned ranking (``recommender``'s), places are kept only towards the slider's far end: below
    it the ranking itself weighs those products more (learned_order)."""
    from lrec_desktop.core.recommend.discovery import discovery_slots

    ranking = getattr(recommender, "ranking", None)
    if ranking is not None:
        from lrec_desktop.core.rank.levels import slot_share

        level = slot_share(ranking.ranker.position(level))
    return int(discovery_slots(n, level))


def learned_order(recommender: object | None) -> bool:
    """Whether the lists come from the shop's learned ranking, whose order itself gives rarely sold and new
    products more room as discovery rises (not only kept places)."""
    return getattr(recommender, "ranking", None) is not None


@dataclass(frozen=True)
class Prices:
    """Each listed product's price, and the shop's currency code ('' when unknown)."""

    by_item: dict[str, float | None]
    currency: str


def prices_of(db_path: Path, recs: Sequence[Recommendation]) -> Prices:
    from lrec_desktop.core.money import shop_currency
    from lrec_desktop.core.store.queries import item_prices

    with opened(db_path, readonly=True) as db:
        return Prices(item_prices(db, [r.item_id for r in recs]), shop_currency(db))


def format_price(value: float | None, currency: str) -> str:
    from lrec_desktop.core.money import format_price as price

    return price(value, currency)


def currency_sign(code: str) -> str:
    """The sign a price in ``code`` is written with (€ for EUR), else the code itself."""
    from lrec_desktop.core.money import SIGN

    return SIGN.get(code, code)


def lately(recommender: Recommender, n: int = TOP_N, *, progress: ProgressFn = no_progress,
           cancel: CancelToken | None = None) -> tuple[list[Recommendation], list[Recommendation]]:
    """A quick job: (selling faster lately, new arrivals), the same for every customer."""
    return trending(recommender, n), new_arrivals(recommender, n)


@dataclass(frozen=True)
class DueReorder:
    """A product a customer reorders at a steady interval, now due."""

    customer_id: str
    email: str
    item_id: str
    title: str
    reason: str


def due_reorders(db_path: Path, customer_key: str | None = None) -> tuple[str, list[DueReorder]]:
    """(the shop's reorder habit in words, the reorders due: one customer's, by id or e-mail, or everyone's, most
    overdue first); UserError for a customer the shop does not have."""
    from lrec_desktop.core.recommend.buy_again import detect, reorders
    from lrec_desktop.core.store.queries import find_customer

    with opened(db_path, readonly=True) as db:
        customer = None if customer_key is None else find_customer(db, customer_key)
        if customer_key is not None and customer is None:
            raise UserError(f"No customer '{customer_key}' in {Path(db_path).name}.")
        habit, due = detect(db), reorders(db, None if customer is None else [customer])
        emails = {str(c): str(e or "") for c, e in db.execute("SELECT customer_id, email FROM customers")}
    return habit.words(), [DueReorder(r.customer_id, emails.get(r.customer_id, ""), r.item_id, r.title, r.reason())
                           for r in due]
