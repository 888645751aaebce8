"""Where things live: the app's data folder, the last opened shop, the bundled demo and model."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import platformdirs

APP_NAME = "lrec_desktop"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The app's own folder (shops, logs). ``LREC_DATA_DIR`` overrides it, for tests and portable use."""
    override = os.environ.get("LREC_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_folder(platform_folder: Callable[..., str], portable: Callable[[], Path]) -> Path:
    """One of the user's folders for the app by platform convention (``platformdirs.user_config_dir``,
    ``user_log_dir``, ...), made when missing; with ``LREC_DATA_DIR`` set, ``portable()`` in that folder instead."""
    if os.environ.get("LREC_DATA_DIR"):
        return portable()
    path = Path(platform_folder(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def frozen_bundle_dir() -> Path | None:
    """The folder a PyInstaller build unpacked its data files to (``sys._MEIPASS``), None when not frozen.

    Frozen builds look for their data files here first rather than relative to ``__file__``: PyInstaller only
    synthesises ``__file__`` for modules inside its archive, and a macOS .app keeps data in Contents/Resources."""
    if not getattr(sys, "frozen", False):
        return None
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(sys.executable).resolve().parent


def resources_dir() -> Path:
    """The ``resources/`` folder: in the bundle of a frozen build, else beside the package in a checkout (or
    inside it)."""
    bundle = frozen_bundle_dir()
    candidates = [bundle / "resources"] if bundle is not None else []
    candidates += [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("The resources folder of lrec_desktop is missing; please reinstall the app.")


def demo_source_dir() -> Path:
    return resources_dir() / "demo"


def demo_shop_path() -> Path:
    return data_dir() / "demo-shop.lrec"


def legacy_state_file() -> Path:
    """Where earlier versions kept the last shop opened (``{"last_shop": PATH}``); the window's settings hold it
    now (gui.habits moves it over once and removes this file)."""
    return data_dir() / "state.json"


def models_dir(db_path: Path) -> Path:
    """Model artifacts of a shop live beside its file: ``myshop.lrec`` → ``myshop.lrec-models/``."""
    return Path(db_path).with_name(Path(db_path).name + "-models")
