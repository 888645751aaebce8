"""Opening a shop database. Each thread opens its own connection; WAL lets readers run during a job."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store.failures import storage_error
from lrec_desktop.core.store.migrations import migrate

SHOP_SUFFIX = ".lrec"
# How long a write waits for another program holding the file (a backup tool's snapshot, another window)
# before it says the file is in use.
BUSY_TIMEOUT_S = 30.0


def connect(path: str | Path, *, create: bool = False, readonly: bool = False) -> sqlite_utils.Database:
    """Open (or with ``create`` make) the shop at ``path`` and bring its schema up to date."""
    path = Path(path)
    if not create and not path.exists():
        raise UserError(f"No shop file at {path}.")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if readonly:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False,
                                   isolation_level=None)
        else:
            conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        refused = storage_error(exc, path)
        if refused is not None:
            raise refused from exc
        raise UserError(f"{path} is not a shop file lrec_desktop can open ({exc}).") from exc
    return sqlite_utils.Database(conn)


def memory() -> sqlite_utils.Database:
    """An in-memory shop, for tests and previews."""
    conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    migrate(conn, None)
    return sqlite_utils.Database(conn)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """All-or-nothing writes. Connections run in autocommit mode, so a statement outside this block
    commits at once; inside it nothing is visible to others until the block ends without an error."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # SQLite rolls back by itself after some errors (a full disk, an I/O error); a second ROLLBACK would
        # then fail and hide the error that matters.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_setting(db: sqlite_utils.Database, key: str, default: Any = None) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def set_setting(db: sqlite_utils.Database, key: str, value: Any) -> None:
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def data_version(db: sqlite_utils.Database) -> int:
    """A counter bumped by every change of sales or catalog; models built on an older one are stale."""
    return int(get_setting(db, "data_version", 0))


def bump_data_version(db: sqlite_utils.Database) -> int:
    version = data_version(db) + 1
    set_setting(db, "data_version", version)
    return version
