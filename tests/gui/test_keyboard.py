"""The main journeys by keyboard alone (UX.md: Ctrl+F search, Ctrl+E export, Ctrl+I import, Ctrl+O open shop,
Ctrl+N new shop; Ctrl+1..8 for the pages): every key goes through qtbot to the widget that has the focus, as
a user's would, and no mouse click is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import ORDERS_CSV

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key(qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is. An open dialog has it, and the main window again once it
    closes, as a desktop's window manager does (the offscreen test platform has none to do that)."""
    dialog = QApplication.activeModalWidget()
    window = dialog or next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    if QApplication.activeWindow() is not window:  # a dialog opened, or closed and gave the focus back
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget() or window, k, modifier)


def closed(dialog: QWidget) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()  # deleted on close, or hidden


def tab_stops(qtbot: QtBot, start: QWidget, limit: int = 60) -> list[QWidget]:
    """The widgets Tab visits from ``start`` until it comes back round (or ``limit`` presses)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in range(limit):
        key(qtbot, Qt.Key.Key_Tab)
        widget = focused()
        if widget is start or widget in seen:
            break
        seen.append(widget)
    return seen


def test_find_a_customer_by_keys(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    key(qtbot, Qt.Key.Key_F, CTRL)
    page = window.customers
    assert window.stack.currentWidget() is page and focused() is page.search
    qtbot.keyClicks(focused(), "C012")
    with qtbot.waitSignal(page.recs_model.modelReset, timeout=10000):
        key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.recommendations) == 10, timeout=10000)
    assert page.customer_id == "C012" and page.name.text() == "Customer 12"
    # Tab walks the page as it reads: search, Look up, the two lists, then Export and Copy.
    stops = tab_stops(qtbot, page.search)
    wanted = [page.lookup_button, page.history, page.recs, page.export_button, page.copy_button]
    assert [w for w in stops if w in wanted] == wanted
    # Alt+C is the Copy button's mnemonic (a mnemonic presses its button after a short flash)
    QApplication.clipboard().clear()
    key(qtbot, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(lambda: QApplication.clipboard().text().startswith("Rank\tProduct\tNote\tWhy this?"))
    wait_idle(qtbot, window)


def test_export_dialog_by_keys(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.activateWindow()
    key(qtbot, Qt.Key.Key_E, CTRL)
    dialog = window.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.export_button.isDefault()
    key(qtbot, Qt.Key.Key_Escape)  # Escape closes it; nothing is exported
    qtbot.waitUntil(lambda: closed(dialog))

    key(qtbot, Qt.Key.Key_E, CTRL)
    dialog = window.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    out = tmp_path / "by-keys.csv"
    dialog.out.setFocus()
    dialog.out.selectAll()
    qtbot.keyClicks(dialog.out, str(out))
    key(qtbot, Qt.Key.Key_W, ALT)  # the wide layout, by its mnemonic
    qtbot.waitUntil(dialog.wide_radio.isChecked)
    key(qtbot, Qt.Key.Key_Return)  # Enter presses the default button, Export
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    assert out.exists() and out.read_text(encoding="utf-8-sig").startswith("customer_id,email,name,")
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))


def test_pages_import_and_shops_by_keys(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.activateWindow()
    for n, name in enumerate(window.pages, start=1):
        key(qtbot, Qt.Key(Qt.Key.Key_0 + n), CTRL)
        assert window.stack.currentWidget() is window.pages[name], name
    key(qtbot, Qt.Key.Key_1, CTRL)
    key(qtbot, Qt.Key.Key_I, CTRL)
    page = window.import_page
    assert window.stack.currentWidget() is page

    # Choose the orders file by keys: Tab to "Choose orders file…" and press Space (the file dialog is the
    # system's own, so the test answers it); then the preview's drop-downs, then Import, by Tab.
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(orders), ""))
    stops = tab_stops(qtbot, window.nav)
    assert stops[0] is page.orders_button
    page.orders_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "orders" in page.previews and page.import_button.isEnabled(), timeout=10000)
    preview = page.previews["orders"]
    stops = tab_stops(qtbot, page.products_button)
    combos = [preview.combos[c] for c in preview.columns]
    assert stops[: 1 + len(combos) + 2] == [page.tabs.tabBar(), *combos, page.everything_button,
                                           page.import_button]
    page.import_button.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(page.sig_imported, timeout=20000):
        key(qtbot, Qt.Key.Key_Return)  # Enter on the focused button presses it, as Space does
    wait_idle(qtbot, window)

    # Ctrl+N and Ctrl+O ask for a file (answered here as the user would) and open that shop.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "second"), ""))
    key(qtbot, Qt.Key.Key_N, CTRL)
    assert window.session.path == tmp_path / "second.lrec" and window.stack.currentWidget() is page
    first = tmp_path / "tea-shop.lrec"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(first), ""))
    key(qtbot, Qt.Key.Key_O, CTRL)
    assert window.session.path == first and window.stack.currentWidget() is window.overview
    wait_idle(qtbot, window)


def test_every_page_button_answers_enter(window: MainWindow) -> None:
    """Outside dialogs Qt presses a focused button on Space only; the window makes Enter do it too."""
    buttons = window.stack.findChildren(QPushButton)
    assert buttons and all(b.autoDefault() for b in buttons)
