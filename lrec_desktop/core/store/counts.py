"""Where every order line read went (issue 18, item 4): the same figures for the import summary, ``stats`` and the
Overview, each with the words that explain it.

Every line read is exactly one of: skipped (with a reason, in import_problems), already in the shop (an overlapping
export), a purchase of a product by a known customer (what recommendations learn from), a purchase without a
customer (counted for the product's popularity only), kept but no purchase (returns, cancellations, refunded or
voided orders), or a line of a non-product (postage, fees, gift cards: core.ingest.nonproducts).
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass

from lrec_desktop.core.store.schema import NOT_A_PRODUCT, PURCHASE_EVENTS

_PURCHASE = "event IN ({})".format(",".join(f"'{e}'" for e in PURCHASE_EVENTS))
_NON_PRODUCT = f"item_id IN (SELECT item_id FROM items WHERE {NOT_A_PRODUCT})"
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


@dataclass(frozen=True)
class LineCounts:
    read: int = 0
    skipped: int = 0
    already_there: int = 0
    purchases: int = 0  # by a known customer, of a product: what recommendations learn from
    without_customer: int = 0  # purchases of a product without a customer: popularity only
    not_purchases: int = 0  # returns, cancellations, refunded or voided orders
    non_product_lines: int = 0  # postage, fees, gift cards ...

    @property
    def adds_up(self) -> bool:
        return self.read == (self.skipped + self.already_there + self.purchases + self.without_customer
                             + self.not_purchases + self.non_product_lines)

    def parts(self, *, purchases: bool = True) -> list[str]:
        """The non-zero figures in words, biggest meaning first (``purchases=False``: what is not learned from)."""
        words = [
            (self.purchases if purchases else 0, "purchases by known customers (what recommendations learn from)"),
            (self.without_customer, "sales without a customer (counted for popularity only)"),
            (self.not_purchases, "returns, cancellations or refunded orders (kept, not purchases)"),
            (self.non_product_lines, "postage, fees, discounts or gift cards (kept, never recommended)"),
            (self.already_there, "already in the shop"),
            (self.skipped, "skipped"),
        ]
        return [f"{n:,} {what}" for n, what in words if n]

    def sentence(self, lines: str = "order lines") -> str:
        return f"{self.read:,} {lines} read: " + "; ".join(self.parts()) + "." if self.parts() else \
            f"{self.read:,} {lines} read."


def _split(conn: sqlite3.Connection, where: str, args: list[object]) -> tuple[int, int, int, int]:
    """(purchases, without customer, not purchases, non-product lines) of the interactions matching ``where``."""
    row = conn.execute(
        f"""SELECT
              sum(CASE WHEN {_PURCHASE} AND NOT np AND customer_id IS NOT NULL THEN 1 ELSE 0 END),
              sum(CASE WHEN {_PURCHASE} AND NOT np AND customer_id IS NULL THEN 1 ELSE 0 END),
              sum(CASE WHEN NOT ({_PURCHASE}) THEN 1 ELSE 0 END),
              sum(CASE WHEN {_PURCHASE} AND np THEN 1 ELSE 0 END)
            FROM (SELECT event, customer_id, {_NON_PRODUCT} AS np FROM interactions {where})""",
        args,
    ).fetchone()
    return tuple(int(v or 0) for v in row)  # type: ignore[return-value]


def line_counts(conn: sqlite3.Connection, import_id: int | None = None) -> LineCounts:
    """Where the lines of one sales import (or of every one) went."""
    args: list[object] = [import_id] if import_id is not None else []
    where = "WHERE import_id = ?" if import_id is not None else ""
    kinds = "kind = 'interactions'" + (" AND import_id = ?" if import_id is not None else "")
    read, accepted, skipped = (int(v or 0) for v in conn.execute(
        f"SELECT sum(rows_read), sum(rows_accepted), sum(rows_rejected) FROM imports WHERE {kinds}", args).fetchone())
    purchases, anonymous, not_purchases, non_product = _split(conn, where, args)
    stored = purchases + anonymous + not_purchases + non_product
    return LineCounts(read, skipped, max(accepted - stored, 0), purchases, anonymous, not_purchases, non_product)


def skip_reasons(conn: sqlite3.Connection, import_id: int | None = None, limit: int = 5) -> list[tuple[str, int]]:
    """The commonest reasons lines were skipped, the quoted cell left out ("quantity … is not a number")."""
    args: list[object] = [import_id] if import_id is not None else []
    where = "WHERE import_id = ?" if import_id is not None else ""
    counts: Counter[str] = Counter()
    for reason, n in conn.execute(f"SELECT reason, count(*) FROM import_problems {where} GROUP BY reason", args):
        counts[_QUOTED.sub("…", reason)] += n
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]  # ties in a stable order
