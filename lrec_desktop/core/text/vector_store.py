"""Product-text vectors in the shop database, keyed by (model fingerprint, text hash)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import sqlite_utils

from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import TEXT_MODEL
from lrec_desktop.core.text.item_text import item_text, text_hash
from lrec_desktop.core.vocab import Vocabulary

# A learned version's weight for its text neighbours in the discovery slots (absent: BlendConfig's default).
GEM_TEXT_WEIGHT = "gem_text_weight"


def catalog_texts(db: sqlite_utils.Database) -> tuple[Vocabulary, list[str], list[str]]:
    """Every product's id (sorted, as the recommendation model orders them), text and text hash."""
    rows = db.execute("SELECT item_id, title, description, category, tags FROM items ORDER BY item_id").fetchall()
    texts = [item_text(title or item_id, d or "", c or "", t or "") for item_id, title, d, c, t in rows]
    return Vocabulary(r[0] for r in rows), texts, [text_hash(t) for t in texts]


def cached_hashes(db: sqlite_utils.Database, model: str) -> set[str]:
    return {r[0] for r in db.execute("SELECT text_hash FROM item_vectors WHERE model = ?", [model])}


def save_vectors(db: sqlite_utils.Database, model: str, hashes: Iterable[str], vectors: np.ndarray) -> None:
    """One batch, committed at once: a cancelled job keeps every batch it finished."""
    rows = [(model, h, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for h, v in zip(hashes, vectors,
                                                                                          strict=True)]
    with store.transaction(db) as conn:
        conn.executemany("INSERT OR REPLACE INTO item_vectors(model, text_hash, vector) VALUES (?, ?, ?)", rows)


def load_vectors(db: sqlite_utils.Database, model: str, hashes: list[str], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(vectors in the order of ``hashes``, mask of those found); missing rows are zero."""
    wanted = {h: n for n, h in enumerate(hashes)}
    out = np.zeros((len(hashes), dim), dtype=np.float32)
    found = np.zeros(len(hashes), dtype=bool)
    for h, blob in db.execute("SELECT text_hash, vector FROM item_vectors WHERE model = ?", [model]):
        n = wanted.get(h)
        if n is None:
            continue
        v = np.frombuffer(blob, dtype=np.float32)
        if len(v) == dim:
            # Several products can share one text; give each its vector.
            out[n] = v
            found[n] = True
    if not found.all():
        by_hash = {h: out[n] for h, n in wanted.items() if found[n]}
        for n, h in enumerate(hashes):
            if not found[n] and h in by_hash:
                out[n], found[n] = by_hash[h], True
    return out, found


def active_text_model(db: sqlite_utils.Database) -> dict | None:
    return TEXT_MODEL.read(db) or None  # {"dir", "fingerprint", "dim"[, GEM_TEXT_WEIGHT]}
