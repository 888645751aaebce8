"""Catalog: every product, searchable and sortable (SQL does both), paged 500 rows at a time; or, once the
text model has read the product descriptions, the products that match a description by meaning ("gift for
a gardener"). Beside the table: the selected product's details, similar products, and who would want it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import lookup
from lrec_desktop.gui import formatting
from lrec_desktop.gui.readiness import SETTINGS, text_readiness
from lrec_desktop.gui.session import PREPARING, READY, TEXT_READING, ShopSession
from lrec_desktop.gui.table_models import CatalogModel, RowsModel
from lrec_desktop.gui.widgets.common import BADGES, MessageLine, heading
from lrec_desktop.gui.widgets.job_progress import JobProgress
from lrec_desktop.gui.widgets.product_details import ProductDetails
from lrec_desktop.gui.widgets.related_export import RelatedExport
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job

DEBOUNCE_MS = 250
DESCRIBE_DEBOUNCE_MS = 500
MATCHES = 30  # matches asked for; the weak ones are left out (lookup.good_matches)
def _not_latin(text: str) -> bool:
    return any(ord(c) >= 0x0370 for c in text)  # Greek, Cyrillic, CJK, …: beyond what an English model reads


class CatalogPage(QWidget):
    sig_settings_requested = Signal()
    sig_customer_requested = Signal(str)

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CatalogModel(None, self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by id, name, category or tag")
        self.filter.setClearButtonEnabled(True)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(lambda _t: self.debounce.start())
        self.filter.textEdited.connect(lambda _t: self.describe.clear())

        self.describe = QLineEdit()
        self.describe.setPlaceholderText("Describe what you look for, e.g. “gift for a gardener”")
        self.describe.setToolTip(
            "Finds products by meaning, not by exact words, once the text model has read the product descriptions."
        )
        self.describe.setClearButtonEnabled(True)
        self.describe_timer = QTimer(self)
        self.describe_timer.setSingleShot(True)
        self.describe_timer.setInterval(DESCRIBE_DEBOUNCE_MS)
        self.describe_timer.timeout.connect(self.search_by_meaning)
        self.describe.textChanged.connect(self._describe_changed)
        self.describe.returnPressed.connect(self.search_by_meaning)
        self.describe_button = QPushButton("Find by &meaning")
        self.describe_button.clicked.connect(self.search_by_meaning)
        fields = QHBoxLayout()
        fields.addWidget(self.filter, 2)
        fields.addWidget(self.describe, 3)
        fields.addWidget(self.describe_button)

        # What the text model still has to do, with the button for it and the job's progress.
        self.text_line = MessageLine()
        self.text_button = QPushButton("Read product descriptions")
        self.text_button.clicked.connect(self._text_step)
        self.text_button.hide()
        text_row = QHBoxLayout()
        text_row.addWidget(self.text_line, 1)
        text_row.addWidget(self.text_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.text_progress = JobProgress(session.jobs)

        self.count = QLabel()
        self.show_all_button = QPushButton("Show &all products")
        self.show_all_button.setFlat(True)
        self.show_all_button.setStyleSheet("QPushButton { color: palette(link); text-decoration: underline; }")
        self.show_all_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_all_button.clicked.connect(lambda: self.describe.clear())
        self.show_all_button.hide()
        self.count.setWordWrap(True)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count, 1)
        count_row.addWidget(self.show_all_button)

        self.table = TableView("catalog")
        self.table.setModel(self.model)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        # Narrow fixed columns: the stretched product name gets what they leave (at 1280x800, ~170 px).
        self.table.set_widths([80, 200, 100, 65, 65, 55, 80, 90])
        self.table.stretch_column(1)
        for column in (4, 6):  # in stock, customers: shown in the details beside the table
            self.table.setColumnHidden(column, True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur.row()))

        self.matches_model = RowsModel(["Rank", "Product id", "Product", "Category", "Price", "Note"])
        self.matches_model.align_right = {0, 4}
        self.matches = TableView("catalog-matches")
        self.matches.setModel(self.matches_model)
        self.matches.set_widths([58, 90, 200, 110, 65, 90])
        self.matches.stretch_column(2)
        self.matches.setColumnHidden(1, True)  # the id is in the details beside; the names need the room
        self.matches.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.matches.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select_match(cur.row()))
        self.tables = QStackedWidget()
        self.tables.addWidget(self.table)
        self.tables.addWidget(self.matches)

        self.product = ProductDetails(session)  # the chosen product: details, similar, who would want it
        self.product.sig_customer_requested.connect(self.sig_customer_requested)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(count_row)
        left_layout.addWidget(self.tables, 1)
        split = QSplitter()
        split.setObjectName("catalog-split")  # its position is remembered (gui.habits)
        split.addWidget(left)
        split.addWidget(self.product)
        split.setStretchFactor(0, 1)
        split.setSizes([640, 440])  # the list first; the details wrap
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading("Catalog"))
        layout.addLayout(fields)
        layout.addLayout(text_row)
        layout.addWidget(self.text_progress)
        layout.addWidget(split, 1)
        self.related_export = RelatedExport(session)  # every product's related products, for the web shop
        layout.addWidget(self.related_export)
        self._describe_job: Job | None = None
        self.describe_message = ""  # a sentence about searching by meaning, shown in the text line
        self._search_waiting = False  # that sentence says the search waits for something: run it when ready
        self.matched_query = ""  # the description the matches table shows

        session.sig_data_changed.connect(self.reload)
        session.sig_text_changed.connect(lambda _s: self.refresh_text())
        session.sig_recommender_changed.connect(self._recommender_changed)
        self.refresh_text()

    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset)."""
        self.debounce.stop()  # a filter typed for the last shop is not applied to this one
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self.reload()
        self._apply_filter()

    def reload(self, *_: object) -> None:
        self.model.set_db(self.session.shop)
        self.describe.clear()
        self.matches_model.set_rows([])
        self._show_list()
        self._select(-1)

    # --- the plain filter ---------------------------------------------------------------------------
    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter.text())
        self._update_count()

    def _update_count(self) -> None:
        if self.tables.currentWidget() is self.matches:
            n = self.matches_model.rowCount()
            self.count.setText(f"Best matches for “{self.matched_query}”, best first ({formatting.number(n)})")
            return
        n = self.model.total
        text = self.filter.text().strip()
        self.count.setText(f"{formatting.plural(n, 'product')}" + (f" matching “{text}”" if text else ""))

    def _show_list(self) -> None:
        self.tables.setCurrentWidget(self.table)
        self.show_all_button.hide()
        self._update_count()

    # --- search by meaning --------------------------------------------------------------------------
    def _describe_changed(self, text: str) -> None:
        if text.strip():
            self.describe_timer.start()
            return
        self.describe_timer.stop()
        self.session.jobs.drop_slot("catalog.describe")  # an answer still on its way is no longer wanted
        self.matched_query = ""
        self.describe_message = ""
        self._search_waiting = False
        self.refresh_text()
        if self.tables.currentWidget() is self.matches:
            self._show_list()
            self._select(self.table.currentIndex().row())

    def search_by_meaning(self) -> None:
        """Rank products by how well their descriptions match the text; the newest request wins."""
        self.describe_timer.stop()
        query = self.describe.text().strip()
        if not query or self.session.path is None:
            return
        rec = self.session.recommender
        if rec is None or getattr(rec, "text", None) is None:
            self._explain_describe()
            return
        self.describe_message = ""
        self._search_waiting = False
        self.refresh_text()
        self.count.setText(f"Looking for products that match “{query}”…")
        self._describe_job = self.session.submit(
            f"Find products matching “{query}”",
            lookup.describe,
            self.session.path,
            rec,
            query,
            MATCHES,
            slot="catalog.describe",  # the newest search wins
            heavy=False,
            show=False,
            on_done=self._show_matches,
            on_error=self._describe_failed,
        )

    def _explain_describe(self) -> None:
        """Why searching by meaning can't run yet, in one sentence beside the button that fixes it."""
        s = self.session
        readiness = text_readiness(s)
        if s.text_state == TEXT_READING:
            text = "Searching by meaning works once the text model has read the product descriptions (below)."
        elif readiness.ok is False and readiness.button:
            text = "To search by meaning, the text model must first read your product descriptions."
            if readiness.action == SETTINGS:
                text = f"To search by meaning, choose a text model that works: {s.text_status.problem}"
        elif s.rec_state == PREPARING or (readiness.ok and s.rec_state == READY):
            text = "Recommendations are being loaded with the product descriptions; the search runs once they are."
        else:
            text = "Searching by meaning needs the recommendations prepared first (see Overview)."
        self.describe_message = text
        self._search_waiting = True
        self.refresh_text()

    def _show_matches(self, result: lookup.Matches) -> None:
        recs, items = result.recs, result.items
        self.matched_query = result.query
        rows, keys = [], []
        for rank, r in enumerate(recs, start=1):
            item = items.get(r.item_id) or {}
            note = ", ".join(BADGES.get(b, (b,))[0].lower() for b in r.badges)
            rows.append(
                [
                    rank,
                    r.item_id,
                    r.title or r.item_id,
                    item.get("category") or "",
                    formatting.money(item.get("price")),
                    note,
                ]
            )
            keys.append([rank, r.item_id, r.title or r.item_id, item.get("category") or "", item.get("price"), note])
        self.matches_model.set_rows(rows, keys)
        self.matches.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.tables.setCurrentWidget(self.matches)
        self.show_all_button.show()
        self._update_count()
        if recs:
            self.matches.selectRow(0)
            return
        self.product.show_item(None)
        text = f"No product matches “{self.matched_query}” well; try other words."
        status = self.session.text_status
        if _not_latin(self.matched_query) and status is not None and status.chosen_dir is None:
            text = (
                f"No product matches “{self.matched_query}” well. The bundled text model reads English; for "
                "other languages choose a multilingual model in Settings."
            )
        self.count.setText(text)

    def _describe_failed(self, exc: BaseException) -> None:
        self.describe_message = f"Searching by meaning failed: {exc}"
        self.refresh_text()

    def _recommender_changed(self, _state: str) -> None:
        self._retry_waiting_search()

    def _retry_waiting_search(self) -> None:
        """A search that had to wait (descriptions being read, recommendations loading) runs once it can."""
        rec = self.session.recommender
        waiting = self._search_waiting and bool(self.describe.text().strip())
        if waiting and self.session.rec_state == READY and rec is not None and rec.text is not None:
            QTimer.singleShot(0, self.search_by_meaning)

    # --- the text model's readiness -----------------------------------------------------------------
    def _text_step(self) -> None:
        if text_readiness(self.session).action == SETTINGS:
            self.sig_settings_requested.emit()
        else:
            self.session.read_descriptions()

    def refresh_text(self) -> None:
        """One line about the product descriptions when there is something to do (else it takes no room)."""
        s = self.session
        r = text_readiness(s)
        reading = s.is_open and s.reading_text
        self.text_progress.follow(s.text_job if reading else None)
        if self.describe_message and not (reading and not self.describe.text().strip()):
            self.text_line.show_message(self.describe_message, "warn" if r.ok is not True else "info")
        elif s.is_open and r.ok is False and s.text_status is not None and s.text_status.products:
            self.text_line.show_message(r.text, "info")
        elif s.is_open and r.ok and s.text_result:
            self.text_line.show_message(s.text_result, "ok")
        else:
            self.text_line.clear_message()
        self._retry_waiting_search()
        # isHidden, not isVisible: on another page isVisible is False, and the button stayed hidden for good
        show_button = bool(r.button) and r.ok is False and not self.text_line.isHidden()
        self.text_button.setText(r.button or "Read product descriptions")
        self.text_button.setVisible(show_button)
        if s.is_open and r.ok is not True and s.text_status is not None and s.text_status.products:
            self.describe_button.setToolTip(r.text)
        else:
            self.describe_button.setToolTip("Rank products by how well their descriptions match what you wrote.")

    # --- the selected product -----------------------------------------------------------------------
    def _select_match(self, row: int) -> None:
        rows = self.matches_model.rows
        self.product.show_item(str(rows[row][1]) if 0 <= row < len(rows) else None)

    def _select(self, row: int) -> None:
        self.product.show_item(self.model.item_id(row))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.product.current_item is not None:
            self.product.show_exposure()
