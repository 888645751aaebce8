"""The one registry of a shop's settings: each key with its default, its type and how a stored value is
clamped, so the window, the command line and the core read the same value the same way.

A setting is stored as JSON in the ``settings`` table (``store.db.get_setting`` / ``set_setting``). Reading
through the registry never fails on a damaged or out-of-range value: it is clamped or the default is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlite_utils

from lrec_desktop.core.store.db import get_setting, set_setting

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One shop setting. ``clamp`` turns any stored value into a valid one (raising TypeError/ValueError
    when it can't, and then the default is read)."""

    key: str
    default: T
    clamp: Callable[[Any], T]
    doc: str = ""

    def read(self, db: sqlite_utils.Database) -> T:
        value = get_setting(db, self.key, None)
        if value is None:
            return self.default
        try:
            return self.clamp(value)
        except (TypeError, ValueError, AttributeError):
            return self.default

    def write(self, db: sqlite_utils.Database, value: T) -> T:
        """Store ``value`` clamped (None removes the choice: the default is read again); returns what was stored."""
        stored = None if value is None else self.clamp(value)
        set_setting(db, self.key, stored)
        return stored if stored is not None else self.default


def _fraction(value: Any) -> float:
    return round(min(max(float(value), 0.0), 1.0), 2)


def _positive(value: Any) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError(f"{number} is not positive")
    return number


def _choice(*allowed: str) -> Callable[[Any], str]:
    def clamp(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {allowed}")
        return str(value)

    return clamp


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not a mapping")
    return dict(value)


def _entries(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return [dict(v) for v in value if isinstance(v, dict)]


def _optional_text(value: Any) -> str | None:
    return str(value) if value else None


DEVICES = ("auto", "cpu", "cuda", "mps")

# A little discovery by default: 1 hidden gem in 10 (measured in core/recommend/discovery.py).
DISCOVERY: Setting[float] = Setting("discovery", 0.2, _fraction, "bestsellers only (0) … most hidden gems (1)")
EASE_LAMBDA: Setting[float] = Setting("ease_lambda", 200.0, _positive, "the sales model's regularisation")
RULES: Setting[dict[str, Any]] = Setting("rules", {}, _mapping, "the owner's recommendation rules")
CURRENCY: Setting[dict[str, Any]] = Setting("currency", {}, _mapping, '{"code": "EUR", "from": file or "owner"}')
IS_DEMO: Setting[bool] = Setting("is_demo", False, bool, "the bundled demo shop")
SHOP_NAME: Setting[str] = Setting("shop_name", "", str, "the shop's name")
DATA_VERSION: Setting[int] = Setting("data_version", 0, int, "bumped by every change of sales or catalog")
TEXT_MODEL: Setting[dict[str, Any]] = Setting(
    "text_model", {}, _mapping, 'the text model in use: {"dir", "fingerprint", "dim", "name"[, gem weight]}')
TEXT_VERSIONS: Setting[list[dict[str, Any]]] = Setting(
    "text_model_versions", [], _entries, "the registry of learned versions (core/text/versions.py)")
TEXT_MODEL_DIR: Setting[str | None] = Setting(
    "text_model_dir", None, _optional_text, "the model folder chosen in Settings; None: the bundled model")
TEXT_DEVICE: Setting[str] = Setting("text_device", "auto", _choice(*DEVICES), "where the text model runs")
BUY_AGAIN: Setting[str] = Setting("buy_again", "auto", _choice("auto", "on", "off"),
                                  "due reorders first: on, off, or auto (on where steady reorders are common)")
BUY_AGAIN_HABIT: Setting[dict[str, Any]] = Setting("buy_again_habit", {}, _mapping,
                                                   "the reorder habit the import counted, for one data version")
WATCHED_FOLDER: Setting[str | None] = Setting("watched_folder", None, _optional_text,
                                              "the folder the window watches for export files; None: off")
MAPPING_PREFIX = "mapping:"  # one key per file layout: the columns the owner chose for it (ingest/mapping.py)

REGISTRY: tuple[Setting[Any], ...] = (
    DISCOVERY, EASE_LAMBDA, RULES, CURRENCY, IS_DEMO, SHOP_NAME, DATA_VERSION, TEXT_MODEL, TEXT_VERSIONS,
    TEXT_MODEL_DIR, TEXT_DEVICE, BUY_AGAIN, BUY_AGAIN_HABIT, WATCHED_FOLDER,
)
