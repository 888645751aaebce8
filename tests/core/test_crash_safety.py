"""Kill the process (SIGKILL: no cleanup at all) in the middle of an import, reading descriptions, building
the search index, preparing recommendations and learning from sales, then reopen the shop: the file is
intact, the previous data and active model are untouched, and the job reads as interrupted with a way to
run it again or discard it.

The kill comes from the job itself at a named fault point (core.faults), so it lands at the worst moment
every time instead of whenever a timer happens to fire.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lrec_desktop.core import artifacts, journal
from lrec_desktop.core.faults import FAULT_ENV
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.recommend.model import cf_folder, prepare
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import TEXT_MODEL
from lrec_desktop.core.text.embed_job import embed_catalog, index_folder
from lrec_desktop.core.text.versions import list_versions, versions_dir
from tests.core.shopdb import build_learning_shop, write_shop

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")


def cli(*args: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.run([sys.executable, "-m", "lrec_desktop.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300)


def killed(result: subprocess.CompletedProcess) -> bool:
    return result.returncode == -signal.SIGKILL and "fault point" in result.stderr


def integrity(shop: Path) -> str:
    conn = sqlite3.connect(shop)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def setting(shop: Path, key: str) -> object:
    db = store.connect(shop)
    try:
        return store.get_setting(db, key)
    finally:
        db.close()


def only_interrupted(shop: Path, kind: str) -> journal.JournalEntry:
    entries = journal.interrupted(shop)
    assert [e.kind for e in entries] == [kind]
    return entries[0]


def small_shop(path: Path, products: int = 12) -> Path:
    kinds = ("candle", "soap", "mug", "scarf")
    items = [{"item_id": f"P{n:03d}", "title": f"Hand-made {kinds[n % 4]} number {n}", "category": kinds[n % 4]}
             for n in range(products)]
    sales = [(f"C{c:02d}", f"P{(c * 3 + k) % products:03d}", 100 * c + k) for c in range(30) for k in range(4)]
    return write_shop(path, items, sales)


def test_import_killed_mid_transaction(tmp_path: Path, shop_hash: Callable[[Path], str]) -> None:
    shop = small_shop(tmp_path / "shop.lrec")
    orders = tmp_path / "orders.csv"
    with orders.open("w", encoding="utf-8") as f:
        f.write("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n")
        for n in range(120_000):  # three 50,000-row chunks: the kill lands after the first is written
            f.write(f"{n // 3},S{n % 997},Thing {n % 997},1,12/1/2010 8:{n % 60:02d},1.5,{n % 4000}\n")
    before = shop_hash(shop)
    assert killed(cli("import", "--db", str(shop), "--interactions", str(orders), fault="import-chunk"))
    assert integrity(shop) == "ok"
    assert shop_hash(shop) == before
    entry = only_interrupted(shop, "import")
    assert "orders.csv" in entry.title and "nothing of that import was saved" in entry.describe()
    listed = cli("jobs", "--db", str(shop))
    assert listed.returncode == 0 and f"--resume {entry.job_id}" in listed.stdout
    again = cli("jobs", "--db", str(shop), "--resume", str(entry.job_id))
    assert again.returncode == 0, again.stderr
    assert "120,000 order lines imported from orders.csv" in again.stdout
    assert journal.interrupted(shop) == []


def test_reading_descriptions_killed_keeps_finished_batches(tmp_path: Path) -> None:
    shop = small_shop(tmp_path / "shop.lrec", products=64)
    assert killed(cli("embed", "--db", str(shop), "--device", "cpu", "--batch-size", "16", fault="embed-batch"))
    assert integrity(shop) == "ok"
    assert setting(shop, TEXT_MODEL.key) is None  # no half-read model became the shop's text model
    db = store.connect(shop)
    kept = db.execute("SELECT count(*) FROM item_vectors").fetchone()[0]
    db.close()
    assert kept == 16
    entry = only_interrupted(shop, "embed")
    again = cli("jobs", "--db", str(shop), "--resume", str(entry.job_id))
    assert again.returncode == 0, again.stderr
    assert "48 product descriptions read" in again.stdout and "16 unchanged ones reused" in again.stdout
    assert setting(shop, TEXT_MODEL.key)["fingerprint"]


def test_index_build_killed_keeps_the_previous_index(tmp_path: Path) -> None:
    shop = small_shop(tmp_path / "shop.lrec")
    embed_catalog(shop, device="cpu")
    model = setting(shop, TEXT_MODEL.key)
    good = artifacts.read_json(index_folder(shop) / "config.json")
    db = store.connect(shop)
    db.execute("UPDATE items SET title = 'Beeswax candle, tall' WHERE item_id = 'P000'")
    db.close()
    assert killed(cli("embed", "--db", str(shop), "--device", "cpu", fault="index-save"))
    assert integrity(shop) == "ok"
    assert setting(shop, TEXT_MODEL.key) == model
    assert artifacts.read_json(index_folder(shop) / "config.json") == good
    leftovers = list((models_dir(shop) / "text-index").glob(".*.tmp-*"))
    assert len(leftovers) == 1
    entry = only_interrupted(shop, "embed")
    discarded = cli("jobs", "--db", str(shop), "--discard", str(entry.job_id))
    assert discarded.returncode == 0, discarded.stderr
    assert not leftovers[0].exists() and journal.interrupted(shop) == []


def test_preparing_killed_keeps_the_previous_recommendations(tmp_path: Path) -> None:
    shop = small_shop(tmp_path / "shop.lrec")
    prepare(shop)
    good = artifacts.read_json(cf_folder(shop) / "config.json")
    assert killed(cli("prepare", "--db", str(shop), fault="prepare-save"))
    assert integrity(shop) == "ok"
    assert artifacts.read_json(cf_folder(shop) / "config.json") == good
    entry = only_interrupted(shop, "prepare")
    again = cli("jobs", "--db", str(shop), "--resume", str(entry.job_id))
    assert again.returncode == 0, again.stderr
    assert artifacts.read_json(cf_folder(shop) / "config.json")["built_at"] >= good["built_at"]
    assert not list(models_dir(shop).glob(".*"))


def test_learning_killed_keeps_the_text_model_in_use(tmp_path: Path) -> None:
    shop = build_learning_shop(tmp_path / "learn.lrec")
    model = setting(shop, TEXT_MODEL.key)
    result = cli("finetune", "--db", str(shop), "--device", "cpu", "--max-pairs", "64", "--max-minutes", "0.02",
                 fault="version-save")
    assert killed(result), result.stderr
    assert integrity(shop) == "ok"
    assert setting(shop, TEXT_MODEL.key) == model
    assert list_versions(shop) == []
    assert list(versions_dir(shop).glob(".v0001.tmp-*"))  # the unfinished version, never registered
    entry = only_interrupted(shop, "finetune")
    assert "did not change" in entry.describe()
    discarded = cli("jobs", "--db", str(shop), "--discard", str(entry.job_id))
    assert discarded.returncode == 0, discarded.stderr
    assert not list(versions_dir(shop).iterdir())
