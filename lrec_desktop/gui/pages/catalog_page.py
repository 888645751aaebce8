"""Catalog: every product, searchable and sortable (SQL does both), paged 500 rows at a time; the selected
product's details and its similar products beside the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSplitter, QVBoxLayout, QWidget

from lrec_desktop.core.store import queries
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import READY, ShopSession
from lrec_desktop.gui.table_models import CatalogModel, RowsModel
from lrec_desktop.gui.widgets.common import Card, Note, heading
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job

DEBOUNCE_MS = 250


def similar_job(recommender: Any, item_id: str, n: int = 10, *, progress: Any = None, cancel: Any = None) -> list:
    return list(recommender.similar(item_id, n))


class CatalogPage(QWidget):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CatalogModel(None, self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Search products by id, name, category or tag")
        self.filter.setClearButtonEnabled(True)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(lambda _t: self.debounce.start())
        self.count = QLabel()

        self.table = TableView("catalog")
        self.table.setModel(self.model)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        self.table.set_widths([100, 200, 120, 65, 65, 60, 80, 90])
        self.table.stretch_column(1)
        for column in (4, 6):  # in stock, customers: shown in the details beside the table
            self.table.setColumnHidden(column, True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur.row()))

        self.details_title = heading("Choose a product", 2)
        self.details_title.setWordWrap(True)
        self.details = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for name in ("Product id", "Category", "Price", "In stock", "Sales", "Customers", "Last sold", "Description"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[name] = label
            self.details.addRow(f"{name}:", label)
        card = Card()
        card.layout_.addWidget(self.details_title)
        card.layout_.addLayout(self.details)
        self.similar_model = RowsModel(["Similar product", "Note", "Why this?"])
        self.similar = TableView("catalog-similar")
        self.similar.setModel(self.similar_model)
        self.similar.set_widths([180, 90, 200])
        self.similar.stretch_column(2)
        self.similar.wrap_rows()
        self.similar_note = Note()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(card)
        side_layout.addWidget(heading("Similar products", 1))
        side_layout.addWidget(self.similar_note)
        side_layout.addWidget(self.similar, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setSizes([740, 340])
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading("Catalog"))
        layout.addWidget(split, 1)
        self._similar_job: Job | None = None
        self.current_item: str | None = None

        session.sig_shop_opened.connect(self.reload)
        session.sig_data_changed.connect(self.reload)

    def reload(self, *_: object) -> None:
        self.model.set_db(self.session.db)
        self._update_count()
        self._select(-1)

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter.text())
        self._update_count()

    def _update_count(self) -> None:
        n = self.model.total
        text = self.filter.text().strip()
        self.count.setText(f"{formatting.plural(n, 'product')}" + (f" matching “{text}”" if text else ""))

    def _select(self, row: int) -> None:
        item_id = self.model.item_id(row)
        self.current_item = item_id
        item = queries.get_item(self.session.db, item_id) if item_id and self.session.db is not None else None
        if item is None:
            self.details_title.setText("Choose a product in the list to see its details")
            for label in self.fields.values():
                label.setText("")
            self.similar_model.set_rows([])
            self.similar_note.setText("")
            return
        self.details_title.setText(item["title"] or item["item_id"])
        f = self.fields
        f["Product id"].setText(str(item["item_id"]))
        f["Category"].setText(item["category"] or "—")
        f["Price"].setText(formatting.money(item["price"]) or "—")
        f["In stock"].setText("yes" if item["in_stock"] else "no")
        f["Sales"].setText(formatting.number(item["sales"]))
        f["Customers"].setText(formatting.number(item["buyers"]))
        f["Last sold"].setText(formatting.date(item["last_sold"]) or "never")
        description = item["description"] or "—"
        f["Description"].setText(description if len(description) < 400 else description[:400] + "…")
        self._load_similar(item_id)

    def _load_similar(self, item_id: str) -> None:
        self.similar_model.set_rows([])
        if self._similar_job is not None and self._similar_job.active:
            self._similar_job.cancel()
        rec = self.session.recommender
        if self.session.rec_state != READY or rec is None:
            self.similar_note.setText("Similar products appear once recommendations are prepared (see Overview).")
            return
        self.similar_note.setText("Looking for similar products…")
        self._similar_job = self.session.jobs.submit(
            "Similar products",
            similar_job,
            rec,
            item_id,
            heavy=False,
            show=False,
            on_done=lambda recs: self._show_similar(item_id, recs),
            on_error=lambda _e: self.similar_note.setText("Similar products could not be found for this product."),
        )

    def _show_similar(self, item_id: str, recs: list) -> None:
        if item_id != self.current_item:
            return
        self.similar_model.set_rows([[r.title or r.item_id, ", ".join(r.badges), r.reason] for r in recs])
        reasons = {r.reason for r in recs}
        shared = len(recs) > 1 and len(reasons) == 1  # the same "why this?" on every row: say it once
        self.similar.setColumnHidden(2, shared)
        self.similar.stretch_column(0 if shared else 2)
        self.similar_note.setText("No similar products found." if not recs else (reasons.pop() if shared else ""))
