"""Discovery as part of the ranker's objective: purchases of rarely sold and new products count more in
training at a few levels, and the "bestsellers ↔ hidden gems" slider mixes the levels' scores."""

from __future__ import annotations

import numpy as np

# Label gain of a rarely sold or new product's purchase relative to a bestseller's, per trained level.
# Spaced by factors of 4 so neighbouring levels rank visibly differently; the slider's 0 and 1 are the ends.
TAIL_GAINS = (1.0, 4.0, 16.0)
# New products' purchases are fewer still in any hold-out (one in ten), so they get twice the tail's gain.
COLD_GAINS = (1.0, 8.0, 32.0)

NOT_BOUGHT, HEAD, TAIL, NEW = 0, 1, 2, 3


def label_gain(tail_gain: float, cold_gain: float) -> list[float]:
    """LightGBM's relevance gain per label class (not bought, bestseller, rarely sold, new)."""
    return [0.0, 1.0, tail_gain, cold_gain]


def standardise(scores: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each customer's candidate scores to mean 0 and spread 1, so levels can be mixed."""
    out = np.empty_like(scores, dtype=np.float32)
    start = 0
    for size in sizes:
        s = scores[start : start + size]
        sd = float(s.std()) if size > 1 else 0.0
        out[start : start + size] = (s - s.mean()) / sd if sd > 0 else 0.0
        start += size
    return out


def mix(level_scores: list[np.ndarray], discovery: float) -> np.ndarray:
    """The slider (0..1) mapped monotonely onto the trained levels: between two neighbours, a linear mix."""
    if len(level_scores) == 1:
        return level_scores[0]
    position = min(max(discovery, 0.0), 1.0) * (len(level_scores) - 1)
    low = int(np.floor(position))
    high = min(low + 1, len(level_scores) - 1)
    t = position - low
    return (1 - t) * level_scores[low] + t * level_scores[high]
