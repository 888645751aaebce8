"""What the window remembers between launches: its size and place, the splitters' positions and the shops
opened lately. All in one QSettings file in the user's config folder (``LREC_DATA_DIR``, for tests and
portable use, keeps it in that folder instead)."""

from __future__ import annotations

import shutil
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from lrec_desktop.core import paths

RECENT_KEY = "recent/shops"
RECENT_MAX = 8
DEFAULT_SIZE = (1280, 800)


def config_dir() -> Path:
    return paths.user_folder(platformdirs.user_config_dir, paths.data_dir)


def configure_settings() -> None:
    """Point QSettings at the config folder. The file used to live in the data folder: moved over once, so
    column widths chosen before are kept."""
    folder = config_dir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    name = Path(paths.APP_NAME) / f"{paths.APP_NAME}.ini"
    old, new = paths.data_dir() / name, folder / name
    if old != new and old.is_file() and not new.exists():
        new.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(old, new)


def restore_window(window: QMainWindow) -> None:
    """The size, place and splitters saved at the last close; the default size the first time."""
    settings = QSettings()
    geometry = settings.value("window/geometry")
    if not (isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)):
        window.resize(*DEFAULT_SIZE)
    for splitter in window.findChildren(QSplitter):
        state = settings.value(f"splitters/{splitter.objectName()}") if splitter.objectName() else None
        if isinstance(state, QByteArray):
            splitter.restoreState(state)


def save_window(window: QMainWindow) -> None:
    settings = QSettings()
    settings.setValue("window/geometry", window.saveGeometry())
    for splitter in window.findChildren(QSplitter):
        if splitter.objectName():
            settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
    settings.sync()


def recent_shops() -> list[Path]:
    """Shops opened lately, newest first, those still there."""
    value = QSettings().value(RECENT_KEY) or []
    names = [value] if isinstance(value, str) else list(value)
    return [Path(n) for n in names if n and Path(n).is_file()]


def remember_recent(path: Path) -> None:
    resolved = Path(path).resolve()
    shops = [resolved] + [p for p in recent_shops() if p.resolve() != resolved]
    QSettings().setValue(RECENT_KEY, [str(p) for p in shops[:RECENT_MAX]])


def forget_recent() -> None:
    QSettings().remove(RECENT_KEY)
