"""Which column means what: header synonyms from common shop exports, and mappings people confirmed.

Headers are compared after lower-casing and dropping everything but letters and digits, so
"Customer ID", "customer_id" and "CustomerID" are one name. An exact synonym is "recognised"; a header
that merely contains one, or nearly spells one, is "unsure" and shown in amber for the owner to check.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import sqlite_utils

from lrec_desktop.core.ingest.synonyms import SYNONYMS
from lrec_desktop.core.ingest.synonyms_intl import LOCAL_SYNONYMS, TAXONOMY
from lrec_desktop.core.store.db import get_setting, set_setting
from lrec_desktop.core.store.settings import MAPPING_PREFIX

FIELDS = (
    "item_id",
    "title",
    "description",
    "category",
    "tags",
    "price",
    "stock",
    "customer_id",
    "timestamp",
    "quantity",
    "event",
    "rating",
    "order_id",
    "customer_name",
    "email",
    "status",
    "group",
)

RECOGNISED = "recognised"
UNSURE = "unsure"
IGNORED = "ignored"

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ColumnGuess:
    column: str
    field: str | None
    confidence: str


@functools.lru_cache(maxsize=4096)
def norm(header: str) -> str:
    """Letters and digits of any script, case and accents folded: "Qté" is "qte", "客户ID" is "客户id"."""
    decomposed = unicodedata.normalize("NFKD", str(header))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFC", bare).casefold())


def _with_local(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """English names first, then the other languages', each name once and normalised."""
    return {f: tuple(dict.fromkeys(norm(n) for n in (*names, *LOCAL_SYNONYMS.get(f, ())) if norm(n)))
            for f, names in table.items()}


_TABLE = _with_local(SYNONYMS)


def find_column(columns: list[str], names: tuple[str, ...], taken: frozenset[str] = frozenset()) -> str | None:
    """The first column whose normalised header is one of ``names``, skipping columns already used."""
    by_norm = {norm(c): c for c in reversed(columns) if c not in taken}
    for name in names:
        if name in by_norm:
            return by_norm[name]
    return None


def _synonyms(columns: list[str]) -> dict[str, tuple[str, ...]]:
    """Adjust the table to the export's family, where one header means different things."""
    normed = {norm(c) for c in columns}
    table = dict(_TABLE)
    if normed & set(TAXONOMY) and normed & {"type", "producttype"}:
        # Shopify products: "Type" is the shop's own category; "Product Category" is Google's taxonomy ("Food,
        # Beverages & Tobacco > Beverages > Tea & Infusions"), kept as a tag (FileColumns.taxonomy).
        table["category"] = tuple(s for s in table["category"] if s not in TAXONOMY)
    if normed & {"lineitemname", "lineitemsku", "financialstatus"}:
        # Shopify orders: "Name" is the order number (#1001), the product is "Lineitem name".
        table["title"] = tuple(s for s in table["title"] if s != "name")
        table["order_id"] = ("name", *table["order_id"])
    return table


# Longer "headers" are data lines or a whole file without line breaks; fuzzy matching them is quadratic
# (a 10 MB single line took minutes in difflib).
MAX_HEADER = 80


def _close(key: str, name: str) -> bool:
    """Nearly the same spelling. The cheap upper bounds go first: with hundreds of columns the full ratio for
    every (column, synonym) pair cost seconds."""
    matcher = difflib.SequenceMatcher(None, key, name)
    return matcher.real_quick_ratio() >= 0.86 and matcher.quick_ratio() >= 0.86 and matcher.ratio() >= 0.86


def _candidates(column: str, table: dict[str, tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """(confidence rank, synonym rank, field) for every field this header could mean."""
    key = norm(column)
    found: list[tuple[int, int, str]] = []
    if not key or len(key) > MAX_HEADER:
        return found  # no header is that long: a file without a header row, whose first line is data
    for field, names in table.items():
        if key in names:
            found.append((0, names.index(key), field))
            continue
        for rank, name in enumerate(names):
            contains = len(name) >= 5 and name in key
            close = len(key) >= 5 and _close(key, name)
            if contains or close:
                found.append((1, rank, field))
                break
    return found


def _mostly_numbers(values: pd.Series) -> bool:
    text = values.astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return True
    cleaned = text.str.replace(r"[\s€$£¥,.]", "", regex=True).str.lstrip("-+")
    return bool(cleaned.str.isdigit().mean() >= 0.8)


def guess_mapping(columns: list[str], sample: pd.DataFrame | None = None) -> dict[str, ColumnGuess]:
    """Each column's likely field, at most one column per field; keyed by column in column order."""
    table = _synonyms(columns)
    if sample is not None and sample.columns.duplicated().any():
        # Readers name columns uniquely; a caller's frame with a repeated name must not turn a column into a table.
        sample = sample.loc[:, ~sample.columns.duplicated()]
    options = [
        (conf, rank, pos, column, field)
        for pos, column in enumerate(columns)
        for conf, rank, field in _candidates(column, table)
    ]
    chosen: dict[str, tuple[str, str]] = {}
    used_fields: set[str] = set()
    for conf, _rank, _pos, column, field in sorted(options):
        if column in chosen or field in used_fields:
            continue
        confidence = RECOGNISED if conf == 0 else UNSURE
        numeric = field in ("price", "quantity", "rating")
        if numeric and sample is not None and column in sample and not _mostly_numbers(sample[column]):
            confidence = UNSURE
        chosen[column] = (field, confidence)
        used_fields.add(field)
    if "title" not in used_fields and "description" in used_fields:
        # An order export's "Description" (UCI) is the product's name; so is a catalog's lone description.
        column = next(c for c, (f, _) in chosen.items() if f == "description")
        chosen[column] = ("title", chosen[column][1])
    if sample is not None and "email" not in used_fields:
        for column in columns:
            looks_like_mail = column in sample and sample[column].astype(str).str.contains("@").mean() > 0.8
            if column not in chosen and looks_like_mail:
                chosen[column] = ("email", UNSURE)
                break
    return {c: ColumnGuess(c, *chosen[c]) if c in chosen else ColumnGuess(c, None, IGNORED) for c in columns}


def as_field_map(guesses: dict[str, ColumnGuess]) -> dict[str, str]:
    """field -> column for the guesses that name a field."""
    return {g.field: g.column for g in guesses.values() if g.field is not None}


def layout_key(columns: list[str]) -> str:
    """Same headers in the same order, ignoring case and surrounding spaces → same key."""
    text = "\x1f".join(str(c).strip().lower() for c in columns)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def remembered_mapping(db: sqlite_utils.Database, columns: list[str]) -> dict[str, str] | None:
    value = get_setting(db, MAPPING_PREFIX + layout_key(columns))
    if not isinstance(value, dict):
        return None
    # A remembered column that the file no longer has (a renamed header) must not be used.
    return {f: c for f, c in value.items() if f in FIELDS and c in columns} or None


def remember_mapping(db: sqlite_utils.Database, columns: list[str], mapping: dict[str, str]) -> None:
    set_setting(db, MAPPING_PREFIX + layout_key(columns), {f: c for f, c in mapping.items() if f in FIELDS and c})
