"""EASE (Steck 2019): a closed-form item-item model, the strongest cheap baseline on small catalogs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.cf.sparse_topk import prune_rows
from lrec_desktop.core.store.settings import EASE_LAMBDA

DEFAULT_LAMBDA = EASE_LAMBDA.default  # the shop setting's default (store/settings.py)


# Above this many products with sales the dense inverse needs too much memory (n² float32: 1.6 GB at 20k)
# and time; item-kNN takes over.
MAX_ACTIVE_ITEMS = 20_000


# The inverse is computed block by block with numpy only. scipy's LAPACK wrappers (f2py) hold the GIL for
# the whole call: spotrf + spotri on a 9,000-product catalog froze the window for 5-15 s while a worker
# prepared recommendations (even strtri on one 512 tile holds it ~50 ms). numpy's linalg and matrix
# products release the GIL; the O(n³) bulk is products of tiles, and a cancel check runs between blocks.
BLOCK = 512


def _tile_cholesky(tile: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.cholesky(tile)
    except np.linalg.LinAlgError as exc:
        raise ArithmeticError(f"Cholesky factorisation failed ({exc})") from exc


def _tile_inverse(lower: np.ndarray) -> np.ndarray:
    """Inverse of a small well-conditioned lower triangular tile (a general solve: numpy has no trtri)."""
    inverse = np.linalg.inv(lower)
    _tril_tile(inverse)  # exact zeros above the diagonal, where rounding left tiny values
    return inverse


def _tril_tile(tile: np.ndarray) -> None:
    """Zero the strict upper triangle of a diagonal tile in place (the products below read whole tiles)."""
    tile[np.triu_indices(len(tile), 1)] = 0.0


def _cholesky_in_place(A: np.ndarray, block: int, check: Callable[[], None] | None) -> None:
    """Lower Cholesky factor of the SPD matrix ``A``, in place (right-looking, blocked); the part above the
    diagonal tiles is left as it was, the diagonal tiles' upper triangles are zeroed."""
    n = len(A)
    for k in range(0, n, block):
        e = min(k + block, n)
        factor = _tile_cholesky(A[k:e, k:e])
        A[k:e, k:e] = factor
        if e == n:
            break
        inverse = _tile_inverse(factor)
        A[e:, k:e] = A[e:, k:e] @ inverse.T  # the panel: solves X · Lkkᵀ = A21
        for i in range(e, n, block):  # the lower part of the trailing matrix, one block row at a time
            ie = min(i + block, n)
            A[i:ie, e:ie] -= A[i:ie, k:e] @ A[e:ie, k:e].T
        if check is not None:
            check()


def _triangular_inverse_in_place(L: np.ndarray, block: int, check: Callable[[], None] | None) -> None:
    """L⁻¹ of a lower triangular ``L`` (clean diagonal tiles), in place, from the last block column back:
    M_ij = -(Σ_{j<k≤i} M_ik L_kj) · M_jj, so each column needs only columns to its right, already done."""
    n = len(L)
    for k in reversed(range(0, n, block)):
        e = min(k + block, n)
        inverse = _tile_inverse(L[k:e, k:e])
        column = L[e:, k:e].copy()  # the original L_kj, overwritten block by block below
        for i in range(e, n, block):
            ie = min(i + block, n)
            L[i:ie, k:e] = -(L[i:ie, e:ie] @ column[: ie - e]) @ inverse
        L[k:e, k:e] = inverse
        if check is not None:
            check()


def _lower_gram_in_place(M: np.ndarray, block: int, check: Callable[[], None] | None) -> None:
    """The lower triangle of Mᵀ·M for a lower triangular ``M``, in place (LAPACK's lauum): block row i of
    the result needs rows ≥ i of M only, so rows are done top-down."""
    n = len(M)
    for k in range(0, n, block):
        e = min(k + block, n)
        M[k:e, :e] = M[k:, k:e].T @ M[k:, :e]
        if check is not None:
            check()


def spd_inverse(G: np.ndarray, *, block: int | None = None, check: Callable[[], None] | None = None) -> np.ndarray:
    """Inverse of a symmetric positive definite matrix via Cholesky, in place, in float32.

    About 7x faster than ``np.linalg.inv`` in float64 here, and the ridge (lambda) keeps the system well
    conditioned, so single precision loses nothing that changes a ranking. ``check`` is called between
    blocks (a cancel check: it may raise).
    """
    block = block or BLOCK
    _cholesky_in_place(G, block, check)
    _triangular_inverse_in_place(G, block, check)
    _lower_gram_in_place(G, block, check)
    P = G
    # Only the lower triangle holds the inverse; mirror it block by block to stay in place.
    n = len(P)
    for start in range(0, n, block):
        stop = min(start + block, n)
        P[start:stop, stop:] = P[stop:, start:stop].T
        tile = P[start:stop, start:stop]
        tile[np.triu_indices(stop - start, 1)] = tile.T[np.triu_indices(stop - start, 1)]
    return P


def active_inverse(X: sp.csr_matrix, active: np.ndarray, lam: float,
                   check: Callable[[], None] | None = None) -> np.ndarray:
    """(Xa'Xa + lam I)^-1 over the ``active`` products' columns of X, in float32."""
    Xa = X[:, active].astype(np.float32)
    G = (Xa.T @ Xa).toarray()
    G[np.diag_indices_from(G)] += lam
    return spd_inverse(G, check=check)  # in place: G is the inverse now


def fit_ease(X: sp.csr_matrix, *, lam: float = DEFAULT_LAMBDA, keep: int = 512,
             check: Callable[[], None] | None = None,
             with_inverse: Callable[[np.ndarray, np.ndarray], None] | None = None) -> sp.csr_matrix:
    """Item-item weights W (items × items, row = a bought product, column = a candidate).

    Only products with at least one buyer enter the dense inverse, so its size is the active catalog,
    and each row keeps its ``keep`` strongest weights so the model stays small on disk and fast to apply.
    ``check`` runs between blocks of the inverse (a job's cancel check: it may raise). ``with_inverse`` is
    given the inverse and the products it covers before they become weights (another model built on the same
    inverse: core/cf/ease_text.py); it must not change them.
    """
    n_items = X.shape[1]
    active = np.flatnonzero(np.asarray(X.sum(axis=0)).ravel() > 0)
    if len(active) == 0:
        return sp.csr_matrix((n_items, n_items), dtype=np.float32)
    P = active_inverse(X, active, lam, check)
    if with_inverse is not None:
        with_inverse(P, active)
    P /= -np.diag(P)[None, :]
    np.fill_diagonal(P, 0.0)
    Wa = prune_rows(P, keep)
    del P
    # Scatter the active block back into the full catalog's index space.
    Wa = Wa.tocoo()
    return sp.csr_matrix((Wa.data, (active[Wa.row], active[Wa.col])), shape=(n_items, n_items))
