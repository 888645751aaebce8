"""Timestamps in the many ways shops write them, detected once per column from a sample.

A column's format is chosen from its first chunk (the one that parses most of it, so "12/1/2010" is read
month-first only when no row has a day above 12) and then applied to every chunk with one vectorised
parse. Results are integer Unix seconds: aware times converted to UTC, naive ones taken as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

UNIX = "unix"
UNIX_MS = "unix-ms"
ISO = "ISO8601"

# Order matters only to break exact ties: month-first before day-first because the largest public
# order exports (UCI Online Retail, US Shopify stores) are month-first.
_TIMES = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")
CANDIDATES: tuple[str, ...] = (
    ISO,
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    *(f"%m/%d/%Y {t}" for t in _TIMES),
    "%m/%d/%Y",
    *(f"%d/%m/%Y {t}" for t in _TIMES),
    "%d/%m/%Y",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
    "%d/%m/%y %H:%M",
    "%d/%m/%y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d %b %Y",
    "%d %b %Y %H:%M",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%a, %d %b %Y %H:%M:%S %z",
)

_SAMPLE = 5000
_EPOCH_MS = 100_000_000_000  # any "seconds" above this would be after the year 5138; only names the column's unit
# A number is read as seconds, milliseconds or microseconds since 1970, whichever puts it between 1990 and 2100:
# decided per value, because one odd value must not change how the rest of the column is read (by the median,
# one huge value made a valid row 1970-01-15, one in milliseconds in a file of seconds became the year 42885).
# The three windows do not overlap, so each number fits at most one unit.
EARLIEST, LATEST = 631_152_000, 4_102_444_800  # 1990-01-01 and 2100-01-01, UTC
_UNITS = (1.0, 1e3, 1e6)
# A written date outside these years is a typo or a placeholder ("0001-01-01"), not a sale.
_TEXT_EARLIEST, _TEXT_LATEST = -2_208_988_800, LATEST  # 1900-01-01 .. 2100-01-01


@dataclass(frozen=True)
class DateFormat:
    format: str
    parsed_share: float


def _parse(values: pd.Series, fmt: str) -> pd.Series:
    """Unix seconds as float (NaN where the cell does not parse) for one format."""
    if fmt in (UNIX, UNIX_MS):
        return _epoch_seconds(pd.to_numeric(values, errors="coerce").astype(float))
    try:
        parsed = pd.to_datetime(values, format=fmt, utc=True, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return pd.Series(np.nan, index=values.index)
    out = pd.Series(np.nan, index=values.index)
    ok = parsed.notna()
    if ok.any():
        stamps = parsed[ok].dt.tz_convert("UTC").dt.tz_localize(None)
        out[ok] = stamps.astype("datetime64[s]").astype("int64").astype(float)
    return out.where((out >= _TEXT_EARLIEST) & (out < _TEXT_LATEST))


def _epoch_seconds(numbers: pd.Series) -> pd.Series:
    """Whole seconds for each number in whichever unit makes it a plausible time; NaN when none does."""
    out = pd.Series(np.nan, index=numbers.index)
    for unit in _UNITS:
        seconds = numbers / unit
        fits = out.isna() & (seconds >= EARLIEST) & (seconds < LATEST)
        out[fits] = seconds[fits].floordiv(1)
    return out


def failure_reason(fmt: DateFormat | None) -> str:
    """Why a cell of this column was refused, with "{}" for the cell."""
    if fmt is not None and fmt.format in (UNIX, UNIX_MS):
        return ("time {} is not a plausible Unix time (seconds, milliseconds or microseconds since 1970 that fall "
                "between 1990 and 2100)")
    return "date {} is not understood as a date between 1900 and 2100"


def detect_date_format(values: pd.Series) -> DateFormat | None:
    """The candidate format that parses most non-blank sample cells; None when the column is empty."""
    text = values.astype(object).fillna("").astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return None
    sample = pd.Series(text.unique()[:_SAMPLE])
    numeric = pd.to_numeric(sample, errors="coerce")
    if numeric.notna().mean() >= 0.9 and sample.str.len().median() >= 8:
        # Mostly 8+ digits: epochs, each read in its own unit (_epoch_seconds), so one short or huge value is
        # a skipped row rather than a reason to read the column another way. 20101201 is %Y%m%d, below.
        big = numeric.dropna().abs().median() >= _EPOCH_MS
        if sample.str.fullmatch(r"(19|20)\d{6}").mean() < 0.9:
            return DateFormat(UNIX_MS if big else UNIX, float(numeric.notna().mean()))
    # A cheap first pass on a few cells, so the full sample is tried only with plausible formats.
    head = sample.head(200)
    plausible = [fmt for fmt in CANDIDATES if _parse(head, fmt).notna().any()]
    best: DateFormat | None = None
    for fmt in plausible:
        share = float(_parse(sample, fmt).notna().mean())
        if best is None or share > best.parsed_share:
            best = DateFormat(fmt, share)
    if best is None or best.parsed_share == 0:
        return None
    return best


def parse_dates(values: pd.Series, fmt: DateFormat | None) -> tuple[pd.Series, pd.Series]:
    """(Unix seconds as nullable Int64, mask of non-blank cells that did not parse)."""
    text = values.astype(object).fillna("").astype(str).str.strip()
    blank = text == ""
    if fmt is None:
        return pd.Series(pd.NA, index=values.index, dtype="Int64"), ~blank
    seconds = _parse(text.where(~blank, None), fmt.format)
    failed = seconds.isna() & ~blank
    return seconds.round().astype("Int64"), failed
