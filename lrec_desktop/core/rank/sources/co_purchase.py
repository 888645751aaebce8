"""Co-purchase sources: a customer's purchases times an item-item weight matrix (EASE, item-kNN, RP3beta,
text neighbours and same-basket co-occurrence all have this shape)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.rank.sources.base import Batch, dense


@dataclass
class ItemItem:
    name: str
    weights: sp.csr_matrix  # row = a product bought, column = a candidate
    take: int
    binary: bool = False  # score from plain purchases instead of recency-weighted ones

    def scores(self, batch: Batch) -> np.ndarray:
        s = dense((batch.X if self.binary else batch.recent) @ self.weights)
        s[s <= 0] = -np.inf
        return s
