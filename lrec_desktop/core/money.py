"""The shop's currency (issue 18, item 5): read from its files, or set by the owner, and shown with every price.

A file tells it by a currency column (Shopify's "Currency" = EUR) or by the symbol in its prices ("4,50 €"). The
first file that tells it sets the shop's currency; the owner's choice (``settings --currency``) is never overruled
by an import. The GUI writes prices in the system locale (QLocale, gui/formatting); the core and the CLI write
"4.50 EUR", which reads the same everywhere and which scripts can parse.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import sqlite_utils

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store.db import get_setting, set_setting
from lrec_desktop.core.store.settings import CURRENCY

SETTING = CURRENCY.key  # {"code": "EUR", "from": "orders.csv" | OWNER}
OWNER = "owner"
# Symbols as prices carry them, longest first (R$ before $). "$" and "¥" are read as the commonest currency that
# writes them; the owner sets another in Settings.
SYMBOLS: tuple[tuple[str, str], ...] = (
    ("R$", "BRL"), ("CA$", "CAD"), ("A$", "AUD"), ("US$", "USD"), ("€", "EUR"), ("£", "GBP"), ("$", "USD"),
    ("円", "JPY"), ("元", "CNY"), ("¥", "JPY"), ("₹", "INR"), ("₩", "KRW"), ("zł", "PLN"), ("₺", "TRY"),
    ("CHF", "CHF"), ("Fr.", "CHF"),
)
SIGN: dict[str, str] = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩"}
_CODE = re.compile(r"^[A-Z]{3}$")
_CODE_IN_CELL = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_KNOWN_CODES = frozenset({code for _s, code in SYMBOLS} | {"SEK", "NOK", "DKK", "CZK", "HUF", "NZD", "MXN",
                                                              "HKD", "SGD", "TWD", "ZAR", "RUB", "THB", "ILS"})
CURRENCIES: tuple[str, ...] = tuple(sorted(_KNOWN_CODES))  # what Settings offers


def currency_code(text: str) -> str | None:
    """An ISO 4217 code from what a person or a file wrote ("eur", "€", "EUR"); None when it names none."""
    value = str(text).strip()
    if _CODE.match(value.upper()) and value.isalpha():
        return value.upper()
    return next((code for symbol, code in SYMBOLS if value == symbol), None)


def currency_in(currency_cells: pd.Series | None, price_cells: pd.Series | None) -> str | None:
    """The currency one chunk of a file tells: its currency column's commonest code, else the commonest symbol or
    code written in its prices."""
    if currency_cells is not None:
        codes = Counter(c for c in (currency_code(v) for v in currency_cells[currency_cells != ""].head(1000)) if c)
        if codes:
            return codes.most_common(1)[0][0]
    if price_cells is None:
        return None
    found: Counter[str] = Counter()
    for cell in price_cells[price_cells != ""].head(1000):
        code = next((c for symbol, c in SYMBOLS if symbol in cell), None)
        if code is None:
            match = _CODE_IN_CELL.search(cell)
            code = match.group(1) if match and match.group(1) in _KNOWN_CODES else None
        if code:
            found[code] += 1
    return found.most_common(1)[0][0] if found else None


def shop_currency(db: sqlite_utils.Database) -> str:
    """The shop's currency code, '' when no file told it and the owner set none."""
    value = get_setting(db, SETTING)
    return str(value.get("code", "")) if isinstance(value, dict) else ""


def remember_found(db: sqlite_utils.Database, code: str | None, file: str) -> None:
    """A file's currency, when the shop has none yet (the first file to tell it, or the owner, decides)."""
    if code and not shop_currency(db):
        set_setting(db, SETTING, {"code": code, "from": file})


def set_currency(db: sqlite_utils.Database, text: str) -> str:
    """The owner's choice ('' clears it, so the next file's currency is taken again)."""
    if not text.strip():
        db.execute("DELETE FROM settings WHERE key = ?", [SETTING])
        return ""
    code = currency_code(text)
    if code is None:
        raise UserError(f"'{text}' is not a currency: give its three-letter code, such as EUR, USD or GBP.")
    set_setting(db, SETTING, {"code": code, "from": OWNER})
    return code


def format_price(value: float | None, currency: str = "") -> str:
    """"4.50 EUR" ('4.50' without a currency; '' for no price): the same in every locale, for the CLI and files."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    amount = f"{value:,.0f}" if currency in ("JPY", "KRW") else f"{value:,.2f}"
    return f"{amount} {currency}".strip()


def currency_source(db: sqlite_utils.Database) -> str:
    """Where the shop's currency came from: the file's name, ``OWNER`` when set by the owner, '' when unknown."""
    value = get_setting(db, SETTING)
    return str(value.get("from", "")) if isinstance(value, dict) and value.get("code") else ""


def save_currency(db_path: Path, text: str, *, progress: object = None, cancel: object = None) -> str:
    """A job (the window runs it on a worker): the owner's currency for the shop at ``db_path``, as
    ``set_currency`` (UserError, nothing changed, for a text that is no currency)."""
    from lrec_desktop.core.store import db as store

    db = store.connect(db_path)
    try:
        return set_currency(db, text)
    finally:
        db.close()
