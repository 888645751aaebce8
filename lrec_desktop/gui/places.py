"""Folders the window suggests to the user: where exports and saved pictures go by default."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def documents_dir() -> Path:
    """The user's documents folder as the desktop names it (XDG user dirs, Windows known folders, macOS), else
    the home folder. Asked of Qt every time, so a test that points HOME elsewhere gets its own folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()
