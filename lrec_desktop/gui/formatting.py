"""Numbers and dates the way the user's system writes them (QLocale), in one place."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTimeZone


def _locale() -> QLocale:
    """The system locale, always writing thousands separators (the "C" locale leaves them out)."""
    locale = QLocale()
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    return locale


def number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    locale = _locale()
    if decimals == 0:
        return locale.toString(round(float(value)))
    return locale.toString(float(value), "f", decimals)


def quantity(value: float | None) -> str:
    if value is None:
        return ""
    return number(value, 0 if float(value).is_integer() else 2)


# The open shop's currency (core.money), set by the session when a shop is opened or imported into: every price
# the window shows carries it, written the way the system locale writes money.
_currency = {"code": ""}


def set_currency(code: str) -> None:
    _currency["code"] = code or ""


def currency() -> str:
    return _currency["code"]


def money(value: float | None, currency: str | None = None) -> str:
    if value is None or value != value:
        return ""
    code = _currency["code"] if currency is None else currency
    if not code:
        return number(value, 2)
    from lrec_desktop.core.money import SIGN

    decimals = 0 if code in ("JPY", "KRW") else 2
    return _locale().toCurrencyString(float(value), SIGN.get(code, code), decimals)


def _plain_c_locale() -> bool:
    """The "C" locale (no language set, as on servers and CI) writes dates as "5 1 2024": use ISO there."""
    return QLocale().language() == QLocale.Language.C


def date(ts: int | float | None) -> str:
    """A Unix timestamp (seconds, UTC as stored) as a short date in the system locale."""
    if ts is None:
        return ""
    d = datetime.fromtimestamp(float(ts), tz=UTC)
    qdate = QDate(d.year, d.month, d.day)
    if _plain_c_locale():
        return qdate.toString("yyyy-MM-dd")
    return QLocale().toString(qdate, QLocale.FormatType.ShortFormat)


def date_time(ts: float | None) -> str:
    if ts is None:
        return ""
    dt = QDateTime.fromSecsSinceEpoch(int(ts), QTimeZone.systemTimeZone())
    if _plain_c_locale():
        return dt.toString("yyyy-MM-dd HH:mm")
    return QLocale().toString(dt, QLocale.FormatType.ShortFormat)


def date_range(first: int | None, last: int | None) -> str:
    if first is None or last is None:
        return "no sales yet"
    return f"{date(first)} – {date(last)}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{number(n)} {one if n == 1 else (many or one + 's')}"


def ranking_in_use(recommender: object | None) -> str:
    """Which ranking the shop's lists come from, in the owner's words (empty before one is loaded)."""
    from lrec_desktop.core.rank.train import MIN_CUSTOMERS

    if recommender is None:
        return ""
    customers = getattr(recommender, "learned_from", None)
    if customers:
        return (f"Lists are ranked the way this shop's own customers went on to buy (learned from "
                f"{plural(customers, 'customer')} and what they bought next).")
    return ("Lists use the built-in ranking (what sells together and product descriptions): the shop needs "
            f"{number(MIN_CUSTOMERS)} customers who came back to buy again before it can learn its own.")
