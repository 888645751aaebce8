"""The foundation's "done when", on the real ml-latest-small (skipped without ../shared/datasets): import
ratings.csv with movies.csv as the product file through the Import page, look up customer 1, export all."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from lrec_desktop.core.export import LONG_HEADER, ExportRequest, export_recommendations
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.session import READY
from tests.gui.conftest import wait_idle


@pytest.mark.slow
def test_movielens_through_the_import_page(qtbot: QtBot, tmp_path: Path, movielens_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "movies"), ""))
    win.new_action.trigger()
    page = win.import_page
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(movielens_dir / "ratings.csv"), ""))
    qtbot.mouseClick(page.orders_button, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(movielens_dir / "movies.csv"), ""))
    qtbot.mouseClick(page.products_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: {"orders", "products"} <= set(page.previews), timeout=10000)
    ratings = page.previews["orders"]
    assert ratings.meaning("userId") == "customer_id" and ratings.meaning("movieId") == "item_id"
    assert ratings.meaning("rating") == "rating" and ratings.meaning("timestamp") == "timestamp"
    assert page.previews["products"].meaning("title") == "title"

    with qtbot.waitSignal(page.sig_imported, timeout=60000) as blocker:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    summary = blocker.args[0]
    assert sum(f.accepted for f in summary.files) == 100_836 + 9_742
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == READY, timeout=120000):
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)

    customers = win.customers
    win.go("Customers")
    customers.search.setText("1")
    qtbot.keyClick(customers.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: customers.customer_id == "1" and len(customers.recommendations) == 10, timeout=20000)
    assert customers.history_model.rowCount() == 232  # customer 1 rated 232 films

    out = tmp_path / "all.csv"
    result = export_recommendations(win.session.path, ExportRequest(out, top=10))
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == LONG_HEADER and result.customers == 610 and len(rows) == 1 + 6100
    wait_idle(qtbot, win)
    win.close()
