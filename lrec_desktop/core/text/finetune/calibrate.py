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


@dataclass(frozen=True)
class Calibration:
    weight: float
    evaluation: Evaluation  # at the chosen weight
    tried: dict[float, dict[str, float]]  # weight → recall, tail and cold recall on the hold-out

    def as_dict(self) -> dict:
        return {"gem_text_weight": self.weight, "tried": {str(k): v for k, v in self.tried.items()}}


def calibrate_gem_text_weight(db_path: Path, text_model: dict, weights: tuple[float, ...] = GEM_TEXT_WEIGHTS, *,
                              progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Calibration:
    """The weight that finds most held-out rarely sold and new purchases with overall recall kept within 1%
    of the first weight's (ties: the earlier weight). One fit of the earlier purchases serves every weight."""
    configs = [BlendConfig(gem_text_weight=w) for w in weights]
    results = evaluate_configs(db_path, configs, text_model=text_model, progress=progress, cancel=cancel)
    floor = results[0].recall * (1 - OVERALL_TOLERANCE)
    best = 0
    for n, result in enumerate(results):
        if result.recall >= floor and result.long_tail_recall > results[best].long_tail_recall:
            best = n
    tried = {w: {"recall": round(r.recall, 5), "tail_recall": round(r.tail_recall, 5),
                 "cold_recall": round(r.cold_recall, 5)} for w, r in zip(weights, results, strict=True)}
    return Calibration(weights[best], results[best], tried)
