"""The first rows of an export before it is written (issue 20 item 2): a small read-only table and a count."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from lrec_desktop.gui import formatting
from lrec_desktop.gui.widgets.common import hint

ROWS = 5


class ExportPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = hint("")
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFixedHeight(150)
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)
        self.hide()

    def show_preview(self, preview: Any, held_back: float = 0.0) -> None:
        """``preview``: core.export.ExportPreview."""
        self.table.clear()
        self.table.setColumnCount(len(preview.header))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(preview.header)
        for r, row in enumerate(preview.rows):
            for c, cell in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(str(cell)))
        self.table.resizeColumnsToContents()
        who = f" ({preview.segments})" if preview.segments else ""
        kept = f"; {held_back:.0%} of them will be held back" if held_back else ""
        self.caption.setText(f"The first rows of the file: {formatting.plural(preview.customers, 'customer')}"
                             f"{who}{kept}. Nothing is written until you export.")
        self.show()
