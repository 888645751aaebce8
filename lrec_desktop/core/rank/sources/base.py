"""What every candidate source is given, and the one signature they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Batch:
    """A batch of customers: their purchases (binary and recency-weighted), customers × products."""

    X: sp.csr_matrix  # 1 where bought
    recent: sp.csr_matrix  # the same purchases weighted by recency (newest = 1)
    profiles: np.ndarray | None  # unit-length text profile per customer (None without a text model)


class Source(Protocol):
    """customers × products → a score per product (higher = better; -inf = not a candidate from here)."""

    name: str
    take: int  # how many of its best products per customer become candidates

    def scores(self, batch: Batch) -> np.ndarray: ...


def dense(matrix: sp.spmatrix | np.ndarray) -> np.ndarray:
    return np.asarray(matrix.todense() if sp.issparse(matrix) else matrix, dtype=np.float32)
