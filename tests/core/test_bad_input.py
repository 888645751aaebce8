"""Broken and awkward inputs, tried systematically: each is imported correctly or refused with a message
that names the file (and row and column where there is one), and a refused file changes nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrec_desktop.core.errors import InputError
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
from lrec_desktop.core.store import db as store

H = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
R = ("536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26,2.55,17850\n"
     "536366,71053,WHITE LANTERN,2,2010-12-01 08:28,3.39,13047\n")
T0, T1 = 1291191960, 1291192080  # the two rows' times, 2010-12-01 08:26 and 08:28


def dated(first: str, second: str) -> bytes:
    return (H + R.replace("2010-12-01 08:26", first).replace("2010-12-01 08:28", second)).encode()


# name: (file bytes, expected): expected is (accepted, rejected, {sql: value}) or a refusal message fragment.
CASES: dict[str, tuple[bytes, tuple | str]] = {
    "empty": (b"", "the file is empty"),
    "header only": (H.encode(), "no data rows"),
    "semicolon delimiter": ((H + R).replace(",", ";").encode(), (2, 0, {})),
    "tab delimiter": ((H + R).replace(",", "\t").encode(), (2, 0, {})),
    "pipe delimiter": ((H + R).replace(",", "|").encode(), (2, 0, {})),
    "UTF-8 BOM": (b"\xef\xbb\xbf" + (H + R).encode(), (2, 0, {})),
    "UTF-16 LE BOM": ((H + R).encode("utf-16"), (2, 0, {})),
    "UTF-16 BE BOM": (b"\xfe\xff" + (H + R).encode("utf-16-be"), (2, 0, {})),
    "Latin-1": ((H + "1,X1,CAFÉ CRÈME,1,2010-12-01 08:26,2.5,1\n").encode("latin-1"),
                (1, 0, {"SELECT title FROM items": "CAFÉ CRÈME"})),
    "GB18030 Chinese": ((H + "1,X1,红色茶杯,1,2010-12-01 08:26,2.5,1\n").encode("gb18030"),
                        (1, 0, {"SELECT title FROM items": "红色茶杯"})),
    "mixed encodings": ((H + R).encode() + "3,X2,CAFÉ,1,2010-12-01 08:26,2.5,1\n".encode("latin-1"), (3, 0, {})),
    "quoted newline": ((H + '1,X1,"Line one\nline two",1,2010-12-01 08:26,2.5,1\n').encode(),
                       (1, 0, {"SELECT title FROM items": "Line one line two"})),
    "header repeated inside": ((H + R + H + R.replace("5363", "5364")).encode(), (4, 1, {})),
    "10 MB single line": (b"x" * 10_000_000, "the first line is longer than 64 KB"),
    "a zip named .csv": (b"PK\x03\x04" + b"\x00" * 200, "save it as .xlsx"),
    "no id columns": (b"a,b,c\n1,2,3\n4,5,6\n", "no column with product ids"),
    "non-numeric quantity": ((H + R + "3,X2,THING,two,2010-12-01 08:26,2.5,1\n").encode(), (2, 1, {})),
    "ISO dates": (dated("2010-12-01 08:26", "2010-12-01 08:28"), (2, 0, {"SELECT min(ts) FROM interactions": T0})),
    "US dates": (dated("12/1/2010 8:26", "12/1/2010 8:28"), (2, 0, {"SELECT max(ts) FROM interactions": T1})),
    "dotted dates": (dated("01.12.2010", "02.12.2010"), (2, 0, {"SELECT min(ts) FROM interactions": 1291161600})),
    "unix seconds": (dated(str(T0), str(T1)), (2, 0, {"SELECT max(ts) FROM interactions": T1})),
    "ISO with zone": (dated("2010-12-01T08:26:00+01:00", "2010-12-01T08:28:00+01:00"),
                      (2, 0, {"SELECT min(ts) FROM interactions": T0 - 3600})),
    "nonsense dates": (dated("banana", "31/31/31"), "date 'banana' is not understood"),
    "leading zeros": ((H + "1,00123,A,1,2010-12-01 08:26,2.5,007\n").encode(),
                      (1, 0, {"SELECT item_id FROM items": "00123", "SELECT customer_id FROM customers": "007"})),
    "emoji": ((H + "1,X1,Tea 🍵 pot,1,2010-12-01 08:26,2.5,1\n").encode(), (1, 0, {"SELECT title FROM items":
                                                                                 "Tea 🍵 pot"})),
    # Binary content: any sentence will do, as long as it names the file and the shop is unchanged.
    "a PNG named .csv": (b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000), ""),
    "random bytes": (random.Random(2).randbytes(5000), ""),
    "more cells than the header": ((H + R + "3,X2,THING,1,2010-12-01 08:26,2.5,1,extra,extra\n").encode(),
                                   (2, 1, {})),
    "100,000-character cell": ((H + "1,X1," + "y" * 100_000 + ",1,2010-12-01 08:26,2.5,1\n").encode(), (1, 0, {})),
    "ids only": (b"StockCode\n85123A\n71053\n", (2, 0, {"SELECT count(*) FROM interactions WHERE customer_id "
                                                     "IS NULL": 2})),
    "negative quantity": ((H + "C1,X1,A,-2,2010-12-01 08:26,2.5,1\n" + R).encode(),
                          (3, 0, {"SELECT count(*) FROM interactions WHERE event = 'purchase'": 2})),
}


def xlsx(path: Path, fill: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.Workbook()
    fill(book)
    book.save(path)
    return path


def _table(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
    for line in (H + R).strip().split("\n"):
        ws.append(line.split(","))


def several_sheets(book: openpyxl.Workbook) -> None:
    book.active.title = "Notes"
    _table(book.create_sheet("Orders"))


def merged_title(book: openpyxl.Workbook) -> None:
    book.active.append(["Sales report, December"])
    book.active.merge_cells("A1:G1")
    _table(book.active)


def formula(book: openpyxl.Workbook) -> None:
    _table(book.active)
    book.active["D3"] = "=1+1"


@pytest.fixture
def shop(tmp_path: Path, fixtures: Path) -> Path:
    """A shop that already holds sales, so 'changes nothing' is checked against real content."""
    path = tmp_path / "shop.lrec"
    store.connect(path, create=True).close()
    run_import(path, ImportRequest(interactions=fixtures / "uci_orders.csv"))
    return path


def check(shop: Path, path: Path, expected: tuple | str, shop_hash: Callable[[Path], str]) -> None:
    """A refusal must leave the (already filled) shop unchanged; an import is checked in a fresh shop."""
    if isinstance(expected, str):
        before = shop_hash(shop)
        with pytest.raises(InputError) as refused:
            run_import(shop, ImportRequest(interactions=path))
        assert path.name in str(refused.value) and expected in str(refused.value)
        assert shop_hash(shop) == before
        return
    fresh = path.with_suffix(".lrec")
    accepted, rejected, queries = expected
    (summary,) = run_import(fresh, ImportRequest(interactions=path)).files
    assert (summary.accepted, summary.rejected) == (accepted, rejected)
    for row, _column, reason in summary.problems:
        assert row is not None and row > 1 and reason
    db = store.connect(fresh)
    try:
        for sql, value in queries.items():
            assert db.execute(sql).fetchone()[0] == value, sql
    finally:
        db.close()


@pytest.mark.parametrize("name", list(CASES))
def test_awkward_csv(name: str, shop: Path, tmp_path: Path, shop_hash: Callable[[Path], str]) -> None:
    data, expected = CASES[name]
    path = tmp_path / (name.replace(" ", "_").replace(",", "") + ".csv")
    path.write_bytes(data)
    check(shop, path, expected, shop_hash)


@pytest.mark.parametrize(("name", "fill", "expected"), [
    ("several sheets", several_sheets, (2, 0, {})),
    ("merged title row", merged_title, (2, 0, {})),
    ("formula cell", formula, (2, 0, {})),
])
def test_awkward_excel(name: str, fill: Callable, expected: tuple, shop: Path, tmp_path: Path,
                       shop_hash: Callable[[Path], str]) -> None:
    check(shop, xlsx(tmp_path / f"{name.replace(' ', '_')}.xlsx", fill), expected, shop_hash)


def test_truncated_excel_is_refused(shop: Path, tmp_path: Path, shop_hash: Callable[[Path], str]) -> None:
    whole = xlsx(tmp_path / "whole.xlsx", several_sheets)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[:1500])
    check(shop, cut, "not an Excel workbook", shop_hash)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.binary(max_size=3000),
    st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=7), max_size=30).map(
        lambda rows: H + "\n".join(",".join(r) for r in rows)),
))
def test_fuzzed_files_are_imported_or_refused_cleanly(body: bytes | str, shop: Path, tmp_path: Path,
                                                      shop_hash: Callable[[Path], str]) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass"))
    before = shop_hash(shop)
    try:
        run_import(shop, ImportRequest(interactions=path))
    except InputError as refused:
        assert "fuzz.csv" in str(refused)
        assert shop_hash(shop) == before
