"""Measuring the recommendations: on each customer's latest purchases (kept with the shop), and how they
spread over the catalog at each discovery level (the long tail)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.evaluate.longtail import LongTailReport
    from lrec_desktop.core.evaluate.run import Evaluation
    from lrec_desktop.core.recommend.service import Recommender

SWEEP_LEVELS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)  # discovery levels the Long tail page measures once
MODES = ("hybrid", "sales", "text")


def longtail_sample() -> int:
    """Above this many customers, a sample of them is counted in the long-tail reports."""
    from lrec_desktop.core.evaluate.longtail import MAX_CUSTOMERS

    return int(MAX_CUSTOMERS)


def longtail_reports(db_path: Path, levels: Sequence[float], recommender: Recommender | None = None, k: int = 10, *,
                     progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> list[LongTailReport]:
    """How sales and the recommendations spread over the catalog, one report per discovery level."""
    from lrec_desktop.core.evaluate.longtail import longtail_reports as reports

    return list(reports(Path(db_path), list(levels), k=k, recommender=recommender, progress=progress,
                        cancel=cancel))


def evaluate_shop(db_path: Path, mode: str = "hybrid", k: int = 20, *, discovery: float | None = None,
                  text_weight: float | None = None, gate_buyers: float | None = None, save: bool = True,
                  progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Evaluation:
    """The heavy job: measure the recommendations on each customer's latest purchases (kept with the shop).
    ``text_weight`` and ``gate_buyers`` tune the blend (the command line's, for experiments)."""
    from lrec_desktop.core.evaluate.run import evaluate
    from lrec_desktop.core.recommend.service import blend_config
    from lrec_desktop.core.text.vector_store import active_text_model

    config = None
    if text_weight is not None or gate_buyers is not None:
        with opened(db_path, readonly=True) as db:
            config = blend_config(active_text_model(db))  # the active version's own discovery-slot weight
        if text_weight is not None:
            config = replace(config, text_weight=text_weight)
        if gate_buyers is not None:
            config = replace(config, gate_buyers=gate_buyers)
    return evaluate(Path(db_path), k=k, mode=mode, config=config, discovery=discovery, save=save, progress=progress,
                    cancel=cancel)


def evaluation_history(db_path: Path, *, progress: ProgressFn = no_progress,
                       cancel: CancelToken | None = None) -> list[dict[str, Any]]:
    """The evaluations kept with the shop, oldest first (each the figures, its mode, model and time)."""
    from lrec_desktop.core.evaluate.run import evaluation_history as history

    return list(history(Path(db_path)))
