"""Keeping garbage collection off the window: freeze_long_lived (once per occasion), the collection pause
while heavy libraries load, and torch loaded through the GIL-free preloader."""

from __future__ import annotations

import gc

import pytest

from lrec_desktop.core import heap


def test_freezes_once_per_occasion(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen_before = gc.get_freeze_count()
    monkeypatch.setattr(heap, "_frozen", set())
    try:
        alive = [[n] for n in range(100)]  # tracked objects that exist at the freeze
        heap.freeze_long_lived("a test")
        first = gc.get_freeze_count()
        assert first >= frozen_before + len(alive)
        cycle: list = []
        cycle.append(cycle)  # garbage made after the freeze…
        heap.freeze_long_lived("a test")
        assert gc.get_freeze_count() == first  # …is not frozen by a second call
        del cycle
        assert gc.collect() >= 1  # and is still collected
    finally:
        if frozen_before == 0:
            gc.unfreeze()  # the rest of the test session collects as before


def test_collection_pause_nests_and_restores() -> None:
    from lrec_desktop.core.text.libraries import collection_paused

    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block's end does not turn it back on
    assert gc.isenabled()


def test_torch_loads_through_the_preloader() -> None:
    pytest.importorskip("torch")
    from lrec_desktop.core.text.libraries import load_torch, load_transformers

    torch = load_torch()
    assert torch.ones(3).sum().item() == 3.0
    assert load_transformers().AutoModel is not None
    assert gc.isenabled()
