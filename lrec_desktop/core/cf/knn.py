"""Item-kNN with cosine similarity, for catalogs too large for EASE's dense inverse."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp


def fit_item_knn(X: sp.csr_matrix, *, neighbours: int = 200) -> sp.csr_matrix:
    """Item-item cosine similarities, ``neighbours`` per product (implicit's C++ kernel does the work)."""
    from implicit.nearest_neighbours import CosineRecommender

    model = CosineRecommender(K=neighbours)
    with warnings.catch_warnings():
        # implicit converts internally and warns about its own conversion; nothing to act on here.
        warnings.simplefilter("ignore")
        model.fit(sp.csr_matrix(X, dtype=np.float32), show_progress=False)
    W = model.similarity.tocsr().astype(np.float32)
    W.setdiag(0)
    W.eliminate_zeros()
    return W
