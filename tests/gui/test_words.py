"""A shop owner's words on Settings and the Overview, and sort arrows that point the way the column runs
(issue 20 item 9)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from lrec_desktop.gui import formatting
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.tables import TableView
from tests.gui.conftest import wait_idle

# Library and model names that mean nothing to a shop owner.
JARGON = re.compile(r"all-MiniLM-L6-v2|\bCUDA\b|\bcuda\b|\bMPS\b|\bmps\b|\.safetensors|\bGPU\b")


def shown_words(page: QWidget) -> list[str]:
    """Every text the page shows or offers: labels, buttons, drop-down entries and their tooltips."""
    words: list[str] = []
    for kind in (QLabel, QAbstractButton):
        for w in page.findChildren(kind):
            words += [w.text(), w.toolTip()]
    for combo in page.findChildren(QComboBox):
        words += [combo.itemText(i) for i in range(combo.count())] + [combo.toolTip()]
    return [w for w in words if w]


def test_no_library_names_on_settings_and_overview(qtbot: QtBot, window: MainWindow) -> None:
    wait_idle(qtbot, window)  # the text model's check has told the Overview which model is chosen
    settings = window.settings_page
    for device in ("cuda", "mps", "cpu"):  # what "Check" says on each kind of computer
        settings._device_checked(device)
        assert not JARGON.search(settings.device_note.text()), settings.device_note.text()
    for name in ("Settings", "Overview"):
        window.go(name)
        QApplication.processEvents()
        bad = [w for w in shown_words(window.pages[name]) if JARGON.search(w)]
        assert not bad, (name, bad)
    # What the Overview names the model by once the descriptions are read (this shop's are not, yet).
    status = window.session.text_status
    assert status is not None and formatting.model_words(status.chosen) == "the built-in language model"
    assert {settings.device.itemText(i) for i in range(settings.device.count())} >= {
        "Graphics card (NVIDIA)", "Apple graphics"}


def arrow_points_down(header_image: QImage, section_right: int) -> bool:
    """Read the sort arrow drawn near the right edge of a header section: a down arrow is widest on top."""
    background = header_image.pixelColor(section_right - 3, 2).lightness()
    widths = []
    for y in range(1, header_image.height() - 1):  # not the header's top and bottom border lines
        dark = sum(1 for x in range(max(0, section_right - 30), section_right - 2)
                   if header_image.pixelColor(x, y).lightness() < background - 60)
        if dark:
            widths.append(dark)
    assert len(widths) >= 2, "no sort arrow found"
    assert widths[0] != widths[-1]
    return widths[0] > widths[-1]


@pytest.mark.parametrize(("order", "down"),
                         [(Qt.SortOrder.DescendingOrder, True), (Qt.SortOrder.AscendingOrder, False)])
def test_sort_arrow_points_the_way_the_column_runs(qtbot: QtBot, order: Qt.SortOrder, down: bool) -> None:
    model = RowsModel(["Sales", "Product"])
    model.set_rows([[3, "Tea"], [10, "Mug"], [1, "Box"]])
    view = TableView("words-sort-test")
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 160)
    view.show()
    view.sortByColumn(0, order)
    QApplication.processEvents()
    header = view.horizontalHeader()
    first = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert first == (["10", "3", "1"] if order == Qt.SortOrder.DescendingOrder else ["1", "3", "10"])
    image = header.grab().toImage()
    assert arrow_points_down(image, header.sectionSize(0)) is down
