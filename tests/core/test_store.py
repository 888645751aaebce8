"""The shop file: creation, transactions, settings, and migration with a backup first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.migrations import backup_path
from lrec_desktop.core.store.schema import DDL, EVALUATIONS_DDL, ITEM_VECTORS_DDL, SCHEMA_VERSION


def test_new_shop_has_current_schema_and_wal(tmp_path: Path) -> None:
    db = store.connect(tmp_path / "s.lrec", create=True)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"items", "customers", "interactions", "imports", "settings", "item_vectors"} <= set(db.table_names())
    db.close()
    assert not list(tmp_path.glob("*.bak"))


def test_transaction_is_all_or_nothing(tmp_path: Path) -> None:
    db = store.connect(tmp_path / "s.lrec", create=True)
    store.set_setting(db, "shop_name", "Tea & Co")
    with pytest.raises(RuntimeError), store.transaction(db):
        store.set_setting(db, "shop_name", "changed")
        db.execute("INSERT INTO items(item_id, title) VALUES ('A', 'a')")
        raise RuntimeError("crash mid-job")
    other = store.connect(tmp_path / "s.lrec")
    assert store.get_setting(other, "shop_name") == "Tea & Co"
    assert other.execute("SELECT count(*) FROM items").fetchone()[0] == 0


def test_version_1_shop_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.lrec"
    conn = sqlite3.connect(path)
    for statement in DDL:
        if statement not in (ITEM_VECTORS_DDL, EVALUATIONS_DDL):
            conn.execute(statement)
    conn.execute("INSERT INTO items(item_id, title) VALUES ('SKU-1', 'Tea pot')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    db = store.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"item_vectors", "evaluations"} <= set(db.table_names())
    assert db.execute("SELECT title FROM items").fetchall() == [("Tea pot",)]
    backup = sqlite3.connect(backup_path(path, 1))
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT title FROM items").fetchall() == [("Tea pot",)]


def test_newer_or_foreign_files_are_refused_clearly(tmp_path: Path) -> None:
    later = tmp_path / "later.lrec"
    store.connect(later, create=True).close()
    conn = sqlite3.connect(later)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(UserError, match="made by a newer version"):
        store.connect(later)
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    with pytest.raises(UserError, match="not an lrec_desktop shop"):
        store.connect(foreign)
    text = tmp_path / "notes.lrec"
    text.write_text("this is not a database, just words " * 200)
    with pytest.raises(UserError, match="not an lrec_desktop shop file"):
        store.connect(text)
    with pytest.raises(UserError, match="No shop file"):
        store.connect(tmp_path / "missing.lrec")
