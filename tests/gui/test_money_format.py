"""Prices in the window carry the shop's currency, written the way the system locale writes money (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from lrec_desktop.gui import formatting


@pytest.fixture
def german() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)
    formatting.set_currency("")


def test_prices_in_the_system_locale_with_the_shops_currency(german: None) -> None:
    assert formatting.money(1234.5, "EUR").replace("\xa0", " ") == "1.234,50 €"
    formatting.set_currency("GBP")
    assert formatting.money(4.5).replace("\xa0", " ") == "4,50 £"
    assert formatting.money(None) == ""
    formatting.set_currency("")
    assert formatting.money(4.5) == "4,50"


def test_settings_sets_the_currency_and_every_price_follows(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Settings → Money (issue 18 item 5): the owner's currency, written on a worker, shown on the Catalog."""
    from lrec_desktop.core.money import OWNER, currency_source, shop_currency
    from tests.gui.conftest import wait_idle

    try:
        window.go("Settings")
        page = window.settings_page
        assert page.currency.isEnabled() and page.currency.currentData() == ""  # the test shop's files told none
        page.currency.setCurrentIndex(page.currency.findData("GBP"))
        job = page.save_currency("GBP")
        assert job is not None
        wait_idle(qtbot, window)
        assert job.state == "done", job.error
        assert shop_currency(window.session.shop.db) == "GBP" and currency_source(window.session.shop.db) == OWNER
        assert page.currency.currentData() == "GBP" and page.currency_note.text() == "GBP, as you chose."
        window.go("Catalog")
        window.catalog.table.selectRow(0)
        price = window.catalog.product.fields["Price"].text()
        assert "£" in price or "GBP" in price
        window.go("Settings")
        page.save_currency("")  # back to "take it from the files"
        wait_idle(qtbot, window)
        assert shop_currency(window.session.shop.db) == "" and page.currency.currentData() == ""
    finally:
        formatting.set_currency("")
