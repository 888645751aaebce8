"""Jobs: every background job of this session with its progress, state and error, and a Cancel button."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import heading, hint
from lrec_desktop.gui.widgets.interrupted_panel import InterruptedPanel
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import STATE_WORDS, Job, JobManager

Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Job", "State", "Progress", "Details", "Started", ""]
PROGRESS_COLUMN, CANCEL_COLUMN = 2, 5


class JobsModel(QAbstractTableModel):
    def __init__(self, manager: JobManager, parent: Any = None) -> None:
        super().__init__(parent)
        self.jobs: list[Job] = []
        manager.sig_job_added.connect(self.add)
        manager.sig_job_changed.connect(self.changed)
        for job in manager.jobs:
            self.add(job)

    def add(self, job: Job) -> None:
        if not job.show:
            return
        n = len(self.jobs)
        self.beginInsertRows(QModelIndex(), n, n)
        self.jobs.append(job)
        self.endInsertRows()

    def changed(self, job: Job) -> None:
        if job in self.jobs:
            row = self.jobs.index(job)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job = self.jobs[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return job
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return job.title
            if c == 1:
                return STATE_WORDS[job.state]
            if c == PROGRESS_COLUMN:
                return f"{job.fraction:.0%}"
            if c == 3:
                return job.details
            if c == 4:
                return formatting.date_time(job.started_at)
        if role == Qt.ItemDataRole.ToolTipRole and c == 0:
            return job.title  # long titles ("Import products.csv and orders.csv") are cut at the column's edge
        if role == Qt.ItemDataRole.ToolTipRole and c == 3:
            lines = [job.error or job.message, *job.notes]
            return "\n".join(line for line in lines if line) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        job: Job = index.data(Qt.ItemDataRole.UserRole)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 4, -4, -4)
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(job.fraction * 1000)
        bar.text = f"{job.fraction:.0%}"
        bar.textVisible = True
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class JobsPage(QWidget):
    def __init__(self, manager: JobManager, session: ShopSession | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.model = JobsModel(manager, self)
        self.table = TableView("jobs", sortable=False)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PROGRESS_COLUMN, ProgressDelegate(self.table))
        self.table.set_widths([240, 90, 150, 300, 140, 100])
        self.table.stretch_column(3)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.buttons: dict[int, QPushButton] = {}
        manager.sig_job_changed.connect(self._update_button)
        self.model.rowsInserted.connect(self._rows_inserted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading("Jobs"))
        layout.addWidget(
            hint(
                "Imports, preparing recommendations, reading product descriptions and exports run here in the "
                "background; you can keep working meanwhile. Cancelling a job leaves your shop as it was. "
                "Hover over a job's details for its notes."
            )
        )
        if session is not None:
            self.unfinished = InterruptedPanel(session)
            layout.addWidget(self.unfinished)
        layout.addWidget(self.table, 1)
        self._rows_inserted(QModelIndex(), 0, self.model.rowCount() - 1)

    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset): the list is this window's history of jobs,
        each titled with what it did, so it stays; the unfinished jobs panel follows the shop by itself."""

    def _rows_inserted(self, _parent: Index, first: int, last: int) -> None:
        for row in range(first, last + 1):
            job = self.model.jobs[row]
            button = QPushButton("Cancel")
            button.setToolTip(f"Stop “{job.title}”; nothing it was doing is kept.")
            button.clicked.connect(job.cancel)
            button.clicked.connect(lambda _c=False, b=button: (b.setEnabled(False), b.setText("Cancelling…")))
            self.buttons[job.id] = button
            self.table.setIndexWidget(self.model.index(row, CANCEL_COLUMN), button)
            self._update_button(job)

    def _update_button(self, job: Job) -> None:
        """A finished job loses its Cancel button (the view would show a merely hidden one again)."""
        if job.active or job.id not in self.buttons or job not in self.model.jobs:
            return
        del self.buttons[job.id]
        self.table.setIndexWidget(self.model.index(self.model.jobs.index(job), CANCEL_COLUMN), None)
