"""The Catalog's related-products button: the save dialog's file type picks the format, the export runs as a
background job on the window's recommender and says what it wrote; a refused file leaves a sentence."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from lrec_desktop.core.export_related import SHOPIFY_RELATED, WOO_HEADER
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.widgets.related_export import FILTERS
from tests.gui.conftest import wait_idle


def _save_as(monkeypatch: pytest.MonkeyPatch, path: Path, fmt: str) -> None:
    chosen = next(label for label, f in FILTERS.items() if f == fmt)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), chosen))


@pytest.mark.parametrize("fmt", ["woocommerce", "shopify"])
def test_the_button_writes_the_chosen_format_in_the_background(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    panel = window.catalog.related_export
    out = tmp_path / "for-the-shop"  # no suffix: .csv is added
    _save_as(monkeypatch, out, fmt)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    written = out.with_suffix(".csv")
    assert panel.written == written and panel.message.kind == "ok" and "Wrote related products" in panel.message.text()
    with written.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert rows
    if fmt == "woocommerce":
        assert reader.fieldnames == WOO_HEADER
        db_ids = {r[0] for r in window.session.shop.db.execute("SELECT item_id FROM items")}
        assert {r["SKU"] for r in rows} <= db_ids
        assert any(r["Cross-sells"] for r in rows)
    else:
        assert reader.fieldnames is not None and reader.fieldnames[:2] == ["Handle", SHOPIFY_RELATED]
    assert panel.button.isEnabled()


def test_a_refused_file_is_said_in_a_sentence(qtbot: QtBot, window: MainWindow,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    panel = window.catalog.related_export
    assert window.session.path is not None
    _save_as(monkeypatch, window.session.path, "generic")  # the shop file itself
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert panel.message.kind == "error" and "never replaces a shop" in panel.message.text()
    assert panel.button.isEnabled()
