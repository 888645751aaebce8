"""Nearest products by text, with FAISS over unit vectors (inner product = cosine similarity).

Exact search (IndexFlatIP) up to APPROX_MIN_ITEMS products; beyond, HNSW, which answers in about a
millisecond at any catalog size for a small loss of recall. Queries over-fetch and then filter, so
products the caller excludes (bought, out of stock) never shrink the list below what was asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core import artifacts
from lrec_desktop.core.cf.sparse_topk import top_per_row
from lrec_desktop.core.vocab import Vocabulary

APPROX_MIN_ITEMS = 200_000
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128
# Text neighbours kept per product for the discovery slots. recsys_bench at discovery 0.2 (hubs divided down):
# 20, 50 and 100 within noise of each other on ml-latest-small and hetrec-lastfm, general and learned models.
TEXT_NEIGHBOURS = 50
NEIGHBOUR_BATCH = 4096
EXACT_NEIGHBOURS_MAX = 50_000
REBUILD_ADVICE = ("the text index is damaged; run `lrec-desktop embed` to rebuild it (descriptions already read "
                  "are kept, so the text model reads nothing again)")


FaissIndex = Any  # a faiss index (flat or HNSW): faiss is imported only inside the functions that need it


class VectorIndex:
    def __init__(self, items: Vocabulary, vectors: np.ndarray, present: np.ndarray, index: FaissIndex,
                 neighbours: sp.csr_matrix | None = None) -> None:
        self.items = items
        self.vectors = vectors  # products × dim, unit length; zero rows where a product has no vector
        self.present = present  # bool per product
        self._index = index
        self._rows = np.flatnonzero(present)  # FAISS id → product index
        self._neighbours = neighbours

    @classmethod
    def build(cls, items: Vocabulary, vectors: np.ndarray, present: np.ndarray) -> VectorIndex:
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        data = vectors[present]
        dim = vectors.shape[1]
        if len(data) >= APPROX_MIN_ITEMS:
            return cls(items, vectors, present, _hnsw(data))
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

    def neighbours(self, k: int = TEXT_NEIGHBOURS, check: Callable[[], None] | None = None) -> sp.csr_matrix:
        """Products × products: each product's ``k`` most similar descriptions, by cosine (negatives as 0).

        Computed once per index (saved with it), one search per product in batches, ``check`` called between
        them (to cancel). Exact up to EXACT_NEIGHBOURS_MAX products (2 cores: 9 s at 20,000, 50-57 s at 50,000,
        growing with the square); beyond, through HNSW (100,000: 95 s to build and search)."""
        if self._neighbours is not None and self._neighbours.shape[0] == len(self.vectors):
            return self._neighbours
        n, total = len(self.vectors), len(self._rows)
        fetch = min(k + 1, total)
        search_index = self._index
        if total > EXACT_NEIGHBOURS_MAX and self.kind != "IndexHNSWFlat":
            search_index = _hnsw(np.ascontiguousarray(self.vectors[self._rows]))
        rows, cols, sims = [], [], []
        for start in range(0, total, NEIGHBOUR_BATCH):
            if check is not None:
                check()
            own = self._rows[start : start + NEIGHBOUR_BATCH]
            scores, ids = search_index.search(np.ascontiguousarray(self.vectors[own]), fetch)
            found = self._rows[np.where(ids >= 0, ids, 0)]
            keep = (ids >= 0) & (found != own[:, None])
            rows.append(np.broadcast_to(own[:, None], ids.shape)[keep])
            cols.append(found[keep])
            sims.append(np.maximum(scores[keep], 0.0))
        matrix = sp.csr_matrix(
            (np.concatenate(sims).astype(np.float32) if sims else np.zeros(0, dtype=np.float32),
             (np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64),
              np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64))), shape=(n, n))
        matrix = top_per_row(matrix, k)
        matrix.eliminate_zeros()
        self._neighbours = matrix
        return matrix

    def save(self, folder: Path, meta: dict) -> None:
        import faiss

        artifacts.save_sparse(folder / "neighbours.npz", self.neighbours())
        faiss.write_index(self._index, str(folder / "index.faiss"))
        np.save(folder / "vectors.npy", self.vectors)
        np.save(folder / "present.npy", self.present)
        self.items.save(folder / "items.json")
        artifacts.write_json(folder / "config.json", {**meta, "kind": self.kind})

    @classmethod
    def load(cls, folder: Path) -> VectorIndex:
        """The saved index; DamagedArtifact naming the file when a part can't be read or does not fit the
        others. The FAISS file's header is checked against the vectors before FAISS reads it, so a damaged
        header cannot make it allocate what the header claims."""
        import faiss

        def part(name: str) -> AbstractContextManager[None]:
            return artifacts.reading(folder / name, REBUILD_ADVICE)

        with part("items.json"):
            items = Vocabulary.load(folder / "items.json")
        n = len(items)
        with part("vectors.npy"):
            vectors = artifacts.load_array(folder / "vectors.npy")
            artifacts.expect(vectors.ndim == 2 and len(vectors) == n and vectors.dtype.kind == "f",
                             f"not {n:,} vectors")
        with part("present.npy"):
            present = artifacts.load_array(folder / "present.npy", (n,))
            artifacts.expect(present.dtype == np.bool_, "not one yes/no per product")
        with part("index.faiss"):
            _check_faiss_header(folder / "index.faiss", vectors.shape[1], int(present.sum()))
            index = faiss.read_index(str(folder / "index.faiss"))
            artifacts.expect(index.d == vectors.shape[1] and index.ntotal == int(present.sum()),
                             "its vectors are not the saved ones")
        neighbours = None
        if (folder / "neighbours.npz").exists():  # absent in folders saved before text neighbours
            with part("neighbours.npz"):
                neighbours = artifacts.load_sparse(folder / "neighbours.npz", (n, n))
        return cls(items, vectors, present, index, neighbours)


def _check_faiss_header(path: Path, dim: int, count: int) -> None:
    """Every FAISS index file starts with a four-letter kind, then the dimension (int32) and the number of
    vectors (int64), little-endian."""
    with path.open("rb") as f:
        head = f.read(16)
    artifacts.expect(len(head) == 16, "too short")
    artifacts.expect(int.from_bytes(head[4:8], "little", signed=True) == dim
                     and int.from_bytes(head[8:16], "little", signed=True) == count,
                     "its header does not match the saved vectors")


def _hnsw(data: np.ndarray) -> FaissIndex:
    import faiss

    index = faiss.IndexHNSWFlat(data.shape[1], HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(data)
    return index
