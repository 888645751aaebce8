"""Ranking metrics as pure functions, defined as in ../shared/tools/recsys_bench.py so figures agree."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def recall_at_k(recommended: Sequence[int], relevant: set[int], k: int) -> float:
    """Hits in the top k over min(|relevant|, k), so a perfect list scores 1 even with many targets."""
    if not relevant:
        return 0.0
    hits = sum(1 for j in recommended[:k] if j in relevant)
    return hits / min(len(relevant), k)


def ndcg_at_k(recommended: Sequence[int], relevant: set[int], k: int) -> float:
    if not relevant:
        return 0.0
    dcg = sum(1.0 / np.log2(rank + 2) for rank, j in enumerate(recommended[:k]) if j in relevant)
    ideal = sum(1.0 / np.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return float(dcg / ideal)


def gini(exposure: np.ndarray) -> float:
    """Gini of how often each product is recommended: 0 = every product equally, 1 = one product only."""
    e = np.sort(np.asarray(exposure, dtype=np.float64))
    cum = np.cumsum(e)
    if len(e) == 0 or cum[-1] == 0:
        return 1.0
    return float(1 - 2 * np.sum(cum) / (len(e) * cum[-1]) + 1 / len(e))


def coverage(exposure: np.ndarray) -> float:
    """Share of the catalog recommended to at least one customer."""
    return float((np.asarray(exposure) > 0).mean()) if len(exposure) else 0.0
