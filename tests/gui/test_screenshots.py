"""Every page of the main window, and the Export and Rules dialogs, rendered to PNG at 1280x800 and
1920x1080 (set LREC_SCREENSHOTS=/tmp/shots to keep them), each in a state with something to show: a file
preview on Import, a customer looked up, the long-tail figures counted, the learning estimate worked out.

On every picture: no label or button narrower (or a wrapping label shorter) than its text needs, the page's
main widgets on screen, and none of the technical words UX.md keeps out of sight."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from lrec_desktop.core.app import evaluate
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import ORDERS_CSV
from tests.gui.ui_checks import clipped, forbidden_words

SIZES = [(1280, 800), (1920, 1080)]


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def render(widget: QWidget, folder: Path, name: str) -> Path:
    QApplication.processEvents()  # layouts settle before the picture and the checks
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def problems(widget: QWidget, name: str) -> list[str]:
    return [f"{name}: {p}" for p in clipped(widget) + forbidden_words(widget)]


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """Visible and inside the window's area (a scrolling page's widget may sit below the fold)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(top_left)


@pytest.fixture
def shown(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    """The window with every page in a state that has something to show."""
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    page = window.import_page
    page.set_file("orders", orders)
    qtbot.waitUntil(lambda: "orders" in page.previews, timeout=10000)
    customers = window.customers
    customers.search.setText("C012")
    customers.look_up("C012")
    qtbot.waitUntil(lambda: len(customers.recommendations) == 10, timeout=10000)
    window.catalog.table.selectRow(0)
    qtbot.waitUntil(lambda: window.catalog.product.similar_model.rowCount() > 0, timeout=10000)
    window.go("Long tail")
    qtbot.waitUntil(lambda: len(window.longtail.sweep) == len(evaluate.SWEEP_LEVELS), timeout=20000)
    window.go("Learn from my sales")
    qtbot.waitUntil(lambda: window.learn.estimate is not None, timeout=30000)
    wait_idle(qtbot, window)
    return window


def key_widgets(win: MainWindow) -> dict[str, Callable[[], list[QWidget]]]:
    """Per page, what must be on screen without scrolling."""
    return {
        "Overview": lambda: [*(b.value for b in win.overview.stats.values()), win.overview.rec_row.button.parent()],
        "Import": lambda: [win.import_page.previews["orders"], win.import_page.import_button],
        "Catalog": lambda: [
            win.catalog.table,
            win.catalog.product.details_title,
            win.catalog.product.similar,
            win.catalog.text_button,
        ],
        "Customers": lambda: [win.customers.search, win.customers.recs, win.customers.history, win.customers.name],
        "Long tail": lambda: [win.longtail.curve_chart, win.longtail.bars_chart, win.longtail.summary],
        "Learn from my sales": lambda: [win.learn.start_button, win.learn.estimate_label],
        "Jobs": lambda: [win.jobs_page.table],
        "Settings": lambda: [win.settings_page.bundled_radio, win.settings_page.device],
        "Campaigns": lambda: [win.pages["Campaigns"].status],
    }


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_page(qtbot: QtBot, shown: MainWindow, screenshots: Path, width: int, height: int) -> None:
    win = shown
    win.resize(width, height)
    wanted = key_widgets(win)
    assert list(wanted) == list(win.pages)
    found = []  # every page is rendered before the assertion, so one run shows all there is to fix
    for name in win.pages:
        win.go(name)
        render(win, screenshots, f"page-{slug(name)}-{width}x{height}")
        found += problems(win, name)
        found += [f"{name}: {w!r} is not on screen" for w in wanted[name]() if not on_screen(w, win)]
    assert found == []


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_dialogs(qtbot: QtBot, shown: MainWindow, screenshots: Path, width: int, height: int) -> None:
    win = shown
    win.resize(width, height)
    dialog = win.export(["C012"])
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    render(dialog, screenshots, f"dialog-export-{width}x{height}")
    found = problems(dialog, "Export dialog")
    assert dialog.export_button.isVisible() and dialog.selected_radio.isChecked()
    assert dialog.height() <= height and dialog.width() <= width  # fits on the screen
    dialog.reject()
    win.go("Settings")
    rules = win.settings_page.edit_rules()
    qtbot.waitUntil(rules.isVisible)
    render(rules, screenshots, f"dialog-rules-{width}x{height}")
    found += problems(rules, "Rules dialog")
    assert rules.height() <= height and rules.width() <= width
    rules.reject()
    assert found == []
