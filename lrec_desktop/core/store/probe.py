"""Is this file a shop? Decided from its schema, read without writing a byte, before anything opens it for
writing: opening another program's SQLite file for writing would switch it to WAL for good, and migrating
it would add tables and raise its version (issue 16, item 3).

A file is a shop when it is an SQLite database whose ``user_version`` is a format this app knows and which
has every table (and column) a shop of that format has; a newer format with the tables every format has is
a shop made by a newer lrec_desktop. Anything else is refused with a sentence that says what the file is.
"""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store.failures import storage_error
from lrec_desktop.core.store.schema import DDL, EVALUATIONS_DDL, ITEM_VECTORS_DDL, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
WAL_FORMAT = 2  # header bytes 18 and 19 (file format write/read version): 1 rollback journal, 2 WAL
SHOWN_TABLES = 8  # a foreign file's tables named in the refusal, at most


class NotAShop(UserError):
    """``--db`` names something that is not an lrec_desktop shop (another program's file, a folder, ...)."""


@dataclass(frozen=True)
class ShopFile:
    """What the read-only look found: a shop of ``version``, kept in WAL mode or not."""

    version: int
    wal: bool


def v1_statements() -> list[str]:
    """The tables of a version 1 shop: today's DDL without what versions 2 and 3 added (the base tables
    have not changed since version 1)."""
    return [s for s in DDL if s not in (ITEM_VECTORS_DDL, EVALUATIONS_DDL)]


@functools.cache
def expected_columns(version: int) -> dict[str, frozenset[str]]:
    """Table → columns of a shop at ``version``, built in memory by the migrations themselves, so the
    shape checked is the one the migrations make and cannot drift from it."""
    from lrec_desktop.core.store.migrations import MIGRATIONS

    conn = sqlite3.connect(":memory:")
    try:
        for statement in v1_statements():
            conn.execute(statement)
        for step in range(1, version):
            MIGRATIONS[step](conn)
        return _columns(conn)
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, only: frozenset[str] | None = None) -> dict[str, frozenset[str]]:
    """Table → columns, read in one query; with ``only``, columns are read just for those tables (another
    program's virtual tables may need a module this SQLite lacks, and their columns do not matter)."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    wanted = [n for n in names if only is None or n in only]
    tables: dict[str, set[str]] = {name: set() for name in names}
    if wanted:
        marks = ", ".join("?" * len(wanted))
        for table, column in conn.execute(
                f"SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
                f"WHERE m.type = 'table' AND m.name IN ({marks})", wanted):
            tables[table].add(column)
    return {name: frozenset(columns) for name, columns in tables.items()}


def side_file(path: Path, suffix: str) -> Path:
    """SQLite's companion files: ``shop.lrec-wal``, ``shop.lrec-shm``, ``shop.lrec-journal``."""
    return Path(f"{path}{suffix}")


def read_only_uri(path: Path, *, immutable: bool) -> str:
    """An URI that opens ``path`` without writing. ``immutable`` also takes no locks and creates no -shm: the
    only way to read a WAL file whose folder can't be written, and the only way that leaves no -wal and -shm
    beside a WAL file (a plain read-only connection creates both and leaves them)."""
    return f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"


def _shown(names: list[str]) -> str:
    """Names as they can be printed on one line (another program's table names may hold anything), sorted,
    at most SHOWN_TABLES of them."""
    clean = ["".join(c if c.isprintable() else "?" for c in name) for name in sorted(names)]
    more = f" and {len(clean) - SHOWN_TABLES:,} more" if len(clean) > SHOWN_TABLES else ""
    return ", ".join(clean[:SHOWN_TABLES]) + more


def inspect(path: Path) -> ShopFile | None:
    """The shop at ``path``, or None when nothing is there; raises NotAShop (or a StorageError) with a
    sentence when something is there that is not a shop. Writes nothing, not even a -wal or -shm file."""
    path = Path(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink():  # a shop made "there" would replace the link or land somewhere unexpected
            raise NotAShop(f"{path} is a link to a missing file ({os.readlink(path)}): remove the link or give "
                           "the real path.") from None
        return None
    except OSError as exc:  # a symlink loop, a folder that may not be entered
        if exc.errno == errno.ELOOP:
            raise NotAShop(f"{path} is a symbolic link that leads round in a loop; point it at a real file or use "
                           "another name.") from exc
        raise NotAShop(f"{path} can't be looked at ({exc.strerror or exc}).") from exc
    if stat.S_ISDIR(info.st_mode):
        raise NotAShop(f"{path} is a folder, not a shop file: give the path of a shop's .lrec file.")
    if not stat.S_ISREG(info.st_mode):
        raise NotAShop(f"{path} is not a regular file (it is a device, a pipe or a socket), so not a shop file.")
    if info.st_size == 0:
        raise NotAShop(f"{path} is an empty file (0 bytes), not an lrec_desktop shop file: delete it, or choose "
                       "another name for a new shop.")
    header = _header(path)
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise NotAShop(f"{path} is not an lrec_desktop shop file (it is not an SQLite database at all).")
    wal = header[18] == WAL_FORMAT
    version, tables = _read_schema(path, wal)
    _check_shape(path, version, tables)
    return ShopFile(version, wal)


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(HEADER_SIZE)
    except OSError as exc:
        raise NotAShop(f"{path} can't be read ({exc.strerror or exc}): check that you may open it.") from exc


def _read_schema(path: Path, wal: bool) -> tuple[int, dict[str, frozenset[str]]]:
    # Without a -wal file a WAL database holds everything in its main file, and no writer is connected
    # (a writer keeps the -wal while it is open): read it immutable, so no -wal/-shm is left behind. With a
    # -wal, a plain read-only connection sees what it holds.
    immutable = wal and not side_file(path, "-wal").exists()
    try:
        conn = sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from exc
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        return version, _columns(conn, frozenset(expected_columns(SCHEMA_VERSION)))
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from exc
    finally:
        conn.close()


def _unreadable(path: Path, exc: sqlite3.Error) -> UserError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return NotAShop(f"{path} is damaged or is not a shop file: SQLite can't read it ({exc}). If it is a shop, "
                        "restore it from a backup (a .bak file beside it, if there is one).")
    return storage_error(exc, path) or NotAShop(f"{path} can't be read as a shop file ({exc}).")


def _check_shape(path: Path, version: int, tables: dict[str, frozenset[str]]) -> None:
    if not tables:
        raise NotAShop(f"{path} is an empty SQLite database, not an lrec_desktop shop file.")
    names = [t for t in tables if not t.startswith("sqlite_")]
    if version > SCHEMA_VERSION:
        if _lacks(expected_columns(1), tables):
            raise NotAShop(f"{path} is not an lrec_desktop shop file (it has tables {_shown(names)}).")
        raise NotAShop(f"{path} was made by a newer version of lrec_desktop (format {version}; this version reads "
                       f"format {SCHEMA_VERSION} and older): update the app to open it.")
    if version < 1:  # every shop has had a format number since the first
        raise NotAShop(f"{path} is not an lrec_desktop shop file (it has tables {_shown(names)}).")
    expected = expected_columns(version)
    missing = _lacks(expected, tables)
    if not missing:
        return
    if not set(expected) & set(tables):
        raise NotAShop(f"{path} is not an lrec_desktop shop file (it has tables {_shown(names)}).")
    raise NotAShop(f"{path} is not a whole lrec_desktop shop file: it lacks {_shown(missing)} "
                   f"(it has tables {_shown(names)}).")


def _lacks(expected: dict[str, frozenset[str]], tables: dict[str, frozenset[str]]) -> list[str]:
    """What of ``expected`` is not in ``tables``: 'table x', or 'column x.y'. Extra tables and columns are
    allowed (SQLite's own, an index tool's)."""
    missing: list[str] = []
    for table, columns in sorted(expected.items()):
        if table not in tables:
            missing.append(f"table {table}")
        else:
            missing += [f"column {table}.{c}" for c in sorted(columns - tables[table])]
    return missing

