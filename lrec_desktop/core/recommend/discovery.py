"""The discovery control: "bestsellers ↔ hidden gems". 0 ranks for accuracy alone; above 0 a share of each
list (up to half, at 1) goes to rarely sold and new products, the best of them for this customer.

Slots rather than a popularity penalty: a penalty strong enough to lift the long tail also floods every
list with never-sold products (measured on ml-latest-small: recall@20 fell 0.17 → 0.01 at α = 0.5), while
slots bound the cost — a shop owner who asks for 2 hidden gems in 20 gets 2.
"""

from __future__ import annotations

import numpy as np

from lrec_desktop.core.cf.sparse_topk import top_n
from lrec_desktop.core.store.settings import DISCOVERY

# A little discovery by default: 1 hidden gem in 10 (2 in 20). Measured with recsys_bench at top 20 (blend
# 0.3, gate 4): ml-latest-small recall@20 0.1692 → 0.1624 (still above EASE's 0.1612), coverage 0.143 → 0.183;
# hetrec-lastfm recall 0.2731 → 0.2657, tail recall 0.027 → 0.044, coverage 0.123 → 0.172.
DEFAULT_DISCOVERY = DISCOVERY.default  # 0.2, kept with the shop's other settings (store/settings.py)
MAX_DISCOVERY_SHARE = 0.5


def discovery_slots(n: int, discovery: float) -> int:
    return round(n * MAX_DISCOVERY_SHARE * min(max(discovery, 0.0), 1.0))


def rerank(scores: np.ndarray, n: int, discovery: float, long_tail: np.ndarray,
           gem_scores: np.ndarray | None = None) -> list[int]:
    """Indices of the top ``n``: best scores, with discovery slots spread through the list for the best
    ``long_tail`` products (rarely sold or new) by ``gem_scores`` (default: ``scores``). ``scores`` are
    -inf for products that may not be shown; the same products must be -inf or <= 0 in ``gem_scores``."""
    m = discovery_slots(n, discovery)
    if m == 0:
        return [int(j) for j in top_n(scores, n)]
    gem = scores if gem_scores is None else np.where(np.isfinite(scores) & (gem_scores > 0), gem_scores, -np.inf)
    gems = [int(j) for j in top_n(np.where(long_tail, gem, -np.inf), m)]
    rest = [int(j) for j in top_n(np.where(np.isin(np.arange(len(scores)), gems), -np.inf, scores), n)]
    m = len(gems)
    # Gems at evenly spaced places (for 2 in 20: 7th and 13th), so the top stays the surest picks.
    places = {round((k + 1) * n / (m + 1)) - 1 for k in range(m)}
    out: list[int] = []
    for rank in range(n):
        source = gems if (rank in places and gems) or not rest else rest
        if not source:
            break
        out.append(source.pop(0))
    return out
