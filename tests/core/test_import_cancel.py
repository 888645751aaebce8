"""A job cancelled while the text libraries are being imported leaves at once (issue 20: Cancel within 2 s in every
phase of "Learn from my sales"); the import goes on in its thread, and the next caller waits for that same import
instead of taking a module still half imported."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.text import libraries


def test_a_cancel_leaves_a_slow_import_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "lrec_slow_module_for_test"
    (tmp_path / f"{name}.py").write_text("import time\ntime.sleep(1.5)\nREADY = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(libraries, "freeze_long_lived", lambda _after: None)
    token = CancelToken()
    started = time.monotonic()

    def check() -> None:
        if time.monotonic() - started > 0.2:
            token.cancel()
        token.raise_if_cancelled()

    with pytest.raises(Cancelled):
        libraries._import_apart((name,), "test", check)
    # Left while the import still runs (no timing bound: the machine may be loaded): the module is half imported,
    # which sys.modules alone can't tell.
    assert name in sys.modules
    assert not getattr(sys.modules[name], "READY", False)
    libraries._import_apart((name,), "test")  # the next caller waits for the same import
    assert sys.modules[name].READY is True
    assert time.monotonic() - started >= 1.4
    sys.modules.pop(name, None)
    libraries._pending.pop((name,), None)
