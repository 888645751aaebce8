"""Excel workbooks (.xlsx) read row by row with openpyxl in read-only mode, so memory stays flat.

Cells become the text a person sees: whole numbers without ".0" (ids typed as numbers), dates in ISO
form (parsed again by the date detector), empty cells as "".
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from lrec_desktop.core.errors import InputError


def _open(path: Path) -> Any:
    import openpyxl  # imported here: only Excel imports pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise InputError(f"the file looks like an Excel workbook but is named '{path.suffix}'; save it as .xlsx and "
                         "try again.", file=path.name) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"the file is not an Excel workbook lrec_desktop can read ({exc}).", file=path.name) from exc


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
            for row in sheet.iter_rows(values_only=True):
                if any(cell_text(v) for v in row):
                    return str(sheet.title)
    finally:
        book.close()
    raise InputError("the workbook has no sheet with data.", file=path.name)


def _header(values: list[str]) -> list[str]:
    """Unique, non-empty column names (as pandas names CSV columns) for a header row."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for pos, value in enumerate(values):
        name = value or f"Unnamed: {pos}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def sheet_chunks(path: Path, sheet: str | None, chunksize: int) -> Iterator[tuple[pd.DataFrame, int, float]]:
    """Chunks of one sheet; the header is its first row of two or more cells (a one-cell title row above
    the table is skipped), the index the sheet's row numbers."""
    book = _open(path)
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        total = max(int(ws.max_row or 0), 1)
        header: list[str] | None = None
        title: list[str] | None = None  # a one-cell row above the table ("Sales report", often merged)
        rows: list[list[str]] = []
        numbers: list[int] = []
        yielded = False
        for number, raw in enumerate(ws.iter_rows(values_only=True), start=1):
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
                    header = _header(title)  # a one-column sheet: the first one-cell row was its header
                else:
                    header = _header(cells)  # the table starts here; a one-cell row above it was a title
                    continue
            cells = (cells + [""] * len(header))[: len(header)]
            rows.append(cells)
            numbers.append(number)
            if len(rows) >= chunksize:
                yield pd.DataFrame(rows, columns=header, index=numbers, dtype=str), numbers[0], min(number / total, 1.0)
                rows, numbers, yielded = [], [], True
        if header is None and title is not None:
            header = _header(title)
        if header is None:
            raise InputError("the sheet has no header row.", file=path.name)
        if rows or not yielded:
            frame = pd.DataFrame(rows, columns=header, index=numbers, dtype=str)
            yield frame, numbers[0] if numbers else 2, 1.0
    finally:
        book.close()
