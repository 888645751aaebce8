"""The Catalog's "Basket" tab: the till prompt. Type or scan product ids or names (a barcode scanner types the
code and Enter); the list shows what to offer with the basket (core.recommend.cross_sell), never the basket's
own products, with the shop's rules."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from lrec_desktop.core.app import lookup
from lrec_desktop.gui.session import READY, ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import MessageLine
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job

SHOWN = 10


class BasketPanel(QWidget):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("Scan or type a product id or name, then Enter")
        self.entry.returnPressed.connect(self.add)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(self.clear_button)
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        self.message = MessageLine()
        self.model = RowsModel(["Offer", "Why this?"])
        self.table = TableView("catalog-basket")
        self.table.setModel(self.model)
        self.table.set_widths([180, 220])
        self.table.stretch_column(1)
        self.table.wrap_rows()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.addLayout(row)
        layout.addWidget(self.contents)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.ids: list[str] = []  # the basket, as product ids
        self.recs: list = []
        self.job: Job | None = None
        self.clear()

    def clear(self) -> None:
        self.ids, self.recs = [], []
        self.model.set_rows([])
        self.contents.setText("The basket is empty.")
        self.message.clear_message()

    def add(self) -> Job | None:
        text = self.entry.text().strip()
        s = self.session
        if not text:
            return None
        if s.rec_state != READY or s.recommender is None:
            self.message.show_message("The basket's suggestions appear once recommendations are prepared.", "info")
            return None
        self.job = s.submit("Basket", lookup.basket_offer, s.recommender, s.rules_version, [*self.ids, text], SHOWN,
                            slot="catalog.basket", heavy=False, show=False, on_done=self._show, on_error=self._failed)
        return self.job

    def _show(self, result: lookup.BasketOffer) -> None:
        self.ids, titles, self.recs = result.ids, result.titles, result.recs
        self.entry.clear()
        self.message.clear_message()
        self.contents.setText("In the basket: " + "; ".join(titles))
        self.model.set_rows([[r.title or r.item_id, r.reason] for r in self.recs])

    def _failed(self, exc: BaseException) -> None:
        self.message.show_message(str(exc))  # the basket stays as it was; the text stays to be corrected
