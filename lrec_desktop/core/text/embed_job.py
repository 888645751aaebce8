"""The "understand product descriptions" job: vectors for every product, then the search index.

Only products whose text is new or changed since the last run (for this model) are read by the model;
vectors are saved batch by batch, so a cancelled run keeps what it finished and the next run resumes.
The index folder is replaced atomically once every vector is there.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lrec_desktop.core import artifacts, journal
from lrec_desktop.core.faults import fault_point
from lrec_desktop.core.index.vectors import VectorIndex
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress, throttled
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import TEXT_MODEL, TEXT_VERSIONS
from lrec_desktop.core.text.model_folder import inspect_model_folder
from lrec_desktop.core.text.vector_store import (
    GEM_TEXT_WEIGHT,
    cached_hashes,
    catalog_texts,
    load_vectors,
    save_vectors,
)
from lrec_desktop.core.vocab import Vocabulary

log = logging.getLogger(__name__)

INDEX_FOLDER = "text-index"


@dataclass(frozen=True)
class EmbedSummary:
    products: int
    embedded: int  # read by the model in this run
    cached: int  # reused from an earlier run
    seconds: float  # the whole job
    encode_seconds: float  # the text model reading, without loading it or building the index
    device: str
    model: str
    fingerprint: str
    index_kind: str

    def message(self) -> str:
        if self.embedded == 0:
            return f"All {self.products:,} product descriptions were already understood; nothing to do."
        rate = self.embedded / max(self.encode_seconds, 1e-9)
        where = {"cpu": "the processor", "cuda": "the graphics card", "mps": "the Apple GPU"}.get(self.device,
                                                                                               self.device)
        reused = f"; {self.cached:,} unchanged ones reused" if self.cached else ""
        return (f"{self.embedded:,} product descriptions read by the text model on {where} "
                f"({rate:,.0f} per second){reused}.")


def _active_fingerprint(db_path: Path) -> str | None:
    db = store.connect(db_path)
    try:
        return TEXT_MODEL.read(db).get("fingerprint")
    finally:
        db.close()


def index_folder(db_path: Path, fingerprint: str | None = None) -> Path:
    """The index of one text model (default: the active one); each model keeps its own, so switching back
    to an earlier model version needs no re-reading."""
    fingerprint = fingerprint or _active_fingerprint(db_path) or "none"
    return models_dir(db_path) / INDEX_FOLDER / fingerprint


def catalog_hash(items: Vocabulary, hashes: list[str], fingerprint: str) -> str:
    h = hashlib.sha256(fingerprint.encode())
    for item_id, th in zip(items.ids, hashes, strict=True):
        h.update(f"{item_id}\x1f{th}\x1e".encode())
    return h.hexdigest()[:20]


def index_is_current(db_path: Path, fingerprint: str | None = None) -> bool:
    """True when the saved index of the model (default: the active one) matches today's catalog texts."""
    db = store.connect(db_path)
    try:
        fingerprint = fingerprint or TEXT_MODEL.read(db).get("fingerprint")
        if not fingerprint:
            return False
        items, _, hashes = catalog_texts(db)
    finally:
        db.close()
    try:
        meta = artifacts.read_json(index_folder(db_path, fingerprint) / "config.json")
    except (OSError, ValueError):
        return False
    return meta.get("catalog") == catalog_hash(items, hashes, fingerprint)


def embed_catalog(
    db_path: Path,
    *,
    model_dir: str | Path | None = None,
    device: str = "auto",
    batch_size: int | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    log_fn: Callable[[str], None] | None = None,
    activate: bool = True,
) -> EmbedSummary:
    """Job: embed new or changed product texts with the chosen model, then rebuild its index.

    With ``activate`` (the default) the model becomes the shop's text model; without, its vectors and index
    are only made ready (to evaluate a candidate model version before switching to it)."""
    params = {"model_dir": None if model_dir is None else str(Path(model_dir).resolve()), "device": device,
              "batch_size": batch_size, "activate": activate}
    with journal.journaled(db_path, journal.EMBED, params):
        return _embed_catalog(db_path, model_dir=model_dir, device=device, batch_size=batch_size,
                              progress=throttled(progress), cancel=cancel or CancelToken(), log_fn=log_fn,
                              activate=activate)


def _embed_catalog(
    db_path: Path, *, model_dir: str | Path | None, device: str, batch_size: int | None, progress: ProgressFn,
    cancel: CancelToken, log_fn: Callable[[str], None] | None, activate: bool,
) -> EmbedSummary:
    started = time.monotonic()
    db = store.connect(db_path)
    try:
        if model_dir is None:
            model_dir = TEXT_MODEL.read(db).get("dir")
        folder = inspect_model_folder(model_dir)
        progress(0.0, "Checking which product descriptions are new")
        items, texts, hashes = catalog_texts(db)
        done = cached_hashes(db, folder.fingerprint)
        todo: dict[str, str] = {}
        for text, h in zip(texts, hashes, strict=True):
            if h not in done:
                todo.setdefault(h, text)
        device_used = "none"
        dim = None
        encode_seconds = 0.0
        # The model is loaded (and so checked: every weight from its file) whenever it reads anything, and also for
        # an empty catalog when this shop has no vectors of it yet, so a broken folder never becomes the shop's
        # model unread. Vectors cached under its fingerprint mean these very weight bytes loaded before.
        if todo or not done:
            from lrec_desktop.core.text.encoder import TextEncoder
            from lrec_desktop.core.text.libraries import load_transformers

            progress(0.02, "Loading the text model")
            load_transformers(cancel.raise_if_cancelled)  # the libraries first: a Cancel meanwhile lands at once
            cancel.raise_if_cancelled()
            encoder = TextEncoder.load(folder.path if model_dir is not None else None, device, log_fn)
            cancel.raise_if_cancelled()
            dim = encoder.dim
            todo_hashes, todo_texts = list(todo), list(todo.values())
            encode_started = time.monotonic()
            for idx, vectors in encoder.iter_encode(todo_texts, batch_size=batch_size,
                                                    progress=sub_progress(progress, 0.05, 0.9), cancel=cancel):
                save_vectors(db, folder.fingerprint, [todo_hashes[i] for i in idx], vectors)
                fault_point("embed-batch")
            device_used = encoder.device
            encode_seconds = time.monotonic() - encode_started
        if dim is None:
            previous = TEXT_MODEL.read(db)
            dim = previous.get("dim") if previous.get("fingerprint") == folder.fingerprint else None
            if dim is None:
                blob = db.execute("SELECT vector FROM item_vectors WHERE model = ? LIMIT 1",
                                  [folder.fingerprint]).fetchone()
                dim = len(blob[0]) // 4 if blob else 384
        cancel.raise_if_cancelled()
        progress(0.92, "Building the search index")
        vectors, present = load_vectors(db, folder.fingerprint, hashes, dim)
        index = VectorIndex.build(items, vectors, present)
        progress(0.95, "Finding products described alike")
        index.neighbours(check=cancel.raise_if_cancelled)  # saved with the index, for the discovery slots
        meta = {"fingerprint": folder.fingerprint, "catalog": catalog_hash(items, hashes, folder.fingerprint),
                "dim": dim, "model": str(folder.path), "products": len(items), "built_at": int(time.time())}
        with artifacts.atomic_folder(index_folder(db_path, folder.fingerprint)) as tmp:
            index.save(tmp, meta)
            fault_point("index-save")
        if activate:
            activate_text_model(db, {"dir": None if model_dir is None else str(folder.path),
                                     "fingerprint": folder.fingerprint, "dim": dim, "name": folder.name})
    finally:
        db.close()
    summary = EmbedSummary(
        products=len(items), embedded=len(todo), cached=len(items) - sum(h in todo for h in hashes),
        seconds=round(time.monotonic() - started, 2), encode_seconds=round(encode_seconds, 2),
        device=device_used, model=folder.name,
        fingerprint=folder.fingerprint, index_kind=index.kind,
    )
    progress(1.0, summary.message())
    log.info("%s", summary)
    return summary


def activate_text_model(db: store.sqlite_utils.Database, model: dict) -> None:
    """Make ``model`` ({"dir", "fingerprint", "dim", "name"}) the shop's text model; its index must exist.
    A learned version keeps the discovery-slot weight chosen for it when it was trained."""
    registered = [v for v in TEXT_VERSIONS.read(db)
                  if v.get("fingerprint") == model.get("fingerprint") and GEM_TEXT_WEIGHT in v]
    model = {k: v for k, v in model.items() if k != GEM_TEXT_WEIGHT}
    if registered:
        model[GEM_TEXT_WEIGHT] = registered[-1][GEM_TEXT_WEIGHT]
    TEXT_MODEL.write(db, model)


def load_index(db_path: Path, fingerprint: str | None = None) -> VectorIndex | None:
    """The saved text index, or None when the catalog has not been read by the text model yet."""
    folder = index_folder(db_path, fingerprint)
    if not (folder / "index.faiss").exists():
        return None
    return VectorIndex.load(folder)
