"""Opening another shop leaves nothing of the one before on any page (issue 20 item 6): every page shows what a
fresh window on the new shop shows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from lrec_desktop.core.app import evaluate
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.pages.customers_page import HISTORY_TITLE
from lrec_desktop.gui.session import READY
from tests.gui.conftest import wait_idle
from tests.gui.shopdata import build_shop


def page_texts(win: MainWindow) -> dict[str, list[str]]:
    """What each page shows: its visible labels, boxes and buttons, and the rows of its tables (the Jobs page
    is the window's history of jobs, kept on purpose)."""
    QApplication.processEvents()
    shown: dict[str, list[str]] = {}
    for name, page in win.pages.items():
        if name == "Jobs":
            continue
        widgets = [w for kind in (QLabel, QLineEdit, QAbstractButton) for w in page.findChildren(kind)]
        texts = [f"{type(w).__name__}: {w.text()}" for w in widgets if w.isVisibleTo(page) and w.text()]
        texts += [f"{v.objectName()}: {v.model().rowCount()} rows" for v in page.findChildren(QAbstractItemView)
                  if v.isVisibleTo(page) and v.model() is not None]
        shown[name] = sorted(texts)
    return shown


def test_opening_another_shop_shows_nothing_of_the_last(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    win = window
    # Shop A: look up a customer, save a discovery level, prepare from the Import page, a Learn run's charts.
    win.show_customer("C001")
    wait_idle(qtbot, win)
    customers = win.customers
    assert customers.customer_id == "C001" and "line" in customers.history_title.text()
    win.go("Long tail")
    longtail = win.longtail
    qtbot.waitUntil(lambda: len(longtail.sweep) == len(evaluate.SWEEP_LEVELS), timeout=20000)
    longtail.slider.slider.setValue(61)
    longtail._chosen(0.61)
    assert longtail.saved_note.text().startswith("Saved: 61%")
    win.go("Import")
    importer = win.import_page
    importer.prepare_button.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == READY, timeout=20000):
        importer._prepare()
        assert "Preparing" in importer.prepare_button.text()
    wait_idle(qtbot, win)
    # Once ready, the button no longer says it is preparing (it did until the next shop).
    assert not importer.prepare_button.isVisible() or "Preparing" not in importer.prepare_button.text()
    win.go("Learn from my sales")
    learn = win.learn
    learn.charts.show()
    for step, loss in ((10, 8.2), (200, 6.1), (400, 5.0)):
        learn.charts.add("loss", step, loss)
    learn.charts.add("validation", 0, 0.21)
    win.go("Catalog")
    win.catalog.filter.setText("Tea")
    win.go("Overview")
    wait_idle(qtbot, win)

    shop_b = build_shop(tmp_path / "garden-shop.lrec", products=30, customers=12, lines=200, seed=3)
    assert win.open_path(shop_b)
    wait_idle(qtbot, win)
    after_switch = page_texts(win)
    assert customers.search.text() == "" and customers.customer_id is None
    assert customers.history_title.text() == HISTORY_TITLE
    assert longtail.saved_note.text() == "" and longtail.summary.text() == ""
    assert abs(longtail.slider.level() - win.session.discovery) < 1e-9
    assert "Preparing" not in importer.prepare_button.text() and importer.prepare_button.isEnabled()
    assert learn.charts.points == 0
    assert learn.charts.loss.plot.getPlotItem().vb.viewRange()[0] == [0, 1]  # not the last run's 0..420
    assert win.catalog.filter.text() == ""
    win.close()

    fresh = MainWindow()  # the same shop in a window that never saw another
    qtbot.addWidget(fresh)
    fresh.resize(1280, 800)
    fresh.show()
    assert fresh.open_path(shop_b)
    wait_idle(qtbot, fresh)
    if fresh.learn.charts is None:
        fresh.learn.build_charts()
    if not fresh.longtail.charts_built:
        fresh.longtail.build_charts()
    fresh_texts = page_texts(fresh)
    for name in fresh_texts:
        assert after_switch[name] == fresh_texts[name], name
    fresh.close()


def test_every_page_has_a_reset(window: MainWindow) -> None:
    """One place resets the pages (MainWindow, on every opened shop): a new page must say how it resets."""
    for name, page in window.pages.items():
        assert callable(getattr(page, "reset", None)), name
        assert isinstance(page, QWidget)
