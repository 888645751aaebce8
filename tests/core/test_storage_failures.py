"""A read-only shop, a full disk and a file held by another program each get one clear sentence, from the
core and from the command line, and change nothing.

Root ignores file permissions, so where the tests run as root a read-only file is simulated the way SQLite
sees one: the connection is opened read-only. A full disk is SQLite's page limit (the error SQLite gives
when the disk fills) and, for model folders, the operating system's ENOSPC.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
from lrec_desktop.core.recommend.model import cf_folder, prepare
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.failures import StorageError, storage_error
from tests.core.shopdb import write_shop

_real_connect = sqlite3.connect


def _shop(tmp_path: Path) -> Path:
    items = [{"item_id": f"P{n}", "title": f"Product {n}"} for n in range(6)]
    return write_shop(tmp_path / "shop.lrec", items, [(f"C{c}", f"P{c % 6}", c) for c in range(12)])


@pytest.fixture
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shop = _shop(tmp_path)
    store.connect(shop).close()  # schema current: opening needs no write
    shop.chmod(stat.S_IRUSR | stat.S_IRGRP)
    if os.geteuid() == 0:
        def connect_read_only(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
            if str(database) == str(shop):
                kwargs["uri"] = True
                return _real_connect(f"{shop.resolve().as_uri()}?mode=ro", *args, **kwargs)  # type: ignore[arg-type]
            return _real_connect(database, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(sqlite3, "connect", connect_read_only)
    yield shop
    shop.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shop = _shop(tmp_path)

    def connect_nearly_full(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        conn = _real_connect(database, *args, **kwargs)  # type: ignore[arg-type]
        if str(database) == str(shop):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect_nearly_full)
    return shop


def orders(tmp_path: Path, lines: int = 3000) -> Path:
    path = tmp_path / "orders.csv"
    rows = "".join(f"{n},S{n},A product with a long name number {n},1,12/1/2010 8:26,1.5,{n % 90}\n"
                   for n in range(lines))
    path.write_text("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n" + rows)
    return path


def test_read_only_shop_refuses_an_import_in_words(read_only: Path, tmp_path: Path,
                                                   shop_hash: Callable[[Path], str]) -> None:
    before = shop_hash(read_only)
    with pytest.raises(StorageError, match="read-only") as caught:
        run_import(read_only, ImportRequest(interactions=orders(tmp_path)))
    assert str(read_only) in str(caught.value) and "Nothing was changed" in str(caught.value)
    assert shop_hash(read_only) == before


def test_read_only_shop_on_the_command_line(read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--quiet", "import", "--db", str(read_only), "--interactions", str(orders(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err and "unexpected" not in err


def test_full_disk_rolls_the_import_back(full_disk: Path, tmp_path: Path, shop_hash: Callable[[Path], str]) -> None:
    before = shop_hash(full_disk)
    with pytest.raises(StorageError, match=r"disk holding .* is full"):
        run_import(full_disk, ImportRequest(interactions=orders(tmp_path)))
    assert shop_hash(full_disk) == before


def test_full_disk_while_saving_a_model_keeps_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture) -> None:
    shop = _shop(tmp_path)
    prepare(shop)
    good = (cf_folder(shop) / "config.json").read_text()

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(args[0]))

    monkeypatch.setattr(np, "save", no_space)
    assert main(["--quiet", "prepare", "--db", str(shop)]) == 2
    err = capsys.readouterr().err
    assert "The disk is full" in err and "unexpected" not in err
    assert (cf_folder(shop) / "config.json").read_text() == good
    assert not list(cf_folder(shop).parent.glob(".*"))  # the temp folder went with the failure


def test_file_held_by_another_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      shop_hash: Callable[[Path], str]) -> None:
    shop = _shop(tmp_path)
    before = shop_hash(shop)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    other = _real_connect(shop, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # a backup tool or a second app holding the file
    try:
        with pytest.raises(StorageError, match="in use by another program"):
            run_import(shop, ImportRequest(interactions=orders(tmp_path, 50)))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert shop_hash(shop) == before


def test_other_errors_are_not_dressed_up() -> None:
    assert storage_error(ValueError("x")) is None
    assert storage_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
    assert storage_error(OSError(errno.ENOENT, "gone")) is None
