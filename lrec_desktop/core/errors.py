"""Errors a shop owner can act on. Their text is shown as is, so it is written for people."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a state the user can fix; the CLI exits with 2, the GUI shows it inline."""


class InputError(UserError):
    """A problem in an input file, located by file, row and column where they are known."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = message
        where = []
        if file:
            where.append(file)
        if row is not None:
            where.append(f"row {row:,}")
        if column:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
