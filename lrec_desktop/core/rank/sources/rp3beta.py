"""RP3beta (Paudel et al. 2016): a two-step random walk product → customer → product, divided by the
target's popularity ** beta, so rarely sold products bought by the same customers surface."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.cf.sparse_topk import top_per_row

BETA = 0.5  # Dacrema et al.'s reproducibility study: 0.3-0.8 all strong; the ranker weighs it per shop
NEIGHBOURS = 200


BLOCK_CELLS = 32_000_000  # rows of products worked out at once: 160 at 200,000 products, 2,048 at most


def fit_rp3beta(X: sp.csr_matrix, beta: float = BETA, neighbours: int = NEIGHBOURS,
                block: int | None = None) -> sp.csr_matrix:
    """Product × product transition weights, the ``neighbours`` strongest per product."""
    X = sp.csr_matrix(X, dtype=np.float32)
    buyers = np.maximum(np.asarray(X.sum(axis=0)).ravel(), 1.0)
    basket = np.maximum(np.asarray(X.sum(axis=1)).ravel(), 1.0)
    p_ui = (sp.diags(1.0 / basket) @ X).tocsc()
    p_iu = (sp.diags(1.0 / buyers) @ X.T).tocsr()
    penalty = (1.0 / np.power(buyers, beta)).astype(np.float32)
    n = X.shape[1]
    block = block or max(16, min(2048, BLOCK_CELLS // max(n, 1)))
    parts = []
    for start in range(0, n, block):  # blocks of rows keep memory flat on large catalogs
        # Sparse all through: a product's walk reaches only what its buyers bought (dense rows of 200,000
        # products, most of them zero, took minutes to sort on the scale shop).
        rows = (p_iu[start : start + block] @ p_ui).tocsr().astype(np.float32)
        rows.data *= penalty[rows.indices]
        own = np.repeat(np.arange(start, start + rows.shape[0]), np.diff(rows.indptr)) == rows.indices
        rows.data[own] = 0
        rows.eliminate_zeros()
        parts.append(top_per_row(rows, neighbours))
    W = sp.vstack(parts, format="csr") if parts else sp.csr_matrix((n, n), dtype=np.float32)
    W.eliminate_zeros()
    return W
