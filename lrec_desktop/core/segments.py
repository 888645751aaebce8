"""Which customers a campaign goes to: segments such as first-time buyers, lapsed customers or big spenders.

A segment is written ``NAME`` or ``NAME:VALUE`` (the CLI's repeatable ``--segment``, the export dialog's choices):

    first-time          customers with exactly one order
    repeat              customers with two orders or more
    lapsed:DAYS         no order in the last DAYS days (but at least one before)
    recent:DAYS         bought in the last DAYS days
    big-spenders:PCT    the top PCT percent of customers by what they spent (quantity x the product's price)
    category:NAME       bought a product of that category (as the catalog names it, any case)
    product:ID          bought that product (its id or exact name; a size counts for its product)

Several segments together mean customers in all of them ("lapsed:90" and "category:Tea": lapsed tea buyers).
"Days" count back from the shop's latest sale, as the trending list does, so last year's orders still make sense.
Orders are told apart by order id, else by day. Only purchases count, not returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store.schema import PRODUCT_LINES, PURCHASE

DAY = 86_400
NAMES = ("first-time", "repeat", "lapsed", "recent", "big-spenders", "category", "product")
_NUMBER = {"lapsed": "days", "recent": "days", "big-spenders": "percent"}
_TEXT = {"category", "product"}
EXAMPLES = "first-time, repeat, lapsed:90, recent:30, big-spenders:10, category:Tea, product:SKU-1"


@dataclass(frozen=True)
class Segment:
    name: str
    value: str = ""

    @property
    def spec(self) -> str:
        return f"{self.name}:{self.value}" if self.value else self.name

    def describe(self) -> str:
        """The segment in the owner's words, for the dialog, the CLI and the campaign's record."""
        return {
            "first-time": "bought once",
            "repeat": "bought more than once",
            "lapsed": f"no order in the last {self.value} days",
            "recent": f"bought in the last {self.value} days",
            "big-spenders": f"the top {self.value}% by spend",
            "category": f"bought from the category {self.value}",
            "product": f"bought the product {self.value}",
        }[self.name]


@dataclass(frozen=True)
class SegmentChoice:
    segments: tuple[Segment, ...]
    customers: list[str]  # customer ids in all the segments, sorted

    def describe(self) -> str:
        return " and ".join(s.describe() for s in self.segments) or "every customer"


def parse_segment(text: str) -> Segment:
    """``lapsed:90`` → Segment('lapsed', '90'); a bad one is a UserError of one sentence naming it."""
    name, _, value = text.strip().partition(":")
    name, value = name.strip().lower(), value.strip()
    if name not in NAMES:
        raise UserError(f"Unknown segment '{text}': choose one of {EXAMPLES}.")
    if name in _NUMBER:
        limit = 100 if name == "big-spenders" else 36_500
        if not value.isdigit() or not 1 <= int(value) <= limit:
            raise UserError(f"Segment '{text}' needs a whole number of {_NUMBER[name]} from 1 to {limit}, "
                            f"as in {name}:{'10' if name == 'big-spenders' else '90'}.")
        value = str(int(value))
    elif name in _TEXT:
        if not value:
            raise UserError(f"Segment '{text}' needs a {name} after the colon, as in {name}:"
                            f"{'Tea' if name == 'category' else 'SKU-1'}.")
    elif value:
        raise UserError(f"Segment '{text}' takes no value: write just '{name}'.")
    return Segment(name, value)


def _orders(db: sqlite_utils.Database) -> dict[str, tuple[int, int, float]]:
    """customer → (orders, latest purchase time, spend)."""
    rows = db.execute(
        f"""SELECT x.customer_id, count(DISTINCT coalesce(x.order_id, date(x.ts, 'unixepoch'), x.id)), max(x.ts),
                   sum(x.quantity * coalesce(i.price, 0))
            FROM interactions x LEFT JOIN items i ON i.item_id = coalesce(x.variant_id, x.item_id)
            WHERE x.event = ? AND x.customer_id IS NOT NULL AND x.{PRODUCT_LINES} GROUP BY x.customer_id""",
        [PURCHASE],
    ).fetchall()
    return {c: (int(n), int(ts or 0), float(spend or 0.0)) for c, n, ts, spend in rows}


def _bought(db: sqlite_utils.Database, where: str, args: list[object]) -> set[str]:
    return {r[0] for r in db.execute(
        f"""SELECT DISTINCT x.customer_id FROM interactions x JOIN items i ON i.item_id = x.item_id
            WHERE x.event = ? AND x.customer_id IS NOT NULL AND {where}""", [PURCHASE, *args])}


def _members(db: sqlite_utils.Database, segment: Segment, orders: dict[str, tuple[int, int, float]]) -> set[str]:
    latest = max((ts for _n, ts, _s in orders.values()), default=0)
    name, value = segment.name, segment.value
    if name == "first-time":
        return {c for c, (n, _t, _s) in orders.items() if n == 1}
    if name == "repeat":
        return {c for c, (n, _t, _s) in orders.items() if n >= 2}
    if name in ("lapsed", "recent"):
        since = latest - int(value) * DAY
        return {c for c, (_n, ts, _s) in orders.items() if (ts <= since) == (name == "lapsed")}
    if name == "big-spenders":
        spenders = sorted(((s, c) for c, (_n, _t, s) in orders.items() if s > 0), reverse=True)
        keep = max(1, round(len(spenders) * int(value) / 100)) if spenders else 0
        return {c for _s, c in spenders[:keep]}
    if name == "category":
        found = db.execute("SELECT 1 FROM items WHERE category = ? COLLATE NOCASE LIMIT 1", [value]).fetchone()
        if found is None:
            raise UserError(f"Segment 'category:{value}': no product of this shop is in the category '{value}'.")
        return _bought(db, "i.category = ? COLLATE NOCASE", [value])
    row = db.execute("SELECT coalesce(product_id, item_id) FROM items WHERE item_id = ? OR title = ? "
                     "ORDER BY item_id = ? DESC LIMIT 1", [value, value, value]).fetchone()
    if row is None:
        raise UserError(f"Segment 'product:{value}': this shop has no product with that id or name.")
    return _bought(db, "x.item_id = ?", [row[0]])


def choose_customers(db: sqlite_utils.Database, specs: list[str] | tuple[str, ...],
                     among: list[str] | None = None) -> SegmentChoice:
    """Customers in every segment of ``specs`` (and in ``among`` when given), sorted by id."""
    segments = tuple(dict.fromkeys(parse_segment(s) for s in specs))
    chosen = set(among) if among is not None else {r[0] for r in db.execute("SELECT customer_id FROM customers")}
    if segments:
        orders = _orders(db)
        for segment in segments:
            chosen &= _members(db, segment, orders)
    return SegmentChoice(segments, sorted(chosen))


def categories(db: sqlite_utils.Database) -> list[str]:
    """The shop's categories in alphabetical order, for the export dialog's choice (an indexed read: no sales)."""
    return [r[0] for r in db.execute(
        f"SELECT DISTINCT category FROM items WHERE category != '' AND {PRODUCT_LINES} "
        "ORDER BY category COLLATE NOCASE")]
