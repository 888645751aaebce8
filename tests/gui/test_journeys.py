"""The UX journeys driven through the real window with qtbot; each renders its page to a PNG."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from lrec_desktop.core.app import shops
from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.pages.overview_page import DEMO_TEXT
from lrec_desktop.gui.session import READY
from lrec_desktop.gui.widgets.mapping_preview import CONFIDENCE_COLOURS
from tests.gui.conftest import wait_idle
from tests.gui.shopdata import build_shop

ORDERS_CSV = """Invoice,StockCode,Description,Quantity,InvoiceDate,Shopper
1001,T1,Green tea,2,2024-01-05 10:00,anna
1001,T2,Black tea,1,2024-01-05 10:00,anna
1002,T1,Green tea,1,2024-02-01 09:30,ben
1003,T3,Mystery box,two,2024-02-03 12:00,ben
1004,M1,Blue mug,1,2024-03-01 15:00,carla
1004,T2,Black tea,3,2024-03-01 15:00,carla
"""


def shot(widget: QWidget, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    QApplication.processEvents()  # let pending layout changes land before the picture
    assert widget.grab().save(str(path))
    return path


def choose_with_keyboard(qtbot: QtBot, combo: QWidget, field: str) -> None:
    """Step the drop-down with the arrow keys until it shows ``field``, as a keyboard user would."""
    target = combo.findData(field)
    combo.setFocus()
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(combo.count()):
        if combo.currentIndex() == target:
            break
        qtbot.keyClick(combo, key)
    assert combo.currentData() == field


def test_import_orders_file(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshots: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "my-shop"), ""))
    win.new_action.trigger()  # File → New shop…: creates my-shop.lrec and goes to Import
    assert win.session.path == tmp_path / "my-shop.lrec"
    page = win.import_page
    assert win.stack.currentWidget() is page

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(orders), ""))
    qtbot.mouseClick(page.orders_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "orders" in page.previews, timeout=10000)
    preview = page.previews["orders"]
    assert preview.rowCount() == 1 + 6  # the meaning row + the file's rows
    assert preview.meaning("StockCode") == "item_id"
    assert preview.header_colour("StockCode") == CONFIDENCE_COLOURS["recognised"][0]
    shopper = preview.combos["Shopper"]
    if preview.meaning("Shopper") != "customer_id":
        choose_with_keyboard(qtbot, shopper, "customer_id")
    assert preview.confidence["Shopper"] == "recognised"
    choose_with_keyboard(qtbot, preview.combos["Invoice"], "ignore")
    assert preview.header_colour("Invoice") == CONFIDENCE_COLOURS["ignored"][0]
    choose_with_keyboard(qtbot, preview.combos["Invoice"], "order_id")
    shot(win, screenshots, "import-preview")

    plan = page.plan()
    assert plan.mapping["customer_id"] == "Shopper" and plan.mapping["item_id"] == "StockCode"
    assert plan.mapping["order_id"] == "Invoice" and plan.mapping["rating"] == ""
    with qtbot.waitSignal(page.sig_imported, timeout=20000) as blocker:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    summary = blocker.args[0]
    assert page.result.isVisible() and page.result.text() == summary.message()
    assert page.problems_button.isVisible()
    qtbot.mouseClick(page.problems_button, Qt.MouseButton.LeftButton)
    assert page.problems.isVisible() and page.problems_model.rowCount() >= 1
    shot(win, screenshots, "import-summary")

    db = store_db.connect(win.session.path)
    assert db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 5
    customers = {r[0] for r in db.execute("SELECT customer_id FROM customers")}
    assert {"anna", "ben", "carla"} <= customers
    db.close()

    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == READY, timeout=20000):
        qtbot.mouseClick(page.prepare_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)
    win.close()


def test_bad_file_is_explained_inline(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    window.go("Import")
    window.import_page.set_file("orders", empty)
    qtbot.waitUntil(lambda: window.import_page.error.isVisible(), timeout=10000)
    text = window.import_page.error.text()
    assert text and "Traceback" not in text and "\n" not in text


def test_look_up_customer(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F
    page = window.customers
    assert window.stack.currentWidget() is page
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "customer1@")
    qtbot.waitUntil(lambda: page.completions.rowCount() > 0, timeout=3000)
    assert any("customer1@example.com" in s for s in page.completions.stringList())
    page.search.setText("C012")
    with qtbot.waitSignal(page.recs_model.modelReset, timeout=10000):
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert page.customer_id == "C012"
    assert page.name.text() == "Customer 12"
    assert "orders" in page.facts.text() and "Favourite categories" in page.facts.text()
    assert page.history_model.rowCount() > 0
    dates = page.history_model.keys
    assert [d[0] for d in dates] == sorted((d[0] for d in dates), reverse=True)  # newest first
    assert page.recs_model.rowCount() == 10
    assert page.recs_model.rows[0][0] == 1 and page.recs_model.rows[0][3]  # rank and "why this?"
    bought = {r[1] for r in page.history_model.rows}
    assert not bought & {r[1] for r in page.recs_model.rows}
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().startswith("Rank\tProduct\tNote\tWhy this?")
    shot(window, screenshots, "customers")

    # last request wins: two quick lookups, only the second is shown
    page.look_up("C003")
    page.look_up("C004")
    wait_idle(qtbot, window)
    assert page.customer_id == "C004" and page.name.text() == "Customer 4"


def test_export_all_customers(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Ctrl+E
    dialog = window.export_dialog
    assert dialog.isVisible() and dialog.all_radio.isChecked()
    out = tmp_path / "campaign.csv"
    dialog.out.setText(str(out))
    dialog.top.setValue(5)
    with qtbot.waitSignal(dialog.result.windowTitleChanged, timeout=100, raising=False):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    assert str(out) in dialog.result.text()
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["customer_id", "rank", "item_id", "title", "score", "reason"]
    assert len({r[0] for r in rows[1:]}) == 40 and len(rows) - 1 == 40 * 5
    dialog.close()

    # a pasted list with an unknown e-mail is explained inline, nothing runs
    dialog = window.export()
    dialog.pasted.setPlainText("C001, nobody@example.com")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible() and "nobody@example.com" in dialog.error.text()
    assert dialog.job is None
    dialog.pasted.setPlainText("C001\ncustomer2@example.com")
    dialog.wide_radio.setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    with Path(dialog.summary.path).open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["customer_id", "email", "name"] and {r[0] for r in rows[1:]} == {"C001", "C002"}
    dialog.close()


def test_catalog_page(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    window.go("Catalog")
    page = window.catalog
    assert page.model.rowCount() == 60
    qtbot.keyClicks(page.filter, "Mugs")
    qtbot.waitUntil(lambda: page.model.total == 12, timeout=3000)
    assert "12 products" in page.count.text()
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.product.similar_model.rowCount() > 0, timeout=10000)
    assert page.product.fields["Category"].text() == "Mugs"
    page.table.selectAll()
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].startswith("Product id\tProduct") and len(copied) == 13
    shot(window, screenshots, "catalog")


def test_overview_and_jobs_pages(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    page = window.overview
    assert page.stats["Customers"].value.text() == "40"
    assert page.rec_row.mark.text() == "✓"
    assert not page.banner.isVisible()
    shot(window, screenshots, "overview")
    window.go("Jobs")
    assert window.jobs_page.model.rowCount() >= 1
    assert window.jobs_page.model.index(0, 1).data() == "Done"
    assert window.jobs_page.buttons == {}  # no Cancel button on a finished job
    started = threading.Event()

    def slow(*, progress, cancel) -> None:
        started.set()
        progress(0.4, "Working through the orders")
        while not cancel.cancelled:
            cancel._event.wait(0.01)
        cancel.raise_if_cancelled()

    job = window.jobs.submit("Prepare something slow", slow)
    assert started.wait(5)
    qtbot.waitUntil(lambda: job.fraction == 0.4, timeout=3000)
    shot(window, screenshots, "jobs-running")
    qtbot.mouseClick(window.jobs_page.buttons[job.id], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.state == "cancelled", timeout=5000)
    assert window.jobs_page.model.index(1, 1).data() == "Cancelled"
    title = window.jobs_page.model.index(1, 0)
    assert title.data(Qt.ItemDataRole.ToolTipRole) == title.data() == "Prepare something slow"
    shot(window, screenshots, "jobs")


def test_first_launch_builds_demo_in_background(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshots: Path
) -> None:
    def fake_demo(*, progress, cancel) -> Path:
        path = tmp_path / "demo-shop.lrec"
        progress(0.2, "Importing the demo orders")
        build_shop(path)
        db = store_db.connect(path)
        store_db.set_setting(db, "is_demo", True)
        db.close()
        return path

    monkeypatch.setattr(shops, "ensure_demo_shop", fake_demo)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == READY, timeout=20000):
        win.start(None)
        assert win.overview.status.isVisible()  # "Getting the demo shop ready…" while it builds
    assert win.overview.banner.isVisible() and win.overview.banner.text() == DEMO_TEXT
    assert win.windowTitle().startswith("Demo shop")
    shot(win, screenshots, "overview-demo")
    wait_idle(qtbot, win)
    win.close()


def test_closing_the_window_cancels_running_jobs(qtbot: QtBot, window: MainWindow) -> None:
    started, stopped = threading.Event(), threading.Event()

    def long_job(*, progress, cancel) -> None:
        started.set()
        while not cancel.cancelled:
            progress(0.5, "working")
            cancel._event.wait(0.01)
        stopped.set()
        cancel.raise_if_cancelled()

    job = window.jobs.submit("A long job", long_job)
    assert started.wait(5)
    qtbot.waitUntil(lambda: "A long job" in window.jobs_label.text(), timeout=3000)  # shown in the status bar
    window.close()
    assert stopped.is_set() and job.state == "cancelled"


def test_unexpected_error_opens_report_dialog(qtbot: QtBot, window: MainWindow) -> None:
    from lrec_desktop.gui.dialogs.crash_dialog import CrashDialog

    def broken(*, progress, cancel) -> None:
        raise ZeroDivisionError("division by zero")

    job = window.jobs.submit("A broken job", broken)
    qtbot.waitUntil(lambda: job.state == "failed", timeout=5000)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()]
    assert len(dialogs) == 1
    qtbot.mouseClick(dialogs[0].copy_button, Qt.MouseButton.LeftButton)
    assert "ZeroDivisionError" in QApplication.clipboard().text()
    dialogs[0].close()
