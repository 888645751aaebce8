"""What the slider's default means for this shop, chosen on its own inner hold-out.

The trained levels and the discovery slots trade accuracy for rarely sold and new products at a rate that
differs from shop to shop: on one the lists can take a third more rarely sold products for nothing, on another
every one costs a sale. So the default is chosen per shop, on every customer of its inner hold-out (each scored
by rankers that did not learn from them: train.fit_levels), as a promise an owner can be told in one sentence:
**the most rarely sold and new products the lists can show while still catching at least 95% of the later
purchases they would catch at best** (ACCURACY_BUDGET), and a promise kept with confidence: a position is within
the budget only when its paired lower bound (one-sided 95%, over the hold-out's customers) is. The curves are
smoothed over neighbouring positions first. The lists are composed exactly as they are served (levels mixed,
discovery slots from the last level), so the choice is about the lists the owner gets.

Tried before, on ml-latest-small and hetrec-lastfm's own hold-outs: (1) the most discovery within one paired
standard error of the best recall: hetrec-lastfm went to no discovery at all (370 customers make the error
small) and ml-latest-small to 0.3 (120 customers: a wide one); (2) the knee of the recall-vs-tail curve (the
largest sum of both, each scaled to its range), kept only when better than 0.2 by a paired standard error: on
122 validation customers it chose 0.45 in one training and 0.25 in another of the same data, and at 0.45 the
lists caught fewer later purchases than EASE with text (0.99x). A budget in the owner's terms, on all the
hold-out's customers, moves less with noise. (3) That budget
on the mean alone: the position with the most rarely sold recall among the noisy estimates within it is the one
whose recall was estimated luckiest, so the lists later gave up more than promised (ml-latest-small: 4% on the
hold-out at the chosen 0.4, 8% on later purchases); the lower bound asks the budget to hold for the customers'
spread too, and spends less where a few hundred customers make it wide (ml-latest-small: 0.25 with the ranker's
learning rate at 0.1, 0.15 with 0.05), about as much where a few thousand make it narrow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrec_desktop.core.rank.levels import NEW, TAIL, mix, slot_share, standardise
from lrec_desktop.core.recommend.discovery import rerank

K = 20
# The share of the later purchases the default may give up, at most, to show rarely sold and new products.
ACCURACY_BUDGET = 0.05
# One-sided 95% normal quantile: how surely a position's recall must be within the budget.
CONFIDENCE_Z = 1.645
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
    hit = {TAIL: 0, NEW: 0}
    total = {TAIL: 0, NEW: 0}
    for n, (top, target, cls) in enumerate(zip(lists, held.targets, held.classes, strict=True)):
        got = np.isin(target, top)
        recall[n] = got.sum() / max(min(len(target), K), 1)
        for c in (TAIL, NEW):
            total[c] += int((cls == c).sum())
            hit[c] += int((got & (cls == c)).sum())
    return {"recall": float(recall.mean()) if len(recall) else 0.0,
            "tail_recall": hit[TAIL] / max(total[TAIL], 1), "cold_recall": hit[NEW] / max(total[NEW], 1),
            "per_customer": recall}


def _smooth(values: np.ndarray) -> np.ndarray:
    """Each position averaged with its neighbours (the ends with themselves), along the first axis."""
    padded = np.concatenate([values[:1], values, values[-1:]])
    return (padded[:-2] + padded[1:-1] + padded[2:]) / 3


def _within_budget(recall: np.ndarray, best: int, per_customer: np.ndarray | None) -> np.ndarray:
    """Per position, whether its smoothed recall keeps (1 - ACCURACY_BUDGET) of the best's: on the customers'
    mean, and where each customer's recall is known, on its paired lower bound (CONFIDENCE_Z)."""
    floor = (1.0 - ACCURACY_BUDGET) * recall[best]
    if per_customer is None or per_customer.shape[1] < 2:
        return recall >= floor
    smooth = _smooth(per_customer.astype(np.float64))
    margin = smooth - (1.0 - ACCURACY_BUDGET) * smooth[best][None, :]  # paired: the same customers at both
    spread = margin.std(axis=1, ddof=1) / np.sqrt(margin.shape[1])
    return (recall >= floor) & (margin.mean(axis=1) - CONFIDENCE_Z * spread >= 0)


def choose(points: list[dict], positions: tuple[float, ...] = POSITIONS) -> float:
    """The position with the most rarely sold recall (smoothed) among those whose smoothed recall stays within
    ACCURACY_BUDGET of the best (surely so, where the points carry each customer's recall); the least discovery
    among equals."""
    recall = _smooth(np.array([p["recall"] for p in points], dtype=np.float64))
    tail = _smooth(np.array([p["tail_recall"] for p in points], dtype=np.float64))
    best = int(np.argmax(recall))
    known = all("per_customer" in p for p in points)
    per_customer = np.array([p["per_customer"] for p in points], dtype=np.float64) if known else None
    within = np.flatnonzero(_within_budget(recall, best, per_customer))
    # Only the positions from the best one on that never dip below the budget on the way (a jumpy curve can
    # come back above it at a far position that its neighbours would not support).
    run = [int(i) for i in within if i >= best]
    contiguous = [i for n, i in enumerate(run) if i - best == n]
    if not contiguous:
        return float(positions[best])
    chosen = max(contiguous, key=lambda i: (tail[i], -i))
    return float(positions[chosen])


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
