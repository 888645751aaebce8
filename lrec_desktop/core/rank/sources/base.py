"""What every candidate source is given, and the one signature they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

import numpy as np
import scipy.sparse as sp


@dataclass
class Batch:
    """A batch of customers: their purchases (binary and recency-weighted), customers × products."""

    X: sp.csr_matrix  # 1 where bought
    recent: sp.csr_matrix  # the same purchases weighted by recency (newest = 1)
    profiles: np.ndarray | None  # unit-length text profile per customer (None without a text model)
    # Worked out once per batch for the sources that share it (the text profile's cosine with every product).
    cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class ColumnBlock:
    """Scores over some products only (the same for every customer of the batch): customers × len(cols)."""

    values: np.ndarray  # -inf = not a candidate from here
    cols: np.ndarray  # the products the columns are, ascending


# A source's scores for a batch, in one of four shapes: a dense customers × products array (-inf = not a
# candidate from here), a read-only broadcast row (the same scores for every customer), a ColumnBlock, or a
# CSR matrix whose stored entries are the only candidates (co-purchase: a customer's purchases reach a quarter
# of ml-latest-small's products, and picking the best from dense rows of every product was a quarter of an
# export; at 200,000 products most of a dense row is nothing).
Scores: TypeAlias = np.ndarray | sp.csr_matrix | ColumnBlock


class Source(Protocol):
    """customers × products → a score per product (higher = better)."""

    name: str
    take: int  # how many of its best products per customer become candidates

    def scores(self, batch: Batch) -> Scores: ...


def positive_part(matrix: sp.spmatrix) -> sp.csr_matrix:
    """The strictly positive entries of a sparse matrix (the only candidates of a co-purchase source)."""
    m = sp.csr_matrix(matrix, dtype=np.float32)
    m.data[~(m.data > 0)] = 0
    m.eliminate_zeros()
    return m
