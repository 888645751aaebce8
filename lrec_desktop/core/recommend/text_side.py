"""The text model's side of recommending: product vectors aligned with the model's products, and
customer profiles built from the vectors of what they bought."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.artifacts import DamagedArtifact
from lrec_desktop.core.cf.ease_text import TextVectors, usable_vectors
from lrec_desktop.core.index.vectors import VectorIndex
from lrec_desktop.core.text.embed_job import load_index
from lrec_desktop.core.vocab import Vocabulary

log = logging.getLogger(__name__)

# Some descriptions are close to many (a generic title, a common tag list): undivided, these "hubs" took the
# discovery slots of most customers. recsys_bench, hetrec-lastfm at text-neighbour weight 0.5, general model:
# exponent 0 → 0.5 → 0.75 gave tail recall@20 0.0340 → 0.0442 → 0.0482, coverage 0.13 → 0.16 → 0.18.
HUB_EXPONENT = 0.75


def profiles(X: sp.csr_matrix, vectors: np.ndarray) -> np.ndarray:
    """Unit-length weighted mean of the vectors of each row's products (zero rows stay zero)."""
    P = np.asarray(X @ vectors, dtype=np.float32)
    norms = np.linalg.norm(P, axis=1, keepdims=True)
    return np.divide(P, norms, out=np.zeros_like(P), where=norms > 0)


@dataclass
class TextSide:
    index: VectorIndex
    vectors: np.ndarray  # products (in the recommendation model's order) × dim; zero where missing
    present: np.ndarray  # bool per product
    model_dir: str | None
    rows: np.ndarray  # per product, its row in ``index`` (-1 where the index lacks it)
    _encoder: object | None = None
    _neighbours: sp.csr_matrix | None = None

    @classmethod
    def load(cls, db_path: Path, items: Vocabulary, model_dir: str | None,
             fingerprint: str | None = None) -> TextSide | None:
        index = load_index(db_path, fingerprint)
        if index is None:
            return None
        vectors = np.zeros((len(items), index.vectors.shape[1]), dtype=np.float32)
        present = np.zeros(len(items), dtype=bool)
        rows = index.items.indices(items.ids)
        found = rows >= 0
        vectors[found] = index.vectors[rows[found]]
        present[found] = index.present[rows[found]]
        return cls(index, vectors, present, model_dir, rows)

    def neighbours(self) -> sp.csr_matrix:
        """Products × products (the recommendation model's order): each product's closest descriptions, each
        column divided by (how often that product is someone's neighbour) ** HUB_EXPONENT; then counted both
        ways, so a product is also close to the products among its own closest descriptions."""
        if self._neighbours is None:
            rows = self.rows
            # Products the index lacks take an empty row and column: select them as product 0, then zero them.
            found = sp.diags((rows >= 0).astype(np.float32))
            safe = np.where(rows >= 0, rows, 0)
            matrix = (found @ self.index.neighbours()[safe][:, safe] @ found).tocsr()
            mass = np.asarray(matrix.sum(axis=0)).ravel()
            matrix = (matrix @ sp.diags(np.where(mass > 0, mass, 1.0) ** -HUB_EXPONENT)).astype(np.float32).tocsr()
            # Both ways: a rarely sold product is seldom among a bestseller's closest 50, though the bestseller
            # is among its own closest. recsys_bench, discovery 0.2, one way → both ways: hetrec-lastfm learned
            # version tail recall@20 124 → 138 hits, cold 118 → 123, recall 0.2691 → 0.2701 (general model
            # tail 109 → 108, cold 82 → 92); ml-latest-small general model tail 48 → 52, learned 53 → 53.
            matrix = (matrix + matrix.T).tocsr()
            matrix.eliminate_zeros()
            self._neighbours = matrix
        return self._neighbours

    def profiles(self, X: sp.csr_matrix) -> np.ndarray:
        return profiles(X, self.vectors)

    def similarity(self, profiles: np.ndarray) -> np.ndarray:
        """Cosine of each profile with every product; products without a vector get the row's median."""
        S = profiles @ self.vectors.T
        if not self.present.all():
            S[:, ~self.present] = np.median(S[:, self.present], axis=1, keepdims=True) if self.present.any() else 0
        return S

    def closest_source(self, j: int, liked: np.ndarray) -> int | None:
        """The bought product whose description is nearest to product ``j``."""
        return self.closest_sources(np.array([j]), liked)[0]

    def closest_sources(self, products: np.ndarray, liked: np.ndarray) -> list[int | None]:
        """``closest_source`` of each of ``products``, in one product of vectors (one per customer's list, not
        one per recommendation)."""
        liked = liked[self.present[liked]]
        if len(liked) == 0 or len(products) == 0:
            return [None] * len(products)
        best = np.argmax(self.vectors[liked] @ self.vectors[np.asarray(products, dtype=np.int64)].T, axis=0)
        return [int(liked[b]) for b in best]

    def encode_query(self, text: str) -> np.ndarray:
        from lrec_desktop.core.text.encoder import TextEncoder

        if self._encoder is None:
            # "auto" shares the encoder the reading job loaded (the cache holds one model), GPU or not.
            self._encoder = TextEncoder.load(self.model_dir, "auto")
        return self._encoder.encode_query(text)  # type: ignore[attr-defined]


def load_text_side(db: object, db_path: Path,
                   items: Vocabulary) -> tuple[TextSide | None, dict | None, DamagedArtifact | None]:
    """(the active text model's side aligned with ``items``, that model's entry, why the side is missing though
    a model is set); no side while the catalog has not been read with it, or when its saved index is damaged
    (logged; recommendations use sales until it is read again)."""
    from lrec_desktop.core.text.vector_store import active_text_model

    text_model = active_text_model(db)  # type: ignore[arg-type]
    if not text_model:
        return None, None, None
    try:
        return TextSide.load(db_path, items, text_model.get("dir"), text_model.get("fingerprint")), text_model, None
    except DamagedArtifact as exc:
        log.warning("%s. Until then recommendations come from sales alone.", exc)
        return None, text_model, exc


def text_vectors(db: object, db_path: Path, items: Vocabulary) -> TextVectors | None:
    """The active text model's vectors of ``items`` for a co-purchase fit that also fits the text-aware weights
    (core/cf/ease_text.py); None while there are none to use."""
    text, text_model, _ = load_text_side(db, db_path, items)
    if text is None or not text_model:
        return None
    return fit_vectors(text, str(text_model.get("fingerprint", "")))


def fit_vectors(text: TextSide, fingerprint: str) -> TextVectors:
    """A text side's vectors as a co-purchase fit takes them (products without a description read at zero)."""
    return TextVectors(usable_vectors(text.vectors, text.present), fingerprint)
