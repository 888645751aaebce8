"""Reading files as shops save them: encodings, delimiters, Excel, broken lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from lrec_desktop.core.errors import InputError
from lrec_desktop.core.ingest.readers import detect_format, iter_chunks, read_preview

ROWS = [
    ["sku", "title", "price"],
    ["00123", "Crème brûlée dish", "12.50"],
    ["A-7", "Über-Tasse „groß“", "3.10"],
    ["17850.0", "Café au lait bowl", "8"],
]
CHINESE = [
    ["sku", "title", "price"],
    ["001", "绿茶杯", "12.5"],
    ["002", "红色连衣裙", "99"],
    ["003", "手工陶瓷碗", "35"],
    ["004", "竹制砧板", "18"],
    ["005", "丝绸围巾", "120"],
]


def write(path: Path, rows: list[list[str]], encoding: str, delimiter: str = ",", bom: bytes = b"") -> Path:
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    path.write_bytes(bom + text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_western_encodings(tmp_path: Path, encoding: str, bom: bytes, expected: str) -> None:
    path = write(tmp_path / "p.csv", ROWS, encoding, bom=bom)
    fmt = detect_format(path)
    assert (fmt.kind, fmt.encoding, fmt.delimiter) == ("csv", expected, ",")
    frame, first_row, fraction = next(iter_chunks(path, fmt))
    assert list(frame.columns) == ["sku", "title", "price"]
    assert frame["title"].tolist() == [r[1] for r in ROWS[1:]]
    assert frame["sku"].tolist() == ["00123", "A-7", "17850.0"]  # text, zeros kept
    assert first_row == 2 and fraction == 1.0


def test_latin1_only_file_reads(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", [["sku", "title"], ["1", "Pâté de campagne"], ["2", "Smørrebrød"]], "latin-1")
    fmt = detect_format(path)
    frame, _, _ = next(iter_chunks(path, fmt))
    assert frame["title"].tolist() == ["Pâté de campagne", "Smørrebrød"]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_chinese_encodings_prefer_gb18030(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "cn.csv", CHINESE, encoding)
    fmt = detect_format(path)
    assert fmt.encoding == "gb18030"
    frame, _, _ = next(iter_chunks(path, fmt))
    assert frame["title"].tolist() == [r[1] for r in CHINESE[1:]]


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    rows = [["InvoiceNo", "StockCode", "Description", "Quantity"], ["536365", "85123A", "HEART, WHITE", "6"]]
    text = "\n".join(delimiter.join(f'"{c}"' if "," in c and delimiter == "," else c for c in r) for r in rows)
    path = tmp_path / "o.csv"
    path.write_text(text + "\n", encoding="utf-8")
    fmt = detect_format(path)
    assert fmt.delimiter == delimiter
    frame, _, _ = next(iter_chunks(path, fmt))
    assert frame.iloc[0].tolist() == ["536365", "85123A", "HEART, WHITE", "6"]


def test_xlsx_first_sheet_with_data_and_header_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Orders")
    sheet.append([])
    sheet.append(["Exported by the till"])
    book.remove(book["Notes"])
    sheet = book["Orders"]
    sheet.delete_rows(1, 2)
    sheet.append([None])
    sheet.append(["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID"])
    sheet.append(["536365", "00123", 6, dt.datetime(2010, 12, 1, 8, 26), 17850.0])
    sheet.append([536366, "22633", 2.5, dt.datetime(2010, 12, 1, 8, 28), None])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    fmt = detect_format(path)
    assert (fmt.kind, fmt.sheet) == ("xlsx", "Orders")
    frame, first_row, fraction = next(iter_chunks(path, fmt))
    assert list(frame.columns) == ["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID"]
    assert frame.iloc[0].tolist() == ["536365", "00123", "6", "2010-12-01 08:26:00", "17850"]
    assert frame.iloc[1].tolist() == ["536366", "22633", "2.5", "2010-12-01 08:28:00", ""]
    assert first_row == 3 and frame.index.tolist() == [3, 4] and fraction == 1.0


def test_chunks_carry_spreadsheet_rows_and_skip_broken_lines(tmp_path: Path) -> None:
    lines = ["sku,qty"] + [f"{i},1" for i in range(1, 8)]
    lines[3] = "3,1,extra"  # row 4 has one cell too many
    path = tmp_path / "b.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    chunks = list(iter_chunks(path, detect_format(path), chunksize=3))
    rows = [r for frame, _, _ in chunks for r in frame.index]
    assert rows == [2, 3, 5, 6, 7, 8]
    assert [c[1] for c in chunks] == [2, 6]
    assert [line for frame, _, _ in chunks for line in frame.attrs["bad_lines"]] == [4]
    assert chunks[-1][2] == 1.0


def test_unreadable_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.csv"):
        detect_format(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty"):
        detect_format(empty)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(InputError, match=r"old.xls: .*\.xlsx"):
        detect_format(old)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as info:
        read_preview(fake)
    assert info.value.file == "fake.xlsx"
