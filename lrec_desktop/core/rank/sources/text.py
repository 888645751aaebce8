"""Text sources: products described like what the customer bought (their profile), and new arrivals
matched to the customer by description."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrec_desktop.core.rank.sources.base import Batch, ColumnBlock


@dataclass
class TextProfile:
    """Cosine of the customer's text profile with each product's description."""

    vectors: np.ndarray  # products × dim, unit length (zero where a product has no text)
    present: np.ndarray
    take: int
    name: str = "text_profile"

    def scores(self, batch: Batch) -> np.ndarray:
        if self.name in batch.cache:
            return batch.cache[self.name]
        if batch.profiles is None:
            s = np.full((batch.X.shape[0], len(self.present)), -np.inf, dtype=np.float32)
        else:
            s = (batch.profiles @ self.vectors.T).astype(np.float32)
            s[:, ~self.present] = -np.inf
            s[~np.any(batch.profiles != 0, axis=1)] = -np.inf
        batch.cache[self.name] = s
        return s


@dataclass
class NewArrivals:
    """New products (never sold, or first sold lately) ranked by the customer's text profile: they have no
    co-purchases yet, so without this source they would seldom be candidates at all."""

    profile: TextProfile
    is_new: np.ndarray  # bool per product
    take: int
    name: str = "new_arrivals"

    def scores(self, batch: Batch) -> ColumnBlock:
        # The profile's scores, read before the candidates are picked (which marks blocked products -inf in
        # them), over the new products only.
        cols = np.flatnonzero(self.is_new)
        return ColumnBlock(self.profile.scores(batch)[:, cols], cols)
