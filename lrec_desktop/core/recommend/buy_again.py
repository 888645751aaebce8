"""Buy again: products a customer reorders at a steady interval (tea, coffee, pet food), offered when they are due.

A (customer, product) pair is a steady reorder when the product was bought on at least MIN_PURCHASES different days,
the typical gap (the median of the gaps) is between MIN_GAP_DAYS and MAX_GAP_DAYS, and every gap lies within
STEADY of it (+-50%: 4 and 6 weeks around 5 is steady, 1 and 9 weeks is not). It is due when the time since the
last purchase is at least DUE_FROM of the gap and at most GONE_AFTER gaps (longer, and the customer has probably
stopped; a reminder then reads as noise). Time counts back from the shop's latest sale, as the other lists do.

Whether a shop is one where people reorder is read from its own history (``detect``): the share of customers with
three orders or more who have at least one steady reorder. At or above ON_SHARE (10%), with at least MIN_REGULARS
such customers, buy-again is on unless the owner turned it off; else it is off unless turned on (setting
``buy_again``: "auto", "on" or "off"). Chosen on data (README, "Buy again"): ml-latest-small, where nobody rates a
film twice, 0% (0 of 171); the shop slices in tests/fixtures: UCI Online Retail 22% (2 of 9), the German till 36%
(4 of 11), the tea shop's Shopify orders 47% (18 of 38). 10% turns the film catalogue off and every shop on, with
room either way; below MIN_REGULARS customers there is too little history to call it.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlite_utils

from lrec_desktop.core.store.db import data_version
from lrec_desktop.core.store.schema import PRODUCT_LINES, PURCHASE
from lrec_desktop.core.store.settings import BUY_AGAIN, BUY_AGAIN_HABIT

if TYPE_CHECKING:  # the import job counts habits without loading the recommender's libraries
    from lrec_desktop.core.recommend.service import Recommendation

DAY = 86_400
MIN_PURCHASES = 3
MIN_GAP_DAYS, MAX_GAP_DAYS = 7, 180
STEADY = 0.5
DUE_FROM, GONE_AFTER = 0.8, 2.0
ON_SHARE = 0.10
MIN_REGULARS = 5
SETTING = BUY_AGAIN.key
HABIT_SETTING = BUY_AGAIN_HABIT.key  # what the import counted (remember_habit), and for which data version
CHOICES = ("auto", "on", "off")


@dataclass(frozen=True)
class Reorder:
    customer_id: str
    item_id: str
    title: str
    times: int  # days it was bought on
    gap_days: float  # the typical time between purchases
    since_days: float  # since the last purchase, counted to the shop's latest sale

    @property
    def due(self) -> bool:
        return DUE_FROM * self.gap_days <= self.since_days <= GONE_AFTER * self.gap_days

    def reason(self) -> str:
        return f"Usually reordered every {_span(self.gap_days)}, last bought {_span(self.since_days)} ago"


@dataclass(frozen=True)
class ReorderHabit:
    customers: int  # customers with MIN_PURCHASES orders or more
    reorderers: int  # of those, customers with a steady reorder
    setting: str  # what the owner chose: auto, on or off

    @property
    def share(self) -> float:
        return self.reorderers / self.customers if self.customers else 0.0

    @property
    def detected(self) -> bool:
        return self.share >= ON_SHARE and self.customers >= MIN_REGULARS

    @property
    def enabled(self) -> bool:
        return self.setting == "on" or (self.setting == "auto" and self.detected)

    def words(self) -> str:
        found = (f"{self.share:.0%} of the customers with three orders or more reorder a product at a steady "
                 f"interval ({self.reorderers:,} of {self.customers:,})")
        rare = ("off, as reorders are rare here" if self.customers >= MIN_REGULARS
                else "off, as there is too little history yet to tell")
        chose = {"on": "on (your choice)", "off": "off (your choice)",
                 "auto": "on, as reorders are common here" if self.detected else rare}
        return f"Buy again is {chose[self.setting]}: {found}."


def _span(days: float) -> str:
    if days < 14:
        return f"~{round(days):d} days"
    if days < 70:
        return f"~{round(days / 7):d} weeks"
    return f"~{round(days / 30.4):d} months"


def _steady(days: list[int]) -> float | None:
    """The typical gap in days when the purchase days are a steady reorder, else None."""
    if len(days) < MIN_PURCHASES:
        return None
    gaps = [b - a for a, b in itertools.pairwise(days)]
    typical = statistics.median(gaps)
    if not MIN_GAP_DAYS <= typical <= MAX_GAP_DAYS:
        return None
    return float(typical) if all(abs(g - typical) <= STEADY * typical for g in gaps) else None


def _history(db: sqlite_utils.Database, customers: list[str] | None = None) -> tuple[dict, int]:
    where, args = "", []
    if customers is not None:
        where = f" AND x.customer_id IN ({','.join('?' * len(customers))})"
        args = list(customers)
    days: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c, item, day in db.execute(
            f"""SELECT DISTINCT x.customer_id, x.item_id, CAST(x.ts / {DAY} AS INTEGER) AS d FROM interactions x
                WHERE x.event = ? AND x.customer_id IS NOT NULL AND x.ts IS NOT NULL AND x.{PRODUCT_LINES}{where}
                ORDER BY 1, 2, 3""", [PURCHASE, *args]):
        days[(c, item)].append(int(day))
    latest = db.execute("SELECT max(ts) FROM interactions WHERE event = ? AND ts IS NOT NULL", [PURCHASE]).fetchone()[0]
    return days, int((latest or 0) // DAY)


def setting(db: sqlite_utils.Database) -> str:
    return BUY_AGAIN.read(db)


def set_choice(db: sqlite_utils.Database, choice: str) -> None:
    if choice not in CHOICES:
        from lrec_desktop.core.errors import UserError

        raise UserError(f"Buy again is 'auto', 'on' or 'off', not '{choice}'.")
    BUY_AGAIN.write(db, choice)


def detect(db: sqlite_utils.Database) -> ReorderHabit:
    """How common steady reorders are in this shop, and whether buy-again is on.

    It reads every purchase, so the import counts it once per version of the shop's data (``remember_habit``) and
    this reads that; after another change (a product marked as none) it is counted again here, not saved: reading
    recommendations never writes to the shop.
    """
    cached = BUY_AGAIN_HABIT.read(db)
    if cached.get("data_version") == data_version(db):
        return ReorderHabit(int(cached["customers"]), int(cached["reorderers"]), setting(db))
    return _count(db)


def remember_habit(db: sqlite_utils.Database) -> None:
    """Count the shop's reorder habit for its current data version (inside the import's transaction)."""
    habit = _count(db)
    BUY_AGAIN_HABIT.write(db, {"data_version": data_version(db), "customers": habit.customers,
                                    "reorderers": habit.reorderers})


def _count(db: sqlite_utils.Database) -> ReorderHabit:
    days, _today = _history(db)
    orders: dict[str, set[int]] = defaultdict(set)
    steady: set[str] = set()
    for (c, _item), d in days.items():
        orders[c].update(d)
        if _steady(d) is not None:
            steady.add(c)
    regulars = {c for c, d in orders.items() if len(d) >= MIN_PURCHASES}
    return ReorderHabit(len(regulars), len(steady & regulars), setting(db))


def reorders(db: sqlite_utils.Database, customers: list[str] | None = None, *, due_only: bool = True) -> list[Reorder]:
    """Steady reorders (due ones only by default), those nearest their usual time first."""
    days, today = _history(db, customers)
    titles = dict(db.execute("SELECT item_id, title FROM items"))
    found = []
    for (c, item), d in days.items():
        gap = _steady(d)
        if gap is not None:
            r = Reorder(c, item, titles.get(item, item) or item, len(d), gap, float(today - d[-1]))
            if r.due or not due_only:
                found.append(r)
    found.sort(key=lambda r: (abs(r.since_days / r.gap_days - 1.0), r.customer_id, r.item_id))
    return found


def merge(recs: list[Recommendation], due: list[Reorder], top: int) -> list[Recommendation]:
    """Due reorders first (at most half the list, one at least), then the recommendations not among them."""
    from lrec_desktop.core.recommend.service import Recommendation

    keep = due[: max(1, top // 2)]
    first = [Recommendation(r.item_id, r.title, 0.0, r.reason(), ("buy again",)) for r in keep]
    taken = {r.item_id for r in keep}
    return (first + [r for r in recs if r.item_id not in taken])[:top]


def due_by_customer(db: sqlite_utils.Database, customers: list[str]) -> dict[str, list[Reorder]]:
    grouped: dict[str, list[Reorder]] = defaultdict(list)
    for r in reorders(db, customers if len(customers) <= 500 else None):
        grouped[r.customer_id].append(r)
    return grouped
