"""Text encodings of CSV files as shops actually save them (Excel on Windows, Chinese locales, UTF-16).

Order of evidence: a byte-order mark; then whether the whole file is valid UTF-8 (checked in full, since a
Latin-1 "é" may first appear a million lines in); then charset-normalizer on the lines that hold non-ASCII
bytes. Every candidate is confirmed by decoding the whole file before it is used.
"""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

import charset_normalizer

log = logging.getLogger(__name__)

_BLOCK = 1 << 20
_SAMPLE = 1 << 17
# GB2312 and GBK are subsets of GB18030, which also decodes characters the narrower ones lack.
_CHINESE = frozenset({"gb2312", "gbk", "gb18030", "hz", "euc_cn", "cp936"})
_WESTERN = frozenset({"latin_1", "iso8859_1", "cp1252", "windows_1252", "iso8859_15", "cp1250", "mac_roman"})
# Other East Asian multi-byte encodings the detector proposes for short Chinese samples (four characters of
# GB18030 read as Big5 or Shift-JIS come out as wrong characters); Chinese shops are the ones we serve, so
# GB18030 is tried first whenever one of these is proposed.
_OTHER_CJK = frozenset({"big5", "big5hkscs", "cp950", "cp949", "euc_kr", "johab", "shift_jis", "cp932", "euc_jp",
                        "iso2022_jp", "iso2022_kr"})


def decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes strictly with ``encoding`` (read in blocks, memory bounded)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                decoder.decode(block, final=False)
        decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _non_ascii_sample(path: Path) -> bytes:
    """Lines holding non-ASCII bytes: the only ones that tell encodings apart."""
    kept: list[bytes] = []
    size = 0
    with path.open("rb") as handle:
        for line in handle:
            if any(b >= 0x80 for b in line):
                kept.append(line)
                size += len(line)
                if size >= _SAMPLE:
                    break
    return b"".join(kept)


def _normalise(name: str) -> str:
    return codecs.lookup(name).name.replace("-", "_")


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.count(b"\x00") > len(head) // 4:
        # UTF-16 saved without a mark: ASCII letters leave a zero byte beside each of them.
        odd_zeros = head[1::2].count(b"\x00") > head[0::2].count(b"\x00")
        encoding = "utf-16-le" if odd_zeros else "utf-16-be"
        if decodes(path, encoding):
            return encoding
    if decodes(path, "utf-8"):
        return "utf-8"
    candidates: list[str] = []
    for match in charset_normalizer.from_bytes(_non_ascii_sample(path)):
        name = _normalise(match.encoding)
        if name in _CHINESE or "Chinese" in match.languages:
            candidates.append("gb18030")
        elif name in _OTHER_CJK:
            candidates += ["gb18030", name]
        elif name in _WESTERN:
            candidates.append("cp1252")
        else:
            candidates.append(name)
    for encoding in [*dict.fromkeys(candidates), "cp1252"]:
        if decodes(path, encoding):
            log.debug("%s: encoding %s", path.name, encoding)
            return encoding
    return "latin-1"  # decodes any bytes; a wrong guess shows as odd letters, never as a refused file
