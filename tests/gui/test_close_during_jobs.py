"""Closing the window while a heavy job runs cancels it cleanly: the close comes back (the pools stop),
no worker is left, the shop file passes SQLite's integrity check, the job is journaled as cancelled (not
left to read as interrupted next time), and the previous good state is intact.

Each job is started through the window (the page's button or the page's own start) and held at a real point
in its middle until the close cancels it: a named point inside the job (``core.faults``: the same places the
crash tests kill the process at), or the Pause button for learning. Holding it there makes "mid-job"
certain on any machine, with no sleeps.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lrec_desktop.core import journal
from lrec_desktop.core.app import choice, imports, prepare, versions
from lrec_desktop.core.jobs import CancelToken
from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui import workers
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.session import READY
from tests.gui.conftest import wait_idle

HOLD_S = 60.0  # a held job waits at most this long for the close (a safety net: the close cancels it at once)


class Hold:
    """Stands in for ``fault_point`` in a job module: at the named point, the job waits until the job running
    ``fn`` is cancelled, as a long file or a big catalog would keep it busy there."""

    def __init__(self, point: str, fn: Callable[..., Any]) -> None:
        self.point, self.fn = point, fn
        self.reached = threading.Event()

    def token(self) -> CancelToken:
        [worker] = [w for w in workers.live_workers() if w.fn is self.fn]
        return worker.token

    def __call__(self, name: str) -> None:
        if name != self.point or self.reached.is_set():
            return
        token = self.token()
        self.reached.set()
        deadline = time.monotonic() + HOLD_S
        while not token.cancelled and time.monotonic() < deadline:
            time.sleep(0.01)


def close_mid_job(win: MainWindow, job: Any) -> None:
    """Close the window while ``job`` runs: the close must stop every pool (shutdown returns True), and the
    job itself must end by raising Cancelled (what the worker emits, seen on the worker's thread, since the
    window ignores signals once it is closing)."""
    assert job.active
    outcome: list[str] = []
    signals = job.worker.signals
    direct = Qt.ConnectionType.DirectConnection
    signals.finished.connect(lambda _r: outcome.append("finished"), direct)
    signals.failed.connect(lambda exc: outcome.append(type(exc).__name__), direct)
    stopped: list[bool] = []
    shutdown = win.jobs.shutdown
    win.jobs.shutdown = lambda *a, **k: stopped.append(shutdown(*a, **k)) or stopped[-1]  # type: ignore[method-assign]
    win.close()
    assert stopped == [True]  # every pool stopped: the close did not give up waiting for a job
    assert workers.live_workers() == []
    assert outcome == ["Cancelled"]


def running(win: MainWindow, title: str) -> Any:
    [job] = [j for j in win.jobs.jobs if j.title == title and j.active]
    return job


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def counts(path: Path) -> dict[str, int]:
    db = store_db.connect(path)
    try:
        return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("items", "customers", "interactions", "imports")}
    finally:
        db.close()


def last_journal_state(path: Path, kind: str) -> str:
    return next(e.state for e in journal.history(path) if e.kind == kind)


def assert_clean(path: Path, kind: str) -> None:
    assert integrity(path) == "ok"
    assert last_journal_state(path, kind) == journal.CANCELLED
    assert journal.interrupted(path) == []


def test_close_during_import(qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from lrec_desktop.core.ingest import importer

    path = window.session.path
    before = counts(path)
    orders = tmp_path / "more-orders.csv"
    orders.write_text("Invoice,StockCode,Description,Quantity,InvoiceDate,CustomerID\n" + "".join(
        f"9{n:03d},N{n % 7},New tea {n % 7},1,2024-05-{1 + n % 28:02d} 10:00,C{n % 40:03d}\n" for n in range(300)
    ), encoding="utf-8")
    hold = Hold("import-chunk", imports.run_import)
    monkeypatch.setattr(importer, "fault_point", hold)
    page = window.import_page
    window.go("Import")
    page.set_file("orders", orders)
    qtbot.waitUntil(lambda: "orders" in page.previews and page.import_button.isEnabled(), timeout=10000)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert hold.reached.wait(20)  # its first chunk is written inside the import's transaction
    close_mid_job(window, page.job)
    assert counts(path) == before  # rolled back: not one of the 300 lines, products or customers
    assert_clean(path, journal.IMPORT)


def test_close_during_preparing(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from lrec_desktop.core.recommend import model

    path = window.session.path
    prepared = model.prepared_version(path)
    weights = (model.cf_folder(path) / "config.json").read_bytes()
    db = store_db.connect(path)
    store_db.bump_data_version(db)  # as after an import: the recommendations must be prepared again
    db.close()
    window.session.data_changed()

    original = model.load_purchases
    hold = Hold("purchases-loaded", prepare.load_recommender)

    def load_then_hold(*args: Any, **kwargs: Any) -> Any:
        purchases = original(*args, **kwargs)
        hold("purchases-loaded")  # fitting starts next: the longest part on a big shop
        return purchases

    monkeypatch.setattr(model, "load_purchases", load_then_hold)
    window.go("Overview")
    button = window.overview.rec_row.button
    qtbot.waitUntil(button.isEnabled, timeout=10000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert hold.reached.wait(20)
    close_mid_job(window, running(window, "Prepare recommendations"))
    assert model.prepared_version(path) == prepared  # the recommendations prepared before are still there
    assert (model.cf_folder(path) / "config.json").read_bytes() == weights
    assert_clean(path, journal.PREPARE)


def test_close_during_reading_descriptions(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("torch")
    from lrec_desktop.core.text import embed_job

    path = window.session.path
    monkeypatch.setattr(choice, "EMBED_BATCH_SIZE", 8)  # 60 products: several batches, the close lands between
    hold = Hold("embed-batch", choice.read_descriptions)
    monkeypatch.setattr(embed_job, "fault_point", hold)
    window.go("Overview")
    button = window.overview.text_row.button
    qtbot.waitUntil(lambda: button.isVisible() and window.session.text_status is not None, timeout=20000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert hold.reached.wait(60)  # the model loaded and read its first batch
    close_mid_job(window, running(window, "Read product descriptions"))
    db = store_db.connect(path)
    try:
        assert store_db.get_setting(db, "text_model") is None  # no text model became the shop's
    finally:
        db.close()
    assert not embed_job.index_is_current(path)
    assert_clean(path, journal.EMBED)


def test_close_during_learning(qtbot: QtBot, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from lrec_desktop.core.text.versions import versions_dir
    from tests.gui.test_learn import SMALL, active_fingerprint, build_learn_shop

    path = build_learn_shop(tmp_path / "learn-shop.lrec")
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == READY, timeout=30000):
        assert win.open_path(path)
        win.session.prepare_recommendations()
    wait_idle(qtbot, win, 30000)
    base = active_fingerprint(path)
    win.go("Learn from my sales")
    page = win.learn
    with qtbot.waitSignal(page.relay.sig_point, timeout=120_000):  # training has begun (its first measure)
        job = page.start(**SMALL)
        qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)  # held between two steps
    assert page.paused and job.active
    close_mid_job(win, job)
    assert active_fingerprint(path) == base  # the text model in use did not change
    assert versions.learned_versions(path) == []
    folder = versions_dir(path)
    assert not folder.exists() or list(folder.iterdir()) == []  # no version folder, not even a temporary one
    assert_clean(path, journal.FINETUNE)
