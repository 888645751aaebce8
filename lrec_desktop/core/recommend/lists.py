"""Lists that are the same for every customer: what is selling faster lately (trending) and what is new.

"Lately" is counted back from the shop's latest sale, not from today's date: an owner who imports last
year's orders still sees what sold faster at the end of them. Every sale counts, with or without a customer
(till receipts too); returns and non-products do not. The shop's rules apply as on every list (blocked
products never appear, boosts multiply), pins do not: these lists say what is happening, not what the owner
chose.

- trending: order lines of each product in the last WEEKS weeks against its rate in the BASELINE_WINDOWS
  windows of that length before, as (recent - expected) / sqrt(expected + 1): a product selling 12 where 2
  were expected beats one selling 40 where 38 were (the bestsellers list has those), and a jump from 0 to 1
  is no trend (at least MIN_RECENT sales).
- new arrivals: products first seen (first sold, or added to the catalog) in the last DAYS days before the
  latest sale or after it, the ones selling best in that time first, then the newest.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from lrec_desktop.core.csv_safe import SafeCsvWriter
from lrec_desktop.core.output_file import open_output
from lrec_desktop.core.recommend.cross_sell import compile_rules
from lrec_desktop.core.recommend.service import Recommendation, Recommender
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.schema import PRODUCT_LINES, PURCHASE

DAY = 86_400
WEEKS = 4
BASELINE_WINDOWS = 3  # the rate lately is compared with the three windows before it (12 weeks at 4)
MIN_RECENT = 3
DAYS = 30


def _latest_sale(db: store.sqlite_utils.Database) -> int | None:
    row = db.execute("SELECT max(ts) FROM interactions WHERE event = ? AND ts IS NOT NULL", [PURCHASE]).fetchone()
    return None if row[0] is None else int(row[0])


def _day(ts: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ts))


def trending(rec: Recommender, n: int = 10, weeks: int = WEEKS) -> list[Recommendation]:
    """The ``n`` products whose sales rose most in the last ``weeks`` weeks before the shop's latest sale."""
    db = store.connect(rec.db_path, readonly=True)
    try:
        now = _latest_sale(db)
        if now is None:
            return []
        window = weeks * 7 * DAY
        start, base_start = now - window, now - window * (1 + BASELINE_WINDOWS)
        rows = db.execute(
            f"""SELECT item_id, sum(ts > ?), sum(ts <= ? AND ts > ?) FROM interactions
               WHERE event = ? AND ts > ? AND {PRODUCT_LINES} GROUP BY item_id""",
            [start, start, base_start, PURCHASE, base_start],
        ).fetchall()
    finally:
        db.close()
    rules = compile_rules(rec)
    index = rec.model.items.index
    scored = []
    for item_id, recent, before in rows:
        j = index(item_id)
        if j is None or not rules.allowed[j] or recent < MIN_RECENT:
            continue
        expected = before / BASELINE_WINDOWS
        score = (recent - expected) / math.sqrt(expected + 1.0) * float(rules.multiplier[j])
        if score > 0:
            scored.append((-score, item_id, j, int(recent), expected))
    scored.sort()
    return [
        Recommendation(item_id, rec.catalog.titles[j], -neg,
                       f"Selling well lately: {recent} sold in the {weeks} weeks to {_day(now)}, "
                       f"about {expected:.0f} in {weeks} weeks before", rec.catalog.badges(j))
        for neg, item_id, j, recent, expected in scored[:n]
    ]


def new_arrivals(rec: Recommender, n: int = 10, days: int = DAYS) -> list[Recommendation]:
    """The ``n`` products first seen in the last ``days`` days before the latest sale (or since it)."""
    db = store.connect(rec.db_path, readonly=True)
    try:
        now = _latest_sale(db)
        if now is None:
            now = int(time.time())
        since = now - days * DAY
        rows = db.execute(
            f"""SELECT i.item_id, i.first_seen,
                      (SELECT count(*) FROM interactions t WHERE t.item_id = i.item_id AND t.event = ?)
               FROM items i WHERE i.first_seen >= ? AND i.{PRODUCT_LINES}""",
            [PURCHASE, since],
        ).fetchall()
    finally:
        db.close()
    rules = compile_rules(rec)
    index = rec.model.items.index
    found = []
    for item_id, first_seen, sold in rows:
        j = index(item_id)
        if j is not None and rules.allowed[j]:
            found.append((-sold * float(rules.multiplier[j]), -first_seen, item_id, j, sold, first_seen))
    found.sort()
    return [
        Recommendation(item_id, rec.catalog.titles[j], float(sold),
                       f"New: first sold on {_day(first)}, {sold} sold since" if sold and first <= now
                       else "New in the catalog, not sold yet", rec.catalog.badges(j))
        for _, _, item_id, j, sold, first in found[:n]
    ]



LIST_HEADER = ["rank", "item_id", "title", "reason"]


def write_list_csv(recs: list[Recommendation], out: Path, *, shop: Path | None = None) -> None:
    """A list as CSV (``rank,item_id,title,reason``), through the safe output writer and CSV neutralising."""
    with open_output(out, shop=shop) as f:
        writer = SafeCsvWriter(f)
        writer.writerow(LIST_HEADER)
        for rank, r in enumerate(recs, 1):
            writer.writerow([rank, r.item_id, r.title, r.reason])
