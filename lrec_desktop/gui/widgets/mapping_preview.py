"""The first rows of an input file, with each column's recognised meaning above it.

Row 0 holds one drop-down per column (the meaning: a field of ``ingest.mapping.FIELDS`` or "ignore"),
coloured green when recognised, amber when unsure and grey when ignored; the header cells carry the same
colours. Changing a drop-down is the user's word, so it turns green (or grey for "ignore").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableWidget, QTableWidgetItem, QWidget

from lrec_desktop.core.app.imports import IGNORE
from lrec_desktop.gui.formatting import field_label

RECOGNISED, UNSURE, IGNORED = "recognised", "unsure", "ignored"
CONFIDENCE_COLOURS = {  # background, text: legible in light and dark themes alike
    RECOGNISED: ("#cdebd3", "#0f4a22"),
    UNSURE: ("#ffe2a8", "#5c3d00"),
    IGNORED: ("#e3e3e3", "#4a4a4a"),
}
CONFIDENCE_TIPS = {
    RECOGNISED: "Recognised from the column's name and values.",
    UNSURE: "A guess: please check this column's meaning.",
    IGNORED: "This column will not be imported.",
}


class MappingPreview(QTableWidget):
    sig_mapping_changed = Signal()

    def __init__(self, preview: Any, fields: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.fields = fields
        self.columns: list[str] = [str(c) for c in preview.columns]
        frame = preview.frame
        self.setColumnCount(len(self.columns))
        self.setRowCount(len(frame) + 1)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab moves from one drop-down to the next, then out of the table
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.combos: dict[str, QComboBox] = {}
        self.confidence: dict[str, str] = {}
        for c, column in enumerate(self.columns):
            guess = preview.guesses.get(column)
            chosen = getattr(guess, "field", None) or IGNORE
            self.confidence[column] = getattr(guess, "confidence", IGNORED) if chosen != IGNORE else IGNORED
            self.setHorizontalHeaderItem(c, QTableWidgetItem(column))
            combo = QComboBox()
            combo.setObjectName(f"meaning:{column}")
            for name in (*fields, IGNORE):
                combo.addItem(field_label(name), name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.setAccessibleName(f"Meaning of column {column}")
            combo.currentIndexChanged.connect(lambda _i, col=column: self._changed(col))
            self.combos[column] = combo
            self.setCellWidget(0, c, combo)
            for r in range(len(frame)):
                value = frame.iat[r, c]
                self.setItem(r + 1, c, QTableWidgetItem("" if value is None else str(value)))
            self._paint(column)
        self.setRowHeight(0, max(self.rowHeight(0), combo.sizeHint().height() + 6) if self.columns else 30)
        self.resizeColumnsToContents()
        for c in range(len(self.columns)):
            self.setColumnWidth(c, min(max(self.columnWidth(c), 150), 320))

    def _changed(self, column: str) -> None:
        self.confidence[column] = IGNORED if self.combos[column].currentData() == IGNORE else RECOGNISED
        self._paint(column)
        self.sig_mapping_changed.emit()

    def _paint(self, column: str) -> None:
        state = self.confidence[column]
        bg, fg = CONFIDENCE_COLOURS[state]
        combo = self.combos[column]
        combo.setStyleSheet(f"QComboBox {{ background: {bg}; color: {fg}; padding: 2px 6px; }}")
        combo.setToolTip(CONFIDENCE_TIPS[state])
        item = self.horizontalHeaderItem(self.columns.index(column))
        item.setBackground(QBrush(QColor(bg)))
        item.setForeground(QBrush(QColor(fg)))
        item.setToolTip(f"{column}: {CONFIDENCE_TIPS[state]}")

    def set_meaning(self, column: str, field: str) -> None:
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(field))

    def meaning(self, column: str) -> str:
        return str(self.combos[column].currentData())

    def mapping(self) -> dict[str, str]:
        """field → column for every column that is not ignored (the first column wins a duplicate)."""
        out: dict[str, str] = {}
        for column in self.columns:
            field = self.meaning(column)
            if field != IGNORE and field not in out:
                out[field] = column
        return out

    def duplicates(self) -> list[str]:
        seen: dict[str, int] = {}
        for column in self.columns:
            field = self.meaning(column)
            if field != IGNORE:
                seen[field] = seen.get(field, 0) + 1
        return [f for f, n in seen.items() if n > 1]

    def header_colour(self, column: str) -> str:
        return self.horizontalHeaderItem(self.columns.index(column)).background().color().name()
