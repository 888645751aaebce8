"""Learned versions of the text model as the version registry (the shop's settings) keeps them: each with the
model it learned from, and which one is in use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from lrec_desktop.core.app.connection import opened


@dataclass(frozen=True)
class LearnedVersion:
    """One learned version, as the registry keeps it."""

    name: str
    dir: str
    fingerprint: str
    active: bool
    base_fingerprint: str | None  # the model it learned from
    created: int | None = None  # when it was learned (Unix time)
    training: dict[str, Any] = field(default_factory=dict)  # pairs, steps, seconds, device, stopped_early
    before: dict[str, float] = field(default_factory=dict)  # the figures with the model it learned from
    after: dict[str, float] = field(default_factory=dict)  # and with this version

    @classmethod
    def from_entry(cls, entry: dict[str, Any], active_fingerprint: str | None) -> LearnedVersion:
        return cls(
            name=str(entry["name"]),
            dir=str(entry["dir"]),
            fingerprint=str(entry["fingerprint"]),
            active=bool(active_fingerprint) and entry.get("fingerprint") == active_fingerprint,
            base_fingerprint=entry.get("base_fingerprint"),
            created=entry.get("created"),
            training=dict(entry.get("training") or {}),
            before=dict(entry.get("before") or {}),
            after=dict(entry.get("after") or {}),
        )


def versions_of(db: sqlite_utils.Database) -> list[LearnedVersion]:
    """Every learned version of an open shop, oldest first; the one in use has ``active``."""
    from lrec_desktop.core.store.settings import TEXT_MODEL, TEXT_VERSIONS

    active = TEXT_MODEL.read(db).get("fingerprint")
    return [LearnedVersion.from_entry(e, active) for e in TEXT_VERSIONS.read(db) if "name" in e and "dir" in e]


def learned_versions(db_path: Path) -> list[LearnedVersion]:
    """Every learned version, oldest first (quick: the shop's settings only)."""
    with opened(db_path, readonly=True) as db:
        return versions_of(db)


def learned_version_in_use(db: sqlite_utils.Database) -> LearnedVersion | None:
    """The learned version that is the shop's text model now, or None when the text model is not one."""
    return next((v for v in versions_of(db) if v.active), None)
