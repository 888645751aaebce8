"""The one-line summary of what a learned version changed, as the version list shows it."""

from __future__ import annotations

import pytest

from lrec_desktop.core.evaluate.run import Evaluation
from lrec_desktop.gui.readiness import learned_words, long_tail_share


def _evaluation(tail: float, cold: float, tail_targets: int, cold_targets: int) -> Evaluation:
    return Evaluation(k=20, customers=100, recall=0.2, ndcg=0.1, tail_recall=tail, cold_recall=cold, coverage=0.1,
                      gini=0.9, tail_share=0.1, tail_targets=tail_targets, cold_targets=cold_targets,
                      algorithm="ease", mode="hybrid", discovery=0.2, model_version="v0001", seconds=1.0)


def test_each_held_out_purchase_counts_once_as_in_the_core() -> None:
    # 5 tail hits lost, 2 new-product hits won: fewer purchases found, though the two recalls sum higher.
    before, after = _evaluation(44 / 2924, 4 / 906, 2924, 906), _evaluation(39 / 2924, 6 / 906, 2924, 906)
    assert after.tail_recall + after.cold_recall > before.tail_recall + before.cold_recall
    assert long_tail_share(before.as_dict()) == pytest.approx(before.long_tail_recall) == pytest.approx(48 / 3830)
    assert long_tail_share(after.as_dict()) == pytest.approx(45 / 3830)
    words = learned_words(before.as_dict(), after.as_dict())
    assert words.startswith("rarely sold and new products found:") and "(-6%)" in words
    assert learned_words({}, after.as_dict()) == ""


def test_a_handful_found_is_too_few_to_tell() -> None:
    before = {"tail_targets": 931, "cold_targets": 96, "tail_recall": 2 / 931, "cold_recall": 0.0}
    after = {**before, "tail_recall": 1 / 931}
    words = learned_words(before, after)
    assert words.endswith("per 100 (too few found to tell a change)") and "%" not in words
