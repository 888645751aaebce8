"""Argument types and checks of the command line: every bad argument is a UsageError (exit 2, one line)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from lrec_desktop.core.app.imports import check_mapping, fields
from lrec_desktop.core.app.jobs import UserError

MAP_FIELDS: tuple[str, ...] = fields()  # the names --map takes: the import's own fields (ingest.mapping.FIELDS)
DEVICES = ("auto", "cpu", "cuda", "mps")


class UsageError(UserError):
    """Wrong arguments; argparse's own errors are routed here so every bad input exits with 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def parse_map(pairs: Sequence[str]) -> dict[str, str]:
    """``--map FIELD=COLUMN`` pairs as a mapping; a contradictory one is refused before the shop is opened."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not column:
            raise UsageError(f"--map expects FIELD=COLUMN, got '{pair}'.")
        if field not in MAP_FIELDS:
            raise UsageError(f"--map: unknown field '{field}'. Fields: {', '.join(MAP_FIELDS)}.")
        if mapping.get(field, column) != column:  # a dict would keep the last silently
            raise UsageError(f"--map gives {field} twice ('{mapping[field]}' and '{column}'); give it once.")
        mapping[field] = column
    check_mapping(mapping)  # one column named for two fields: refused before the shop file is opened
    return mapping


def path(text: str) -> Path:
    """A path argument; a symbolic link loop is refused here, before any command opens it."""
    from lrec_desktop.core.output_file import real_path

    try:
        real_path(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return Path(text)


def top(text: str) -> int:
    """--top: 0 or a negative number printed nothing and exited 0, which looked like "no recommendations"."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not '{text}'")
    return value


def fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got '{text}'")
    return value


def db_arg(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--db", type=path, required=required, help="the shop file (.lrec)")


def discovery_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--discovery", type=fraction, metavar="0..1",
                   help="bestsellers (0) ↔ hidden gems (1); default: the shop's saved level")


def customer_list(text: str | None) -> list[str] | None:
    """--customers: comma-separated ids or e-mails (None: every customer); an empty list is a usage error."""
    if text is None:
        return None
    customers = text.split(",")
    if not any(c.strip() for c in customers):
        raise UsageError("--customers is empty: give customer ids or e-mails separated by commas, or leave "
                         "--customers out to export every customer.")
    return customers
