"""Ranking a batch of customers with a trained ranker: candidates, features, scores, best first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lrec_desktop.core.rank import features as feats
from lrec_desktop.core.rank.context import ShopContext
from lrec_desktop.core.rank.model import Ranker
from lrec_desktop.core.rank.sources.base import Batch


@dataclass
class Ranked:
    items: np.ndarray  # candidates, best first
    scores: np.ndarray  # the ranker's score of each at the slider's level
    gem_scores: np.ndarray | None  # the last level's score of each, when the slider uses discovery slots
    evidence: np.ndarray  # candidates × sources, each source's scaled score (for the reason)


def rank(ctx: ShopContext, ranker: Ranker, batch: Batch, last_ts: np.ndarray, blocked: Sequence[np.ndarray],
         discovery: float) -> list[Ranked]:
    """Every customer's candidates (none of ``blocked[row]``) ordered by the ranker at ``discovery``."""
    cands = feats.build(ctx, batch, last_ts, blocked)
    scores, gems = ranker.scores_at(cands.features, cands.sizes, discovery)
    out, start = [], 0
    for items, evidence in zip(cands.items, cands.source_scores, strict=True):
        span = slice(start, start + len(items))
        start += len(items)
        order = np.argsort(-scores[span], kind="stable")
        out.append(Ranked(items[order], scores[span][order], None if gems is None else gems[span][order],
                          evidence[order]))
    return out
