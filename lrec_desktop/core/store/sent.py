"""Recommendations that went out (schema version 8): per export, how many customers' lists held each product.

core.export writes it when a file of customers' recommendations is put in place (the command line's ``export``, the
window's Export dialog, a campaign), in one transaction with the campaign, if any, committed only once the file is
there: a refused or failed export records nothing. A shop that can't be written still exports; nothing is recorded
then (a line in the log says so). A product's page reads it to show how often the product was recommended.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store import access
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.failures import StorageError, storage_error, why_read_only

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentSpan:
    """The shop's exports on record: how many, the first and the latest (Unix seconds; None when there are none)."""

    exports: int
    first: int | None
    last: int | None


def product_counts(lists: Iterable[Iterable[str]]) -> dict[str, int]:
    """Product → in how many of ``lists`` it is (twice in one list counts once: one customer got it once)."""
    counts: dict[str, int] = {}
    for products in lists:
        for item_id in set(products):
            counts[item_id] = counts.get(item_id, 0) + 1
    return counts


def record_sent(conn: sqlite3.Connection, counts: Mapping[str, int], *, customers: int, file: str, sent_at: int,
                campaign_id: int | None = None) -> int | None:
    """Note one export inside the caller's transaction; returns its id, or None when no customer got a list."""
    if customers <= 0:
        return None
    cursor = conn.execute("INSERT INTO sent_lists (sent_at, file, customers, campaign_id) VALUES (?, ?, ?, ?)",
                          [sent_at, file, customers, campaign_id])
    sent_id = int(cursor.lastrowid or 0)  # an INSERT always sets it
    conn.executemany("INSERT INTO sent_products (item_id, sent_id, customers) VALUES (?, ?, ?)",
                     [(item_id, sent_id, n) for item_id, n in sorted(counts.items()) if n > 0])
    return sent_id


def sent_of(db: sqlite_utils.Database, item_id: str) -> list[tuple[int, int]]:
    """(when, customers whose list held the product) for every export that had ``item_id``, oldest first."""
    return [(int(when), int(n)) for when, n in db.execute(
        """SELECT l.sent_at, p.customers FROM sent_products p JOIN sent_lists l ON l.sent_id = p.sent_id
           WHERE p.item_id = ? ORDER BY l.sent_at, l.sent_id""", [item_id])]


def sent_span(db: sqlite_utils.Database) -> SentSpan:
    exports, first, last = db.execute("SELECT count(*), min(sent_at), max(sent_at) FROM sent_lists").fetchone()
    return SentSpan(int(exports), None if first is None else int(first), None if last is None else int(last))


class Recording:
    """One export's record, written in a transaction that is begun at the end of the export (no write lock is held
    while the file is written) and committed by the caller after the file is in place; ``close`` rolls back
    whatever was not committed, so a failure at any point leaves the shop as it was."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.db: sqlite_utils.Database | None = None

    def begin(self, *, required: bool = False) -> sqlite_utils.Database | None:
        """The connection, in a write transaction; None when the shop can't be written (logged), or a
        StorageError when the record is ``required`` (a campaign can't be measured unless it is kept)."""
        if access.blocked(self.db_path) is not None:
            if required:
                raise StorageError(f"{self.db_path} can't be changed: {why_read_only(self.db_path)}")
            log.info("%s can't be written: the recommendations sent are not recorded", self.db_path)
            return None
        try:
            db = store.connect(self.db_path)
        except UserError as exc:
            self._not_kept(exc, required)
            return None
        try:
            db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            db.close()
            self._not_kept(storage_error(exc, self.db_path) or exc, required)
            return None
        self.db = db
        return db

    def _not_kept(self, exc: BaseException, required: bool) -> None:
        """A plain export goes out without its record (the file is what the owner asked for); a campaign can't."""
        if required:
            raise exc
        log.warning("the recommendations sent are not recorded in %s: %s", self.db_path, exc)

    def commit(self) -> None:
        if self.db is None:
            return
        try:
            self.db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            refused = storage_error(exc, self.db_path) or UserError(f"{self.db_path} could not be written ({exc}).")
            raise refused from exc
        finally:
            self.close()

    def close(self) -> None:
        if self.db is None:
            return
        db, self.db = self.db, None
        try:
            if db.conn.in_transaction:  # SQLite may have rolled back by itself (a full disk)
                db.conn.execute("ROLLBACK")
        finally:
            db.close()
