"""Start-up stays light: no torch/transformers/faiss at GUI start; the entry point takes --db."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lrec_desktop import __main__ as entry


def test_gui_start_imports_no_heavy_libraries() -> None:
    code = (
        "import sys; import lrec_desktop.gui.app, lrec_desktop.gui.main_window; "
        "heavy = [m for m in ('torch', 'transformers', 'faiss', 'sentence_transformers') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_main_passes_db_to_the_gui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[Path | None] = []
    import lrec_desktop.gui.app as app

    monkeypatch.setattr(app, "run", lambda db_path: seen.append(db_path) or 0)
    assert entry.main(["--db", str(tmp_path / "shop.lrec")]) == 0
    assert entry.main([]) == 0
    assert seen == [tmp_path / "shop.lrec", None]


def test_gui_start_leaves_charts_for_later() -> None:
    """pyqtgraph (~150 ms) loads when the Long tail page is first shown, not with the window."""
    code = (
        "import sys; import lrec_desktop.gui.app, lrec_desktop.gui.main_window; "
        "sys.exit(1 if 'pyqtgraph' in sys.modules else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_shop_file_given_as_argument_is_opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What a double-click on a .lrec file does: the desktop entry's ``%f`` passes its path."""
    seen: list[Path | None] = []
    import lrec_desktop.gui.app as app

    monkeypatch.setattr(app, "run", lambda db_path: seen.append(db_path) or 0)
    assert entry.main([str(tmp_path / "My Shop.lrec")]) == 0
    assert seen == [tmp_path / "My Shop.lrec"]
