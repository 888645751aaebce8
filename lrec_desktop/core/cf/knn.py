"""Item-kNN with cosine similarity, for catalogs too large for EASE's dense inverse."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def fit_item_knn(X: sp.csr_matrix, *, neighbours: int = 200) -> sp.csr_matrix:
    """Item-item cosine similarities, ``neighbours`` per product (implicit's C++ kernel does the work)."""
    from implicit.nearest_neighbours import CosineRecommender

    model = CosineRecommender(K=neighbours)
    model.fit(X.astype(np.float32).tocsr(), show_progress=False)
    W = model.similarity.tocsr().astype(np.float32)
    W.setdiag(0)
    W.eliminate_zeros()
    return W
