"""The Catalog's Basket tab (the till prompt): products scanned or typed by id or name fill the basket, the
offers never hold the basket's products nor blocked ones, an unknown code is said and changes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lrec_desktop.core.recommend.cross_sell import compile_rules
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle


def _scan(qtbot: QtBot, window: MainWindow, text: str) -> None:
    panel = window.catalog.product.basket
    panel.entry.setText(text)
    qtbot.keyClick(panel.entry, Qt.Key.Key_Return)  # what a barcode scanner sends after the code
    wait_idle(qtbot, window)


def test_scanned_products_fill_the_basket_and_the_offers(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.catalog.product.basket
    rec = window.session.recommender
    sold = [rec.model.items.ids[j] for j in (-rec.model.popularity).argsort()[:2]]
    _scan(qtbot, window, sold[0])
    title = rec.catalog.titles[rec.model.items.index(sold[1])]
    _scan(qtbot, window, title.upper())  # by name, in any case
    assert panel.ids == sold and panel.entry.text() == ""
    assert title in panel.contents.text()
    offered = [r.item_id for r in panel.recs]
    allowed = compile_rules(rec).allowed
    assert len(offered) == 10 and not set(offered) & set(sold)
    assert all(allowed[rec.model.items.index(i)] for i in offered)
    assert panel.model.rowCount() == 10

    _scan(qtbot, window, "NO-SUCH-CODE-123")
    assert panel.ids == sold and panel.message.kind == "error"
    assert "No product 'NO-SUCH-CODE-123'" in panel.message.text()
    assert panel.entry.text() == "NO-SUCH-CODE-123"  # left to be corrected
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.ids == [] and panel.model.rowCount() == 0
