"""What the disk and SQLite say when they refuse, in words a shop owner can act on.

SQLite reports a read-only file, a full disk or a file held by another program with error codes; the
operating system does the same for model folders and exports with errno values. Each becomes a UserError
naming the file and what to do; the work that hit it has rolled back, which the message says too.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store import access

UNCHANGED = "Nothing was changed."


class StorageError(UserError):
    """The shop's disk or file refused a read or write (read-only, full, locked, failing)."""


def _where(path: Path | str | None) -> str:
    return str(path) if path else "the shop file"


def _sqlite_kind(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name:
        return name
    # Some paths (the online backup API, older builds) carry only the text.
    text = str(exc).lower()
    for needle, kind in (("readonly", "SQLITE_READONLY"), ("read-only", "SQLITE_READONLY"),
                         ("disk is full", "SQLITE_FULL"), ("locked", "SQLITE_BUSY"),
                         ("unable to open", "SQLITE_CANTOPEN"), ("disk i/o", "SQLITE_IOERR")):
        if needle in text:
            return kind
    return ""


def why_read_only(path: Path | str | None) -> str:
    """Why the shop at ``path`` can't be changed and what to do, from what the file, its folder and the files
    beside it allow now (store.access): the words after "X can't be changed: "."""
    found = access.blocked(path) if path else None
    if found is None:
        return ("the file or its folder is read-only (or on a drive that is). Copy the shop to a folder you can "
                "write to and open the copy.")
    if found.kind == access.DISK_FULL:
        return "the disk holding it is full. Free some space, then try again."
    if found.kind == access.READ_ONLY_SIDE_FILE:
        return (f"{found.where} beside it is read-only, left over from when the shop was. Close every "
                f"lrec_desktop window on this shop, then make {found.where.name} writable or delete it (SQLite "
                "makes it again).")
    if found.kind == access.READ_ONLY_DRIVE:
        return (f"it is on a drive that is mounted read-only ({found.where}). Copy the shop to a folder you can "
                "write to and open the copy.")
    if found.kind == access.READ_ONLY_FILE:
        return ("the file is read-only. Make it writable, or copy the shop to a folder you can write to and open "
                "the copy.")
    return (f"its folder {found.where} is read-only (or on a drive that is). Copy the shop to a folder you can "
            "write to and open the copy.")


def storage_error(exc: BaseException, path: Path | str | None = None) -> StorageError | None:
    """The message for a refused read or write, or None when ``exc`` is something else."""
    if isinstance(exc, StorageError):
        return exc
    where = _where(path)
    if isinstance(exc, sqlite3.Error):
        kind = _sqlite_kind(exc)
        if kind.startswith("SQLITE_READONLY"):
            return StorageError(f"{where} can't be changed: {why_read_only(path)} {UNCHANGED}")
        if kind == "SQLITE_FULL" or (kind.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and access.disk_full(path)):
            # A full disk often shows as an I/O error: SQLite can't size its -shm file (SQLITE_IOERR_SHMSIZE).
            return StorageError(f"The disk holding {where} is full. Free some space, then try again. {UNCHANGED}")
        if kind.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return StorageError(f"{where} is in use by another program (another lrec_desktop window, a backup or "
                                f"sync tool). Close that program, then try again. {UNCHANGED}")
        if kind.startswith("SQLITE_CANTOPEN"):
            return StorageError(f"{where} can't be opened: check that its folder exists and that you may read and "
                                "write there.")
        if kind.startswith("SQLITE_IOERR"):
            return StorageError(f"Reading or writing {where} failed: the disk reported an error (is it removable, "
                                f"a network drive, or failing?). {UNCHANGED}")
        return None
    if isinstance(exc, OSError):
        target = exc.filename or where
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return StorageError(f"The disk is full: {target} could not be written. Free some space, then try again. "
                                f"{UNCHANGED}")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StorageError(f"{target} can't be written: it, or its folder, is read-only or you may not change "
                                f"it. Choose another place or check its permissions. {UNCHANGED}")
    return None
