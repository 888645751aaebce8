"""Files the window writes land where the user expects, and nothing is left beside a shop after Quit
(issue 20 item 11)."""

from __future__ import annotations

import gc
import os
import sqlite3
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui.dialogs.export_dialog import default_out
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.session import ShopSession
from tests.conftest import REAL_HOME, TEST_HOME


def test_the_test_run_has_a_home_of_its_own() -> None:
    assert Path.home() == TEST_HOME != REAL_HOME
    assert Path(platformdirs.user_config_dir("lrec_desktop")).is_relative_to(TEST_HOME)
    assert Path(platformdirs.user_log_dir("lrec_desktop")).is_relative_to(TEST_HOME)


def test_export_goes_to_the_desktops_documents_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A German desktop: the documents folder is ~/Dokumente, named in XDG's user-dirs.dirs; no ~/Documents.
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / "Dokumente").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/Dokumente"\n', encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    session: ShopSession = window.session
    assert default_out(session) == home / "Dokumente" / "recommendations-tea-shop.csv"
    dialog = window.export()
    assert dialog is not None and Path(dialog.out.text()).parent == home / "Dokumente"
    dialog.close()


def test_no_wal_or_shm_left_after_quit(qtbot: QtBot, shop_path: Path) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == "ready", timeout=20000):
        assert win.open_path(shop_path)
        win.session.prepare_recommendations()
    wal, shm = (shop_path.with_name(shop_path.name + s) for s in ("-wal", "-shm"))
    assert wal.exists() and shm.exists()  # the shop is in WAL mode while open
    # A reader a job dropped without closing (kept alive by a reference cycle until the collector runs): when
    # the last connection to close is read-only, SQLite can't remove -wal and -shm.
    reader = store_db.connect(shop_path, readonly=True)
    assert reader.execute("SELECT count(*) FROM items").fetchone()[0] > 0
    cycle: list[object] = [reader]
    cycle.append(cycle)
    del reader, cycle
    gc.disable()
    try:
        win.quit_action.trigger()
        QApplication.processEvents()
        assert not wal.exists() and not shm.exists(), os.listdir(shop_path.parent)
    finally:
        gc.enable()
    with sqlite3.connect(shop_path) as conn:  # the shop is whole: everything in -wal reached the file
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] > 0
