"""Fixtures for core tests: a fresh shop file and a content fingerprint to prove nothing changed."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from lrec_desktop.core.store.db import connect

TABLES = ("items", "customers", "interactions", "imports", "import_problems", "settings", "item_stats")


def content_hash(path: Path) -> str:
    """A hash of every row of every table, independent of page layout and WAL state."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for table in TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


@pytest.fixture
def shop_path(tmp_path: Path) -> Path:
    path = tmp_path / "shop.lrec"
    connect(path, create=True).conn.close()
    return path


@pytest.fixture
def shop_hash() -> Callable[[Path], str]:
    return content_hash
