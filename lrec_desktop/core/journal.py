"""The job journal: every long job is written down in the shop file before it starts and crossed off when
it ends, so a job cut short by a crash, a kill or a power cut is found the next time the shop opens.

A row stays ``running`` while its process lives; once that process is gone (checked by pid and the
process's start time, so a reused pid does not fool it) the row reads as ``interrupted``, and the user
can run the job again (``core.resume``) or discard it. The jobs themselves keep the previous good state
safe (one transaction, temp folders renamed on success): the journal only tells what happened.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import Cancelled
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.failures import storage_error

log = logging.getLogger(__name__)

RUNNING, DONE, CANCELLED, FAILED, INTERRUPTED, DISCARDED, RESUMED = (
    "running", "done", "cancelled", "failed", "interrupted", "discarded", "resumed",
)
IMPORT, EMBED, PREPARE, FINETUNE = "import", "embed", "prepare", "finetune"
KIND_WORDS = {
    IMPORT: "Importing",
    EMBED: "Reading product descriptions",
    PREPARE: "Preparing recommendations",
    FINETUNE: "Learning from your sales",
}
# What was kept of an interrupted job, and what running it again does, in the shop owner's words.
AFTERMATH = {
    IMPORT: "nothing of that import was saved; your shop is as it was before it.",
    EMBED: "the descriptions read so far are kept; running it again reads only the rest.",
    PREPARE: "the recommendations prepared before it are still in use.",
    FINETUNE: "the text model in use did not change; running it again starts the learning over.",
}

_local = threading.local()


@dataclass(frozen=True)
class JournalEntry:
    job_id: int
    kind: str
    state: str
    started_at: int
    finished_at: int | None
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        words = KIND_WORDS.get(self.kind, self.kind)
        if self.kind == IMPORT:
            names = [Path(p).name for p in (self.params.get("items"), self.params.get("interactions")) if p]
            return f"{words} {' and '.join(names)}" if names else words
        return words

    def describe(self) -> str:
        """One sentence for an interrupted job: what it was, when, and what was kept."""
        when = time.strftime("%d %b %Y %H:%M", time.localtime(self.started_at))
        return f"{self.title} (started {when}) was interrupted before it finished: {AFTERMATH.get(self.kind, '')}"


def _process_started(pid: int) -> float | None:
    try:
        return psutil.Process(pid).create_time()
    except (psutil.Error, OSError):
        return None


def _alive(pid: int | None, started: float | None) -> bool:
    if pid is None:
        return False
    now = _process_started(pid)
    # create_time is a float read from the OS; a second of slack covers its rounding on every platform.
    return now is not None and (started is None or abs(now - started) < 1.0)


def _connect(db_path: Path) -> sqlite3.Connection:
    return store.connect(db_path).conn


def start(db_path: Path, kind: str, params: dict[str, Any]) -> int:
    conn = _connect(db_path)
    try:
        pid = os.getpid()
        cursor = conn.execute(
            "INSERT INTO job_log(kind, started_at, state, pid, process_started, params) VALUES (?, ?, ?, ?, ?, ?)",
            [kind, int(time.time()), RUNNING, pid, _process_started(pid), json.dumps(params, ensure_ascii=False)],
        )
        return int(cursor.lastrowid or 0)
    finally:
        conn.close()


def finish(db_path: Path, job_id: int, state: str, message: str = "") -> None:
    conn = _connect(db_path)
    try:
        finish_within(conn, job_id, state, message)
    finally:
        conn.close()


def finish_within(conn: sqlite3.Connection, job_id: int | None, state: str = DONE, message: str = "") -> None:
    """Cross the job off on ``conn``, inside the caller's open transaction: the job's own writes and the end of
    its entry then commit together, so a kill between the two cannot leave the journal saying "nothing was
    saved" about work that was. No-op for a job run inside another (``journaled`` gave it no id)."""
    if job_id is None:
        return
    conn.execute("UPDATE job_log SET state = ?, finished_at = ?, message = ? WHERE job_id = ?",
                 [state, int(time.time()), message[:2000], job_id])


@contextmanager
def journaled(db_path: Path, kind: str, params: dict[str, Any]) -> Iterator[int | None]:
    """Record the job around the block, and say in words when the disk or file refused it. A job started
    inside another (the embedding a learning run does first) is part of the outer one, not recorded apart."""
    db_path = Path(db_path)
    if getattr(_local, "depth", 0):
        _local.depth += 1
        try:
            yield None
        finally:
            _local.depth -= 1
        return
    try:
        job_id = start(db_path, kind, params)
    except (sqlite3.Error, OSError) as exc:
        refused = storage_error(exc, db_path)
        if refused is None:
            raise
        raise refused from exc
    _local.depth = 1
    try:
        yield job_id
    except Cancelled:
        _safe_finish(db_path, job_id, CANCELLED, "Cancelled")
        raise
    except UserError as exc:
        _safe_finish(db_path, job_id, FAILED, str(exc))
        raise
    except (sqlite3.Error, OSError) as exc:
        refused = storage_error(exc, db_path)
        _safe_finish(db_path, job_id, FAILED, str(refused or repr(exc)))
        if refused is None:
            raise
        raise refused from exc
    except BaseException as exc:
        _safe_finish(db_path, job_id, FAILED, repr(exc))
        raise
    else:
        _safe_finish(db_path, job_id, DONE, "")
    finally:
        _local.depth = 0


def _safe_finish(db_path: Path, job_id: int, state: str, message: str) -> None:
    """Crossing off a failed job must not hide why it failed (a full disk may refuse this write too)."""
    try:
        finish(Path(db_path), job_id, state, message)
    except Exception:  # the job's own error is the one to report
        log.warning("could not record the end of job %s", job_id, exc_info=True)


def _entry(row: sqlite3.Row | tuple) -> JournalEntry:
    job_id, kind, state, started_at, finished_at, message, params = row
    try:
        parsed = json.loads(params or "{}")
    except ValueError:
        parsed = {}
    return JournalEntry(job_id, kind, state, started_at, finished_at, message or "", parsed)


_COLUMNS = "job_id, kind, state, started_at, finished_at, message, params"


def mark_interrupted(conn: sqlite3.Connection) -> int:
    """Turn ``running`` rows whose process is gone into ``interrupted``; returns how many."""
    rows = conn.execute("SELECT job_id, pid, process_started FROM job_log WHERE state = ?", [RUNNING]).fetchall()
    dead = [job_id for job_id, pid, started in rows if not _alive(pid, started)]
    if dead:
        conn.executemany("UPDATE job_log SET state = ?, message = ? WHERE job_id = ?",
                         [(INTERRUPTED, "The app stopped before this job finished.", j) for j in dead])
    return len(dead)


def interrupted(db_path: Path) -> list[JournalEntry]:
    """Jobs cut short and not yet run again or discarded, newest first."""
    conn = _connect(db_path)
    try:
        mark_interrupted(conn)
        rows = conn.execute(f"SELECT {_COLUMNS} FROM job_log WHERE state = ? ORDER BY job_id DESC",
                            [INTERRUPTED]).fetchall()
    finally:
        conn.close()
    return [_entry(r) for r in rows]


def running_elsewhere(db_path: Path) -> list[JournalEntry]:
    """Jobs on this shop that a live process (this one or another) is running now."""
    conn = _connect(db_path)
    try:
        mark_interrupted(conn)
        rows = conn.execute(f"SELECT {_COLUMNS} FROM job_log WHERE state = ? ORDER BY job_id", [RUNNING]).fetchall()
    finally:
        conn.close()
    return [_entry(r) for r in rows]


def history(db_path: Path, limit: int = 50) -> list[JournalEntry]:
    conn = _connect(db_path)
    try:
        mark_interrupted(conn)
        rows = conn.execute(f"SELECT {_COLUMNS} FROM job_log ORDER BY job_id DESC LIMIT ?", [limit]).fetchall()
    finally:
        conn.close()
    return [_entry(r) for r in rows]


def get(db_path: Path, job_id: int) -> JournalEntry:
    conn = _connect(db_path)
    try:
        mark_interrupted(conn)
        row = conn.execute(f"SELECT {_COLUMNS} FROM job_log WHERE job_id = ?", [job_id]).fetchone()
    finally:
        conn.close()
    if row is None:
        raise UserError(f"There is no job {job_id} in this shop's journal.")
    return _entry(row)


def settle(db_path: Path, job_id: int, state: str) -> None:
    """Mark an interrupted job as run again (RESUMED) or DISCARDED; refuses any other job."""
    entry = get(db_path, job_id)
    if entry.state != INTERRUPTED:
        raise UserError(f"Job {job_id} ({entry.title}) was not interrupted; it is {entry.state}.")
    finish(Path(db_path), job_id, state, "Run again" if state == RESUMED else "Discarded")
