"""The adversarial probe's import cases (issue 16), as a matrix run through the real command line.

Each case writes its files in tmp_path and runs ``lrec-desktop import``. A refused case must exit 2 with one
line that names the file (and row and column where the case has them), no traceback, and leave a shop that
already holds sales exactly as it was (its content hash; its mtime too where the refusal comes before the
shop is opened: otherwise the journal records the refused import, by design). An imported case is checked in
a fresh shop with SQL on what was stored.
"""

from __future__ import annotations

import io
import os
import random
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.cf.data import load_purchases, positive_rating_threshold
from lrec_desktop.core.ingest.sniff import MAX_COLUMNS
from lrec_desktop.core.ratings import rating_scale
from lrec_desktop.core.store import db as store
from tests.conftest import FIXTURES
from tests.core.conftest import content_hash

H = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
ROW = "{n},{sku},{title},1,{date},2.5,{customer}\n"
T0 = 1291191960  # 2010-12-01 08:26 UTC


def orders(*rows: tuple[str, str, str, str], header: str = H) -> bytes:
    """Order lines from (sku, title, date, customer)."""
    body = "".join(ROW.format(n=536000 + n, sku=s, title=t, date=d, customer=c) for n, (s, t, d, c) in enumerate(rows))
    return (header + body).encode("utf-8")


GOOD = [("85123A", "WHITE HANGING HEART", "2010-12-01 08:26", "17850"),
        ("71053", "WHITE LANTERN", "2010-12-01 08:28", "13047"),
        ("22752", "GLASS STAR", "2010-12-01 08:30", "12583")]


def ratings(*rows: tuple[str, str, str, str]) -> bytes:
    """MovieLens-style ratings from (user, movie, rating, timestamp)."""
    return ("userId,movieId,rating,timestamp\n" + "".join(",".join(r) + "\n" for r in rows)).encode()


# 60 five-star style ratings on the 0.5-5 scale, for shops and files that have a scale to be judged against.
STARS = [(str(u), str(m), str(0.5 * (1 + (u * 7 + m) % 10)), str(964982703 + u * 100 + m))
         for u in range(1, 7) for m in range(1, 11)]


# ---- workbooks ---------------------------------------------------------------------------------------------

def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def order_sheet(n: int) -> bytes:
    rows: list[list[object]] = [H.strip().split(",")]
    rows += [[str(1000 + k), f"S{k}", f"Thing {k}", 1, "2010-12-01 08:26", 2.5, str(k % 7)] for k in range(n)]
    return workbook(rows)


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The workbook with each part passed through ``change`` (None drops the part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = change(info.filename, src.read(info.filename))
            if part is not None:
                dst.writestr(info.filename, part)
    return out.getvalue()


def stale_dimension(ref: str) -> bytes:
    """100 rows, but the sheet says it holds only ``ref`` (as files written by other programs often do)."""
    def change(name: str, part: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            part, n = re.subn(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), part)
            assert n == 1
        return part
    return rezip(order_sheet(100), change)


def broken_xml() -> bytes:
    return rezip(order_sheet(5), lambda name, part: part[: len(part) // 2] if name.endswith("sheet1.xml") else part)


def no_workbook_part() -> bytes:
    return rezip(order_sheet(5), lambda name, part: None if name == "xl/workbook.xml" else part)


def bomb() -> bytes:
    """A sheet that claims 64 MB of XML in a few kilobytes (whitespace, valid XML): a zip bomb in miniature."""
    def change(name: str, part: bytes) -> bytes:
        if name.endswith("sheet1.xml"):
            return part.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 << 20), 1)
        return part
    return rezip(order_sheet(5), change)


def compound_file(*streams: str) -> bytes:
    """A minimal OLE compound file (MS-CFB): header, one FAT sector, one directory sector naming ``streams``.
    Office writes a password-protected .xlsx as such a file with "EncryptionInfo" and "EncryptedPackage"."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")
    header[0x1A:0x1C] = (3).to_bytes(2, "little")
    header[0x1C:0x1E] = b"\xfe\xff"
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[0x20:0x22] = (6).to_bytes(2, "little")
    header[0x2C:0x30] = (1).to_bytes(4, "little")  # one FAT sector
    header[0x30:0x34] = (1).to_bytes(4, "little")  # the directory starts in sector 1
    header[0x3C:0x40] = b"\xfe\xff\xff\xff"
    header[0x4C:0x50] = (0).to_bytes(4, "little")  # the FAT is sector 0
    header[0x50:512] = b"\xff" * (512 - 0x50)
    fat = bytearray(b"\xff" * 512)
    fat[0:8] = b"\xfd\xff\xff\xff\xfe\xff\xff\xff"  # sector 0: FAT, sector 1: end of the directory chain
    directory = bytearray()
    for n, name in enumerate(("Root Entry", *streams)):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        entry[64:66] = (len(encoded) + 2).to_bytes(2, "little")
        entry[66] = 5 if n == 0 else 2
        directory += entry
    directory += b"\x00" * (512 - len(directory) % 512 if len(directory) % 512 else 0)
    return bytes(header + fat + directory)


# ---- the matrix --------------------------------------------------------------------------------------------

Content = bytes | Callable[[Path], None]


@dataclass
class Case:
    name: str
    files: dict[str, Content]
    args: list[str]  # after "import --db SHOP"; names of ``files`` become their paths
    refused: tuple[str, ...] = ()  # fragments of the one-line message; empty: the import must succeed
    checks: dict[str, object] = field(default_factory=dict)  # SQL -> value, after a successful import
    before: list[list[str]] = field(default_factory=list)  # imports run first, on the same shop
    seconds: float | None = None  # the refusal must come within this
    # Refused before the shop file is opened, so not even its journal (which records a refused import) is
    # written: the file's mtime stays too.
    untouched: bool = False


def sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)  # zeros that take no disk space
    return write


def random_without_breaks(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        data = random.Random(16).randbytes(size).replace(b"\n", b"x").replace(b"\r", b"y")
        path.write_bytes(data)
    return write


ONE = ["--interactions", "o.csv"]
Q_TITLE = "SELECT title FROM items WHERE item_id = '85123A'"
RATED = "SELECT count(*) FROM interactions WHERE event = 'rating'"

CASES = [
    # item 9 and 14: not text, or no line breaks, refused from a sample in well under a few seconds
    Case("20 MB of binary without line breaks", {"o.csv": random_without_breaks(20 << 20)}, ONE,
         ("o.csv", "binary data"), seconds=5),
    Case("1 GB sparse file of zeros", {"o.csv": sparse(1 << 30)}, ONE, ("o.csv", "zero bytes"), seconds=5),
    Case("200 KB of text without a line break", {"o.csv": b"StockCode," * 20_000}, ONE,
         ("o.csv", "first line is longer than 64 KB"), seconds=5),
    Case("a header of thousands of columns", {"o.csv": (",".join(f"c{n}" for n in range(5000)) + "\n1\n").encode()},
         ONE, ("o.csv", f"more than the {MAX_COLUMNS:,}"), seconds=5),
    Case("UTF-16 without a byte-order mark", {"o.csv": orders(*GOOD).decode().encode("utf-16-le")}, ONE,
         checks={"SELECT count(*) FROM interactions": 3}),
    # item 4 and 16: control and invisible characters stripped, look-alike ids merged with the real id
    Case("NUL before a formula in a title",
         {"o.csv": orders(("85123A", "\x00=1+1", "2010-12-01 08:26", "17850"), *GOOD[1:])}, ONE,
         checks={Q_TITLE: "=1+1"}),
    Case("C0 and C1 controls in a title",
         {"o.csv": orders(("85123A", "WHITE\x07 HEART\x1b\u0085\u009b", "2010-12-01 08:26", "17850"))}, ONE,
         checks={Q_TITLE: "WHITE HEART"}),
    Case("zero-width space in a product id",
         {"o.csv": orders(*GOOD, ("85123A\u200b", "WHITE HANGING HEART", "2010-12-02 08:26", "17850"))}, ONE,
         checks={"SELECT count(*) FROM items WHERE item_id LIKE '85123A%'": 1,
                 "SELECT count(*) FROM interactions WHERE item_id = '85123A'": 2}),
    Case("right-to-left override in a customer id",
         {"o.csv": orders(*GOOD, ("71053", "WHITE LANTERN", "2010-12-02 08:26", "\u202e17850\u202c"))}, ONE,
         checks={"SELECT count(*) FROM customers": 3,
                 "SELECT count(*) FROM interactions WHERE customer_id = '17850'": 2}),
    Case("BOM, word joiner and LRM inside ids",
         {"o.csv": orders(*GOOD, ("8512\ufeff3A", "X", "2010-12-02 08:26", "\u200e1304\u20607"))}, ONE,
         checks={"SELECT count(*) FROM items": 3, "SELECT count(*) FROM customers": 3}),
    Case("NUL and isolates in an id",
         {"o.csv": orders(*GOOD, ("\u206671053\u2069\x00", "X", "2010-12-02 08:26", "12583"))}, ONE,
         checks={"SELECT count(*) FROM interactions WHERE item_id = '71053'": 2}),
    Case("decomposed accent in an id (NFC)",
         {"o.csv": orders(("Cafe\u0301-1", "Bowl", "2010-12-01 08:26", "1"), ("Caf\u00e9-1", "Bowl", "2010-12-01 "
                                                                              "08:27", "2"))}, ONE,
         checks={"SELECT count(*) FROM items": 1, "SELECT item_id FROM items": "Caf\u00e9-1"}),
    Case("zero-width space in a header", {"o.csv": orders(*GOOD, header=H.replace("CustomerID", "\u200bCustomerID"))},
         ONE, checks={"SELECT count(*) FROM customers": 3}),
    # item 10: headers that differ only by whitespace, or are blank
    Case("CustomerID and 'CustomerID ' side by side",
         {"o.csv": b"InvoiceNo,StockCode,Quantity,CustomerID,CustomerID \n1,A,1,5,6\n2,B,1,7,8\n"}, ONE,
         checks={"SELECT group_concat(customer_id) FROM (SELECT customer_id FROM customers ORDER BY 1)": "5,7"}),
    Case("only blank headers", {"o.csv": b" , ,\t\n1,2,3\n4,5,6\n"}, ONE, ("o.csv", "no column with product ids")),
    Case("a blank header between named ones", {"o.csv": b"StockCode,,Quantity,CustomerID\nA,x,2,5\nB,y,1,7\n"}, ONE,
         checks={"SELECT sum(quantity) FROM interactions": 3.0}),
    Case("the same header twice", {"o.csv": b"StockCode,StockCode,CustomerID\nA,Z,5\nB,Z,7\n"}, ONE,
         checks={"SELECT group_concat(item_id) FROM (SELECT item_id FROM items ORDER BY 1)": "A,B"}),
    # item 5 and hostile workbooks
    Case("Excel with a stale dimension A1:G3 over 100 rows", {"o.xlsx": stale_dimension("A1:G3")},
         ["--interactions", "o.xlsx"], checks={"SELECT count(*) FROM interactions": 100}),
    Case("Excel with a stale dimension narrower than the table", {"o.xlsx": stale_dimension("A1:C3")},
         ["--interactions", "o.xlsx"],
         checks={"SELECT count(*) FROM interactions": 100, "SELECT count(*) FROM customers": 7}),
    Case("text named .xlsx", {"o.xlsx": orders(*GOOD)}, ["--interactions", "o.xlsx"],
         ("o.xlsx", "not an Excel workbook")),
    Case("password-protected .xlsx", {"o.xlsx": compound_file("EncryptionInfo", "EncryptedPackage")},
         ["--interactions", "o.xlsx"], ("o.xlsx", "password-protected", "without a password")),
    Case("old .xls named .xls", {"o.xls": compound_file("Workbook")}, ["--interactions", "o.xls"],
         ("o.xls", "old Excel (.xls)")),
    Case("workbook with broken XML", {"o.xlsx": broken_xml()}, ["--interactions", "o.xlsx"], ("o.xlsx", "damaged")),
    Case("workbook without its workbook part", {"o.xlsx": no_workbook_part()}, ["--interactions", "o.xlsx"],
         ("o.xlsx", "damaged")),
    Case("zip bomb in miniature", {"o.xlsx": bomb()}, ["--interactions", "o.xlsx"], ("o.xlsx", "would unpack to"),
         seconds=5),
    Case("workbook with a header and no rows", {"o.xlsx": workbook([H.strip().split(",")])},
         ["--interactions", "o.xlsx"], ("o.xlsx", "no data rows")),
    # item 2: ratings outside the scale are skipped rows, and do not move "liked"
    Case("one rating of 99 among stars", {"r.csv": ratings(*STARS, ("9001", "1", "99", "964982703"))},
         ["--interactions", "r.csv"],
         checks={RATED: 60, "SELECT reason FROM import_problems": "rating '99' is outside the scale the ratings "
                                                                    "use (0.5-5)"}),
    Case("a single rating of 6 among stars", {"r.csv": ratings(*STARS, ("9001", "1", "6", "964982703"))},
         ["--interactions", "r.csv"], checks={RATED: 60, "SELECT max(rating) FROM interactions": 5.0}),
    Case("a negative rating", {"r.csv": ratings(*STARS, ("9001", "1", "-1", "964982703"))},
         ["--interactions", "r.csv"], checks={RATED: 60, "SELECT row FROM import_problems": 62}),
    Case("a NaN rating", {"r.csv": ratings(*STARS, ("9001", "1", "nan", "964982703"))}, ["--interactions", "r.csv"],
         checks={RATED: 60, "SELECT reason FROM import_problems": "rating 'nan' is not a number"}),
    Case("a file of one rating of 99 into a shop of stars", {"s.csv": ratings(*STARS),
                                                               "r.csv": ratings(("9001", "1", "99", "964982703"))},
         ["--interactions", "r.csv"], ("r.csv", "row 2", "column 'rating'", "outside the scale", "0.5-5"),
         before=[["--interactions", "s.csv"]]),
    Case("ratings on a ten-point scale", {"r.csv": ratings(*[(u, m, str(1 + (int(u) + int(m)) % 10), t)
                                                            for u, m, _r, t in STARS])},
         ["--interactions", "r.csv"], checks={RATED: 60, "SELECT max(rating) FROM interactions": 10.0}),
    # item 11: seconds or milliseconds decided per value, a value that fits no unit skipped with a reason
    Case("one huge value in a file of seconds",
         {"o.csv": orders(*[(s, t, str(T0 + n), c) for n, (s, t, _d, c) in enumerate(GOOD)],
                          ("X1", "ODD", "99999999999999999", "1"))}, ONE,
         checks={"SELECT min(ts) FROM interactions": T0, "SELECT count(*) FROM interactions": 3,
                 "SELECT reason LIKE 'time ''99999999999999999'' is not a plausible Unix time%' "
                 "FROM import_problems": 1}),
    Case("one millisecond value in a file of seconds",
         {"o.csv": orders(*[(s, t, str(T0 + n), c) for n, (s, t, _d, c) in enumerate(GOOD)],
                          ("X1", "MS", str(T0 * 1000 + 5000), "1"))}, ONE,
         checks={"SELECT ts FROM interactions WHERE item_id = 'X1'": T0 + 5,
                 "SELECT max(ts) FROM interactions": T0 + 5}),
    Case("one second value in a file of milliseconds",
         {"o.csv": orders(*[(s, t, str((T0 + n) * 1000), c) for n, (s, t, _d, c) in enumerate(GOOD)],
                          ("X1", "S", str(T0 + 9), "1"))}, ONE,
         checks={"SELECT ts FROM interactions WHERE item_id = 'X1'": T0 + 9, "SELECT min(ts) FROM interactions": T0}),
    Case("a time of 42 in a file of seconds",
         {"o.csv": orders(*[(s, t, str(T0 + n), c) for n, (s, t, _d, c) in enumerate(GOOD)],
                          ("X1", "ODD", "42", "1"))}, ONE,
         checks={"SELECT count(*) FROM interactions": 3, "SELECT column_name FROM import_problems": "InvoiceDate"}),
    Case("a blank date in a dated file", {"o.csv": orders(*GOOD, ("X1", "UNDATED", "", "1"))}, ONE,
         checks={"SELECT count(*) FROM interactions": 3, "SELECT reason FROM import_problems": "no date",
                 "SELECT row FROM import_problems": 5}),
    Case("a date column blank throughout", {"o.csv": orders(*[(s, t, "", c) for s, t, _d, c in GOOD])}, ONE,
         checks={"SELECT count(*) FROM interactions WHERE ts IS NULL": 3}),
    # item 6: one file as products and as sales
    Case("a catalog imported later as sales", {"o.csv": orders(*GOOD)}, ONE,
         checks={"SELECT count(*) FROM interactions": 3, "SELECT count(*) FROM imports": 2},
         before=[["--items", "o.csv"]]),
    Case("the same file as --items and --interactions", {"o.csv": orders(*GOOD)},
         ["--items", "o.csv", "--interactions", "o.csv"],
         checks={"SELECT count(*) FROM interactions": 3,
                 "SELECT group_concat(kind) FROM imports": "items,interactions"}),
    # item 13: one column for two fields
    Case("one column mapped to two fields", {"o.csv": orders(*GOOD)},
         [*ONE, "--map", "item_id=StockCode", "--map", "customer_id=StockCode"],
         ("column 'StockCode' is mapped to both item_id and customer_id",), untouched=True),
    Case("one column mapped twice in other spellings", {"o.csv": orders(*GOOD)},
         [*ONE, "--map", "item_id=StockCode", "--map", "customer_id=stock code"],
         ("o.csv", "column 'StockCode' is mapped to both item_id and customer_id")),
    Case("one field mapped to two columns", {"o.csv": orders(*GOOD)},
         [*ONE, "--map", "item_id=StockCode", "--map", "item_id=InvoiceNo"], ("--map gives item_id twice",),
         untouched=True),
]


def _write(case: Case, folder: Path) -> None:
    for name, content in case.files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            content(folder / name)


def _args(args: list[str], folder: Path, files: dict[str, Content]) -> list[str]:
    return [str(folder / a) if a in files else a for a in args]


def _run(shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["--quiet", "import", "--db", str(shop), *args])
    captured = capsys.readouterr()
    return code, [line for line in captured.err.splitlines() if line.strip()], captured.out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_probe_import(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(case, tmp_path)
    shop = tmp_path / "shop.lrec"
    before = case.before or ([["--interactions", str(FIXTURES / "uci_orders.csv")]] if case.refused else [])
    for args in before:
        code, err, _ = _run(shop, _args(args, tmp_path, case.files), capsys)
        assert code == 0, err
    if case.refused:
        digest, mtime = content_hash(shop), os.stat(shop).st_mtime_ns
        started = time.monotonic()
        code, err, _ = _run(shop, _args(case.args, tmp_path, case.files), capsys)
        took = time.monotonic() - started
        assert code == 2, err
        assert len(err) == 1 and err[0].startswith("lrec-desktop: ") and "Traceback" not in err[0], err
        for fragment in case.refused:
            assert fragment in err[0], err[0]
        assert content_hash(shop) == digest
        if case.untouched:
            assert os.stat(shop).st_mtime_ns == mtime
        if case.seconds is not None:
            assert took < case.seconds, f"refused after {took:.1f} s"
        return
    code, err, out = _run(shop, _args(case.args, tmp_path, case.files), capsys)
    assert code == 0, err
    assert "imported" in out
    db = store.connect(shop)
    try:
        for sql, value in case.checks.items():
            assert db.execute(sql).fetchone()[0] == value, sql
    finally:
        db.close()


# ---- item 2 beyond the matrix: the liked rule on real data, and on a shop that stored an outlier before ------

def _products_with_sales(shop: Path) -> tuple[int, float | None, set[tuple[str, str]]]:
    db = store.connect(shop)
    try:
        purchases = load_purchases(db)
        rows, cols = purchases.X.nonzero()
        pairs = {(purchases.customers.ids[r], purchases.items.ids[c]) for r, c in zip(rows, cols, strict=True)}
        return int((purchases.popularity > 0).sum()), positive_rating_threshold(db), pairs
    finally:
        db.close()


def test_ml_latest_small_keeps_its_liked_set_with_and_without_a_bad_line(
        movielens_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    movies, rated = movielens_dir / "movies.csv", movielens_dir / "ratings.csv"
    clean = tmp_path / "clean.lrec"
    assert _run(clean, ["--items", str(movies), "--interactions", str(rated)], capsys)[0] == 0
    products, threshold, liked = _products_with_sales(clean)
    assert (products, threshold) == (7363, 3.5)
    db = store.connect(clean)
    try:  # the rule before issue 16 (0.7 x the highest rating) gives the same pairs on the clean file
        old = {tuple(r) for r in db.execute(
            "SELECT DISTINCT customer_id, item_id FROM interactions WHERE event = 'rating' "
            "AND rating >= 0.7 * (SELECT max(rating) FROM interactions)")}
    finally:
        db.close()
    assert liked == old and len(liked) == 61716
    # One bad line in the file: skipped with its reason, nothing else changes.
    plus = tmp_path / "ratings_plus.csv"
    plus.write_bytes(rated.read_bytes() + b"9001,1,99,964982703\n")
    dirty = tmp_path / "dirty.lrec"
    code, _, out = _run(dirty, ["--items", str(movies), "--interactions", str(plus)], capsys)
    assert code == 0 and "100,836 ratings imported" in out and "1 skipped" in out
    assert _products_with_sales(dirty) == (7363, 3.5, liked)
    # The same line as a file of its own, into the clean shop: refused, the shop unchanged.
    one = tmp_path / "one.csv"
    one.write_bytes(ratings(("9001", "1", "99", "964982703")))
    digest = content_hash(clean)
    code, err, _ = _run(clean, ["--interactions", str(one)], capsys)
    assert code == 2 and "outside the scale the ratings use (0.5-5)" in err[0]
    assert content_hash(clean) == digest


def test_an_outlier_stored_before_does_not_move_liked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = tmp_path / "shop.lrec"
    stars = tmp_path / "s.csv"
    stars.write_bytes(ratings(*STARS))
    assert _run(shop, ["--interactions", str(stars)], capsys)[0] == 0
    products, threshold, _ = _products_with_sales(shop)
    db = store.connect(shop)
    try:  # as a version before issue 16 would have stored it
        db.execute("INSERT INTO interactions (customer_id, item_id, ts, quantity, event, rating, import_id, line_key) "
                   "VALUES ('9001', '1', 964982703, 1, 'rating', 99, 1, 'old-outlier')")
    finally:
        db.close()
    assert threshold == 3.5
    assert _products_with_sales(shop)[:2] == (products, 3.5)


@pytest.mark.parametrize("scale", [5, 10, 100])
def test_no_single_rating_moves_the_scale_or_liked(scale: int) -> None:
    rng = np.random.default_rng(scale)
    bulk = np.round(rng.uniform(0.5, scale, 2000) * 2) / 2
    bulk[:50] = scale  # some give the top mark
    base = rating_scale(bulk)
    assert base is not None and (base.high, base.top) == (scale, scale)
    for odd in (-1.0, 0.0, scale + 0.5, scale * 1.5, 99.0, 1e9, float("nan"), float("inf")):
        moved = rating_scale(np.append(bulk, odd))
        assert moved is not None and (moved.high, moved.top, moved.liked_from) == (base.high, base.top, base.liked_from)
    small = rating_scale(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 99.0]))
    assert small is not None and small.high == 5 and small.liked_from == 3.5
