"""Keeping garbage collection off the window: freeze_long_lived (once per occasion), torch and transformers
loaded apart and through the GIL-free preloader, and a dropped text model still freed."""

from __future__ import annotations

import gc
import subprocess
import sys

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
        gc.unfreeze()  # the rest of the test session collects as before (nothing it froze is kept for good)


def test_torch_loads_through_the_preloader() -> None:
    pytest.importorskip("torch")
    from lrec_desktop.core.text.libraries import load_torch, load_transformers

    torch = load_torch()
    assert torch.ones(3).sum().item() == 3.0
    assert load_transformers().AutoModel is not None
    assert gc.isenabled()


FREED = """
import gc, weakref
from lrec_desktop.core.text import encoder as encoder_module
encoder = encoder_module.TextEncoder.load(None, "cpu")
assert gc.get_freeze_count() > 0, "torch and transformers were not frozen"
gone, model_gone = weakref.ref(encoder), weakref.ref(encoder.model)
encoder_module._CACHE.clear()
del encoder
print("freed" if gone() is None and model_gone() is None else "kept")
"""


def test_the_text_model_is_freed_when_dropped() -> None:
    """In a fresh process (the first import of torch freezes): nothing of the encoder is frozen, so dropping
    it frees it. (Frozen while a reference cycle left by the imports held the loading frame, it was kept.)"""
    pytest.importorskip("torch")
    done = subprocess.run([sys.executable, "-c", FREED], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "freed"
