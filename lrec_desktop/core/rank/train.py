"""Training the shop's ranker on its own history: features from each customer's earlier purchases,
targets from their latest ones (the same per-customer time cut `evaluate` uses), products first sold after
the cut counting as the shop's new products. Every setting that is chosen is chosen here, on the shop."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.cf.data import PurchaseMatrix
from lrec_desktop.core.cf.knn import fit_item_knn
from lrec_desktop.core.evaluate.split import Split
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.rank import features as feats
from lrec_desktop.core.rank.calibrate import Held, calibrate
from lrec_desktop.core.rank.context import ItemInfo, ShopContext
from lrec_desktop.core.rank.levels import (
    COLD_GAINS,
    HEAD,
    NEW,
    NOT_BOUGHT,
    TAIL,
    TAIL_GAINS,
    bracket,
    even_positions,
    gains_at,
    label_gain,
)
from lrec_desktop.core.rank.model import Bag, Ranker, RankerConfig
from lrec_desktop.core.rank.signals import ProductSignals
from lrec_desktop.core.rank.sources.baskets import OrderLines, basket_weights
from lrec_desktop.core.rank.sources.rp3beta import fit_rp3beta
from lrec_desktop.core.recommend.catalog import head_mask

log = logging.getLogger(__name__)

# Below these, a learned ranking would be noise and the shop keeps the blend: customers with held-out purchases
# (each a LambdaRank query) and held-out purchases found among their candidates (the positives it learns from).
MIN_CUSTOMERS = 200
MIN_HITS = 300
MAX_CUSTOMERS = 6000  # a seeded sample beyond this: enough to learn ~40 features, bounded time on big shops
# Customers are split in FOLDS: each fold's purchases are scored by rankers trained on the others.
FOLDS = 2
K = 20
SEED = 0
BATCH_CELLS = 8_000_000  # dense scores per source held at once (customers × products)
# learning_rate 0.05 (was 0.1): smaller steps over more rounds; on both shops' own hold-outs (out of fold, three
# seeds of folds and negatives) recall@20 at no discovery rose 2-5% (ml-latest-small) and ~1% (hetrec-lastfm).
PARAMS = {
    "objective": "lambdarank", "metric": "ndcg", "eval_at": [K], "lambdarank_truncation_level": K,
    "learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 50, "feature_fraction": 0.8,
    "bagging_fraction": 0.8, "bagging_freq": 1, "verbose": -1, "seed": SEED, "deterministic": True,
    "force_col_wise": True,
    # One thread: on a 2-core machine that is also drawing the window (or running anything else), two OpenMP
    # threads spin against each other: 50 rounds on 150,000 rows took 2.3 s a round with 2, 0.55 s with 1.
    "num_threads": 1,
}
# Boosters per level, each from its own sample of negatives and LightGBM's row and feature subsets, their scores
# averaged: one booster's lists moved with its seed (recall@20 ±2% between retrainings of the same data).
BAGS = 2
MAX_ROUNDS = 250
PATIENCE = 50
SMOOTH = 15
MIN_ROUNDS = 20
# Per customer, every candidate they bought and this many of the others: LambdaRank learns the order from
# pairs with a purchase in them, so most of the unbought candidates only cost time.
NEGATIVES = 80


@dataclass
class Labelled:
    candidates: feats.Candidates
    labels: np.ndarray  # class per candidate row (levels.NOT_BOUGHT .. NEW)
    targets: list[np.ndarray]  # per customer, every held-out product (found among the candidates or not)
    classes: list[np.ndarray]  # per customer, the class of each held-out product


def context_for(purchases: PurchaseMatrix, co_purchase: sp.csr_matrix, knn: sp.csr_matrix | None,
                info: ItemInfo, baskets: sp.csr_matrix | None = None,
                text_cf: sp.csr_matrix | None = None) -> ShopContext:
    """Sources and product signals of one purchase history (the inner train part, or the whole shop)."""
    signals = ProductSignals.of(purchases.X, purchases.ts, head_mask(purchases.popularity))
    return ShopContext.assemble(signals, info, co_purchase, knn, fit_rp3beta(purchases.X), baskets, text_cf)


def worth(levels: Levels) -> float:
    """How good a trained ranker's lists are on its validation customers, over the whole slider: recall@20
    plus rarely sold recall@20, averaged over the positions (to compare rankers with and without a source)."""
    return float(np.mean([p["recall"] + p["tail_recall"] for p in levels.calibration])) if levels.calibration else 0.0


def batches(n_rows: int, n_items: int) -> list[tuple[int, int]]:
    size = max(16, min(2048, BATCH_CELLS // max(n_items, 1)))
    return [(a, min(a + size, n_rows)) for a in range(0, n_rows, size)]


def customer_batch(purchases: PurchaseMatrix, rows: np.ndarray, half_life: float,
                   info: ItemInfo) -> tuple[feats.Batch, np.ndarray]:
    sub = purchases.rows(rows)
    return feats.batch_of(sub.X, sub.recent(half_life), info.vectors), purchases.last_times(rows)


def labelled(ctx: ShopContext, split: Split, rows: np.ndarray, half_life: float, cancel: CancelToken,
             progress: ProgressFn) -> Labelled:
    train = split.train
    cold = train.popularity <= 0
    head = ctx.signals.is_head
    parts, labels, targets, classes = [], [], [], []
    spans = batches(len(rows), train.X.shape[1])
    for n, (a, b) in enumerate(spans):
        cancel.raise_if_cancelled()
        progress(n / len(spans), "Finding candidates in the earlier purchases")
        chunk = rows[a:b]
        batch, last = customer_batch(train, chunk, half_life, ctx.info)
        seen = [batch.X.indices[batch.X.indptr[k] : batch.X.indptr[k + 1]] for k in range(len(chunk))]
        cands = feats.build(ctx, batch, last, seen)
        parts.append(cands)
        for k, row in enumerate(chunk):
            held = split.targets[int(row)]
            cls = np.where(cold[held], NEW, np.where(head[held], HEAD, TAIL))
            targets.append(held)
            classes.append(cls)
            lab = np.full(len(cands.items[k]), NOT_BOUGHT, dtype=np.int32)
            pos = np.searchsorted(cands.items[k], held)
            found = (pos < len(cands.items[k])) & (cands.items[k][np.minimum(pos, len(cands.items[k]) - 1)] == held)
            lab[pos[found]] = cls[found]
            labels.append(lab)
    merged = feats.Candidates(
        [c for p in parts for c in p.items], np.concatenate([p.features for p in parts]),
        [s for p in parts for s in p.source_scores])
    return Labelled(merged, np.concatenate(labels), targets, classes)


def figures(scores: np.ndarray, data: Labelled, groups: np.ndarray, offsets: np.ndarray) -> dict[str, float]:
    """recall@K, and the share of held-out rarely sold / new purchases in the top K, over ``groups``."""
    recall = 0.0
    hit = {TAIL: 0, NEW: 0}
    total = {TAIL: 0, NEW: 0}
    for g in groups:
        a, b = offsets[g], offsets[g + 1]
        items = data.candidates.items[g]
        top = set(items[np.argsort(-scores[a:b], kind="stable")[:K]].tolist())
        held, cls = data.targets[g], data.classes[g]
        got = np.array([j in top for j in held.tolist()], dtype=bool)
        recall += got.sum() / min(len(held), K)
        for c in (TAIL, NEW):
            total[c] += int((cls == c).sum())
            hit[c] += int((got & (cls == c)).sum())
    n = max(len(groups), 1)
    return {"recall": recall / n, "tail_recall": hit[TAIL] / max(total[TAIL], 1),
            "cold_recall": hit[NEW] / max(total[NEW], 1), "tail_targets": total[TAIL], "cold_targets": total[NEW]}


def _rows(data: Labelled, groups: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    return np.concatenate([np.arange(offsets[g], offsets[g + 1]) for g in groups]) if len(groups) else np.zeros(
        0, dtype=np.int64)


def _sampled_rows(labels: np.ndarray, groups: np.ndarray, offsets: np.ndarray,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rows of each group's purchases plus NEGATIVES of its other candidates, and the groups' new sizes."""
    rows, sizes = [], []
    for g in groups:
        span = np.arange(offsets[g], offsets[g + 1])
        pos, neg = span[labels[span] > 0], span[labels[span] == 0]
        if len(neg) > NEGATIVES:
            neg = np.sort(rng.choice(neg, NEGATIVES, replace=False))
        rows.append(np.sort(np.concatenate([pos, neg])))
        sizes.append(len(rows[-1]))
    return (np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)), np.asarray(sizes, dtype=np.int64)


def best_round(curve: list[float]) -> int:
    """The boosting round to keep: the best of the validation curve smoothed over SMOOTH rounds, at least
    MIN_ROUNDS. A few hundred validation customers make the raw curve jumpy: its single best round moved from
    24 to 4 when features changed in the last float digit, and recall@20 on recsys_bench with it."""
    if not curve:
        return MIN_ROUNDS
    values = np.asarray(curve, dtype=np.float64)
    width = min(SMOOTH, len(values))
    smooth = np.convolve(values, np.ones(width) / width, mode="valid")  # smooth[i] averages rounds i+1..i+width
    return max(MIN_ROUNDS, int(np.argmax(smooth)) + width)


@dataclass
class Levels:
    boosters: list
    rounds: list[int]
    validation: list[dict[str, float]]  # per trained level, out of fold on every customer of the hold-out
    fit_customers: int  # every customer of the hold-out: each learned from, and scored out of fold
    default_position: float  # what the owner's default stands for (rank/calibrate.py)
    calibration: list[dict[str, float]]
    positions: list[float]  # each booster's internal position, ascending
    tail_gains: list[float]
    cold_gains: list[float]


class _Boosting:
    """LightGBM LambdaRank fits on groups (customers) of one labelled hold-out."""

    def __init__(self, data: Labelled, feature_names: list[str], cancel: CancelToken, progress: ProgressFn,
                 seed: int, steps: int) -> None:
        import lightgbm

        self.lgb = lightgbm
        self.data = data
        self.names = feature_names
        self.cancel = cancel
        self.progress = progress
        self.seed = seed
        self.steps = steps  # fits in all, for the progress bar
        self.done = 0
        self.sizes = data.candidates.sizes
        self.offsets = np.r_[0, np.cumsum(self.sizes)]
        self.useful = np.array([bool((data.labels[self.offsets[g] : self.offsets[g + 1]] > 0).any())
                                for g in range(len(self.sizes))])

    def rows(self, groups: np.ndarray) -> np.ndarray:
        return _rows(self.data, groups, self.offsets)

    def fit(self, gains: tuple[float, float], groups: np.ndarray, valid: np.ndarray | None = None,
            rounds: int | None = None, member: int = 0) -> tuple[Any, int]:
        """(a booster trained on ``groups``, its rounds): early-stopped on ``valid`` (train.best_round), or
        ``rounds`` long. Customers with no held-out purchase among their candidates teach LambdaRank nothing.
        ``member``: which of a level's bagged boosters (its own negatives sampled, its own row and feature
        subsets)."""
        X, labels = self.data.candidates.features, self.data.labels
        groups = groups[self.useful[groups]]
        rng = np.random.default_rng(self.seed + 1 + 7919 * member)
        fit_rows, fit_sizes = _sampled_rows(labels, groups, self.offsets, rng)
        params = {**PARAMS, "label_gain": label_gain(*gains), "seed": SEED + member}
        train_set = self.lgb.Dataset(X[fit_rows], label=labels[fit_rows], group=fit_sizes,
                                     feature_name=self.names, free_raw_data=False, params={"verbose": -1})
        step = self.done

        def check(env: object) -> None:
            self.cancel.raise_if_cancelled()
            self.progress((step + getattr(env, "iteration", 0) / MAX_ROUNDS) / self.steps,
                          "Learning this shop's ranking")

        self.done += 1
        if valid is None:
            booster = self.lgb.train(params, train_set, num_boost_round=max(rounds or MIN_ROUNDS, 1),
                                     callbacks=[check])
            return booster, booster.current_iteration()
        valid = valid[self.useful[valid]]
        valid_set = self.lgb.Dataset(X[self.rows(valid)], label=labels[self.rows(valid)], group=self.sizes[valid],
                                     reference=train_set)
        history: dict = {}
        booster = self.lgb.train(params, train_set, num_boost_round=MAX_ROUNDS, valid_sets=[valid_set],
                                 valid_names=["valid"], keep_training_booster=True,  # every round, to choose
                                 callbacks=[self.lgb.early_stopping(PATIENCE, verbose=False),
                                            self.lgb.record_evaluation(history), check])
        booster.best_iteration = best_round(next(iter(history["valid"].values())))
        return booster, booster.best_iteration


def fit_levels(data: Labelled, feature_names: list[str], is_head: np.ndarray, cancel: CancelToken,
               progress: ProgressFn, seed: int = 0) -> Levels:
    """The levels, the default's position and the validation curve, with every customer of the hold-out both
    learned from and scored: FOLDS rankers per level each score the customers they did not learn from (their
    boosting rounds chosen on those), which gives the slider's default five times the customers the 20% validation part
    of earlier trainings had; then each level is trained once more on all of them, for as many rounds as its
    folds kept on average. A default between two levels gets a level of its own (gains between theirs), so the
    lists most owners get need one booster's scores, not two."""
    boost = _Boosting(data, feature_names, cancel, progress, seed,
                      steps=(FOLDS + BAGS) * len(TAIL_GAINS) + BAGS)
    n_groups = len(boost.sizes)
    order = np.random.default_rng(seed).permutation(n_groups)
    folds = [np.sort(order[k::FOLDS]) for k in range(FOLDS)]
    everyone = np.arange(n_groups)
    gains = list(zip(TAIL_GAINS, COLD_GAINS, strict=True))
    out_of_fold = [np.zeros(len(data.labels), dtype=np.float64) for _ in gains]
    kept: list[list[int]] = [[] for _ in gains]
    for k, held_out in enumerate(folds):
        learn_from = np.sort(np.concatenate([f for j, f in enumerate(folds) if j != k]))
        rows = boost.rows(held_out)
        for n, g in enumerate(gains):
            booster, best = boost.fit(g, learn_from, valid=held_out)
            out_of_fold[n][rows] = booster.predict(data.candidates.features[rows], num_iteration=best, num_threads=1)
            kept[n].append(best)
    validation = [figures(s, data, everyone, boost.offsets) for s in out_of_fold]
    held = Held(data.candidates.items, data.targets, data.classes, ~is_head)
    default_position, curve = calibrate(out_of_fold, boost.sizes, held)
    rounds = [max(MIN_ROUNDS, round(float(np.mean(r)))) for r in kept]
    positions = even_positions(len(gains))
    if default_position not in positions and default_position < positions[-1]:
        low, high, t = bracket(positions, default_position)
        gains.append(gains_at(default_position))
        rounds.append(round((1 - t) * rounds[low] + t * rounds[high]))
        positions.append(default_position)
    order_by_position = np.argsort(positions, kind="stable")
    boosters, used = [], []
    for n in order_by_position:
        members = [boost.fit(gains[n], everyone, rounds=rounds[n], member=m)[0] for m in range(BAGS)]
        boosters.append(Bag(members))
        used.append(rounds[n])
    return Levels(boosters, used, validation, n_groups, default_position, curve,
                  [positions[n] for n in order_by_position], [gains[n][0] for n in order_by_position],
                  [gains[n][1] for n in order_by_position])


def train_ranker(purchases: PurchaseMatrix, split: Split, inner_weights: sp.csr_matrix, info: ItemInfo,
                 half_life: float, *, data_version: int = 0, text_fingerprint: str = "",
                 with_knn: bool = True, lines: OrderLines | None = None, text_cf: sp.csr_matrix | None = None,
                 progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Ranker | None:
    """A ranker for the shop, or None when its history is too small to learn one from (the blend stays).
    ``lines``: the shop's order lines (of ``purchases``' customers), when it has order ids; ``text_cf``: the
    text-aware EASE weights of the split's earlier part (core/cf/ease_text.py), when there are text vectors."""
    cancel = cancel or CancelToken()
    cancel.raise_if_cancelled()
    started = time.monotonic()
    rows = np.fromiter(split.targets, dtype=np.int64, count=len(split.targets))
    if len(rows) < MIN_CUSTOMERS:
        log.info("ranker: %d customers with held-out purchases, fewer than %d: keeping the blend", len(rows),
                 MIN_CUSTOMERS)
        return None
    if len(rows) > MAX_CUSTOMERS:
        rows = np.sort(np.random.default_rng(0).choice(rows, MAX_CUSTOMERS, replace=False))
    progress(0.0, "Learning this shop's ranking")
    knn = fit_item_knn(split.train.X) if with_knn and split.train.X.nnz else None
    n_items = split.train.X.shape[1]
    # Same-basket associations from the earlier part's orders only; trained with and without them, kept only
    # when the validation customers' lists are better with them.
    inner_baskets = basket_weights(lines.without(split.targets, n_items), n_items) if lines is not None else None
    options = [None] + ([inner_baskets] if inner_baskets is not None and inner_baskets.nnz else [])
    tried: list[tuple[float, ShopContext, Levels]] = []
    for n, baskets in enumerate(options):
        share = (n / len(options), (n + 1) / len(options))
        step = sub_progress(progress, *share)
        ctx = context_for(split.train, inner_weights, knn, info, baskets, text_cf)
        data = labelled(ctx, split, rows, half_life, cancel, sub_progress(step, 0.0, 0.4))
        hits = int((data.labels > 0).sum())
        if hits < MIN_HITS:
            if tried:  # the ranker without baskets stands
                break
            log.info("ranker: %d held-out purchases among the candidates, fewer than %d: keeping the blend", hits,
                     MIN_HITS)
            return None
        names = feats.feature_names(ctx.source_names)
        levels = fit_levels(data, names, ctx.signals.is_head, cancel,
                            sub_progress(step, 0.4, 1.0))
        tried.append((worth(levels), ctx, levels))
        log.info("ranker with sources %s: validation worth %.4f", ctx.source_names, tried[-1][0])
    _, ctx, levels = max(tried, key=lambda t: t[0])  # the first (without baskets) among equals
    names = feats.feature_names(ctx.source_names)
    config = RankerConfig(
        feature_names=names, source_names=ctx.source_names, tail_gains=levels.tail_gains, rounds=levels.rounds,
        data_version=data_version, text_fingerprint=text_fingerprint, training_customers=levels.fit_customers,
        validation_customers=0, seconds=round(time.monotonic() - started, 1),
        validation=levels.validation, default_position=levels.default_position, calibration=levels.calibration,
        level_positions=levels.positions, cold_gains=levels.cold_gains, bags=BAGS)
    log.info("ranker trained: %s", config)
    progress(1.0, "Learned this shop's ranking")
    return Ranker(config, levels.boosters)

