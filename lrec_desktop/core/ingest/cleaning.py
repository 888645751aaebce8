"""Invisible characters taken out of every imported cell and header, and text brought to one Unicode form.

Why: a NUL byte before "=" hides a formula from a check that looks at the first character, and an id with a
zero-width space or a right-to-left mark looks exactly like the real id on screen while being another
product or customer. Descriptions keep their tabs and line breaks; ids and headers lose every invisible
character, and everything is NFC-normalised, so "é" typed as e + accent and as one letter is one name.

Both functions check a whole column at once (one regex search over the joined cells) before touching any
cell, because nearly every file is already clean and order files run to millions of lines.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

# C0 controls but tab, line feed and carriage return; DEL and the C1 block; zero-width space, word joiner and
# BOM; the bidirectional marks, embeddings, overrides and isolates (LRM, RLM, ALM, LRE..RLO, LRI..PDI).
_INVISIBLE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
_TEXT_JUNK = re.compile(f"[{_INVISIBLE}]")
# In ids, headers and other one-line names also the zero-width (non-)joiners and any tab or line break: text
# in Persian or Indic scripts needs the joiners, but no shop tells two products apart by one.
_ID_JUNK = re.compile(f"[{_INVISIBLE}\u200c\u200d\t\n\r]")


def _clean(values: pd.Series, junk: re.Pattern[str]) -> pd.Series:
    values = values.astype(object).fillna("").astype(str)
    if values.empty:
        return values
    joined = "\n".join(values.tolist())
    if junk.search(joined):
        values = values.str.replace(junk, "", regex=True)
        joined = "\n".join(values.tolist())
    if not joined.isascii() and not unicodedata.is_normalized("NFC", joined):
        values = values.map(lambda v: unicodedata.normalize("NFC", v))
    return values


def clean_cells(values: pd.Series) -> pd.Series:
    """Text cells without control, zero-width or direction characters, in NFC; tabs and line breaks kept."""
    return _clean(values, _TEXT_JUNK)


def clean_ids(values: pd.Series) -> pd.Series:
    """Ids without any invisible character, in NFC, so a look-alike id is the same id."""
    return _clean(values, _ID_JUNK)


def clean_name(text: str) -> str:
    """One header or other one-line name, cleaned like an id and stripped of surrounding spaces."""
    return unicodedata.normalize("NFC", _ID_JUNK.sub("", str(text))).strip()


def unique_headers(values: list[str]) -> list[str]:
    """Cleaned, non-empty, unique column names for a header row: a blank header becomes "column 3" (its place,
    from 1), a repeated one gets ".1", ".2" as pandas names them, so headers that differ only by spaces or
    invisible characters ("CustomerID" and "CustomerID ") stay two columns the owner can tell apart."""
    names: list[str] = []
    taken: set[str] = set()
    for pos, value in enumerate(values, start=1):
        base = clean_name(value) or f"column {pos}"
        name, n = base, 0
        while name in taken:
            n += 1
            name = f"{base}.{n}"
        taken.add(name)
        names.append(name)
    return names
