"""What the slider's default means for this shop, chosen on its own inner hold-out.

The trained levels and the discovery slots trade accuracy for rarely sold and new products at a rate that
differs from shop to shop: on one the lists can take a third more rarely sold products for nothing, on another
every one costs a sale. A fixed default (0.2) suited neither in general, so the default is chosen per shop on
the validation customers the ranker kept aside: the knee of the shop's own curve of recall@20 against rarely
sold recall@20 over the slider's range, where the sum of both, each scaled to its range over the slider, is
largest: the point past which more hidden gems cost more sales than they did on average, with no weight or
threshold that could suit one shop only. The curve is smoothed over neighbouring positions first (a few
hundred validation customers make it jumpy, as they did the boosting rounds: train.best_round). The lists
are composed exactly as they are served (levels mixed, discovery slots from the last level), so the choice is
about the lists the owner gets. The knee replaces the usual 0.2 only when the validation customers show it
better by more than one paired standard error: a small shop's noise keeps the usual default.

Tried first, on ml-latest-small and hetrec-lastfm's own hold-outs: the most discovery within one paired standard
error of the best recall. It sent hetrec-lastfm to no discovery at all (its validation recall falls at every
step, by more than the error of 370 customers) and ml-latest-small to 0.3 (120 customers: a wide error).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrec_desktop.core.rank.levels import NEW, TAIL, mix, slot_share, standardise
from lrec_desktop.core.recommend.discovery import DEFAULT_DISCOVERY, rerank

K = 20
POSITIONS = tuple(round(float(p), 2) for p in np.linspace(0.0, 1.0, 21))


@dataclass(frozen=True)
class Held:
    """Validation customers: their candidates and what they bought after the cut."""

    items: list[np.ndarray]  # per customer, candidate products
    targets: list[np.ndarray]  # per customer, held-out products
    classes: list[np.ndarray]  # per customer, each held-out product's class (levels.HEAD / TAIL / NEW)
    long_tail: np.ndarray  # bool per product: rarely sold or new (what discovery slots take)


def top_lists(level_scores: list[np.ndarray], sizes: np.ndarray, held: Held, position: float) -> list[np.ndarray]:
    """Each validation customer's top K at an internal slider ``position``, composed as service.py serves it."""
    levels = [standardise(s, sizes) for s in level_scores]
    scores = mix(levels, position)
    slots = slot_share(position)
    out, start = [], 0
    for items in held.items:
        span = slice(start, start + len(items))
        start += len(items)
        s = scores[span]
        if slots <= 0:
            out.append(items[np.argsort(-s, kind="stable")[:K]])
            continue
        gems = levels[-1][span]
        gems = gems - gems.min(initial=0.0) + 1.0
        out.append(items[np.asarray(rerank(s, K, slots, held.long_tail[items], gems), dtype=np.int64)])
    return out


def point(lists: list[np.ndarray], held: Held) -> dict:
    """recall@K (the customers' mean), and tail / new-product recall@K over all their held-out purchases."""
    recall = np.zeros(len(lists))
    tail_hits = np.zeros(len(lists))
    hit = {TAIL: 0, NEW: 0}
    total = {TAIL: 0, NEW: 0}
    for n, (top, target, cls) in enumerate(zip(lists, held.targets, held.classes, strict=True)):
        got = np.isin(target, top)
        recall[n] = got.sum() / max(min(len(target), K), 1)
        tail_hits[n] = (got & (cls == TAIL)).sum()
        for c in (TAIL, NEW):
            total[c] += int((cls == c).sum())
            hit[c] += int((got & (cls == c)).sum())
    return {"per_customer": recall, "tail_hits": tail_hits, "tail_targets": total[TAIL],
            "recall": float(recall.mean()) if len(recall) else 0.0,
            "tail_recall": hit[TAIL] / max(total[TAIL], 1), "cold_recall": hit[NEW] / max(total[NEW], 1)}


def _smooth(values: np.ndarray) -> np.ndarray:
    """Each position averaged with its neighbours (the ends with themselves)."""
    padded = np.r_[values[0], values, values[-1]]
    return np.convolve(padded, np.ones(3) / 3, mode="valid")


def _scaled(values: np.ndarray) -> np.ndarray:
    spread = float(values.max() - values.min())
    return (values - values.min()) / spread if spread > 0 else np.zeros_like(values)


def choose(points: list[dict], positions: tuple[float, ...] = POSITIONS,
           default: float = DEFAULT_DISCOVERY) -> float:
    """The knee of the smoothed (recall, rarely sold recall) curve: the largest sum of both, each scaled to its
    range; the least discovery among equals. It replaces ``default`` only when the validation customers show it
    better by more than one paired standard error of that sum (each customer's share of it), so that a small
    shop's noise does not move the default (ml-latest-small's 122 validation customers put the knee at 0.25 in
    one training and 0.45 in another of the same data)."""
    recall = _smooth(np.array([p["recall"] for p in points], dtype=np.float64))
    tail = _smooth(np.array([p["tail_recall"] for p in points], dtype=np.float64))
    knee = int(np.argmax(_scaled(recall) + _scaled(tail)))
    if default not in positions or "per_customer" not in points[knee]:
        return float(positions[knee])
    spread_r = max(float(recall.max() - recall.min()), 1e-12)
    spread_t = max(float(tail.max() - tail.min()), 1e-12)

    def share(p: dict) -> np.ndarray:  # each customer's part of the scaled sum (its mean is the sum)
        n = len(p["per_customer"])
        return p["per_customer"] / spread_r + n * p["tail_hits"] / max(p["tail_targets"], 1) / spread_t

    at = positions.index(default)
    diff = share(points[knee]) - share(points[at])
    se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else np.inf
    return float(positions[knee]) if diff.mean() > se else float(default)


def calibrate(level_scores: list[np.ndarray], sizes: np.ndarray, held: Held) -> tuple[float, list[dict]]:
    """(the internal position the default stands for, the validation curve: recall, tail, cold per position)."""
    points = [point(top_lists(level_scores, sizes, held, p), held) for p in POSITIONS]
    curve = [{"position": p, "recall": round(q["recall"], 4), "tail_recall": round(q["tail_recall"], 4),
              "cold_recall": round(q["cold_recall"], 4)} for p, q in zip(POSITIONS, points, strict=True)]
    return choose(points), curve


def slider_position(discovery: float, default: float, default_position: float) -> float:
    """The slider (0..1) mapped onto the internal positions: 0 and 1 stay, the default becomes
    ``default_position``, linearly in between (monotone: more on the slider is never less discovery)."""
    d = min(max(discovery, 0.0), 1.0)
    if d <= default:
        return d / default * default_position if default > 0 else default_position
    return default_position + (d - default) / (1.0 - default) * (1.0 - default_position)
