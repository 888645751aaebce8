"""What a campaign sold: the purchase rate of its recommended products, customers who got it against those held back.

For each campaign, a customer "bought a recommended product" when, after the campaign (a purchase later than the
shop's latest sale when it was exported), they bought one of the products the campaign gave them (held-back
customers: the ones it would have given them). The ratio of the two rates has a 95% interval from the normal
approximation on the log of the ratio of two proportions (Katz et al. 1978):
se(log RR) = sqrt(1/a - 1/n1 + 1/c - 1/n0), where a and c are the buyers among n1 treated and n0 held back.
It needs at least one buyer in each group; with fewer than MIN_BUYERS in either, the words say the figure is rough.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from lrec_desktop.core.campaigns.record import Campaign, list_campaigns, members
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.store.schema import PURCHASE

Z95 = 1.959964
MIN_BUYERS = 5  # below this in a group the interval is very wide: said in words


@dataclass(frozen=True)
class Uplift:
    campaign: Campaign
    treated: int
    treated_buyers: int
    held_back: int
    held_back_buyers: int
    sales_since: int  # purchases of any product imported since the campaign
    ratio: float | None  # treated rate / held-back rate; None when it can't be told
    low: float | None
    high: float | None

    @property
    def treated_rate(self) -> float:
        return self.treated_buyers / self.treated if self.treated else 0.0

    @property
    def held_back_rate(self) -> float:
        return self.held_back_buyers / self.held_back if self.held_back else 0.0

    def words(self) -> str:
        """The finding in plain words, honest about counts too small to tell anything."""
        day = time.strftime("%Y-%m-%d", time.gmtime(self.campaign.since_ts))
        if self.sales_since == 0:
            return f"No sales after {day} imported yet: import the orders since the campaign to see what it sold."
        rates = (f"{_pct(self.treated_rate)} of {self.treated:,} who got the e-mail vs {_pct(self.held_back_rate)} "
                 f"of {self.held_back:,} held back")
        if self.ratio is None:
            return (f"Too few purchases to compare yet: {rates} bought a recommended product "
                    f"({self.treated_buyers} and {self.held_back_buyers} customers).")
        text = (f"Customers who got the e-mail bought a recommended product {self.ratio:.1f}x as often: "
                f"{_pct(self.treated_rate)} vs {_pct(self.held_back_rate)}, 95% interval "
                f"{self.low:.1f}x-{self.high:.1f}x")
        if self.low is not None and self.high is not None and self.low <= 1.0 <= self.high:
            text += "; that could still be chance (the interval includes 1x, no difference)"
        if min(self.treated_buyers, self.held_back_buyers) < MIN_BUYERS:
            text += (f"; only {self.treated_buyers} and {self.held_back_buyers} buyers so far, so this is a rough "
                     "first reading")
        return text + "."

    def as_dict(self) -> dict[str, object]:
        c = self.campaign
        return {"campaign_id": c.campaign_id, "name": c.name, "created_at": c.created_at, "since_ts": c.since_ts,
                "holdout": c.holdout, "seed": c.seed, "file": c.file, "segments": c.segments,
                "treated": self.treated, "treated_buyers": self.treated_buyers, "held_back": self.held_back,
                "held_back_buyers": self.held_back_buyers, "treated_rate": self.treated_rate,
                "held_back_rate": self.held_back_rate, "ratio": self.ratio, "ratio_low": self.low,
                "ratio_high": self.high, "sales_since": self.sales_since, "interval": "95%, normal on log ratio",
                "words": self.words()}


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def ratio_interval(a: int, n1: int, c: int, n0: int) -> tuple[float | None, float | None, float | None]:
    """(ratio, low, high) of a/n1 over c/n0 with its 95% log-normal interval; Nones without buyers in a group."""
    if not (a and c and n1 and n0):
        return None, None, None
    ratio = (a / n1) / (c / n0)
    se = math.sqrt(max(1 / a - 1 / n1 + 1 / c - 1 / n0, 0.0))
    return ratio, math.exp(math.log(ratio) - Z95 * se), math.exp(math.log(ratio) + Z95 * se)


def measure(db: sqlite_utils.Database, campaign: Campaign) -> Uplift:
    bought: dict[str, set[str]] = {}
    for customer, item in db.execute(
            "SELECT DISTINCT x.customer_id, x.item_id FROM interactions x JOIN campaign_members m "
            "ON m.customer_id = x.customer_id AND m.campaign_id = ? WHERE x.event = ? AND x.ts > ?",
            [campaign.campaign_id, PURCHASE, campaign.since_ts]):
        bought.setdefault(customer, set()).add(item)
    counts = {True: [0, 0], False: [0, 0]}
    for customer, treated, items in members(db, campaign.campaign_id):
        counts[treated][0] += 1
        counts[treated][1] += bool(bought.get(customer, set()) & set(items))
    sales = db.execute("SELECT count(*) FROM interactions WHERE event = ? AND ts > ?",
                       [PURCHASE, campaign.since_ts]).fetchone()[0]
    (n1, a), (n0, c) = counts[True], counts[False]
    ratio, low, high = ratio_interval(a, n1, c, n0)
    return Uplift(campaign, n1, a, n0, c, int(sales), ratio, low, high)


def measure_all(db: sqlite_utils.Database) -> list[Uplift]:
    """Every campaign's figures, newest first."""
    return [measure(db, c) for c in list_campaigns(db)]


def measure_shop(db_path: Path, *, progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> list[Uplift]:
    """Every campaign's figures for the shop file at ``db_path`` (a job for the window's worker)."""
    from lrec_desktop.core.store import db as store

    db = store.connect(db_path, readonly=True)
    try:
        return measure_all(db)
    finally:
        db.close()
