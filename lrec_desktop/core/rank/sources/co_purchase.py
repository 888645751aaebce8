"""Co-purchase sources: a customer's purchases times an item-item weight matrix (EASE, item-kNN, RP3beta,
text neighbours and same-basket co-occurrence all have this shape)."""

from __future__ import annotations

from dataclasses import dataclass

import scipy.sparse as sp

from lrec_desktop.core.rank.sources.base import Batch, positive_part


@dataclass
class ItemItem:
    name: str
    weights: sp.csr_matrix  # row = a product bought, column = a candidate
    take: int
    binary: bool = False  # score from plain purchases instead of recency-weighted ones

    def scores(self, batch: Batch) -> sp.csr_matrix:
        """Only products with a positive score are candidates: the nonzeros of the sparse product."""
        return positive_part((batch.X if self.binary else batch.recent) @ self.weights)
