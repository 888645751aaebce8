"""Saving a campaign export in the shop file: when, which customers got the e-mail, which were held back.

A share of the campaign's customers (default 10%) is held back at random, seeded so the same export draws the same
customers again. Held-back customers are not written to the file, but their recommendations are worked out and
saved like everyone's, so the comparison afterwards asks the same question of both groups: did they buy one of
*their* recommended products?
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass

import sqlite_utils

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store.schema import PURCHASE

DEFAULT_HOLDOUT = 0.1


@dataclass(frozen=True)
class Campaign:
    campaign_id: int
    name: str
    created_at: int  # when the export ran (wall clock)
    since_ts: int  # the shop's latest sale then: purchases after it are the campaign's outcome
    holdout: float
    seed: int
    file: str
    segments: str
    treated: int
    held_back: int


def check_holdout(share: float) -> float:
    if not 0.0 < share < 1.0:
        raise UserError(f"The share of customers to hold back must be more than 0 and less than 1 (0.1 is 10%), "
                        f"not {share:g}.")
    return share


def held_back(customers: list[str], share: float, seed: int) -> set[str]:
    """A random ``share`` of ``customers`` (at least one when there are two or more), the same for the same seed."""
    check_holdout(share)
    ordered = sorted(customers)
    n = min(len(ordered) - 1, max(1, round(len(ordered) * share))) if len(ordered) > 1 else 0
    return set(random.Random(seed).sample(ordered, n))


def latest_sale(db: sqlite_utils.Database) -> int:
    row = db.execute("SELECT max(ts) FROM interactions WHERE event = ? AND ts IS NOT NULL", [PURCHASE]).fetchone()
    return int(row[0]) if row[0] is not None else int(time.time())


def insert_campaign(db: sqlite_utils.Database, name: str, holdout: float, seed: int, file: str, segments: str,
                    members: dict[str, list[str]], treated: set[str], since_ts: int,
                    now: int | None = None) -> Campaign:
    """Record one campaign, inside the caller's transaction (the export notes its lists sent in the same one):
    every member with their products (ids) and whether they got it."""
    if not members:
        raise UserError("The campaign has no customers to record: choose other segments or customers.")
    now = int(time.time()) if now is None else now
    cursor = db.execute(
        "INSERT INTO campaigns (name, created_at, since_ts, holdout, seed, file, segments) VALUES (?,?,?,?,?,?,?)",
        [name, now, since_ts, holdout, seed, file, segments])
    campaign_id = int(cursor.lastrowid or 0)  # an INSERT always sets it
    db.conn.executemany(
        "INSERT INTO campaign_members (campaign_id, customer_id, treated, items) VALUES (?, ?, ?, ?)",
        [(campaign_id, c, int(c in treated), json.dumps(items)) for c, items in members.items()])
    n_treated = sum(1 for c in members if c in treated)
    return Campaign(campaign_id, name, now, since_ts, holdout, seed, file, segments, n_treated,
                    len(members) - n_treated)


def list_campaigns(db: sqlite_utils.Database) -> list[Campaign]:
    """Every campaign, newest first."""
    rows = db.execute(
        """SELECT c.campaign_id, c.name, c.created_at, c.since_ts, c.holdout, c.seed, c.file, c.segments,
                  coalesce(sum(m.treated), 0), count(m.customer_id) - coalesce(sum(m.treated), 0)
           FROM campaigns c LEFT JOIN campaign_members m ON m.campaign_id = c.campaign_id
           GROUP BY c.campaign_id ORDER BY c.created_at DESC, c.campaign_id DESC""").fetchall()
    return [Campaign(int(r[0]), r[1], int(r[2]), int(r[3]), float(r[4]), int(r[5]), r[6], r[7], int(r[8]),
                     int(r[9])) for r in rows]


def members(db: sqlite_utils.Database, campaign_id: int) -> list[tuple[str, bool, list[str]]]:
    return [(c, bool(t), json.loads(items)) for c, t, items in db.execute(
        "SELECT customer_id, treated, items FROM campaign_members WHERE campaign_id = ? ORDER BY customer_id",
        [campaign_id])]
