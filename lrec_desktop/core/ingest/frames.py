"""Shared pieces of the chunk transforms: resolved columns, the rejection ledger and group filling."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lrec_desktop.core.ingest.cleaning import clean_cells
from lrec_desktop.core.ingest.mapping import find_column, norm
from lrec_desktop.core.ingest.nonproducts import GIFT_HINT, NO_SHIPPING_HINT
from lrec_desktop.core.ingest.synonyms import (
    CANCELLED_AT,
    GIFT_CARD,
    HANDLE,
    IMAGE,
    LAST_NAME,
    PRODUCT_URL,
    REQUIRES_SHIPPING,
)
from lrec_desktop.core.ingest.synonyms_intl import CURRENCY, TAXONOMY, VENDOR
from lrec_desktop.core.ingest.variants import option_columns

Problem = tuple[int | None, str | None, str]
HELPERS = ("cancelled_at", "last_name", "handle", "gift_card", "requires_shipping", "vendor", "taxonomy",
           "currency", "row_id", "image", "url")
_VENDOR = tuple(norm(n) for n in VENDOR)
_CURRENCY = tuple(norm(n) for n in CURRENCY)
_YES = frozenset({"true", "yes", "y", "1", "wahr", "ja", "oui", "vrai", "si", "sí", "是", "はい"})
_NO = frozenset({"false", "no", "n", "0", "falsch", "nein", "non", "faux", "nee", "否", "いいえ"})
_SHOWN = 40


@dataclass(frozen=True)
class FileColumns:
    """Where each field lives in one file, plus the helper columns used beside the fields."""

    fields: dict[str, str]
    cancelled_at: str | None = None
    last_name: str | None = None
    handle: str | None = None
    gift_card: str | None = None
    requires_shipping: str | None = None
    vendor: str | None = None
    taxonomy: str | None = None
    currency: str | None = None
    row_id: str | None = None  # a row's own ID, that WooCommerce's Parent names ("id:11")
    options: tuple[tuple[str | None, str], ...] = ()  # (label column, value column) per variant option
    image: str | None = None  # the product's picture (e-mail blocks)
    url: str | None = None  # the product's web-shop page

    @classmethod
    def resolve(cls, columns: list[str], fields: dict[str, str]) -> FileColumns:
        taken = frozenset(fields.values())
        return cls(
            dict(fields),
            cancelled_at=find_column(columns, CANCELLED_AT, taken),
            last_name=find_column(columns, LAST_NAME, taken) if "customer_name" in fields else None,
            handle=find_column(columns, HANDLE, taken),
            gift_card=find_column(columns, GIFT_CARD, taken),
            requires_shipping=find_column(columns, REQUIRES_SHIPPING, taken),
            vendor=find_column(columns, _VENDOR, taken),
            taxonomy=find_column(columns, TAXONOMY, taken),
            currency=find_column(columns, _CURRENCY, taken),
            row_id=find_column(columns, ("id",), taken),
            options=option_columns(columns, taken),
            image=find_column(columns, IMAGE, taken),
            url=find_column(columns, PRODUCT_URL, taken),
        )

    def extract(self, chunk: pd.DataFrame) -> pd.DataFrame:
        """Mapped fields (and helpers as "_name") as stripped text, blank rows dropped."""
        data = {f: chunk[c] for f, c in self.fields.items()}
        for name in HELPERS:
            column = getattr(self, name)
            if column is not None:
                data[f"_{name}"] = chunk[column]
        for n, (label, value) in enumerate(self.options):
            data[f"_optvalue{n}"] = chunk[value]
            if label is not None:
                data[f"_optname{n}"] = chunk[label]
        raw = pd.DataFrame(data, index=chunk.index)
        raw = raw.astype(object).fillna("").astype(str)
        for column in raw.columns:
            # Every text that comes in loses control and invisible characters here, once (see cleaning.py).
            raw[column] = clean_cells(raw[column]).str.strip()
        if raw.empty or not self.fields:
            return raw
        # Rows blank in every mapped field (spacer lines, Shopify image-only rows) are no data, not bad data.
        return raw[(raw[list(self.fields)] != "").any(axis=1)]

    def column_of(self, name: str) -> str | None:
        return self.fields.get(name)

    def option_labels(self, raw: pd.DataFrame) -> list[pd.Series]:
        """Each option's label per row: its label column's cells, or the value column's header ("Size")."""
        return [text(raw, f"_optname{n}") if label is not None else pd.Series(value, index=raw.index, dtype=object)
                for n, (label, value) in enumerate(self.options)]


def text(raw: pd.DataFrame, name: str) -> pd.Series:
    """A field's cells, or blanks when the file has no such column."""
    if name in raw.columns:
        return raw[name]
    return pd.Series("", index=raw.index, dtype=object)


def chunk_currency(raw: pd.DataFrame) -> str | None:
    """The currency this chunk's cells tell (core.money), None when they tell none."""
    from lrec_desktop.core.money import currency_in

    return currency_in(raw["_currency"] if "_currency" in raw.columns else None,
                       raw["price"] if "price" in raw.columns else None)


def file_hints(raw: pd.DataFrame) -> pd.Series:
    """What a file's own columns say of each row's product (nonproducts.GIFT_HINT, NO_SHIPPING_HINT or '')."""
    hint = pd.Series("", index=raw.index, dtype=object)
    if "_requires_shipping" in raw.columns:
        hint = hint.where(~raw["_requires_shipping"].str.casefold().isin(_NO), NO_SHIPPING_HINT)
    if "_gift_card" in raw.columns:
        hint = hint.where(~raw["_gift_card"].str.casefold().isin(_YES), GIFT_HINT)
    return hint


def bad_line_problems(chunk: pd.DataFrame) -> list[Problem]:
    """Rows the CSV reader left out (more cells than the header), as problems of this chunk."""
    return [(int(line), None, "the row has more cells than the header") for line in chunk.attrs.get("bad_lines", [])]


def in_row_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p[0] or 0)


@dataclass
class Rejections:
    """Which rows are refused and why: one reason per row, the first check that failed."""

    index: pd.Index
    rejected: np.ndarray = field(init=False)
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rejected = np.zeros(len(self.index), dtype=bool)

    def add(
        self, mask: pd.Series | np.ndarray, column: str | None, reason: str, cells: pd.Series | None = None
    ) -> None:
        """Refuse rows in ``mask`` not refused yet; "{}" in ``reason`` quotes the row's cell."""
        mask = np.asarray(mask, dtype=bool) & ~self.rejected
        if not mask.any():
            return
        rows = self.index[mask]
        if cells is None:
            reasons = [reason] * len(rows)
        else:
            # Shortened, so one odd cell cannot flood the report.
            reasons = [reason.format(repr(str(v)[:_SHOWN])) for v in cells[mask]]
        self.problems.extend(zip((int(r) for r in rows), [column] * len(rows), reasons, strict=True))
        self.rejected |= mask

    @property
    def kept(self) -> np.ndarray:
        return ~self.rejected


def group_fill(
    raw: pd.DataFrame, key: pd.Series, columns: list[str], carry: dict[str, pd.Series] | None
) -> dict[str, pd.Series]:
    """Fill blank cells from another row with the same key (an order's first line carries its customer
    and date in Shopify exports). ``carry`` holds the previous chunk's values, for groups split between
    chunks; the returned carry replaces it, so memory stays one chunk deep."""
    new_carry: dict[str, pd.Series] = {}
    has_key = key != ""
    for column in columns:
        if column not in raw.columns:
            continue
        values = raw[column]
        blank = values == ""
        known_mask = ~blank & has_key
        known = pd.Series(values[known_mask].to_numpy(), index=key[known_mask].to_numpy())
        known = known[~known.index.duplicated()]
        new_carry[column] = known
        if carry and column in carry and len(carry[column]):
            previous = carry[column]
            known = pd.concat([known, previous[~previous.index.isin(known.index)]])
        need = blank & has_key
        if need.any() and len(known):
            filled = key[need].map(known)
            raw.loc[need[need].index, column] = filled.where(filled.notna(), "")
    return new_carry
