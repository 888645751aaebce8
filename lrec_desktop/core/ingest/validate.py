"""Cell-level cleaning: ids, numbers, stock flags, HTML and events. Every function works on a whole
column at once (pandas), because order files run to millions of lines."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from lrec_desktop.core.ingest.cleaning import clean_ids
from lrec_desktop.core.store.schema import CANCEL, PURCHASE, RATING, RETURN, VIEW

_TRAILING_ZERO = re.compile(r"^(\d+)\.0+$")
_NUMBER_JUNK = re.compile(r"[^\d.,\-+eE]")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")

# Statuses that mean the order never became a sale. WooCommerce prefixes its statuses with "wc-".
CANCEL_STATUSES = frozenset({"cancelled", "canceled", "refunded", "voided", "void", "failed", "trash", "declined"})

_EVENT_WORDS: dict[str, str] = {
    "purchase": PURCHASE,
    "purchased": PURCHASE,
    "buy": PURCHASE,
    "bought": PURCHASE,
    "order": PURCHASE,
    "sale": PURCHASE,
    "sold": PURCHASE,
    "transaction": PURCHASE,
    "checkout": PURCHASE,
    "paid": PURCHASE,
    "rating": RATING,
    "rate": RATING,
    "rated": RATING,
    "review": RATING,
    "view": VIEW,
    "viewed": VIEW,
    "click": VIEW,
    "pageview": VIEW,
    "addtocart": VIEW,
    "cart": VIEW,
    "wishlist": VIEW,
    "like": VIEW,
    "return": RETURN,
    "returned": RETURN,
    "refund": RETURN,
    "refunded": RETURN,
    "cancel": CANCEL,
    "cancelled": CANCEL,
    "canceled": CANCEL,
    "cancellation": CANCEL,
}


def normalise_id(values: pd.Series) -> pd.Series:
    """Strip spaces and the ".0" a spreadsheet adds to numeric ids ("17850.0" → "17850").

    Only an all-digit id loses its trailing zeros after the point; leading zeros are kept, because
    "00123" and "123" are different products in many shops. Invisible characters go (a look-alike id with a
    zero-width space or a direction mark is the same id) and the text is NFC.
    """
    values = clean_ids(values).str.strip()
    has_point = values.str.contains(".", regex=False)
    if has_point.any():
        values = values.where(~has_point, values.str.replace(_TRAILING_ZERO, r"\1", regex=True))
    return values


def clean_text(values: pd.Series) -> pd.Series:
    """Trim and collapse runs of whitespace, so the same name written twice is one product."""
    values = values.astype(object).fillna("").astype(str)
    return values.str.replace(_SPACE, " ", regex=True).str.strip()


def strip_html(values: pd.Series) -> pd.Series:
    """Plain text from Shopify's "Body (HTML)": tags dropped, entities decoded, spaces collapsed."""
    values = values.astype(object).fillna("").astype(str)
    has_markup = values.str.contains("<", regex=False) | values.str.contains("&", regex=False)
    if not has_markup.any():
        return clean_text(values)
    cleaned = values[has_markup].str.replace(_TAG, " ", regex=True).map(html.unescape)
    return clean_text(values.where(~has_markup, cleaned))


def _parse_loose_number(text: str) -> float:
    """One number as people type it: "€12.50", "12,50", "1.234,56", "1,234.56", "3 pcs" is not one."""
    raw = text.strip()
    kept = _NUMBER_JUNK.sub("", raw)
    letters = re.sub(r"[\d.,\-+eE\s€$£¥%]", "", raw)
    if not kept or letters:
        return np.nan
    if "," in kept and "." in kept:
        # The separator written last is the decimal one.
        kept = kept.replace(".", "").replace(",", ".") if kept.rfind(",") > kept.rfind(".") else kept.replace(",", "")
    elif "," in kept:
        kept = kept.replace(",", "") if _THOUSANDS_COMMA.match(kept) else kept.replace(",", ".")
    try:
        return float(kept)
    except ValueError:
        return np.nan


def parse_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats from text cells. Returns (numbers with NaN for blanks and failures, mask of failures)."""
    text = values.astype(object).fillna("").astype(str).str.strip()
    blank = text == ""
    numbers = pd.to_numeric(text.where(~blank, None), errors="coerce").astype(float)
    failed = numbers.isna() & ~blank
    if failed.any():
        numbers[failed] = text[failed].map(_parse_loose_number)
        failed = numbers.isna() & ~blank
    numbers[~np.isfinite(numbers.fillna(0.0))] = np.nan
    failed = failed | (numbers.isna() & ~blank)
    return numbers, failed


_NO_STOCK_WORDS = frozenset(
    {"no", "false", "n", "0", "out of stock", "outofstock", "sold out", "unavailable", "discontinued", "not available"}
)


def parse_in_stock(values: pd.Series) -> pd.Series:
    """1 / 0 / None (unknown) from a stock count or an availability word."""
    text = values.astype(object).fillna("").astype(str).str.strip().str.lower()
    numbers, _ = parse_number(text)
    out = np.full(len(text), None, dtype=object)
    counted = numbers.notna().to_numpy()
    out[counted] = [int(v > 0) for v in numbers[counted]]
    words = ~counted & (text != "").to_numpy()
    # Any word other than a clear "no" ("limited", "3 left") still suggests the product can be sold.
    out[words] = [0 if w in _NO_STOCK_WORDS else 1 for w in text[words]]
    return pd.Series(out, index=values.index, dtype=object)


def normalise_event(values: pd.Series) -> pd.Series:
    """Map a free-text event column onto the stored kinds; blanks are purchases, the unknown are views
    (weak evidence of interest is safer than inventing sales)."""
    key = values.astype(object).fillna("").astype(str).str.strip().str.lower().str.replace(r"[\s_\-]", "", regex=True)
    mapped = key.map(_EVENT_WORDS)
    return mapped.where(mapped.notna(), np.where(key == "", PURCHASE, VIEW)).astype(object)


def is_cancel_status(values: pd.Series) -> pd.Series:
    key = values.astype(object).fillna("").astype(str).str.strip().str.lower()
    key = key.str.replace(r"^wc-", "", regex=True).str.replace(r"[\s\-]", "_", regex=True)
    return key.isin(CANCEL_STATUSES)


def is_email(values: pd.Series) -> pd.Series:
    return values.astype(object).fillna("").astype(str).str.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def split_categories(category: pd.Series, tags: pd.Series) -> tuple[pd.Series, pd.Series]:
    """MovieLens-style "Adventure|Animation|Children": the first is the category, all go to tags
    (when the file has no tags of its own), so grouping by category stays meaningful."""
    multi = category.str.contains("|", regex=False)
    if not multi.any():
        return category, tags
    parts = category[multi].str.split("|")
    first = parts.str[0].str.strip()
    joined = parts.map(lambda items: ", ".join(p.strip() for p in items if p.strip()))
    tags = tags.where(~(multi & (tags == "")), joined.reindex(tags.index))
    return category.where(~multi, first.reindex(category.index)), tags
