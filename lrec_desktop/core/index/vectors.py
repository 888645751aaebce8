"""Nearest products by text, with FAISS over unit vectors (inner product = cosine similarity).

Exact search (IndexFlatIP) up to APPROX_MIN_ITEMS products; beyond, HNSW, which answers in about a
millisecond at any catalog size for a small loss of recall. Queries over-fetch and then filter, so
products the caller excludes (bought, out of stock) never shrink the list below what was asked for.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lrec_desktop.core import artifacts
from lrec_desktop.core.vocab import Vocabulary

APPROX_MIN_ITEMS = 200_000
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128


class VectorIndex:
    def __init__(self, items: Vocabulary, vectors: np.ndarray, present: np.ndarray, index: object) -> None:
        self.items = items
        self.vectors = vectors  # products × dim, unit length; zero rows where a product has no vector
        self.present = present  # bool per product
        self._index = index
        self._rows = np.flatnonzero(present)  # FAISS id → product index

    @classmethod
    def build(cls, items: Vocabulary, vectors: np.ndarray, present: np.ndarray) -> VectorIndex:
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        data = vectors[present]
        dim = vectors.shape[1]
        if len(data) >= APPROX_MIN_ITEMS:
            index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            index = faiss.IndexFlatIP(dim)
        if len(data):
            index.add(data)
        return cls(items, vectors, present, index)

    @property
    def kind(self) -> str:
        return type(self._index).__name__

    def search(self, queries: np.ndarray, k: int, exclude: list[np.ndarray] | None = None,
               allowed: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query, up to ``k`` (product indices, similarities), best first, skipping excluded products."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        total = len(self._rows)
        results: list[tuple[np.ndarray, np.ndarray]] = []
        if total == 0:
            return [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)) for _ in queries]
        blocked_counts = [len(e) for e in exclude] if exclude is not None else [0] * len(queries)
        fetch = min(total, k + max(blocked_counts, default=0) + (0 if allowed is None else int((~allowed).sum())))
        fetch = max(fetch, min(total, k))
        scores, ids = self._index.search(queries, fetch)
        for q in range(len(queries)):
            valid = ids[q] >= 0
            rows, sims = self._rows[ids[q][valid]], scores[q][valid]
            keep = np.ones(len(rows), dtype=bool)
            if exclude is not None and len(exclude[q]):
                keep &= ~np.isin(rows, exclude[q])
            if allowed is not None:
                keep &= allowed[rows]
            results.append((rows[keep][:k], sims[keep][:k]))
        return results

    def save(self, folder: Path, meta: dict) -> None:
        import faiss

        faiss.write_index(self._index, str(folder / "index.faiss"))
        np.save(folder / "vectors.npy", self.vectors)
        np.save(folder / "present.npy", self.present)
        self.items.save(folder / "items.json")
        artifacts.write_json(folder / "config.json", {**meta, "kind": self.kind})

    @classmethod
    def load(cls, folder: Path) -> VectorIndex:
        import faiss

        return cls(
            Vocabulary.load(folder / "items.json"),
            np.load(folder / "vectors.npy", allow_pickle=False),
            np.load(folder / "present.npy", allow_pickle=False),
            faiss.read_index(str(folder / "index.faiss")),
        )
