"""The job journal: jobs are recorded while they run, a dead process's job reads as interrupted, and an
interrupted job can be run again or discarded (its leftovers tidied)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lrec_desktop.core import artifacts, journal, resume
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.recommend.model import cf_folder, prepare
from lrec_desktop.core.store import db as store
from tests.core.shopdb import write_shop


def _shop(tmp_path: Path) -> Path:
    items = [{"item_id": f"P{n}", "title": f"Product {n}"} for n in range(6)]
    sales = [(f"C{c}", f"P{(c + k) % 6}", 10 * c + k) for c in range(8) for k in range(3)]
    return write_shop(tmp_path / "shop.lrec", items, sales)


def _dead_pid() -> int:
    """The pid of a process that has exited (so it cannot be running any job)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _fake_running(shop: Path, kind: str, params: dict, pid: int) -> int:
    db = store.connect(shop)
    cursor = db.execute("INSERT INTO job_log(kind, started_at, state, pid, process_started, params) "
                        "VALUES (?, 1700000000, 'running', ?, 1.0, ?)", [kind, pid, json.dumps(params)])
    db.close()
    return int(cursor.lastrowid)


def test_finished_cancelled_and_failed_jobs_are_recorded(tmp_path: Path, fixtures: Path) -> None:
    shop = _shop(tmp_path)
    prepare(shop)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        prepare(shop, cancel=token)
    with pytest.raises(UserError):
        run_import(shop, ImportRequest(interactions=fixtures / "shopify_products.csv",
                                       mapping={"customer_id": "no such column"}))
    states = [(e.kind, e.state) for e in journal.history(shop)]
    assert states == [("import", "failed"), ("prepare", "cancelled"), ("prepare", "done")]
    assert journal.interrupted(shop) == []


def test_a_job_inside_another_is_not_recorded_apart(tmp_path: Path) -> None:
    shop = _shop(tmp_path)
    with journal.journaled(shop, journal.FINETUNE, {}) as outer:
        prepare(shop)
        assert outer is not None
    assert [e.kind for e in journal.history(shop)] == ["finetune"]


def test_a_live_process_job_is_running_and_a_dead_ones_is_interrupted(tmp_path: Path) -> None:
    shop = _shop(tmp_path)
    with journal.journaled(shop, journal.PREPARE, {}):
        assert [e.state for e in journal.running_elsewhere(shop)] == ["running"]
        assert journal.interrupted(shop) == []
    dead = _fake_running(shop, "import", {"interactions": "/tmp/orders.csv"}, _dead_pid())
    [entry] = journal.interrupted(shop)
    assert entry.job_id == dead and entry.title == "Importing orders.csv"
    assert "nothing of that import was saved" in entry.describe()


def test_a_reused_pid_does_not_keep_a_job_running(tmp_path: Path) -> None:
    import os

    shop = _shop(tmp_path)
    # Our own pid, but a process start time that is not ours: the job's process died and the pid was reused.
    _fake_running(shop, "prepare", {}, os.getpid())
    assert [e.kind for e in journal.interrupted(shop)] == ["prepare"]


def test_run_again_repeats_an_interrupted_import(tmp_path: Path, fixtures: Path) -> None:
    shop = store.connect(tmp_path / "new.lrec", create=True)
    shop.close()
    path = tmp_path / "new.lrec"
    params = {"items": None, "interactions": str(fixtures / "uci_orders.csv"), "mapping": {}}
    job_id = _fake_running(path, "import", params, _dead_pid())
    summary = resume.run_again(path, job_id)
    assert summary.files[0].accepted > 0
    states = {e.job_id: e.state for e in journal.history(path)}
    assert states[job_id] == "resumed" and list(states.values()).count("done") == 1
    with pytest.raises(UserError, match="was not interrupted"):
        resume.run_again(path, job_id)


def test_run_again_says_when_the_file_has_gone(tmp_path: Path) -> None:
    shop = _shop(tmp_path)
    job_id = _fake_running(shop, "import", {"interactions": str(tmp_path / "moved.csv")}, _dead_pid())
    with pytest.raises(UserError, match=r"moved\.csv is no longer there"):
        resume.run_again(shop, job_id)
    assert [e.state for e in journal.interrupted(shop)] == ["interrupted"]


def test_discard_tidies_leftovers_and_restores_a_kept_aside_model(tmp_path: Path) -> None:
    shop = _shop(tmp_path)
    prepare(shop)
    good = artifacts.read_json(cf_folder(shop) / "config.json")
    # A kill between atomic_folder's two renames: the last good folder is kept aside, its target gone.
    cf_folder(shop).rename(models_dir(shop) / ".cf.old-1234abcd")
    (models_dir(shop) / ".cf.tmp-99999999").mkdir()
    (models_dir(shop) / "text-index").mkdir()
    (models_dir(shop) / "text-index" / ".abc.tmp-00000000").mkdir()
    job_id = _fake_running(shop, "prepare", {}, _dead_pid())
    resume.discard(shop, job_id)
    assert artifacts.read_json(cf_folder(shop) / "config.json") == good
    assert sorted(p.name for p in models_dir(shop).rglob(".*")) == []
    assert journal.interrupted(shop) == [] and journal.get(shop, job_id).state == "discarded"


def test_leftovers_stay_while_a_job_runs(tmp_path: Path) -> None:
    shop = _shop(tmp_path)
    live_tmp = models_dir(shop) / ".cf.tmp-live0000"
    live_tmp.mkdir(parents=True)
    with journal.journaled(shop, journal.PREPARE, {}):
        assert resume.tidy_leftovers(shop) == []
        assert live_tmp.exists()
    assert resume.tidy_leftovers(shop) == ["removed .cf.tmp-live0000"]


def test_old_shops_get_the_journal_columns(tmp_path: Path) -> None:
    path = tmp_path / "v3.lrec"
    db = store.connect(path, create=True)
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE job_log")
    conn.execute("CREATE TABLE job_log (job_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at INTEGER NOT NULL,"
                 " finished_at INTEGER, state TEXT NOT NULL, message TEXT NOT NULL DEFAULT '')")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    migrated = store.connect(path)
    columns = {r[1] for r in migrated.execute("PRAGMA table_info(job_log)")}
    migrated.close()
    assert {"pid", "process_started", "params"} <= columns
