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
