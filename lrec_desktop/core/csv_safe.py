"""CSV cells no spreadsheet runs as a formula, whichever separator it opens the file with.

Per OWASP's CSV-injection guidance a cell that starts with ``= + - @``, tab or CR gets a leading ``'``. Two
things the plain rule misses, both found by a probe:

- control characters: LibreOffice drops a leading NUL and then runs ``=...``. C0/C1 control characters
  (other than tab, CR and LF, which text may hold and quoting keeps) are removed before anything is checked.
- other separators: much of Europe opens CSV with ``;``, and a file read with a separator it was not written
  with does not honour its quotes, so ``x;=1+1`` in one cell is two cells there, the second a formula.
  So every place inside a cell where a new cell could begin (after ``, ; tab CR LF``) is checked like the
  start of the cell, and cells holding any of ``; , tab " CR LF`` are quoted (the csv module's minimal
  quoting would leave ``;`` and tab bare).

A cell that is a plain number (``-5``, ``+18``, ``-0.5``, ``1e-3``) is left as it is: no spreadsheet runs it,
and product and customer ids such as ``-5`` must still match the shop's ids. Inside a cell there is no such
exception (``ok; -7`` becomes ``ok;' -7``): read with ``;``, that would-be cell runs on into the rest of the row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol

FORMULA_START = frozenset("=+-@\t\r＝＋－＠")  # the full-width forms too: some spreadsheets read them as ASCII
# Where a spreadsheet may begin a new cell inside ours, when it splits the file with another separator.
_CELL_BREAK = re.compile(r"[,;\t\r\n]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NEEDS_QUOTES = frozenset(';,\t"\r\n')
LINE_END = "\r\n"  # what csv.writer ends rows with (RFC 4180); readers of the old files keep working


def _skippable(char: str) -> bool:
    """Characters a spreadsheet may drop or trim before it looks for ``=``: spaces, quotes, zero-width marks."""
    return char in ' "' or unicodedata.category(char) in ("Cf", "Zs")


def _risky_at(text: str, start: int) -> bool:
    """Does the would-be cell beginning at ``start`` start a formula (spaces, quotes, zero-width marks skipped)?"""
    first = start
    while first < len(text) and _skippable(text[first]):
        first += 1
    return first < len(text) and text[first] in FORMULA_START


def safe_cell(value: object) -> str:
    """The text of one cell with control characters removed and a ``'`` before anything a sheet would run."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    if not text or _PLAIN_NUMBER.fullmatch(text):  # the whole cell a number: an id like -5 stays as the shop has it
        return text
    # At the very start tab and CR are formula triggers themselves (OWASP); inside, they are breaks.
    risky_start = text[0] in "\t\r" or _risky_at(text, 0)
    pieces = ["'" if risky_start else ""]
    last = 0
    for found in _CELL_BREAK.finditer(text):
        cut = found.end()
        if _risky_at(text, cut):
            pieces.append(text[last:cut])
            pieces.append("'")
            last = cut
    pieces.append(text[last:])
    return "".join(pieces)


def quoted(cell: str) -> str:
    """``cell`` as it goes in the file: in double quotes (inner ones doubled) when it holds a separator."""
    if _NEEDS_QUOTES.isdisjoint(cell):
        return cell
    return '"' + cell.replace('"', '""') + '"'


def format_row(cells: Iterable[object]) -> str:
    """One CSV line (with its line end) of safe, quoted cells, separated by commas."""
    return ",".join(quoted(safe_cell(v)) for v in cells) + LINE_END


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


class SafeCsvWriter:
    """``csv.writer``'s ``writerow`` for files people open in a spreadsheet: every cell through ``safe_cell``."""

    def __init__(self, out: _Writable) -> None:
        self.out = out

    def writerow(self, cells: Iterable[object]) -> None:
        self.out.write(format_row(cells))
