"""“Who would want this?”: the customers most likely to want one product (the audience finder), exportable
as a CSV for an e-mail tool. Most useful for new and rarely sold products, which no sales point to yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from lrec_desktop.core.app import export, lookup
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import PREPARING, ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import MessageLine, Note, hint
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job

AUDIENCE_SIZE = 50
CSV_FILTER = "CSV files (*.csv);;All files (*)"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "product"


class AudiencePanel(QWidget):
    sig_customer_requested = Signal(str)  # double-click on a customer: show them on the Customers page

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item_id: str | None = None
        self.title = ""
        self.members: list[Any] = []
        self.job: Job | None = None
        self.intro = hint(
            "Customers who have not bought this product yet but are likely to want it: useful for new and "
            "rarely sold products that no sales point to yet."
        )
        self.find_button = QPushButton("Find customers who would want this")
        self.find_button.clicked.connect(self.find)
        self.note = Note()
        self.model = RowsModel(["Rank", "Customer", "E-mail", "Why?", "Customer id"])
        self.model.align_right = {0}
        self.table = TableView("catalog-audience")
        self.table.setModel(self.model)
        self.table.set_widths([54, 180, 175, 200, 80])
        # The e-mail goes under the name (one two-line column): beside the list at 1280x800 a separate e-mail
        # column left "Why?" ~60 px, its reasons six lines tall and two customers in view. Kept for copying.
        self.table.setColumnHidden(2, True)
        self.table.setColumnHidden(4, True)  # kept for double-click
        self.table.stretch_column(3)
        self.table.wrap_rows()
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._open_customer)
        self.export_button = QPushButton("Export these customers…")
        self.export_button.clicked.connect(self.export)
        self.result = MessageLine()
        buttons = QHBoxLayout()
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        self.set_item(None, "")

    def set_item(self, item_id: str | None, title: str) -> None:
        if item_id == self.item_id and item_id is not None:
            return
        self.session.jobs.drop_slot("catalog.audience")  # the audience of the product shown before is not wanted
        self.item_id, self.title, self.members = item_id, title, []
        self.model.set_rows([])
        self.result.clear_message()
        self.note.setText("" if item_id else "Choose a product to find the customers who would want it.")
        self._buttons()

    def _buttons(self) -> None:
        busy = self.job is not None and self.job.active
        self.find_button.setEnabled(self.item_id is not None and not busy)
        self.export_button.setEnabled(bool(self.members))

    def find(self) -> None:
        if self.item_id is None or self.session.path is None:
            return
        rec = self.session.recommender
        if rec is None:
            self.note.setText(
                "Recommendations are being prepared (see Jobs); try again in a moment."
                if self.session.rec_state == PREPARING
                else "Customers can be found once recommendations are prepared (see Overview)."
            )
            return
        item_id = self.item_id
        self.result.clear_message()
        self.note.setText("Looking for customers who would want this…")
        self.job = self.session.submit(
            f"Find customers for “{self.title}”",
            lookup.find_audience,
            self.session.path,
            item_id,
            rec,
            AUDIENCE_SIZE,
            slot="catalog.audience",  # another product chosen meanwhile: its audience wins
            heavy=False,
            on_done=self._show,
            on_error=self._failed,
            on_cancel=self._buttons,
        )
        self._buttons()

    def _show(self, members: list[Any]) -> None:
        self.members = list(members)
        members = enumerate(self.members, start=1)
        self.model.set_rows(
            [
                [
                    rank,
                    f"{m.name or m.customer_id}\n{m.email}" if m.email else m.name or m.customer_id,
                    m.email,
                    m.reason,
                    m.customer_id,
                ]
                for rank, m in members
            ]
        )
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.resizeColumnToContents(1)  # as wide as the longest e-mail, never cut
        self.table.fit_rows()
        for i in range(len(self.members)):
            self.model.tooltips[(i, 1)] = "Double-click to see this customer's purchases and recommendations"
        if self.members:
            self.note.setText(
                f"{formatting.plural(len(self.members), 'customer')} who haven't bought it yet, most likely first."
            )
        else:
            self.note.setText("No customer stands out for this product yet.")
        self._buttons()

    def _failed(self, exc: BaseException) -> None:
        self.note.setText("")
        self.result.show_message(f"Customers could not be found for this product: {exc}")
        self._buttons()

    def _open_customer(self, index: Any) -> None:
        if 0 <= index.row() < len(self.model.rows):
            self.sig_customer_requested.emit(str(self.model.rows[index.row()][4]))

    def export(self) -> Path | None:
        if not self.members:
            return None
        folder = QSettings().value("audience/folder") or str(Path.home())
        suggested = str(Path(str(folder)) / f"customers-for-{_slug(self.title or self.item_id or '')}.csv")
        name, _ = QFileDialog.getSaveFileName(self, "Export these customers", suggested, CSV_FILTER)
        if not name:
            return None
        out = Path(name)
        if not out.suffix:
            out = out.with_suffix(".csv")
        try:
            export.write_audience_csv(self.members, out, excel=True)  # opened in Excel: UTF-8 with a BOM
        except (OSError, UserError) as exc:
            self.result.show_message(f"The customers could not be saved to {out}: {exc}")
            return None
        QSettings().setValue("audience/folder", str(out.parent))
        self.result.show_message(
            f"Saved {formatting.plural(len(self.members), 'customer')} to {out} (rank, customer id, name, e-mail, "
            "score, reason).",
            "ok",
        )
        return out
