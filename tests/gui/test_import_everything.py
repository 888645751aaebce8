"""UX journey 2 by mouse alone (issue 20): from a shop's two files to an exported CSV on a new shop in at most six
clicks, through "Import and prepare everything" (import, read the descriptions, prepare), and a cancel of that
chain that keeps the import. On the Shopify tea shop of tests/fixtures/real, through the real window."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from lrec_desktop.core.app import choice
from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui import places
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.session import NOT_PREPARED, READY
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import shot

REAL = Path(__file__).parent.parent / "fixtures" / "real"
ORDERS, PRODUCTS = REAL / "tea_shopify_orders.csv", REAL / "tea_shopify_products.csv"


class Clicks:
    """Counts the owner's clicks: mouse clicks on real widgets, and each answer to a file dialog."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def click(self, widget: QWidget) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def answer(self, value: Any) -> Callable[..., Any]:
        def pick(*_a: Any, **_k: Any) -> Any:
            self.count += 1
            return value

        return pick


def new_window(qtbot: QtBot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def shop_customers(path: Path) -> set[str]:
    db = store_db.connect(path)
    try:
        return {r[0] for r in db.execute("SELECT customer_id FROM customers")}
    finally:
        db.close()


def test_files_to_exported_csv_in_six_clicks(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshots: Path
) -> None:
    monkeypatch.setattr(places, "documents_dir", lambda: tmp_path)  # the export's default folder
    clicks = Clicks(qtbot)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", clicks.answer((str(tmp_path / "tea-shop.lrec"), "")))
    # Selection order need not be the files' roles: the product file first, told apart by its columns.
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", clicks.answer(([str(PRODUCTS), str(ORDERS)], "")))
    win = new_window(qtbot)
    page = win.import_page

    clicks.click(win.overview.new_shop_button)  # 1, then the shop's name (2) and the two files (3)
    assert win.session.path == tmp_path / "tea-shop.lrec" and win.stack.currentWidget() is page
    qtbot.waitUntil(lambda: set(page.previews) == {"orders", "products"} and not page._sort_roles, timeout=20000)
    assert page.files["orders"] == ORDERS and page.files["products"] == PRODUCTS
    assert page.tabs.tabText(0) == f"Orders: {ORDERS.name}"
    assert page.everything_button.isDefault()
    shot(win, screenshots, "import-everything-preview")

    clicks.click(page.everything_button)  # 4
    assert page.cancel_button.isEnabled() and page.progress.isVisible()
    qtbot.waitUntil(lambda: not page.chain.running, timeout=120000)
    wait_idle(qtbot, win, timeout=60000)
    assert win.session.rec_state == READY
    assert win.session.text_status is not None and win.session.text_status.current  # the descriptions are read
    assert "Everything is ready" in page.result.text() and page.summary.message() in page.result.text()
    assert page.export_button.isVisible() and not page.prepare_button.isVisible()
    shot(win, screenshots, "import-everything-done")

    clicks.click(page.export_button)  # 5
    dialog = win.export_dialog
    assert dialog.isVisible() and dialog.all_radio.isChecked()
    clicks.click(dialog.export_button)  # 6
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=30000)
    assert clicks.count <= 6, f"{clicks.count} clicks from files to an exported CSV"
    print(f"journey 2: {clicks.count} clicks from files to an exported CSV")

    out = tmp_path / "recommendations-tea-shop.csv"
    assert Path(dialog.summary.path) == out
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["customer_id", "rank", "item_id", "title", "score", "reason"]
    customers = shop_customers(win.session.path)
    assert len(customers) >= 10 and {r[0] for r in rows[1:]} == customers
    assert all(r[0].endswith("@example.org") for r in rows[1:])  # the Shopify file's e-mails are its customers
    assert all(1 <= int(r[1]) <= 10 and r[2] and r[3] and r[5] for r in rows[1:])
    dialog.close()
    wait_idle(qtbot, win)
    win.close()


def test_cancel_keeps_the_import_and_the_button_finishes_later(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(choice, "EMBED_BATCH_SIZE", 2)  # small batches: the reading stops between two of them
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "tea-shop.lrec"), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(ORDERS), str(PRODUCTS)], ""))
    win = new_window(qtbot)
    page = win.import_page
    qtbot.mouseClick(win.overview.new_shop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: set(page.previews) == {"orders", "products"}, timeout=20000)

    qtbot.mouseClick(page.everything_button, Qt.MouseButton.LeftButton)
    # Cancel as soon as the import is in: the chain is then reading the descriptions.
    qtbot.waitUntil(lambda: page.summary is not None, timeout=60000)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.chain.running, timeout=30000)
    wait_idle(qtbot, win, timeout=60000)
    assert win.session.rec_state == NOT_PREPARED  # preparing never started
    assert len(shop_customers(win.session.path)) >= 10  # the import committed stays
    # "while" when the reading had begun, "before" when the Cancel landed as the import's job ended.
    assert re.search(r"Stopped (while|before) reading the product descriptions", page.result.text()), page.result.text()
    assert "The import is kept" in page.result.text() and page.summary.message() in page.result.text()
    assert page.prepare_button.isVisible() and not page.export_button.isVisible()
    assert page.everything_button.isEnabled()

    # Again: the import is not repeated, the remaining steps run.
    imports_before = sum(j.title.startswith("Import ") for j in win.jobs.jobs)
    qtbot.mouseClick(page.everything_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.chain.running, timeout=120000)
    wait_idle(qtbot, win, timeout=60000)
    assert sum(j.title.startswith("Import ") for j in win.jobs.jobs) == imports_before
    assert win.session.rec_state == READY and page.export_button.isVisible()
    assert "Everything is ready" in page.result.text()
    win.close()
