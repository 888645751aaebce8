"""No cell a spreadsheet would run as a formula, in any separator (issue 16 item 4): every CSV the app writes
(export long and wide, audience) is parsed back with ``,`` ``;`` and tab as the separator, and no cell may
start a formula; ids that are plain numbers (``-5``, ``+18``, ``-0.5``) stay exactly as the shop has them.

Read with the separator it was written with (``,``), a cell never starts with ``= + - @`` tab or CR unless
the whole cell is a plain number. Read with another one, a file's quotes no longer group its cells, so a
would-be cell may begin with a plain-number id followed by the rest of the row (``-9,1,-5,Minus five tray``
when read with ``;``); what is checked there is that whatever starts with a formula character is a plain
number up to the next separator character (a whole cell that is an id such as ``-9``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrec_desktop.cli import main
from lrec_desktop.core.csv_safe import FORMULA_START, format_row, safe_cell
from lrec_desktop.core.export import sanitize_cell
from tests.core import probe_shop
from tests.core.shopdb import write_shop

PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
BREAK = re.compile(r"[,;\t\r\n]")
SEPARATORS = (",", ";", "\t")


def _lead(cell: str) -> str:
    """The cell as a spreadsheet may see it: leading white space (tab, CR, LF too), quotes and zero-width
    marks dropped, so what is checked is the character that would start a formula."""
    n = 0
    while n < len(cell) and (cell[n].isspace() or cell[n] == '"' or unicodedata.category(cell[n]) in ("Cf", "Zs")):
        n += 1
    return cell[n:]


def runnable_cells(text: str) -> list[tuple[str, str]]:
    """(separator, cell) for every parsed cell that a spreadsheet could run as a formula."""
    found = []
    for sep in SEPARATORS:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            for cell in row:
                lead = _lead(cell)
                if not lead or lead[0] not in FORMULA_START:
                    continue
                number = lead if sep == "," else BREAK.split(lead, maxsplit=1)[0]
                if not PLAIN.fullmatch(number):
                    found.append((sep, cell))
    return found


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return probe_shop.build(tmp_path_factory.mktemp("formulas"))


def _write(shop: Path, out: Path, *args: str) -> str:
    assert main(["--quiet", *args[:1], "--db", str(shop), *args[1:], "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


OUTPUTS = {
    "export long": ("export", "--top", "12"),
    "export wide": ("export", "--top", "12", "--layout", "wide"),
    "audience": ("audience", "--item", "P6"),
}


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_no_cell_runs_in_any_separator(name: str, shop: Path, tmp_path: Path) -> None:
    text = _write(shop, tmp_path / "out.csv", *OUTPUTS[name])
    assert runnable_cells(text) == []
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = {cell for row in rows for cell in row}
    hostile = {"x;'=1+1", "'@SUM(1;2)", "'-2+3+cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", "'@name", "Ann;' =2+2",
               "a;'=1+1@example.com", "Tea pot,'=1"}
    assert cells & hostile, "the probe's hostile cells are in the output, neutralised"


def test_ids_that_are_plain_numbers_stay_numbers(shop: Path, tmp_path: Path) -> None:
    text = _write(shop, tmp_path / "out.csv", "export", "--top", "12")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    exported = {r["item_id"] for r in rows} | {r["customer_id"] for r in rows}
    assert probe_shop.SIGNED_IDS <= exported
    assert not any(i.startswith("'") and i[1:] in probe_shop.SIGNED_IDS for i in exported)


def test_control_characters_are_removed_before_the_check(tmp_path: Path) -> None:
    """A shop imported before NULs were dropped at import still exports no live formula."""
    items = [{"item_id": "N1", "title": "\x00=1+1"}, {"item_id": "N2", "title": "\x00\x1b@x"},
             {"item_id": "N3", "title": "Tea\x00 pot"}, {"item_id": "N4", "title": "Cup"}]
    shop = write_shop(tmp_path / "old.lrec", items, [("A", "N4", 1), ("B", "N1", 2), ("B", "N4", 3),
                                                     ("C", "N2", 4), ("C", "N3", 5), ("C", "N4", 6)])
    text = _write(shop, tmp_path / "out.csv", "export", "--top", "3")
    assert "\x00" not in text and "\x1b" not in text
    titles = {r["title"] for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert {"'=1+1", "'@x", "Tea pot"} & titles and not any(t.startswith(("=", "@")) for t in titles)
    assert runnable_cells(text) == []


@pytest.mark.parametrize(("raw", "safe"), [
    ("=1+1", "'=1+1"), ("+49 123", "'+49 123"), ("-5", "-5"), ("+18", "+18"), ("-0.5", "-0.5"), ("1e-3", "1e-3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("\x00=1", "'=1"), (" =1", "' =1"),
    ("x;=1+1", "x;'=1+1"), ("a,-5", "a,'-5"), ("ok; -7", "ok;' -7"),
    ("a;-5x", "a;'-5x"), ('x;"=1', "x;'\"=1"), ("\u200b=1", "'\u200b=1"),
    ("＝1+1", "'＝1+1"), ("Tea pot", "Tea pot"), ("", ""), (None, ""), (3, "3"), (-5, "-5"),
])
def test_safe_cell(raw: object, safe: str) -> None:
    assert safe_cell(raw) == safe == sanitize_cell(raw)


def test_separators_are_quoted() -> None:
    assert format_row(["a;b", "c\td", "e,f", 'g"h', "i\nj", "plain", "-5"]) == (
        '"a;b","c\td","e,f","g""h","i\nj",plain,-5\r\n')


CELL = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n;,\"' 05.eEab\x00\x1f\u200b|＝")), max_size=10)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rows=st.lists(st.lists(CELL, min_size=2, max_size=5), min_size=1, max_size=4))
def test_any_cells_survive_every_separator(rows: list[list[str]]) -> None:
    text = "".join(format_row(row) for row in rows)
    assert runnable_cells(text) == []
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed == [[safe_cell(c) for c in row] for row in rows]  # the file reads back cell for cell
