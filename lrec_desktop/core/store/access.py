"""Can the shop be written, and if not, why? Asked before SQLite is, and again to word a refusal.

SQLite cannot open a WAL shop on a read-only drive at all ("unable to open database file"), and on a full
disk it fails to size its -shm file and calls that a disk I/O error. Knowing why beforehand lets every
command that only reads open such a shop read-only and work, and lets a writing one say what is wrong:
the file, its folder, a -wal/-shm file left read-only beside it, or a full disk.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# Below this many free bytes a disk counts as full: SQLite's -shm alone takes 32 KiB, a write-ahead log
# grows by pages, and a model folder by megabytes.
FULL_BELOW = 256 * 1024

READ_ONLY_DRIVE = "drive"
READ_ONLY_FILE = "file"
READ_ONLY_FOLDER = "folder"
READ_ONLY_SIDE_FILE = "side file"
DISK_FULL = "disk full"


@dataclass(frozen=True)
class Blocked:
    """Why a shop can't be written: ``kind`` (one of the constants above) and the path at fault."""

    kind: str
    where: Path


def can_write(path: Path) -> bool:
    """Whether this process may write ``path``. Root passes permission bits but not a read-only mount
    (access() says EROFS). Windows reports the read-only attribute of folders, which Explorer sets on
    ordinary writable folders to customise them, so a folder there counts as writable."""
    if os.name == "nt" and path.is_dir():
        return True
    return os.access(path, os.W_OK)


def mounted_read_only(folder: Path) -> bool:
    """Whether ``folder`` lies on a file system mounted read-only (a CD, a write-protected card, a share)."""
    try:
        return bool(hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def free_bytes(folder: Path) -> int | None:
    """Bytes this process may still write on the drive holding ``folder`` (None when it can't be asked).
    Root may also use the blocks ext4 reserves for it."""
    try:
        if hasattr(os, "statvfs"):
            info = os.statvfs(folder)
            blocks = info.f_bfree if hasattr(os, "geteuid") and os.geteuid() == 0 else info.f_bavail
            return blocks * info.f_frsize
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_full(path: Path | str | None) -> bool:
    if path is None:
        return False
    folder = Path(path).resolve().parent
    free = free_bytes(folder if folder.is_dir() else Path.cwd())
    return free is not None and free < FULL_BELOW


def blocked(db_path: Path | str) -> Blocked | None:
    """Why the shop at ``db_path`` can't be written now, or None when it can. SQLite follows a symlinked
    shop to the real file and keeps its -wal and -shm beside that, so the real file's folder is checked."""
    real = Path(db_path).resolve()
    if mounted_read_only(real.parent):
        return Blocked(READ_ONLY_DRIVE, real.parent)
    if real.exists() and not can_write(real):
        return Blocked(READ_ONLY_FILE, real)
    if not can_write(real.parent):
        return Blocked(READ_ONLY_FOLDER, real.parent)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{real}{suffix}")
        if side.exists() and not can_write(side):
            return Blocked(READ_ONLY_SIDE_FILE, side)
    if disk_full(real):
        return Blocked(DISK_FULL, real.parent)
    return None
