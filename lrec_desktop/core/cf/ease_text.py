"""EASE with the products' descriptions in its Gram matrix (Jeunen, Van Balen and Goethals 2020, "Closed-form
models for collaborative filtering with side-information"): every description joins the purchases as a
pseudo-customer, G = X'X + gamma E E' + lambda I, so products described alike share weights and a never-sold
product gets weights from the products described like it.

G's inverse comes from EASE's own (X'X + lambda I over the products with sales) and one inverse of the text's
dimension (the Woodbury identity): the descriptions cost one products × products × dimension product, not a
second products × products inverse (a minute on hetrec-lastfm's 15,400 products with sales).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.cf.ease import DEFAULT_LAMBDA, MAX_ACTIVE_ITEMS, active_inverse
from lrec_desktop.core.cf.sparse_topk import prune_rows

# gamma / lambda: the setting of recsys_bench's ease-text peer (gamma 20 at lambda 200, from its authors'
# sweep of 5-100), kept relative to the shop's lambda; the learned ranking weighs the source per shop.
TEXT_SHARE = 0.1
KEEP = 200  # weights kept per bought product
# Rows of the weight matrix worked out at once: 1,024 at most, fewer on a large catalog (dense rows of every
# product: 160 rows, 128 MB, at 200,000 products).
ROWS = 1024
BLOCK_CELLS = 32_000_000


@dataclass(frozen=True)
class TextVectors:
    """The active text model's product vectors (a fit's product order, zero where a product has none)."""

    vectors: np.ndarray
    fingerprint: str


@dataclass(frozen=True)
class TextCF:
    """The text-aware weights of one fit, and the text they were computed with."""

    weights: sp.csr_matrix
    fingerprint: str


def usable_vectors(vectors: np.ndarray, present: np.ndarray) -> np.ndarray:
    """The vectors of products with a description read; zero for the others (no pseudo-customer for them)."""
    return np.where(np.asarray(present, dtype=bool)[:, None], vectors, 0.0).astype(np.float32)


def weights_from_inverse(P: np.ndarray, active: np.ndarray, vectors: np.ndarray, *, lam: float,
                         gamma: float | None = None, keep: int = KEEP,
                         check: Callable[[], None] | None = None) -> sp.csr_matrix:
    """The text-aware weights from ``P`` = (Xa'Xa + lam I)^-1 over the ``active`` products (left unchanged):
    row = a bought product, column = a candidate, every product of the catalog a candidate."""
    E = np.asarray(vectors, dtype=np.float32)
    n = len(E)
    g = TEXT_SHARE * lam if gamma is None else gamma
    inactive = np.ones(n, dtype=bool)
    inactive[active] = False
    U = np.empty_like(E)  # A^-1 E, with A^-1 = I / lam on the products without sales
    U[active] = P @ E[active]
    U[inactive] = E[inactive] / lam
    core = (E.T @ U).astype(np.float64)
    core[np.diag_indices_from(core)] += 1.0 / max(g, 1e-12)
    UM = U @ np.linalg.inv(core).astype(np.float32)
    diag = np.full(n, 1.0 / lam, dtype=np.float32)  # of G^-1 = A^-1 - U M U'
    diag[active] = np.diag(P)
    diag -= np.einsum("ij,ij->i", UM, U)
    scale = (-1.0 / diag).astype(np.float32)
    parts = []
    step = max(16, min(ROWS, BLOCK_CELLS // max(n, 1)))
    for start in range(0, len(active), step):
        rows = active[start : start + step]
        block = -(UM[rows] @ U.T)
        block[:, active] += P[start : start + step]
        block *= scale[None, :]
        block[np.arange(len(rows)), rows] = 0.0
        parts.append(prune_rows(block, keep))
        if check is not None:
            check()
    Wa = sp.vstack(parts, format="csr").tocoo()
    return sp.csr_matrix((Wa.data, (active[Wa.row], Wa.col)), shape=(n, n), dtype=np.float32)


def fit_ease_text(X: sp.csr_matrix, vectors: np.ndarray, *, lam: float = DEFAULT_LAMBDA, gamma: float | None = None,
                  keep: int = KEEP, check: Callable[[], None] | None = None) -> sp.csr_matrix | None:
    """The text-aware weights with an inverse of their own (when no EASE fit of the same purchases shares its
    inverse: core/recommend/model.fit_purchases does), or None past EASE's catalog size or without sales."""
    active = np.flatnonzero(np.asarray(X.sum(axis=0)).ravel() > 0)
    if len(active) == 0 or len(active) > MAX_ACTIVE_ITEMS:
        return None
    P = active_inverse(X, active, lam, check)
    return weights_from_inverse(P, active, vectors, lam=lam, gamma=gamma, keep=keep, check=check)
