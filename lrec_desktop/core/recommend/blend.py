"""Blending co-purchase evidence with product-text similarity, gated by how much a product has sold.

Per customer, both signals are put on one scale (each row's best candidate = 1), then

    score(j) = cf(j) + text_weight · gate(j) · text(j),   gate(j) = gate_buyers / (gate_buyers + buyers(j))

so a product with no sales leans entirely on its description and a bestseller on what sold with what.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BlendConfig:
    # First tuned on an inner temporal split of ml-latest-small (tests/benchmarks/bench_text.py): 0.25 and 2
    # buyers kept collaborative filtering's recall while never-sold products entered the lists; at weight 0.5
    # overall recall dropped 12-20%. Retuned once the discovery slots and item-kNN were in place, on each
    # shop's own hold-out (`lrec-desktop evaluate`, no test data): 0.3 and 4 buyers beat 0.25 and 2 on
    # ml-latest-small (recall@20 0.1938 → 0.1960, tail 0.0096 → 0.0106, cold equal) and on hetrec-lastfm
    # (0.2267 → 0.2269, tail 0.0316 → 0.0364, cold 0.0267 → 0.0271). More is the discovery control's job.
    text_weight: float = 0.3
    gate_buyers: float = 4.0
    # How much the discovery slots lean on products described like what the customer bought (text neighbours,
    # core/recommend/text_side.py). recsys_bench at discovery 0.2, general model, 0 → 0.5: hetrec-lastfm tail
    # recall@20 0.0438 → 0.0482, cold 0.0260 → 0.0350; ml-latest-small tail 0.0118 → 0.0128, cold 0.0068 →
    # 0.0076; overall recall no lower. A version learned from the shop's sales gets its own, chosen on the shop's
    # hold-out (core/finetune/calibrate.py).
    gem_text_weight: float = 0.5


def gate(popularity: np.ndarray, gate_buyers: float) -> np.ndarray:
    """1 for a product nobody bought, ½ at ``gate_buyers`` buyers, towards 0 for bestsellers."""
    return (gate_buyers / (gate_buyers + np.maximum(popularity, 0.0))).astype(np.float32)


def scale_rows(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its largest positive value; negatives become 0 (no evidence for)."""
    top = scores.max(axis=1, keepdims=True)
    return np.where(top > 0, np.maximum(scores, 0) / np.where(top > 0, top, 1), 0).astype(np.float32)


def text_scale_rows(similarity: np.ndarray) -> np.ndarray:
    """Cosine similarities → 0..1 per row: the row's median maps to 0 and its best match to 1.

    Raw cosines from a general model sit in a narrow band (0.2-0.6 for unrelated products), so only how
    far a product stands above the typical one says anything.
    """
    median = np.median(similarity, axis=1, keepdims=True)
    top = similarity.max(axis=1, keepdims=True)
    span = np.where(top > median, top - median, 1.0)
    return np.clip((similarity - median) / span, 0.0, 1.0).astype(np.float32)


def blend(cf: np.ndarray, text: np.ndarray | None, popularity: np.ndarray,
          config: BlendConfig) -> tuple[np.ndarray, np.ndarray]:
    """(blended scores, share of each score that came from text), both customers × products."""
    cf_part = scale_rows(cf)
    if text is None or config.text_weight <= 0:
        return cf_part, np.zeros_like(cf_part)
    text_part = config.text_weight * gate(popularity, config.gate_buyers)[None, :] * text_scale_rows(text)
    total = cf_part + text_part
    share = np.divide(text_part, total, out=np.zeros_like(total), where=total > 0)
    return total, share
