"""The Catalog's "Bought in the same order" tab: the chosen product's partners from the shop's orders (not the
product itself, nothing the rules block), found on a worker; a product sold alone says so."""

from __future__ import annotations

import numpy as np
from pytestqt.qtbot import QtBot

from lrec_desktop.core.recommend.baskets import basket_matrix
from lrec_desktop.core.recommend.cross_sell import compile_rules
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle


def test_choosing_a_product_shows_what_goes_in_its_orders(qtbot: QtBot, window: MainWindow) -> None:
    page = window.catalog
    rec = window.session.recommender
    scores = basket_matrix(window.session.path, rec.model.items)
    j = int(np.argmax(np.diff(scores.indptr)))  # the product with the most partners
    item_id = rec.model.items.ids[j]
    page.product.show_item(item_id)
    wait_idle(qtbot, window)
    shown = [r.item_id for r in page.product.same_order.recs]
    row = scores[j].toarray().ravel()
    partners = {rec.model.items.ids[k] for k in np.flatnonzero(row > 0)}
    assert shown and set(shown) <= partners and item_id not in shown
    best = rec.model.items.ids[int(np.argmax(row * compile_rules(rec).allowed))]
    assert shown[0] == best
    assert page.product.same_order.model.rowCount() == len(shown)
    assert "same orders" in page.product.same_order.note.text()
    lonely = [i for k, i in enumerate(rec.model.items.ids) if scores.indptr[k + 1] == scores.indptr[k]]
    if lonely:
        page.product.show_item(lonely[0])
        wait_idle(qtbot, window)
        assert page.product.same_order.recs == [] and "No product is bought" in page.product.same_order.note.text()
