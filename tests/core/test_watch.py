"""The watched folder (issue 21, item 9) with the tea shop's real Shopify exports: new files imported once each and
recommendations refreshed, a bad file refused in one sentence and left in place, a file still being written left
for the next look."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.recommend.model import prepared_version
from lrec_desktop.core.store import db as store
from lrec_desktop.core.watch import refresh_once

REAL = Path(__file__).parents[1] / "fixtures" / "real"


def _drop(source: Path, folder: Path, age: float = 60.0) -> Path:
    target = folder / source.name
    shutil.copy(source, target)
    old = time.time() - age
    os.utime(target, (old, old))
    return target


def test_refresh_once_imports_new_files_once_and_refuses_bad_ones(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder, shop = tmp_path / "drop", tmp_path / "tea.lrec"
    folder.mkdir()
    _drop(REAL / "tea_shopify_products.csv", folder, age=120)
    _drop(REAL / "tea_shopify_orders.csv", folder)
    assert main(["--quiet", "refresh", "--db", str(shop), "--watch", str(folder), "--once"]) == 0
    said = capsys.readouterr().out
    assert said.index("tea_shopify_products.csv") < said.index("tea_shopify_orders.csv")  # oldest first
    assert "Recommendations refreshed." in said
    db = store.connect(shop, readonly=True)
    try:
        kinds = dict(db.execute("SELECT file, kind FROM imports"))
        version = store.data_version(db)
    finally:
        db.close()
    assert kinds == {"tea_shopify_products.csv": "items", "tea_shopify_orders.csv": "interactions"}
    assert prepared_version(shop) == version  # recommendations were prepared on what was imported

    assert main(["--quiet", "refresh", "--db", str(shop), "--watch", str(folder), "--once"]) == 0
    assert capsys.readouterr().out.strip() == "No new files in the watched folder."

    bad = folder / "notes.csv"
    bad.write_text("just one line without any columns\n", encoding="utf-8")
    old = time.time() - 60
    os.utime(bad, (old, old))
    before = sqlite3.connect(shop).execute("SELECT count(*) FROM interactions").fetchone()
    assert main(["--quiet", "refresh", "--db", str(shop), "--watch", str(folder), "--once"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "notes.csv was left in the folder" in err and bad.exists()
    assert sqlite3.connect(shop).execute("SELECT count(*) FROM interactions").fetchone() == before
    assert main(["--quiet", "refresh", "--db", str(shop), "--watch", str(folder), "--once"]) == 0  # remembered


def test_a_file_still_being_written_waits(tmp_path: Path) -> None:
    folder, shop = tmp_path / "drop", tmp_path / "tea.lrec"
    folder.mkdir()
    store.connect(shop, create=True).close()
    _drop(REAL / "tea_shopify_products.csv", folder, age=0)
    result = refresh_once(shop, folder)
    assert result.waiting == ["tea_shopify_products.csv"] and not result.imported
    result = refresh_once(shop, folder, now=time.time() + 60)
    assert [name for name, _ in result.imported] == ["tea_shopify_products.csv"]
    assert result.message().startswith("Imported tea_shopify_products.csv from the watched folder")


def test_a_missing_folder_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refresh", "--db", str(tmp_path / "s.lrec"), "--watch", str(tmp_path / "nope"), "--once"]) == 2
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "s.lrec").exists()
