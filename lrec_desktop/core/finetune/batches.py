"""Training batches in which no product appears twice, so no product is ever its own negative.

The loss (in-batch negatives) takes every other candidate of the batch as a wrong answer for an anchor. Batched
by a plain permutation, a product often came twice in one batch (the same positive for two anchors, or an
anchor that is another pair's positive or hard negative): the loss then pushed a product away from itself. On
the demo shop 93% of batches had such a duplicate, on ml-latest-small 36% (tests/benchmarks/
bench_batch_duplicates.py). As sentence-transformers' NoDuplicatesBatchSampler: pairs are taken in a shuffled
order, and a pair that shares a product with the batch being filled waits for the next batch.
"""

from __future__ import annotations

import numpy as np

from lrec_desktop.core.finetune.pairs import PairSet


def pair_products(pairs: PairSet, i: int) -> tuple[int, ...]:
    """The products of pair ``i``: anchor, positive and its hard negative where it has one."""
    negative = int(pairs.negatives[i])
    own = (int(pairs.anchors[i]), int(pairs.positives[i]))
    return (*own, negative) if negative >= 0 else own


def no_duplicate_batches(pairs: PairSet, batch_size: int, rng: np.random.Generator, *,
                         min_size: int | None = None) -> list[np.ndarray]:
    """Pair indices in batches of up to ``batch_size``, no product twice in a batch (anchors, positives and hard
    negatives together). Batches fill in shuffled order; the last ones hold the pairs of products that are in
    very many pairs (one per batch at most): once a batch stays smaller than ``min_size`` (default a quarter of
    the batch, at least 2; never more than the first batch) because the pairs left do not fit together, they are
    left out, since they would repeat the same few products in steps with hardly any negatives."""
    floor = max(2, batch_size // 4) if min_size is None else min_size
    products = [pair_products(pairs, i) for i in range(len(pairs))]
    # A pair whose own products repeat (anchor = positive) teaches nothing and could never join a clean batch.
    waiting = [int(i) for i in rng.permutation(len(pairs)) if len(set(products[i])) == len(products[i])]
    batches: list[np.ndarray] = []
    while waiting:
        used: set[int] = set()
        batch: list[int] = []
        skipped: list[int] = []
        k = 0
        while k < len(waiting) and len(batch) < batch_size:
            i = waiting[k]
            k += 1
            if used.isdisjoint(products[i]):
                batch.append(i)
                used.update(products[i])
            else:
                skipped.append(i)
        if not batches:
            floor = min(floor, len(batch))  # a tiny catalog fills no batch: its first sets the measure
        elif len(batch) < floor and skipped:
            break  # small for want of pairs that fit, not of pairs: a few crowded products are left, one per batch
        batches.append(np.asarray(batch, dtype=np.int64))
        waiting = skipped + waiting[k:]
    return batches


def has_duplicate(pairs: PairSet, batch: np.ndarray) -> bool:
    """Whether some product appears twice among the batch's anchors, positives and hard negatives."""
    seen = [p for i in batch for p in pair_products(pairs, int(i))]
    return len(seen) != len(set(seen))


def duplicate_share(pairs: PairSet, batches: list[np.ndarray]) -> float:
    """Share of ``batches`` holding some product twice."""
    return sum(has_duplicate(pairs, b) for b in batches) / len(batches) if batches else 0.0
