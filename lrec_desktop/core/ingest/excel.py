"""Excel workbooks (.xlsx) read row by row with openpyxl in read-only mode, so memory stays flat.

Cells become the text a person sees: whole numbers without ".0" (ids typed as numbers), dates in ISO
form (parsed again by the date detector), empty cells as "".
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from lrec_desktop.core.errors import InputError
from lrec_desktop.core.ingest.cleaning import unique_headers
from lrec_desktop.core.ingest.sniff import check_width

# A workbook member that unpacks to more than this, at more than this ratio, is a "zip bomb" or damaged: real
# sheets compress 5-20 fold, and openpyxl would otherwise spend minutes parsing what the zip claims to hold.
MAX_UNPACKED = 1 << 30
MAX_RATIO = 200


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError("the file is not an Excel workbook lrec_desktop can read (it is damaged, cut short or not "
                         "a workbook at all); save it as .xlsx or CSV again and import that.", file=path.name) from exc
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_UNPACKED or (info.file_size > MAX_UNPACKED // 20 and ratio > MAX_RATIO):
            raise InputError(f"the workbook's part {info.filename} would unpack to {info.file_size / 1e9:,.1f} GB "
                             f"({ratio:,.0f} times its packed size), which no real sheet does; save the table as "
                             "CSV and import that.", file=path.name)


def _damaged(path: Path, exc: BaseException) -> InputError:
    return InputError(f"the workbook is damaged and cannot be read ({type(exc).__name__}: {str(exc)[:120]}); open it "
                      "in Excel and save it again, or save the table as CSV.", file=path.name)


# What openpyxl raises on broken XML, a broken zip member or a part it does not expect.
_BROKEN = (ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError,
           AttributeError, IndexError)


def _open(path: Path) -> Any:
    import openpyxl  # imported here: only Excel imports pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise InputError(f"the file looks like an Excel workbook but is named '{path.suffix}'; save it as .xlsx and "
                         "try again.", file=path.name) from exc
    except OSError as exc:
        raise InputError(f"the file is not an Excel workbook lrec_desktop can read ({exc}).", file=path.name) from exc
    except _BROKEN as exc:
        raise _damaged(path, exc) from exc


def _rows(ws: Any) -> Iterator[tuple[Any, ...]]:
    """Every row of a sheet. The size stored in the sheet (its <dimension>) is often stale in files written by
    other programs, and read-only openpyxl stops at it: reset, so the rows below it are read too."""
    ws.reset_dimensions()
    return ws.iter_rows(values_only=True)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def first_sheet_with_data(path: Path) -> str:
    book = _open(path)
    try:
        for sheet in book.worksheets:
            for row in _rows(sheet):
                if any(cell_text(v) for v in row):
                    return str(sheet.title)
    except _BROKEN as exc:
        raise _damaged(path, exc) from exc
    finally:
        book.close()
    raise InputError("the workbook has no sheet with data.", file=path.name)


def _header(values: list[str], name: str) -> list[str]:
    check_width(len(values), name)
    return unique_headers(values)


def sheet_chunks(path: Path, sheet: str | None, chunksize: int) -> Iterator[tuple[pd.DataFrame, int, float]]:
    """Chunks of one sheet; the header is its first row of two or more cells (a one-cell title row above
    the table is skipped), the index the sheet's row numbers."""
    book = _open(path)
    try:
        yield from _sheet_chunks(path, book, sheet, chunksize)
    except _BROKEN as exc:
        raise _damaged(path, exc) from exc
    finally:
        book.close()


def _sheet_chunks(path: Path, book: Any, sheet: str | None, chunksize: int
                  ) -> Iterator[tuple[pd.DataFrame, int, float]]:
    ws = book[sheet] if sheet else book.worksheets[0]
    total = max(int(ws.max_row or 0), 1)  # the stored size: only for progress, it may be stale
    header: list[str] | None = None
    title: list[str] | None = None  # a one-cell row above the table ("Sales report", often merged)
    rows: list[list[str]] = []
    numbers: list[int] = []
    yielded = False
    for number, raw in enumerate(_rows(ws), start=1):
        cells = [cell_text(v) for v in raw]
        if header is None:
            if not any(cells):
                continue
            while cells and not cells[-1]:
                cells.pop()
            filled = sum(1 for c in cells if c)
            if filled == 1 and title is None:
                title = cells
                continue
            if filled == 1 and title is not None:
                header = _header(title, path.name)  # a one-column sheet: its first one-cell row was the header
            else:
                header = _header(cells, path.name)  # the table starts here; a one-cell row above it was a title
                continue
        cells = (cells + [""] * len(header))[: len(header)]
        rows.append(cells)
        numbers.append(number)
        if len(rows) >= chunksize:
            yield pd.DataFrame(rows, columns=header, index=numbers, dtype=str), numbers[0], min(number / total, 1.0)
            rows, numbers, yielded = [], [], True
    if header is None and title is not None:
        header = _header(title, path.name)
    if header is None:
        raise InputError("the sheet has no header row.", file=path.name)
    if rows or not yielded:
        frame = pd.DataFrame(rows, columns=header, index=numbers, dtype=str)
        yield frame, numbers[0] if numbers else 2, 1.0
