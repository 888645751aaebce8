"""What the window remembers between launches: its size and place, the splitters' positions and the shops
opened lately (the first is the one opened last). All in one QSettings file in the user's config folder
(``LREC_DATA_DIR``, for tests and portable use, keeps it in that folder instead)."""

from __future__ import annotations

import json
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
    move_legacy_state()


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


def move_legacy_state() -> None:
    """Earlier versions kept the last shop in ``state.json`` in the data folder: put it at the head of the recent
    shops once, then remove the file, so app settings live in one place."""
    old = paths.legacy_state_file()
    if not old.is_file():
        return
    try:
        last = json.loads(old.read_text(encoding="utf-8")).get("last_shop")
    except (OSError, ValueError, AttributeError):
        last = None
    if isinstance(last, str) and last and Path(last).is_file() and not recent_shops():
        remember_recent(Path(last))
    old.unlink(missing_ok=True)


def last_shop() -> Path | None:
    """The shop opened last, if it is still there."""
    shops = recent_shops()
    return shops[0] if shops else None


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
