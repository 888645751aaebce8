"""Customer-independent sources: all-time bestsellers and what is selling fast lately (trending)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrec_desktop.core.rank.sources.base import Batch


@dataclass
class Fixed:
    """The same score for every customer (popularity, recent sales velocity)."""

    name: str
    values: np.ndarray  # per product
    take: int

    def scores(self, batch: Batch) -> np.ndarray:
        s = np.where(self.values > 0, self.values, -np.inf).astype(np.float32)
        return np.broadcast_to(s, (batch.X.shape[0], len(s)))  # read-only: candidates are taken once for all
