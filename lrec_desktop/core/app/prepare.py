"""Preparing recommendations after the sales changed, and loading them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.recommend.model import CFConfig
    from lrec_desktop.core.recommend.service import Recommender


def is_prepared(db_path: Path) -> bool:
    """Whether recommendations were prepared for the shop's current sales (quick: a file and a setting)."""
    from lrec_desktop.core.recommend.service import is_prepared as check

    return bool(check(Path(db_path)))


def prepare(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> CFConfig:
    """The heavy job: fit and save the recommendations and the shop's learned ranking."""
    from lrec_desktop.core.recommend.model import prepare as fit

    return fit(Path(db_path), progress=progress, cancel=cancel)


def load_recommender(db_path: Path, *, progress: ProgressFn = no_progress,
                     cancel: CancelToken | None = None) -> Recommender:
    """Prepare recommendations if the sales changed, then load them (a heavy job)."""
    from lrec_desktop.core.recommend.service import Recommender

    return Recommender.load(Path(db_path), progress=progress, cancel=cancel)


def default_discovery() -> tuple[float, float]:
    """(the slider's usual setting, the share of the later purchases the best lists catch that the learned
    ranking's lists still catch there, at least: it gives the rest to rarely sold and new products)."""
    from lrec_desktop.core.rank.calibrate import ACCURACY_BUDGET
    from lrec_desktop.core.recommend.discovery import DEFAULT_DISCOVERY

    return float(DEFAULT_DISCOVERY), 1.0 - float(ACCURACY_BUDGET)


def min_customers_to_learn() -> int:
    """Customers who came back to buy again that a shop needs before it learns its own ranking."""
    from lrec_desktop.core.rank.train import MIN_CUSTOMERS

    return int(MIN_CUSTOMERS)
