"""One connection per call of the application API: opened in the thread that runs the call, closed after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils


@contextmanager
def opened(db_path: Path, *, readonly: bool = False) -> Iterator[sqlite_utils.Database]:
    from lrec_desktop.core.store.db import connect

    db = connect(Path(db_path), readonly=readonly)
    try:
        yield db
    finally:
        db.close()
