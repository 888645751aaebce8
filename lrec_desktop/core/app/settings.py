"""The shop's settings as the window and the command line read and save them (through the one registry in
``core/store/settings.py``: key, default, type and clamping). Saving opens its own connection, so the window
runs it on a worker thread: an import holding the shop's write lock never freezes the window."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.store import settings as registry

if TYPE_CHECKING:
    from lrec_desktop.core.recommend.rules import Rules

DEVICES = registry.DEVICES
DISCOVERY_DEFAULT = registry.DISCOVERY.default


@dataclass(frozen=True)
class ShopSettings:
    """What the owner chose for this shop."""

    discovery: float  # 0 = bestsellers only … 1 = most hidden gems
    text_model_dir: str | None  # the text model folder chosen in Settings; None: the bundled model
    text_device: str  # "auto" | "cpu" | "cuda" | "mps"
    currency: str  # the currency code ('' when unknown)
    currency_from: str = ""  # where it came from: a file's name, OWNER when the owner chose it, '' when unknown
    watched_folder: str | None = None  # the folder the window imports new export files from; None: off


def with_discovery(settings: ShopSettings, level: float) -> ShopSettings:
    return replace(settings, discovery=clamp_discovery(level))


def with_text_choice(settings: ShopSettings, model_dir: str | None, device: str) -> ShopSettings:
    return replace(settings, text_model_dir=model_dir or None, text_device=registry.TEXT_DEVICE.clamp(device))


def with_watched_folder(settings: ShopSettings, folder: str | None) -> ShopSettings:
    return replace(settings, watched_folder=folder or None)


def read_settings(db: sqlite_utils.Database) -> ShopSettings:
    """The settings of an open shop (a few indexed reads: fine on any thread)."""
    from lrec_desktop.core.money import currency_source, shop_currency

    return ShopSettings(
        discovery=registry.DISCOVERY.read(db),
        text_model_dir=registry.TEXT_MODEL_DIR.read(db),
        text_device=registry.TEXT_DEVICE.read(db),
        currency=shop_currency(db),
        currency_from=currency_source(db),
        watched_folder=registry.WATCHED_FOLDER.read(db),
    )


def shop_settings(db_path: Path, *, progress: ProgressFn = no_progress,
                  cancel: CancelToken | None = None) -> ShopSettings:
    with opened(db_path, readonly=True) as db:
        return read_settings(db)


def clamp_discovery(level: float) -> float:
    return registry.DISCOVERY.clamp(level)


def save_discovery(db_path: Path, level: float, *, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> float:
    """Save the discovery level (clamped to 0..1, two decimals); returns the level saved."""
    with opened(db_path) as db:
        return registry.DISCOVERY.write(db, level)


def save_text_choice(db_path: Path, model_dir: str | None, device: str, *, progress: ProgressFn = no_progress,
                     cancel: CancelToken | None = None) -> ShopSettings:
    """Save the text model folder (None: the bundled model) and the device chosen in Settings."""
    with opened(db_path) as db:
        registry.TEXT_MODEL_DIR.write(db, model_dir)
        registry.TEXT_DEVICE.write(db, device)
        return read_settings(db)


def save_currency(db_path: Path, code: str, *, progress: ProgressFn = no_progress,
                  cancel: CancelToken | None = None) -> str:
    """The owner's currency ('' to take it from the next file again); returns the code saved."""
    from lrec_desktop.core.money import set_currency

    with opened(db_path) as db:
        return set_currency(db, code)


def currency_choices() -> tuple[str, ...]:
    """The currency codes Settings offers."""
    from lrec_desktop.core.money import CURRENCIES

    return tuple(CURRENCIES)


def chosen_by_owner() -> str:
    """``ShopSettings.currency_from`` when the owner chose the currency (not a file)."""
    from lrec_desktop.core.money import OWNER

    return str(OWNER)


def save_watched_folder(db_path: Path, folder: str | None, *, progress: ProgressFn = no_progress,
                        cancel: CancelToken | None = None) -> None:
    """The folder the window watches for export files (None: stop watching)."""
    with opened(db_path) as db:
        registry.WATCHED_FOLDER.write(db, folder or None)


def save_buy_again(db_path: Path, choice: str, *, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> None:
    """Buy again 'auto', 'on' or 'off' (UserError for anything else, nothing changed)."""
    from lrec_desktop.core.recommend.buy_again import set_choice

    with opened(db_path) as db:
        set_choice(db, choice)


def load_rules(db: sqlite_utils.Database) -> Rules:
    from lrec_desktop.core.recommend.rules import Rules

    return Rules.load(db)


def save_rules(db_path: Path, rules: Rules, *, progress: ProgressFn = no_progress,
               cancel: CancelToken | None = None) -> Rules:
    """Save the recommendation rules; returns them as read back (what the products say stays applied)."""
    from lrec_desktop.core.recommend.rules import Rules

    with opened(db_path) as db:
        rules.save(db)
        return Rules.load(db)


def make_rules(
    *,
    exclude_items: list[str],
    exclude_categories: list[str],
    pinned_items: list[str],
    boosted_items: dict[str, float],
    boosted_categories: dict[str, float],
    min_price: float | None,
    max_price: float | None,
    hide_out_of_stock: bool,
) -> Rules:
    """The owner's recommendation rules, as the Rules dialog collects them."""
    from lrec_desktop.core.recommend.rules import Rules

    return Rules(exclude_items=exclude_items, exclude_categories=exclude_categories, pinned_items=pinned_items,
                 boosted_items=boosted_items, boosted_categories=boosted_categories, min_price=min_price,
                 max_price=max_price, hide_out_of_stock=hide_out_of_stock)


def max_pinned() -> int:
    """How many products the rules may show everyone first."""
    from lrec_desktop.core.recommend.rules import MAX_PINNED

    return int(MAX_PINNED)


def stored_settings(db_path: Path) -> list[tuple[str, str]]:
    """Every stored setting as (key, JSON text), sorted by key (what ``lrec-desktop settings`` prints)."""
    with opened(db_path, readonly=True) as db:
        return [(str(k), str(v)) for k, v in db.execute("SELECT key, value FROM settings ORDER BY key")]

