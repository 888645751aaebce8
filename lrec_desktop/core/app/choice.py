"""Which text model reads the product descriptions, on which device, and reading them.

One decision for the window and the command line: the shop's chosen model (Settings; the bundled model
unless another folder was chosen) reads them, except that a learned version in use, learned from that
model, reads them instead. The device is the one chosen in Settings unless a caller names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.app.jobs import LogFn
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.text.embed_job import EmbedSummary
    from lrec_desktop.core.text.model_folder import ModelFolder

EMBED_BATCH_SIZE: int | None = None  # None: the encoder's default; tests make it small to cancel between batches
READ_PER_SECOND_CPU = 150  # product descriptions per second on an ordinary processor, for time estimates


@dataclass(frozen=True)
class TextChoice:
    """The text model folder (None: the bundled model) and the device chosen for this shop."""

    model_dir: str | None
    device: str


@dataclass(frozen=True)
class TextModelRef:
    """A text model as the owner knows it: a folder (None: the bundled model), or a learned version of one."""

    dir: str | None
    learned: str | None = None  # the learned version's name


@dataclass(frozen=True)
class TextStatus:
    """Whether the product descriptions are understood by the chosen text model, and what is left to read."""

    products: int
    current: bool  # every product's current text is understood by the chosen model
    understood_by: TextModelRef | None  # the model that read them last (None: never read)
    chosen: TextModelRef  # the model that reads them next
    chosen_dir: str | None  # the folder chosen in Settings (None: the bundled model)
    device: str
    model_changed: bool  # a different model was chosen since the descriptions were read
    to_read: int  # products whose current text the chosen model has not read yet
    problem: str = ""  # the chosen model folder can't be used: one sentence

    @property
    def seconds_estimate(self) -> float:
        return self.to_read / READ_PER_SECOND_CPU


def text_choice(db: sqlite_utils.Database) -> TextChoice:
    from lrec_desktop.core.store.settings import TEXT_DEVICE, TEXT_MODEL_DIR

    return TextChoice(TEXT_MODEL_DIR.read(db), TEXT_DEVICE.read(db))


def check_model_folder(path: str | Path | None) -> ModelFolder:
    """The folder's ModelFolder (None: the bundled model); UserError with a sentence when it can't be used."""
    from lrec_desktop.core.text.model_folder import inspect_model_folder

    return inspect_model_folder(path)


def is_bundled(model_dir: str | Path | None) -> bool:
    from lrec_desktop.core.text.model_folder import bundled_model_dir

    if model_dir is None:
        return True
    try:
        return Path(model_dir).resolve() == bundled_model_dir().resolve()
    except (UserError, OSError):
        return False


def _fingerprint(model_dir: str | None) -> str | None:
    try:
        return check_model_folder(model_dir).fingerprint
    except UserError:
        return None


def reading_model(db: sqlite_utils.Database) -> str | Path | None:
    """The folder that reads new and changed descriptions now: the learned version in use when it learned from
    the chosen model, else the chosen model (the bundled one by its folder, so it is not taken for the model
    that read them last)."""
    from lrec_desktop.core.app.learned import learned_version_in_use
    from lrec_desktop.core.text.model_folder import bundled_model_dir
    from lrec_desktop.core.text.vector_store import active_text_model

    chosen = text_choice(db).model_dir
    learned = learned_version_in_use(db)
    if learned is not None and learned.base_fingerprint == _fingerprint(chosen):
        return learned.dir
    if chosen is None and (active_text_model(db) or {}).get("dir") is not None:
        return bundled_model_dir()  # embed_catalog(model_dir=None) would keep the folder used last time
    return chosen


def text_status(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> TextStatus:
    """A quick job: compare the catalog's texts with what the chosen text model has read."""
    from lrec_desktop.core.app.learned import learned_version_in_use
    from lrec_desktop.core.text.embed_job import index_is_current
    from lrec_desktop.core.text.vector_store import active_text_model, cached_hashes, catalog_texts

    with opened(db_path, readonly=True) as db:
        choice = text_choice(db)
        active = active_text_model(db) or {}
        _items, _texts, hashes = catalog_texts(db)
        problem, fingerprint = "", None
        try:
            fingerprint = check_model_folder(choice.model_dir).fingerprint
        except UserError as exc:
            problem = str(exc)
        learned = learned_version_in_use(db)
        chosen = TextModelRef(choice.model_dir)
        if learned is not None and fingerprint is not None and learned.base_fingerprint == fingerprint:
            # a version learned from the chosen model's is in use: it is the one that reads the descriptions
            fingerprint, chosen = learned.fingerprint, TextModelRef(learned.dir, learned.name)
        done = cached_hashes(db, fingerprint) if fingerprint else set()
    model_changed = bool(active) and fingerprint is not None and active.get("fingerprint") != fingerprint
    current = bool(active) and not model_changed and not problem and index_is_current(Path(db_path))
    understood_by = None
    if active:
        understood_by = (TextModelRef(learned.dir, learned.name) if learned is not None
                         else TextModelRef(active.get("dir")))
    return TextStatus(
        products=len(hashes),
        current=current,
        understood_by=understood_by,
        chosen=chosen,
        chosen_dir=choice.model_dir,
        device=choice.device,
        model_changed=model_changed,
        to_read=sum(h not in done for h in hashes),
        problem=problem,
    )


def read_descriptions(
    db_path: Path,
    *,
    model_dir: str | Path | None = None,
    device: str | None = None,
    batch_size: int | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    log_fn: LogFn | None = None,
) -> EmbedSummary:
    """The heavy job: a text model reads new and changed product descriptions. Without ``model_dir`` the
    shop's reading model does (``reading_model``), without ``device`` on the shop's device. A folder named
    here becomes the shop's chosen model once it has read them."""
    with opened(db_path, readonly=True) as db:
        choice = text_choice(db)
        folder = model_dir if model_dir is not None else reading_model(db)
    summary = embed_with(db_path, folder, device or choice.device, batch_size=batch_size, progress=progress,
                         cancel=cancel, log_fn=log_fn)
    if model_dir is not None:
        from lrec_desktop.core.app.settings import save_text_choice

        save_text_choice(db_path, None if is_bundled(model_dir) else str(model_dir), choice.device)
    return summary


def embed_with(db_path: Path, model_dir: str | Path | None, device: str, *, batch_size: int | None = None,
               progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
               log_fn: LogFn | None = None) -> EmbedSummary:
    from lrec_desktop.core.text.embed_job import embed_catalog

    return embed_catalog(Path(db_path), model_dir=model_dir, device=device,
                         batch_size=batch_size if batch_size is not None else EMBED_BATCH_SIZE,
                         progress=progress, cancel=cancel, log_fn=log_fn)


def automatic_device(*, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> str:
    """Where "Automatic" runs the text model on this computer (loads torch: a worker job only)."""
    from lrec_desktop.core.text.device import pick_device

    return pick_device("auto")
