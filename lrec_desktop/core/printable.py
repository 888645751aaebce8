"""Text that stays on one line when shown: file names and cell values can hold newlines and control characters.

A file called ``a\\nb.csv`` would otherwise split the CLI's one-line message in two, and a right-to-left
override inside a name would reorder the rest of the sentence on screen.
"""

from __future__ import annotations

import os
import unicodedata

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def one_line(text: str) -> str:
    """``text`` with control, format (zero-width, bidi) and line/paragraph separator characters escaped."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " or unicodedata.category(char) == "Zs" else _escaped(char)
                   for char in text)


def show_path(path: os.PathLike[str] | str) -> str:
    """A path for a message: one line, whatever its name holds (undecodable bytes stay as Python escapes)."""
    return one_line(os.fspath(path))
