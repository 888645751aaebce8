"""The Export dialog's controls stay where they are after an export (issue 20 item 8): the progress bar, the
result line and "Open folder" used to push the form ~56 px up, so a second click landed on the wrong control.
Through the real window at 1280x800, with the dialog rendered to PNG before and after."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from lrec_desktop.gui.dialogs.export_dialog import ExportDialog
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.test_journeys import shot


def controls(dialog: ExportDialog) -> dict[str, QWidget]:
    """Every control the owner clicks, by a name that says which (visible ones only)."""
    found: dict[str, QWidget] = {}
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit)
    for n, w in enumerate(dialog.findChildren(QWidget)):
        if isinstance(w, kinds) and w.isVisible() and w.parent() is not None:
            found[f"{type(w).__name__} {getattr(w, 'text', lambda: '')() or n}"] = w
    found["pasted ids"] = dialog.pasted
    return found


def places(dialog: ExportDialog, widgets: dict[str, QWidget]) -> dict[str, QRect]:
    QApplication.processEvents()
    return {name: QRect(w.mapTo(dialog, QPoint(0, 0)), w.size()) for name, w in widgets.items()}


def test_controls_stay_put_after_an_export(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, screenshots: Path
) -> None:
    assert window.size().width() == 1280 and window.size().height() == 800
    dialog = window.export()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.out.setText(str(tmp_path / "first.csv"))
    widgets = controls(dialog)
    assert {"pasted ids", "QPushButton &Export", "QSpinBox 10", "QRadioButton &Wide: one row per customer, "
            "for mail merge"} <= set(widgets)
    before = places(dialog, widgets)
    shot(dialog, screenshots, "export-dialog-before")

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    assert dialog.open_button.isVisible() and dialog.progress.isVisible() and dialog.result.isVisible()
    after = places(dialog, widgets)
    shot(dialog, screenshots, "export-dialog-after")
    moved = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert moved == {}
    assert dialog.pasted.height() >= 80  # the box for pasted ids keeps its room

    # A second export from the same places: a click on "Wide" lands on "Wide".
    qtbot.mouseClick(dialog.wide_radio, Qt.MouseButton.LeftButton)
    assert dialog.wide_radio.isChecked()
    dialog.out.setText(str(tmp_path / "second.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None and dialog.summary.path.name == "second.csv", timeout=20000)
    assert places(dialog, widgets) == before
    assert (tmp_path / "second.csv").read_text(encoding="utf-8-sig").startswith("customer_id,email,name,")
    dialog.close()
