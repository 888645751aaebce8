"""Before anything is written: each file's format, columns and the mapping that will be used.

The mapping is, in order of trust: the owner's overrides (CLI --map, the preview's drop-downs), a
mapping confirmed earlier for the same header layout, then the header guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from lrec_desktop.core.errors import InputError
from lrec_desktop.core.ingest.mapping import (
    FIELDS,
    as_field_map,
    guess_mapping,
    norm,
    remember_mapping,
    remembered_mapping,
)
from lrec_desktop.core.ingest.readers import FileFormat, detect_format, iter_chunks

_SAMPLE_ROWS = 500


@dataclass
class FilePlan:
    path: Path
    kind: str
    format: FileFormat
    columns: list[str]
    fields: dict[str, str]
    size: int

    @property
    def what(self) -> str:
        if self.kind == "items":
            return "products"
        ratings = "rating" in self.fields and "quantity" not in self.fields and "order_id" not in self.fields
        return "ratings" if ratings else "order lines"

    def remember(self, db: sqlite_utils.Database) -> None:
        remember_mapping(db, self.columns, self.fields)


def match_column(columns: list[str], wanted: str) -> str | None:
    """The column a person meant: exact name first, then ignoring case, spaces and punctuation."""
    if wanted in columns:
        return wanted
    stripped = [c for c in columns if c.strip() == wanted.strip()]
    if stripped:
        return stripped[0]
    loose = [c for c in columns if norm(c) == norm(wanted) and norm(wanted)]
    return loose[0] if loose else None


def check_mapping(overrides: dict[str, str], columns: list[str] | None = None, file: str | None = None) -> None:
    """One column cannot be two fields: refused, not silently given to the last one (which left the other
    field to a guess). Checked on the names as given, and again on the columns they name in each file."""
    unknown = sorted(set(overrides) - set(FIELDS))
    if unknown:
        raise InputError(f"'{unknown[0]}' is not a field lrec_desktop knows; use one of {', '.join(FIELDS)}.")
    claimed: dict[str, str] = {}
    for field, wanted in overrides.items():
        if not wanted:
            continue
        column = wanted.strip() if columns is None else match_column(columns, wanted)
        if column is None:
            continue
        if column in claimed:
            raise InputError(f"column '{column}' is mapped to both {claimed[column]} and {field}; map each field "
                             "to its own column.", file=file)
        claimed[column] = field


def _apply_overrides(columns: list[str], fields: dict[str, str], overrides: dict[str, str]) -> dict[str, str]:
    fields = dict(fields)
    for field, wanted in overrides.items():
        if not wanted:
            fields.pop(field, None)  # "" means: this file has no such column, whatever the guess was
            continue
        column = match_column(columns, wanted)
        if column is None:
            continue  # the override names a column of the other file
        fields = {f: c for f, c in fields.items() if c != column}
        fields[field] = column
    return fields


def plan_file(db: sqlite_utils.Database, path: Path, kind: str, overrides: dict[str, str]) -> FilePlan:
    check_mapping(overrides)
    fmt = detect_format(path)
    chunks = iter_chunks(path, fmt, chunksize=_SAMPLE_ROWS)
    try:
        sample, _, _ = next(chunks)
    except StopIteration:
        raise InputError("the file has no header row.", file=path.name) from None
    finally:
        chunks.close()
    columns = [str(c) for c in sample.columns]
    check_mapping(overrides, columns, path.name)
    fields = remembered_mapping(db, columns) or as_field_map(guess_mapping(columns, sample))
    fields = _apply_overrides(columns, fields, overrides)
    if "item_id" not in fields and "title" not in fields:
        raise InputError(
            "no column with product ids or product names was found. Choose the column that identifies "
            "products (for example --map item_id=SKU).",
            file=path.name,
        )
    return FilePlan(path, kind, fmt, columns, fields, path.stat().st_size)


def check_overrides(plans: list[FilePlan], overrides: dict[str, str]) -> None:
    """An override naming a column that no file has is a typo the owner should hear about."""
    for field, wanted in overrides.items():
        if wanted and not any(match_column(p.columns, wanted) for p in plans):
            names = ", ".join(p.path.name for p in plans)
            raise InputError(f"there is no column '{wanted}' (asked for {field}) in {names}.", column=wanted)
