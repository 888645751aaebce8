"""Words for people, in one place: numbers and dates the way the user's system writes them (QLocale), the
import's field names, the devices and text models as a shop owner calls them, what a reading did."""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import date as date_type
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QLocale, QTimeZone

if TYPE_CHECKING:
    from lrec_desktop.core.app.choice import EmbedSummary, TextModelRef


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
    from lrec_desktop.core.app.lookup import currency_sign

    decimals = 0 if code in ("JPY", "KRW") else 2
    return _locale().toCurrencyString(float(value), currency_sign(code), decimals)


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
    from lrec_desktop.core.app.prepare import min_customers_to_learn

    if recommender is None:
        return ""
    customers = getattr(recommender, "learned_from", None)
    if customers:
        return (f"Lists are ranked the way this shop's own customers went on to buy (learned from "
                f"{plural(customers, 'customer')} and what they bought next).")
    return ("Lists use the built-in ranking (what sells together and product descriptions): the shop needs "
            f"{number(min_customers_to_learn())} customers who came back to buy again before it can learn its own.")


def default_discovery_words(recommender: object | None) -> str:
    """What the slider's usual setting means on a shop with a learned ranking (empty with the built-in one)."""
    from lrec_desktop.core.app.prepare import default_discovery

    if recommender is None or not getattr(recommender, "learned_from", None):
        return ""
    usual, kept = default_discovery()
    return (f"The usual setting ({usual:.0%}) was set on those customers: as many rarely sold and new products as "
            f"the lists can hold while still catching {kept:.0%} of the purchases they could catch at best.")


# Human words for the canonical field names of the import's mapping (UX.md: products, customers, ...).
FIELD_LABELS: dict[str, str] = {
    "item_id": "product id",
    "title": "product name",
    "description": "description",
    "category": "category",
    "tags": "tags",
    "price": "price",
    "stock": "stock",
    "customer_id": "customer id",
    "timestamp": "date",
    "quantity": "quantity",
    "event": "kind of sale",
    "rating": "rating",
    "order_id": "order number",
    "email": "customer e-mail",
    "customer_name": "customer name",
    "status": "order status",
    "group": "product (of a variant)",
}


def field_label(name: str | None) -> str:
    from lrec_desktop.core.app.imports import IGNORE

    if not name or name == IGNORE:
        return "(ignore)"
    return FIELD_LABELS.get(name, name.replace("_", " "))


# What the window calls the devices and the bundled model: a shop owner's words, not the libraries' (no CUDA,
# MPS or model ids on screen; the CLI and the logs keep those).
DEVICE_WORDS = {
    "auto": "Automatic",
    "cpu": "The processor",
    "cuda": "Graphics card (NVIDIA)",
    "mps": "Apple graphics",
}
DEVICE_PLACES = {
    "cpu": "on the processor",
    "cuda": "on the NVIDIA graphics card",
    "mps": "on Apple graphics",
}
BUNDLED_MODEL_WORDS = "The built-in language model (English)"


def version_words(name: str) -> str:
    return f"version {name}, learned from your sales"


def model_words(model: TextModelRef | str | None) -> str:
    """A text model in words: a learned version by its name, the bundled model, or a folder by its name."""
    from pathlib import Path

    from lrec_desktop.core.app.choice import TextModelRef, is_bundled

    if isinstance(model, TextModelRef):
        if model.learned is not None:
            return version_words(model.learned)
        model = model.dir
    if model is None or is_bundled(model):
        return "the built-in language model"
    return Path(model).name


def reading_words(summary: EmbedSummary) -> str:
    """What a reading of the descriptions did, in words."""
    if summary.embedded == 0:
        return f"All {plural(summary.products, 'product description')} were already understood."
    place = DEVICE_PLACES.get(str(summary.device), f"on {summary.device}")
    took = "in under a second" if summary.seconds < 1 else f"in {plural(round(summary.seconds), 'second')}"
    text = f"The text model read {plural(summary.embedded, 'product description')} {took} ({place})"
    if summary.cached:
        text += f"; {number(summary.cached)} unchanged ones were kept from before"
    return text + "."


def period_words(start: date_type, period: str) -> str:
    """ "week of 3 Mar 2025" / "March 2025" (English month names, as the rest of the app's words)."""
    if period == "week":
        return f"week of {start.day} {start:%b %Y}"
    return f"{start:%B %Y}"
