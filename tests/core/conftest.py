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


@pytest.fixture(scope="session")
def prepared_taste_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The taste shop (tests/core/shopdb.py) prepared with its learned ranking, shared by the tests that only read
    it: each one that changes it works on a copy (shopdb.copy_shop)."""
    from lrec_desktop.core.recommend.model import prepare
    from tests.core.shopdb import taste_shop

    path = taste_shop(tmp_path_factory.mktemp("taste") / "taste.lrec")
    prepare(path)
    return path


@pytest.fixture
def shop_path(tmp_path: Path) -> Path:
    path = tmp_path / "shop.lrec"
    connect(path, create=True).conn.close()
    return path


@pytest.fixture
def shop_hash() -> Callable[[Path], str]:
    return content_hash
