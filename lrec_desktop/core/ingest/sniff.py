"""Is this file a table at all? Decided from its first 64 KB, before anything reads the whole file.

Why: a binary file without line breaks is one huge "header line" to a CSV parser (a 20 MB one took over five
minutes of fuzzy header matching, a 300 MB one 3 GB of memory), and a 1 GB file of zero bytes took 4.2 GB
before it was refused. Each check here answers in milliseconds with one sentence the owner can act on.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from lrec_desktop.core.errors import InputError

SAMPLE = 1 << 16
# No shop export has a header line anywhere near this long, or this many columns (Shopify's widest has ~50).
MAX_HEADER_CHARS = SAMPLE
MAX_COLUMNS = 1000
# Share of control characters (NUL and the other C0 codes but tab and line breaks) above which the bytes are
# not text: random or compressed data has ~11%, a CSV with a stray NUL in a cell far below 1%.
MAX_CONTROL_SHARE = 0.05

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WHITESPACE = frozenset("\t\n\r\f\v")


def _sample_encoding(head: bytes) -> str:
    """An encoding good enough to count characters in the sample: a byte-order mark, UTF-16 without one
    (ASCII letters leave a zero byte beside each, always on the same side), else UTF-8."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    even, odd = head[0::2], head[1::2]
    if even and odd:
        even_zeros, odd_zeros = even.count(0) / len(even), odd.count(0) / len(odd)
        if odd_zeros > 0.3 and even_zeros < 0.05:
            return "utf-16-le"
        if even_zeros > 0.3 and odd_zeros < 0.05:
            return "utf-16-be"
    return "utf-8"


def refuse_non_text(head: bytes, size: int, name: str) -> None:
    """Raise InputError when the sample is binary data or has no line break where a header should end."""
    text = codecs.getincrementaldecoder(_sample_encoding(head))(errors="replace").decode(head, final=False)
    if not text:
        return
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _WHITESPACE) + text.count("\x7f")
    if controls / len(text) > MAX_CONTROL_SHARE:
        zeros = text.count("\x00") / len(text)
        what = "zero bytes" if zeros > 0.9 else "binary data"
        raise InputError(f"the file holds {what}, not text; export the table as CSV or Excel (.xlsx) and import "
                         "that.", file=name)
    if size > len(head) and "\n" not in text and "\r" not in text:
        raise InputError(f"the first line is longer than {MAX_HEADER_CHARS // 1024} KB, so it cannot be a header "
                         "row; export the table as CSV or Excel (.xlsx) with one row per line.", file=name)


def check_width(columns: int, name: str) -> None:
    if columns > MAX_COLUMNS:
        raise InputError(f"the header row has {columns:,} columns, more than the {MAX_COLUMNS:,} a shop's table "
                         "could have; is this the right file, and is its first line the header?", file=name)


def refuse_ole(path: Path, head: bytes) -> None:
    """An OLE compound file is an old .xls, or a password-protected .xlsx (Office wraps the encrypted
    workbook in one): both refused with what to do, instead of "File is not a zip file"."""
    if _encrypted(path, head):
        raise InputError("the workbook is password-protected: save it without a password (in Excel: File > Info > "
                         "Protect Workbook > Encrypt with Password, then clear it) and import it again.",
                         file=path.name)
    raise InputError("this is an old Excel (.xls) file; save it as .xlsx or CSV and import that.", file=path.name)


def _encrypted(path: Path, head: bytes) -> bool:
    """True when the compound file holds an "EncryptedPackage" stream. Its name sits in the directory, whose
    first sector the header gives (offset 0x30, sector size 2^(value at 0x1E)); the sample is searched too."""
    if _ENCRYPTED in head:
        return True
    if len(head) < 0x34:
        return False
    shift = int.from_bytes(head[0x1E:0x20], "little")
    first = int.from_bytes(head[0x30:0x34], "little")
    if not 7 <= shift <= 16 or first >= 0xFFFFFFFA:
        return False
    sector = 1 << shift
    try:
        with path.open("rb") as handle:
            handle.seek((first + 1) * sector)
            directory = handle.read(sector * 4)
    except OSError:
        return False
    return _ENCRYPTED in directory
