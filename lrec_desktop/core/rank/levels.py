"""Discovery as part of the ranker's objective: purchases of rarely sold and new products count more in
training at a few levels, and the "bestsellers ↔ hidden gems" slider mixes the levels' scores."""

from __future__ import annotations

import numpy as np

# Label gain of a rarely sold or new product's purchase relative to a bestseller's, per trained level.
# Spaced by factors of 4 so neighbouring levels rank visibly differently; the slider's 0 and 1 are the ends.
TAIL_GAINS = (1.0, 4.0, 16.0)
# New products' purchases are fewer still in any hold-out (one in ten or less): they get four times the tail's
# gain, and twice a bestseller's even at the first level, or no level learns to show them at all (on
# ml-latest-small's inner hold-out a level with gain 1 found none of them).
COLD_GAINS = (2.0, 16.0, 64.0)
# The first half of the slider moves through the trained levels; past it, a growing share of each list (up to
# half, at 1) goes to the last level's best rarely sold and new products, as discovery slots: what an owner
# who asks for hidden gems expects, and how far into the long tail the lists can reach.
LEVELS_SPAN = 0.5

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


def slot_share(discovery: float) -> float:
    """The discovery-slot share (0..1, of core/recommend/discovery's maximum) at a slider position."""
    return min(max((discovery - LEVELS_SPAN) / (1.0 - LEVELS_SPAN), 0.0), 1.0)


def even_positions(n_levels: int) -> list[float]:
    """The internal positions of ``n_levels`` trained levels spread evenly over the levels' span."""
    return [LEVELS_SPAN * k / (n_levels - 1) for k in range(n_levels)] if n_levels > 1 else [0.0]


def gains_at(position: float) -> tuple[float, float]:
    """(tail gain, new-product gain) a level at an internal ``position`` is trained with: geometric between the
    neighbouring trained levels (their gains are spaced by factors), so a level between two ranks between them."""
    spots = even_positions(len(TAIL_GAINS))
    low, high, t = bracket(spots, position)
    tail = TAIL_GAINS[low] ** (1 - t) * TAIL_GAINS[high] ** t
    cold = COLD_GAINS[low] ** (1 - t) * COLD_GAINS[high] ** t
    return float(tail), float(cold)


def bracket(positions: list[float], discovery: float) -> tuple[int, int, float]:
    """(the level at or below ``discovery``, the one above, how far between them 0..1) over sorted positions."""
    d = min(max(discovery, positions[0]), positions[-1])
    high = min(int(np.searchsorted(positions, d, side="left")), len(positions) - 1)
    if positions[high] == d or high == 0:
        return high, high, 0.0
    low = high - 1
    return low, high, (d - positions[low]) / (positions[high] - positions[low])


def levels_used(n_levels: int, discovery: float, positions: list[float] | None = None) -> list[int]:
    """The levels whose scores the slider position mixes."""
    low, high, t = bracket(positions or even_positions(n_levels), discovery)
    return [low] if t == 0 or low == high else [low, high]


def mix(level_scores: list[np.ndarray], discovery: float, positions: list[float] | None = None) -> np.ndarray:
    """The slider (0..1) mapped monotonely onto the trained levels at their ``positions`` (evenly spread over
    LEVELS_SPAN unless given): between two neighbours, a linear mix; the last level from its position on."""
    if len(level_scores) == 1:
        return level_scores[0]
    low, high, t = bracket(positions or even_positions(len(level_scores)), discovery)
    return level_scores[low] if t == 0 else (1 - t) * level_scores[low] + t * level_scores[high]
