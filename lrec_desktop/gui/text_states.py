"""The states the window shows for the open shop's recommendations and product descriptions (shared by the
session and the sentences about them, so neither imports the other)."""

from __future__ import annotations

NOT_PREPARED, PREPARING, READY, FAILED = "not prepared", "preparing", "ready", "failed"
# Product descriptions and the text model: unknown until checked, then one of the others.
TEXT_CHECKING, TEXT_CURRENT, TEXT_TO_READ, TEXT_READING, TEXT_FAILED = (
    "checking",
    "current",
    "to read",
    "reading",
    "failed",
)
