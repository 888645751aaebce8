"""The Catalog's "Bought in the same order" tab: products that go in the same orders as the chosen one
(core.recommend.baskets: till receipts without a customer count too), by lift, with the shop's rules."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from lrec_desktop.core.app import lookup
from lrec_desktop.gui.session import READY, ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import Note
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job

SHOWN = 10
class SameOrderPanel(QWidget):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # Every row's reason would name the chosen product: the note above says it once.
        self.model = RowsModel(["Product", "Product id"])
        self.table = TableView("catalog-same-order")
        self.table.setModel(self.model)
        self.table.set_widths([220, 100])
        self.table.stretch_column(0)
        self.note = Note()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.item_id: str | None = None
        self.job: Job | None = None
        self.recs: list = []

    def set_item(self, item_id: str | None) -> None:
        self.item_id = item_id
        self.recs = []
        self.model.set_rows([])
        s = self.session
        s.jobs.drop_slot("catalog.same-order")
        if item_id is None:
            self.note.setText("")
            return
        if s.rec_state != READY or s.recommender is None:
            self.note.setText("Products bought in the same order appear once recommendations are prepared.")
            return
        self.note.setText("Looking through the orders…")
        self.job = s.submit(
            "Bought in the same order", lookup.same_order, s.recommender, s.rules_version, item_id, SHOWN,
            slot="catalog.same-order", heavy=False, show=False, on_done=lambda recs: self._show(item_id, recs),
            on_error=lambda _e: self.note.setText("Orders could not be looked through for this product."),
        )

    def _show(self, item_id: str, recs: list) -> None:
        if item_id != self.item_id:
            return  # another product was chosen meanwhile
        self.recs = recs
        self.model.set_rows([[r.title or r.item_id, r.item_id] for r in recs])
        self.note.setText(
            "Bought in the same orders more often than chance (till receipts without a customer count too)."
            if recs else "No product is bought in the same orders as this one often enough yet."
        )
