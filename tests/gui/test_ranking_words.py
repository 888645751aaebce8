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
