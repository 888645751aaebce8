"""Schema migrations. Every migration runs after a backup copy of the shop file is written."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store.schema import (
    DDL,
    EVALUATIONS_DDL,
    ITEM_VECTORS_DDL,
    SCHEMA_V4,
    SCHEMA_V5,
    SCHEMA_V6,
    SCHEMA_V7,
    SCHEMA_V8,
    SCHEMA_VERSION,
)

log = logging.getLogger(__name__)

def _v4(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA_V4:
        conn.execute(statement)


_ADD_COLUMN = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)")


def _run(conn: sqlite3.Connection, statements: tuple[str, ...]) -> None:
    """Run a step's statements; a column the table already has is left as it is (a shop copied back from a newer
    file by hand, or a test's older shop made from today's), not a failed migration."""
    for statement in statements:
        added = _ADD_COLUMN.match(statement.strip())
        if added and added.group(2) in {r[1] for r in conn.execute(f"PRAGMA table_info({added.group(1)})")}:
            continue
        conn.execute(statement)


def _v5(conn: sqlite3.Connection) -> None:
    _run(conn, SCHEMA_V5)
    # A shop imported before version 5 has its postage and gift cards found now, as a new import would.
    from lrec_desktop.core.ingest.nonproducts import mark_non_products

    mark_non_products(conn)


def _v6(conn: sqlite3.Connection) -> None:
    _run(conn, SCHEMA_V6)


def _v7(conn: sqlite3.Connection) -> None:
    _run(conn, SCHEMA_V7)


def _v8(conn: sqlite3.Connection) -> None:
    _run(conn, SCHEMA_V8)


# MIGRATIONS[n] upgrades a database at version n to n + 1. An empty file gets the current schema at once.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: lambda conn: _run(conn, (ITEM_VECTORS_DDL,)),
    2: lambda conn: _run(conn, (EVALUATIONS_DDL,)),
    3: _v4,
    4: _v5,
    5: _v6,
    6: _v7,
    7: _v8,
}


def _create(conn: sqlite3.Connection) -> None:
    for statement in (*DDL, *SCHEMA_V4, *SCHEMA_V5, *SCHEMA_V6, *SCHEMA_V7, *SCHEMA_V8):
        conn.execute(statement)


def backup_path(db_path: Path, version: int) -> Path:
    return db_path.with_name(f"{db_path.name}.v{version}.bak")


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the live database with SQLite's online backup API (consistent even in WAL mode)."""
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()


def migrate(conn: sqlite3.Connection, db_path: Path | None) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it had."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise UserError(
            f"{db_path or 'This shop'} was saved by a newer lrec_desktop (format {version}); "
            f"this version reads format {SCHEMA_VERSION} and older. Please update the app."
        )
    if version == SCHEMA_VERSION:
        return version
    has_tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    if version == 0 and has_tables:
        raise UserError(f"{db_path or 'This file'} is a database, but not an lrec_desktop shop.")
    if has_tables:
        if db_path is not None:
            target = backup_path(db_path, version)
            log.info("backing up %s to %s before migrating", db_path, target)
            backup(conn, target)
    start = version
    steps = [(_create, SCHEMA_VERSION)] if not has_tables else [
        (MIGRATIONS[v], v + 1) for v in range(version, SCHEMA_VERSION)
    ]
    for step, reaches in steps:
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {reaches}")
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return start
