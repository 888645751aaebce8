"""A job cut short by a crash shows on the Overview and the Jobs page as unfinished work, in words, with
Run again and Discard that do what they say."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lrec_desktop.core import journal
from lrec_desktop.core.store import db as store
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import shot


def interrupt(shop: Path, kind: str, params: dict) -> int:
    """A journal row left 'running' by a process that no longer exists, as after a kill."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    db = store.connect(shop)
    cursor = db.execute("INSERT INTO job_log(kind, started_at, state, pid, process_started, params) "
                        "VALUES (?, strftime('%s', 'now'), 'running', ?, 1.0, ?)",
                        [kind, child.pid, json.dumps(params)])
    db.close()
    return int(cursor.lastrowid)


def count_lines(shop: Path) -> int:
    db = store.connect(shop)
    try:
        return int(db.execute("SELECT count(*) FROM interactions").fetchone()[0])
    finally:
        db.close()


def test_run_again_an_interrupted_import(qtbot: QtBot, shop_path: Path, fixtures: Path, screenshots: Path) -> None:
    interrupt(shop_path, "import", {"interactions": str(fixtures / "uci_orders.csv"), "mapping": {}})
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    assert win.open_path(shop_path)
    panel = win.overview.unfinished
    qtbot.waitUntil(panel.isVisible)
    [row] = panel.rows
    assert row.text.text().startswith("Importing uci_orders.csv (started ")
    assert "nothing of that import was saved" in row.text.text()
    assert win.jobs_page.unfinished.rows and win.jobs_page.unfinished.rows[0].entry.job_id == row.entry.job_id
    shot(win, screenshots, "overview-interrupted")
    before = count_lines(shop_path)
    qtbot.mouseClick(row.again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.isVisible())
    wait_idle(qtbot, win, 60000)
    assert count_lines(shop_path) > before
    assert journal.interrupted(shop_path) == []
    assert any(j.title == "Importing uci_orders.csv" and j.state == "done" for j in win.jobs.jobs)
    win.close()


def test_discard_an_interrupted_learning_run(qtbot: QtBot, shop_path: Path) -> None:
    job_id = interrupt(shop_path, "finetune", {"epochs": 1})
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(shop_path)
    [row] = win.jobs_page.unfinished.rows
    assert "the text model in use did not change" in row.text.text()
    qtbot.mouseClick(row.discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.jobs_page.unfinished.isVisible())
    wait_idle(qtbot, win)
    assert journal.get(shop_path, job_id).state == "discarded"
    win.close()
