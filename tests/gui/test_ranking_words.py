"""The owner is told, in their words, which ranking the lists come from."""

from __future__ import annotations

from types import SimpleNamespace

from lrec_desktop.gui.formatting import default_discovery_words, ranking_in_use


def test_the_learned_ranking_and_the_blend_are_named_in_plain_words() -> None:
    learned = ranking_in_use(SimpleNamespace(learned_from=1234))
    assert "this shop's own customers" in learned and "1,234 customers" in learned
    blend = ranking_in_use(SimpleNamespace(learned_from=None))
    assert "built-in ranking" in blend and "200 customers" in blend
    assert ranking_in_use(None) == ""
    for text in (learned, blend):
        assert not any(word in text for word in ("LambdaRank", "LightGBM", "EASE", "feature"))


def test_the_usual_discovery_setting_is_explained_only_for_a_learned_ranking() -> None:
    words = default_discovery_words(SimpleNamespace(learned_from=1234))
    assert "usual setting (20%)" in words and "95% of the purchases" in words
    assert default_discovery_words(SimpleNamespace(learned_from=None)) == "" and default_discovery_words(None) == ""
    assert not any(word in words for word in ("recall", "validation", "hold-out", "position"))


def _learned(default_position: float) -> SimpleNamespace:
    """A recommender whose learned ranking puts the usual 20% at ``default_position`` (rank/calibrate.py)."""
    from lrec_desktop.core.rank.calibrate import slider_position

    ranker = SimpleNamespace(position=lambda d: slider_position(d, 0.2, default_position))
    return SimpleNamespace(ranking=SimpleNamespace(ranker=ranker), learned_from=1234)


def test_the_slider_words_follow_how_the_shops_lists_take_a_level() -> None:
    from lrec_desktop.core.app.lookup import gem_slots
    from lrec_desktop.gui.widgets.discovery import level_words

    # The built-in ranking keeps places for rarely sold products from the first step on.
    assert gem_slots(10, 0.2) == 1 and "1 in 10 recommendations goes to" in level_words(0.2)
    # The learned ranking weighs them in its order up to the levels' end, and keeps places only past it.
    learned = _learned(0.25)
    assert gem_slots(10, 0.2, learned) == 0 and gem_slots(10, 1.0, learned) == 5
    words = level_words(0.2, 10, learned)
    assert "move up the list" in words and "places" not in words and "1 in 10" not in words
    assert "5 in 10 places are kept for them" in level_words(1.0, 10, learned)
    assert "bestsellers first" in level_words(0.0, 10, learned)
    # A shop whose own default lies past the levels already keeps a place at 20%.
    assert gem_slots(10, 0.2, _learned(0.7)) >= 1 and "kept for them" in level_words(0.2, 10, _learned(0.7))
