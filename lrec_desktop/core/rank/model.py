"""A trained ranker: one LightGBM booster per discovery level, saved in LightGBM's own text format
(no pickle), with the validation figures it was chosen on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from lrec_desktop.core import artifacts
from lrec_desktop.core.rank.calibrate import slider_position
from lrec_desktop.core.rank.levels import even_positions, levels_used, mix, slot_share, standardise
from lrec_desktop.core.recommend.discovery import DEFAULT_DISCOVERY


@dataclass(frozen=True)
class RankerConfig:
    feature_names: list[str]
    source_names: list[str]
    tail_gains: list[float]
    rounds: list[int]  # boosting rounds kept per level (early stopping on the inner validation customers)
    data_version: int
    text_fingerprint: str  # "" when trained without a text model
    training_customers: int
    validation_customers: int  # kept apart from all learning: 0 since the folds (each customer scored out of fold)
    seconds: float
    # Per level, on the inner validation customers: recall@20, tail and new-product recall@20
    validation: list[dict[str, float]] = field(default_factory=list)
    baseline: dict[str, float] = field(default_factory=dict)  # the blend on the same customers
    # The internal slider position the owner's default stands for, chosen on the validation customers
    # (rank/calibrate.py), and the validation curve it was chosen on. A ranker saved before: the identity.
    default_position: float = DEFAULT_DISCOVERY
    calibration: list[dict[str, float]] = field(default_factory=list)
    # Each level's internal position, ascending: the evenly spread trained levels, and the default's own level
    # when the default falls between two (so the lists most owners get need one booster, not two). Empty in a
    # ranker saved before: evenly spread.
    level_positions: list[float] = field(default_factory=list)
    cold_gains: list[float] = field(default_factory=list)
    bags: int = 1  # boosters per level, their scores averaged (train.BAGS); 1 in a ranker saved before

    def positions(self) -> list[float]:
        return list(self.level_positions) or even_positions(len(self.tail_gains))


class Bag:
    """A level's boosters, trained alike from different samples: their scores averaged."""

    def __init__(self, members: list) -> None:
        self.members = members

    def predict(self, features: np.ndarray, num_threads: int = 1) -> np.ndarray:
        return np.mean([m.predict(features, num_threads=num_threads) for m in self.members], axis=0)


class Ranker:
    def __init__(self, config: RankerConfig, boosters: list) -> None:
        self.config = config
        self.boosters = boosters

    def position(self, discovery: float) -> float:
        """The internal position (of levels and slots) the owner's slider stands for on this shop."""
        return slider_position(discovery, DEFAULT_DISCOVERY, self.config.default_position)

    def scores_at(self, features: np.ndarray, sizes: np.ndarray,
                  discovery: float) -> tuple[np.ndarray, np.ndarray | None]:
        """(scores at the internal position ``discovery``, the last level's scores when discovery slots are in
        use), predicting only the levels that position needs."""
        positions = self.config.positions()
        needed = set(levels_used(len(self.boosters), discovery, positions))
        if slot_share(discovery) > 0:
            needed.add(len(self.boosters) - 1)
        zero = np.zeros(len(features), dtype=np.float32)
        levels = [standardise(b.predict(features, num_threads=1), sizes) if n in needed and len(features) else zero
                  for n, b in enumerate(self.boosters)]
        return mix(levels, discovery, positions), (levels[-1] if slot_share(discovery) > 0 else None)

    def save(self, folder: Path) -> None:
        artifacts.write_json(folder / "ranker.json", asdict(self.config))
        for n, bag in enumerate(self.boosters):
            for m, booster in enumerate(bag.members):
                (folder / _member_file(n, m)).write_text(booster.model_to_string(), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Ranker:
        import lightgbm

        config = RankerConfig(**artifacts.read_json(folder / "ranker.json"))
        boosters = [Bag([lightgbm.Booster(model_str=(folder / _member_file(n, m)).read_text(encoding="utf-8"))
                         for m in range(config.bags)]) for n in range(len(config.tail_gains))]
        return cls(config, boosters)


def _member_file(level: int, member: int) -> str:
    return f"level-{level}.txt" if member == 0 else f"level-{level}-bag-{member}.txt"
