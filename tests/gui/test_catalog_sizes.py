"""Real shops' files in the window (issue 18, window parts): the Catalog lists each tea once with its sizes, marks
the gift cards as no products with the owner's override, and a customer's history names the size bought. On the
Shopify-style fixture of tests/fixtures/real, through the real window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lrec_desktop.cli import main
from lrec_desktop.core.products import NOT_PRODUCT, PRODUCT, product_role
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.table_models import catalog_title, size_words
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import shot

REAL = Path(__file__).parent.parent / "fixtures" / "real"


@pytest.fixture
def tea_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    db = tmp_path / "tea.lrec"
    products, orders = REAL / "tea_shopify_products.csv", REAL / "tea_shopify_orders.csv"
    assert main(["--quiet", "import", "--db", str(db), "--items", str(products), "--interactions", str(orders)]) == 0
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == "ready", timeout=60000):
        assert win.open_path(db)
        win.session.prepare_recommendations()
    yield win
    win.close()


def test_size_words() -> None:
    assert size_words("Size: 50 g; Size: 100 g; Size: 250 g") == "50 g, 100 g, 250 g"
    assert size_words("Size: 50 g; Colour: red") == "Size: 50 g, Colour: red"
    assert size_words("") == ""
    row = ("G1", "Gift Card", "", 25.0, 1, 3, 3, None, "a gift card or voucher", "")
    assert catalog_title(row) == "Gift Card — not a product (a gift card or voucher), never recommended"


def test_sizes_under_their_product_and_gift_cards_marked(
    qtbot: QtBot, tea_window: MainWindow, screenshots: Path
) -> None:
    win = tea_window
    win.go("Catalog")
    page = win.catalog
    model = page.model
    # 20 teas in 3 sizes and 2 gift cards: 22 rows, not 62.
    assert model.total == 22 and model.rowCount() == 22
    titles = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    earl = next(t for t in titles if t.startswith("Earl Grey"))
    assert earl.count(",") == 2 and " g" in earl  # "Earl Grey (50 g, 100 g, 250 g)"
    gift_rows = [r for r, t in enumerate(titles) if "not a product" in t]
    assert len(gift_rows) == 2

    # The details name the sizes; a gift card counts as no product, and the owner can overrule it.
    page.table.selectRow(titles.index(earl))
    assert page.product.fields["Sizes"].isVisible() and page.product.fields["Sizes"].text().count(",") == 2
    assert page.product.role.choice.currentData() == "auto"
    page.table.selectRow(gift_rows[0])
    gift = page.product.current_item
    assert gift is not None and not page.product.fields["Sizes"].isVisible()
    assert page.product.role.choice.currentText() == "As found: not a product"
    assert page.product.role.note.text() == "found: a gift card or voucher"
    shot(win, screenshots, "catalog-gift-card")
    job = page.product.role.choose(PRODUCT)
    assert job is not None
    qtbot.waitUntil(lambda: not job.active, timeout=10000)
    assert job.state == "done", job.error
    assert product_role(win.session.shop.db, gift) == (PRODUCT, "a gift card or voucher")
    qtbot.waitUntil(lambda: win.session.rec_state == "ready", timeout=60000)
    wait_idle(qtbot, win, 60000)
    titles = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert sum("not a product" in t for t in titles) == 1  # the one overruled is a product now
    first = next(r for r, t in enumerate(titles) if t.startswith("Earl Grey"))
    page.table.selectRow(first)
    earl_id = page.product.current_item
    job = page.product.role.choose(NOT_PRODUCT)  # "never recommend" a real product
    qtbot.waitUntil(lambda: job is not None and not job.active, timeout=10000)
    assert earl_id is not None and product_role(win.session.shop.db, earl_id)[0] == NOT_PRODUCT
    wait_idle(qtbot, win, 60000)


def test_a_customers_history_names_the_size_bought(qtbot: QtBot, tea_window: MainWindow) -> None:
    win = tea_window
    customers = win.customers
    win.go("Customers")
    first = win.session.shop.db.execute(
        "SELECT customer_id FROM interactions WHERE variant_id IS NOT NULL AND customer_id IS NOT NULL LIMIT 1"
    ).fetchone()[0]
    customers.look_up(first)
    qtbot.waitUntil(lambda: customers.history_model.rowCount() > 0, timeout=10000)
    wait_idle(qtbot, win, 60000)
    assert any("(Size: " in str(row[1]) for row in customers.history_model.rows)
