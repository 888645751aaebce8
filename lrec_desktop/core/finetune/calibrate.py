"""How much the discovery slots should lean on a learned version's text neighbours, chosen on the shop's own
hold-out: a model that learned what this shop's customers buy together describes alike the products bought
together, so its neighbours find rarely sold products item-kNN has too few sales to see."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lrec_desktop.core.evaluate.run import Evaluation, evaluate_configs
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.recommend.blend import BlendConfig

# Around the general model's 0.5 (BlendConfig): a learned version's neighbours may deserve more, or less.
GEM_TEXT_WEIGHTS = (0.5, 0.25, 1.0, 2.0)  # the first is the reference for overall recall
OVERALL_TOLERANCE = 0.01  # a weight may cost at most 1% of overall recall@20 against the first weight
# Another weight must find this much more (relative) to displace the first: between weights the hold-out differs
# by a few purchases. Both learned versions of 2026-12-03 took 1.0 for +1.2% (hetrec-lastfm) and +1.9%
# (ml-latest-small) on the hold-out, and recsys_bench then found fewer rarely sold products than at 0.5
# (hetrec-lastfm tail recall@20 hits 121 against 138, ml-latest-small 52 against 53; more new ones: 135 against
# 125, 18 against 16): a bigger weight trades rarely sold for new products.
MIN_GAIN = 0.05


@dataclass(frozen=True)
class Calibration:
    weight: float
    evaluation: Evaluation  # at the chosen weight
    tried: dict[float, dict[str, float]]  # weight → recall, tail and cold recall on the hold-out

    def as_dict(self) -> dict:
        return {"gem_text_weight": self.weight, "tried": {str(k): v for k, v in self.tried.items()}}


def calibrate_gem_text_weight(db_path: Path, text_model: dict, weights: tuple[float, ...] = GEM_TEXT_WEIGHTS, *,
                              progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Calibration:
    """The weight that finds most held-out rarely sold and new purchases (see choose), each weight scored on
    the same fit of the earlier purchases."""
    configs = [BlendConfig(gem_text_weight=w) for w in weights]
    results = evaluate_configs(db_path, configs, text_model=text_model, progress=progress, cancel=cancel)
    best = choose(results)
    tried = {w: {"recall": round(r.recall, 5), "tail_recall": round(r.tail_recall, 5),
                 "cold_recall": round(r.cold_recall, 5)} for w, r in zip(weights, results, strict=True)}
    return Calibration(weights[best], results[best], tried)


def choose(results: list[Evaluation]) -> int:
    """Index of the result that finds most held-out rarely sold and new purchases among those that keep overall
    recall within 1% of the first's and find at least MIN_GAIN more than it; else 0, the first (the reference)."""
    floor = results[0].recall * (1 - OVERALL_TOLERANCE)
    reference = results[0].long_tail_recall
    better = [n for n, r in enumerate(results) if n > 0 and r.recall >= floor
              and r.long_tail_recall > reference and r.long_tail_recall >= reference * (1 + MIN_GAIN)]
    return max(better, key=lambda n: (results[n].long_tail_recall, -n), default=0)
