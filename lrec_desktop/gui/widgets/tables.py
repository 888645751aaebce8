"""A table view with the app's table conventions: sort by header click, Ctrl+C copies the selected cells
as tab-separated text (pastes into a spreadsheet), column widths remembered between sessions."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

# Styles Qt draws itself, where the header's "SortUp" is an arrow pointing up. QHeaderView passes SortUp for a
# descending sort (a convention of old native styles), so there "sales, high to low" showed an up arrow.
# Native styles (macOS, Windows 10/11) keep their platform's own convention.
_QT_DRAWN_STYLES = {"fusion", "windows"}


def selection_text(view: QTableView) -> str:
    model = view.model()
    indexes = view.selectionModel().selectedIndexes() if view.selectionModel() else []
    if not indexes or model is None:
        return ""
    rows = sorted({i.row() for i in indexes})
    cols = sorted({i.column() for i in indexes if not view.isColumnHidden(i.column())})
    chosen = {(i.row(), i.column()) for i in indexes}
    lines = []
    if len(rows) > 1 or len(cols) > 1:
        lines.append("\t".join(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in cols))
    for r in rows:
        cells = []
        for c in cols:
            value = model.index(r, c).data() if (r, c) in chosen else ""
            cells.append(str(value or "").replace("\t", " ").replace("\n", " "))
        lines.append("\t".join(cells))
    return "\n".join(lines)


def all_rows_text(view: QTableView) -> str:
    model = view.model()
    cols = range(model.columnCount())
    lines = ["\t".join(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in cols)]
    for r in range(model.rowCount()):
        lines.append("\t".join(str(model.index(r, c).data() or "").replace("\t", " ") for c in cols))
    return "\n".join(lines)


class SortArrowStyle(QProxyStyle):
    """The header's sort arrow points the way the column runs: down for high to low (descending), up for
    low to high."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            flipped = QStyleOptionHeader(option)
            swap = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
                    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}
            flipped.sortIndicator = swap.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


def fix_sort_arrows(header: QHeaderView) -> None:
    """Give ``header`` arrows that point the way its sort runs, where the app's style draws them backwards."""
    style = QApplication.style()
    name = style.name().lower() if style is not None else ""
    if name in _QT_DRAWN_STYLES:
        proxy = SortArrowStyle(name)
        proxy.setParent(header)  # the header keeps no reference of its own
        header.setStyle(proxy)


class TableView(QTableView):
    def __init__(self, name: str, parent: QWidget | None = None, *, sortable: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSortingEnabled(sortable)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        # Tab leaves the table for the next control (arrow keys move between cells), so a keyboard user is
        # never trapped cell by cell in a long list.
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        fix_sort_arrows(header)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._remember_widths)
        self._restoring = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(selection_text(self))
            event.accept()
            return
        super().keyPressEvent(event)

    def stretch_column(self, column: int) -> None:
        """This column takes the width the others leave (the others keep user-resizable widths)."""
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for i in range(header.count()):
            if header.sectionResizeMode(i) == QHeaderView.ResizeMode.Stretch:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def wrap_rows(self) -> None:
        """Long text (a "why this?" reason) wraps onto more lines instead of being cut off."""
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        model = self.model()
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged):
                signal.connect(self.fit_rows)
        self.horizontalHeader().sectionResized.connect(lambda *_: self.fit_rows())
        self._refit_pending = False

    def fit_rows(self) -> None:
        """Rows as tall as their wrapped text, never shorter than a normal row. Tall rows can bring in the
        vertical scroll bar a moment later, which narrows the stretched column: fit once more after that."""
        self._fit_rows()
        if not self._refit_pending:
            self._refit_pending = True
            QTimer.singleShot(0, self, self._refit)  # with self as context: dropped if the view is gone

    def _refit(self) -> None:
        self._refit_pending = False
        self._fit_rows()

    def _fit_rows(self) -> None:
        normal = self.verticalHeader().defaultSectionSize()
        for row in range(self.model().rowCount() if self.model() else 0):
            self.resizeRowToContents(row)
            if self.rowHeight(row) < normal:
                self.setRowHeight(row, normal)

    def set_widths(self, widths: list[int]) -> None:
        """Default column widths, replaced by the ones the user dragged last time."""
        saved = QSettings().value(f"columns/{self.objectName()}")
        if isinstance(saved, list) and len(saved) == len(widths):
            try:
                widths = [int(w) for w in saved]
            except (TypeError, ValueError):
                pass
        self._restoring = True
        for i, w in enumerate(widths):
            self.setColumnWidth(i, w)
        self._restoring = False

    def _remember_widths(self) -> None:
        if self._restoring or self.model() is None:
            return
        widths = [self.columnWidth(i) for i in range(self.model().columnCount())]
        QSettings().setValue(f"columns/{self.objectName()}", widths)
