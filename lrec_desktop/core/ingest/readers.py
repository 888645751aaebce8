"""CSV and Excel files → chunks of text cells, with the encoding and delimiter worked out for the owner.

Every cell is read as text so ids such as "00123" keep their zeros; numbers and dates are parsed later,
column by column, where a failure can be reported with its row and column.
"""

from __future__ import annotations

import codecs
import csv
import re
import warnings
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import sqlite_utils

from lrec_desktop.core.errors import InputError
from lrec_desktop.core.ingest import excel
from lrec_desktop.core.ingest.cleaning import unique_headers
from lrec_desktop.core.ingest.encoding import detect_encoding
from lrec_desktop.core.ingest.mapping import IGNORED, RECOGNISED, ColumnGuess, guess_mapping, remembered_mapping
from lrec_desktop.core.ingest.sniff import OLE_SIGNATURE, SAMPLE, check_width, refuse_non_text, refuse_ole

DELIMITERS = (",", ";", "\t", "|")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
INTERACTION_FIELDS = frozenset({"customer_id", "timestamp", "quantity", "order_id", "rating", "event", "email"})
_BAD_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class FileFormat:
    kind: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None


@dataclass
class Preview:
    path: Path
    format: FileFormat
    columns: list[str]
    frame: pd.DataFrame
    guesses: dict[str, ColumnGuess]
    role: str


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header and the first lines into the same, largest number of cells."""
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end in the middle of a line
    if not lines:
        return ","
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        header = counts[0]
        if header < 2:
            continue
        score = (sum(c == header for c in counts) / len(counts), header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def detect_format(path: Path) -> FileFormat:
    """How to read ``path``: Excel by its signature, else CSV with detected encoding and delimiter."""
    path = Path(path)
    if not path.is_file():
        raise InputError("the file does not exist or is not a file.", file=path.name)
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE)
    except OSError as exc:
        raise InputError(f"the file cannot be opened ({exc.strerror}).", file=path.name) from exc
    if head.startswith(OLE_SIGNATURE):
        refuse_ole(path, head)
    if head.startswith(b"PK\x03\x04") or path.suffix.lower() in EXCEL_SUFFIXES:
        return FileFormat("xlsx", None, None, excel.first_sheet_with_data(path))
    if not head.strip():
        raise InputError("the file is empty.", file=path.name)
    # Before the encoding is detected: that reads the whole file, which a binary one must not cost.
    refuse_non_text(head, path.stat().st_size, path.name)
    encoding = detect_encoding(path)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    return FileFormat("csv", encoding, _sniff_delimiter(text.lstrip("\ufeff")), None)


def _row_numbers(index: pd.Index, bad_lines: np.ndarray) -> np.ndarray:
    """Spreadsheet rows of data rows: position + 2 (the header is row 1), shifted past skipped lines."""
    rows = np.asarray(index, dtype=np.int64) + 2
    for line in bad_lines:  # ascending; few in practice
        rows = np.where(rows >= line, rows + 1, rows)
    return rows


def _count_lines(path: Path) -> int:
    """Line breaks in the file, for progress: the parser reads ahead in large blocks, so its file
    position says little about the rows handed out so far."""
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
    return max(lines, 1)


def _read_csv(handle: BinaryIO, fmt: FileFormat, **options: Any) -> Any:
    return pd.read_csv(handle, sep=fmt.delimiter, encoding=fmt.encoding, dtype=str, keep_default_na=False,
                       index_col=False, skip_blank_lines=False, encoding_errors="replace", engine="c", **options)


def _header_names(path: Path, fmt: FileFormat) -> list[str]:
    """The header row as written (pandas would rename a repeated header before we could clean it), made into
    clean unique names; refused when it is too wide to be a shop's table."""
    with path.open("rb") as handle:
        first = _read_csv(handle, fmt, header=None, nrows=1)
    names = unique_headers([str(v) for v in first.iloc[0].tolist()] if len(first) else [])
    check_width(len(names), path.name)
    return names


def _csv_chunks(path: Path, fmt: FileFormat, chunksize: int) -> Iterator[tuple[pd.DataFrame, int, float]]:
    names = _header_names(path, fmt)
    total = _count_lines(path)
    bad: list[int] = []
    with path.open("rb") as handle:
        reader = _read_csv(handle, fmt, on_bad_lines="warn", chunksize=chunksize)
        with reader:
            while True:
                # Skipped lines are reported only as warnings; catch them around the parse alone, so
                # the filter is not left in place while the caller works between chunks.
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", pd.errors.ParserWarning)
                    try:
                        chunk = next(reader)
                    except StopIteration:
                        return
                new = [int(m.group(1)) for w in caught for m in [_BAD_LINE.search(str(w.message))] if m]
                bad = sorted(bad + new)
                chunk.columns = names  # the same first record, so the same number of columns
                chunk.index = _row_numbers(chunk.index, np.asarray(bad, dtype=np.int64))
                chunk.attrs["bad_lines"] = new
                first = int(chunk.index[0]) if len(chunk) else 2
                last = int(chunk.index[-1]) if len(chunk) else total
                yield chunk, first, min(last / total, 1.0)


def iter_chunks(path: Path, fmt: FileFormat,
                chunksize: int = 50_000) -> Generator[tuple[pd.DataFrame, int, float], None, None]:
    """(text frame indexed by spreadsheet row, row of its first line, fraction of the file read).

    Lines with too many cells are left out of the frame and listed in ``frame.attrs["bad_lines"]``.
    """
    path = Path(path)
    try:
        if fmt.kind == "xlsx":
            yield from excel.sheet_chunks(path, fmt.sheet, chunksize)
        else:
            yield from _csv_chunks(path, fmt, chunksize)
    except pd.errors.EmptyDataError as exc:
        raise InputError("the file has no header row.", file=path.name) from exc
    except (pd.errors.ParserError, UnicodeError, OSError) as exc:
        raise InputError(f"the file cannot be read ({exc}).", file=path.name) from exc


def guess_role(guesses: dict[str, ColumnGuess]) -> str:
    """A file with customers, dates, quantities or orders is sales; otherwise it is a product list."""
    fields = {g.field for g in guesses.values() if g.field}
    return "interactions" if fields & INTERACTION_FIELDS else "items"


def read_preview(path: Path, rows: int = 20, db: sqlite_utils.Database | None = None) -> Preview:
    """The first rows with each column's guessed meaning; a confirmed mapping for this layout wins."""
    path = Path(path)
    fmt = detect_format(path)
    try:
        frame, _, _ = next(iter_chunks(path, fmt, chunksize=max(rows, 200)))
    except StopIteration:
        raise InputError("the file has no rows.", file=path.name) from None
    columns = [str(c) for c in frame.columns]
    guesses = guess_mapping(columns, frame)
    remembered = remembered_mapping(db, columns) if db is not None else None
    if remembered:
        by_column = {c: f for f, c in remembered.items()}
        guesses = {
            c: ColumnGuess(c, by_column[c], RECOGNISED) if c in by_column else ColumnGuess(c, None, IGNORED)
            for c in columns
        }
    return Preview(path, fmt, columns, frame.head(rows), guesses, guess_role(guesses))
