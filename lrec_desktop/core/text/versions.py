"""Text model versions: each "Learn from my sales" run writes a folder beside the shop; one is active.

The registry lives in the settings table ("text_model_versions"); folders are models_dir/text-models/vNNNN
with safetensors weights, config, training summary and evaluation. Switching versions re-uses each
version's cached vectors and index, so a rollback is instant unless the catalog changed since.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import TEXT_MODEL, TEXT_VERSIONS
from lrec_desktop.core.text.embed_job import activate_text_model, index_is_current
from lrec_desktop.core.text.model_folder import inspect_model_folder

VERSIONS_FOLDER = "text-models"


def versions_dir(db_path: Path) -> Path:
    return models_dir(db_path) / VERSIONS_FOLDER


def next_version_name(db_path: Path) -> str:
    existing = [int(p.name[1:]) for p in versions_dir(db_path).glob("v[0-9]*") if p.name[1:].isdigit()]
    return f"v{max(existing, default=0) + 1:04d}"


def list_versions(db_path: Path) -> list[dict[str, Any]]:
    """Every learned version, oldest first, each marked active or not; the base model is not listed."""
    db = store.connect(db_path)
    try:
        versions = TEXT_VERSIONS.read(db)
        active = TEXT_MODEL.read(db).get("fingerprint")
    finally:
        db.close()
    return [{**v, "active": v["fingerprint"] == active} for v in versions]


def register_version(db_path: Path, entry: dict[str, Any]) -> None:
    db = store.connect(db_path)
    try:
        TEXT_VERSIONS.write(db, [*TEXT_VERSIONS.read(db), entry])
    finally:
        db.close()


def activate(db_path: Path, model_dir: str | None) -> dict[str, Any]:
    """Make a model folder (a version's, or None for the bundled base model) the shop's text model.

    Its index must be current (the catalog read by it); otherwise a UserError says to read the
    descriptions with it first.
    """
    folder = inspect_model_folder(model_dir)
    if not index_is_current(db_path, folder.fingerprint):
        raise UserError(f"The product descriptions have not been read with {folder.name} since the catalog last "
                        "changed; read them with it first (this keeps the current model meanwhile).")
    db = store.connect(db_path)
    try:
        previous = TEXT_MODEL.read(db)
        entry = {"dir": model_dir, "fingerprint": folder.fingerprint, "dim": previous.get("dim", 384),
                 "name": folder.name}
        activate_text_model(db, entry)
    finally:
        db.close()
    return entry


def delete_version(db_path: Path, name: str) -> None:
    """Remove a version that is not active: its folder and its registry entry (cached vectors stay)."""
    versions = list_versions(db_path)
    match = [v for v in versions if v["name"] == name]
    if not match:
        raise UserError(f"No learned version {name} in this shop.")
    if match[0]["active"]:
        raise UserError(f"{name} is in use; switch to another version before deleting it.")
    shutil.rmtree(versions_dir(db_path) / name, ignore_errors=True)
    db = store.connect(db_path)
    try:
        TEXT_VERSIONS.write(db, [{k: v for k, v in e.items() if k != "active"} for e in versions if e["name"] != name])
    finally:
        db.close()


def remove_orphans(db_path: Path) -> list[str]:
    """Folders of runs that crashed or were cancelled after saving but before registering; returns their names."""
    known = {v["name"] for v in list_versions(db_path)}
    removed = []
    for folder in versions_dir(db_path).glob("v[0-9]*"):
        if folder.name not in known:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed
