"""Opening a shop database. Each thread opens its own connection; WAL lets readers run during a job."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.store import access, probe
from lrec_desktop.core.store.failures import StorageError, storage_error, why_read_only
from lrec_desktop.core.store.migrations import migrate
from lrec_desktop.core.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

SHOP_SUFFIX = ".lrec"
# How long a write waits for another program holding the file (a backup tool's snapshot, another window)
# before it says the file is in use.
BUSY_TIMEOUT_S = 30.0


def connect(path: str | Path, *, create: bool = False, readonly: bool = False) -> sqlite_utils.Database:
    """Open the shop at ``path`` (with ``create``, make a new one where nothing is) and bring its schema up to
    date. The file is first checked, read-only, to be a shop (store.probe): nothing is written to another
    program's file. A shop that can't be written (read-only file, folder or drive; a full disk) opens
    read-only, so reading works and the first write is refused in words (failures.storage_error)."""
    path = Path(path)
    found = probe.inspect(path)
    if found is None:
        if not create:
            raise UserError(f"No shop file at {path}: check the path (a new shop is made by importing into it).")
        create_new(path)
        found = probe.inspect(path)  # ours, or the one another process linked there first
        if found is None:
            raise UserError(f"{path} disappeared while it was being made; try again.")
    blocked = access.blocked(path)
    try:
        if readonly or blocked is not None:
            if blocked is not None and found.version < SCHEMA_VERSION:
                raise StorageError(f"{path} is in an older format that must be updated before use, and it can't "
                                   f"be changed: {why_read_only(path)}")
            conn = _open_read_only(path, found, immutable=blocked is not None)
        else:
            conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            _set_up(conn)
            migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        refused = storage_error(exc, path)
        if refused is not None:
            raise refused from exc
        raise UserError(f"{path} is not a shop file lrec_desktop can open ({exc}).") from exc
    return sqlite_utils.Database(conn)


def _set_up(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")


def _open_read_only(path: Path, found: probe.ShopFile, *, immutable: bool) -> sqlite3.Connection:
    """A connection that never writes. A shop that can't be written is read ``immutable`` while no -wal is
    beside it: a plain read-only connection needs to create -wal and -shm (impossible in a read-only folder)
    and leaves them behind with the file's read-only permissions, which later keep the shop unwritable."""
    immutable = immutable and found.wal and not probe.side_file(path, "-wal").exists()
    conn = sqlite3.connect(probe.read_only_uri(path, immutable=immutable), uri=True, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _retire_models_of_a_former_shop(path: Path) -> None:
    """A models folder beside a shop just made belongs to a shop that was deleted from that path; its saved
    models carry data versions the new shop will reach too, so they would be taken for current. It is renamed
    aside (kept: it may hold versions learned from the old shop's sales), never used."""
    models = models_dir(path)
    if models.exists():
        aside = models.with_name(f"{models.name}.former-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}")
        models.rename(aside)
        log.info("set aside %s, left by a former shop at %s, as %s", models, path, aside.name)


def create_new(path: Path) -> None:
    """Make a new, empty shop at ``path`` whole: built under a temporary name beside it, then linked into
    place, so a kill while making it leaves no half-made file at ``path``. A shop another process made there
    meanwhile is kept (the link refuses to replace it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise UserError(f"No shop can be made at {path}: {exc.filename or path.parent} is a file, not a "
                        "folder.") from exc
    if access.blocked(path) is not None:
        raise StorageError(f"No shop can be made at {path}: its folder can't be written (it is read-only, on a "
                           "read-only drive, or the disk is full). Choose another folder.")
    tmp = path.with_name(f".{path.name}.new-{uuid.uuid4().hex[:8]}")
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _set_up(conn)
            migrate(conn, None)
        finally:
            conn.close()  # the last connection checkpoints and removes the temp -wal and -shm
        try:
            os.link(tmp, path)
            _retire_models_of_a_former_shop(path)
        except FileExistsError:
            pass
        except OSError:  # a drive without hard links (FAT, some network shares)
            if not path.exists():
                os.replace(tmp, path)
                _retire_models_of_a_former_shop(path)
    except sqlite3.Error as exc:
        raise storage_error(exc, path) or UserError(f"No shop can be made at {path} ({exc}).") from exc
    except OSError as exc:
        raise storage_error(exc, path) or UserError(f"No shop can be made at {path} ({exc}).") from exc
    finally:
        for leftover in (tmp, probe.side_file(tmp, "-wal"), probe.side_file(tmp, "-shm")):
            leftover.unlink(missing_ok=True)


def writable(path: str | Path) -> bool:
    """Whether the shop at ``path`` can be written now (file, folder, -wal/-shm beside it, free space)."""
    return access.blocked(Path(path)) is None


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
    return int(get_setting(db, "data_version", 0))  # store.settings.DATA_VERSION (defined above this module)


def bump_data_version(db: sqlite_utils.Database) -> int:
    version = data_version(db) + 1
    set_setting(db, "data_version", version)
    return version
