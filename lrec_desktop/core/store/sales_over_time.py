"""A product's sales over time, for the chart on its page: sales lines per week, or per month when the shop's
sales span more than half a year, from the shop's first sale to its latest (periods without a sale count 0).

Sales are counted as the catalog's "Sales" figure counts them (purchase lines; returns, cancellations and
refunded orders are no purchases), with or without a customer, and a size's sales count for its product.

Beside the sales, the same periods count how many customers' recommendation lists sent held the product
(store.sent: exports and campaigns); the span then also reaches the shop's first and latest export, so a list sent
after the latest imported sale still shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from lrec_desktop.core.jobs import CancelToken
from lrec_desktop.core.store import db as store_db
from lrec_desktop.core.store import sent as store_sent
from lrec_desktop.core.store.schema import PURCHASE_EVENTS

WEEKLY_UP_TO_DAYS = 183  # a longer span is shown per month: a chart of 80 thin weekly bars reads as noise
_PURCHASES = "event IN ({})".format(",".join(f"'{e}'" for e in PURCHASE_EVENTS))


@dataclass(frozen=True)
class SalesOverTime:
    """``starts[i]`` is the first day of period i (a Monday, or the 1st of a month); ``sales[i]`` the sales lines
    in it, ``units[i]`` the quantity sold, ``sent[i]`` how many customers' lists sent in it held the product (a
    customer in two exports counts twice: two lists); ``exports`` how many exports the shop has on record at all."""

    item_id: str
    period: str  # "week" | "month"
    starts: list[date]
    sales: list[int]
    units: list[float]
    sent: list[int] = field(default_factory=list)  # empty when the chart has no periods
    exports: int = 0

    @property
    def total(self) -> int:
        return sum(self.sales)

    @property
    def total_sent(self) -> int:
        return sum(self.sent)


def period_of(day: date, period: str) -> date:
    """The first day of the week (Monday) or month that ``day`` is in."""
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def next_period(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return date(start.year + (start.month == 12), start.month % 12 + 1, 1)


def _day(ts: int | float) -> date:
    return datetime.fromtimestamp(float(ts), tz=UTC).date()


def sent_per_period(sent: Sequence[tuple[int, int]], starts: Sequence[date], period: str) -> list[int]:
    """Customers whose lists held the product, per period: ``sent`` as store.sent.sent_of gives it (when, how many);
    a list sent outside the periods is not counted."""
    index = {s: i for i, s in enumerate(starts)}
    counts = [0] * len(starts)
    for when, customers in sent:
        i = index.get(period_of(_day(when), period))
        if i is not None:
            counts[i] += customers
    return counts


def sales_over_time(
    db_path: Path, item_id: str, *, progress: object = None, cancel: CancelToken | None = None
) -> SalesOverTime:
    """The product's sales and the lists sent with it per period, over the shop's whole span of sales and exports
    (a quick read-only job)."""
    db = store_db.connect(db_path, readonly=True)
    try:
        span = f"SELECT min(ts), max(ts) FROM interactions WHERE {_PURCHASES} AND ts IS NOT NULL"
        first, last = db.execute(span).fetchone()
        rows = db.execute(
            f"""SELECT ts, quantity FROM interactions
                WHERE item_id = ? AND {_PURCHASES} AND ts IS NOT NULL ORDER BY ts""",
            [item_id],
        ).fetchall()
        exports = store_sent.sent_span(db)
        sent = store_sent.sent_of(db, item_id)
    finally:
        db.conn.close()
    if cancel is not None:
        cancel.raise_if_cancelled()
    ends = [t for t in (first, last, exports.first, exports.last) if t is not None]
    if not ends:
        return SalesOverTime(item_id, "week", [], [], [], [], exports.exports)
    start_day, end_day = _day(min(ends)), _day(max(ends))
    period = "week" if (end_day - start_day).days <= WEEKLY_UP_TO_DAYS else "month"
    starts = [period_of(start_day, period)]
    while next_period(starts[-1], period) <= end_day:
        starts.append(next_period(starts[-1], period))
    index = {s: i for i, s in enumerate(starts)}
    sales, units = [0] * len(starts), [0.0] * len(starts)
    for ts, quantity in rows:
        i = index[period_of(_day(ts), period)]
        sales[i] += 1
        units[i] += max(float(quantity or 0), 0.0)
    return SalesOverTime(item_id, period, starts, sales, units, sent_per_period(sent, starts, period),
                         exports.exports)
