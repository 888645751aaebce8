"""Catalog: every product, searchable and sortable (SQL does both), paged 500 rows at a time; or, once the
text model has read the product descriptions, the products that match a description by meaning ("gift for
a gardener"). Beside the table: the selected product's details, similar products, and who would want it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import evaluate, lookup
from lrec_desktop.gui import formatting
from lrec_desktop.gui.readiness import SETTINGS, text_readiness
from lrec_desktop.gui.session import PREPARING, READY, TEXT_READING, ShopSession
from lrec_desktop.gui.table_models import CatalogModel, RowsModel
from lrec_desktop.gui.widgets.audience_panel import AudiencePanel
from lrec_desktop.gui.widgets.basket_panel import BasketPanel
from lrec_desktop.gui.widgets.common import BADGES, Badge, Card, MessageLine, Note, heading
from lrec_desktop.gui.widgets.job_progress import JobProgress
from lrec_desktop.gui.widgets.related_export import RelatedExport
from lrec_desktop.gui.widgets.same_order_panel import SameOrderPanel
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

        self.details_title = heading("Choose a product", 2)
        self.details_title.setWordWrap(True)
        self.badge = Badge()
        self.details = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for name in ("Product id", "Category", "Price", "Sales", "Shown to", "Description"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[name] = label
            self.details.addRow(f"{name}:", label)
        card = Card()
        title_row = QHBoxLayout()
        title_row.addWidget(self.details_title, 1)
        title_row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        card.layout_.addLayout(title_row)
        card.layout_.addLayout(self.details)
        self.similar_model = RowsModel(["Similar product", "Note", "Why this?"])
        self.similar = TableView("catalog-similar")
        self.similar.setModel(self.similar_model)
        self.similar.set_widths([180, 90, 200])
        self.similar.stretch_column(2)
        self.similar.wrap_rows()
        self.similar_note = Note()
        similar_tab = QWidget()
        similar_layout = QVBoxLayout(similar_tab)
        similar_layout.setContentsMargins(6, 8, 6, 6)
        similar_layout.addWidget(self.similar_note)
        similar_layout.addWidget(self.similar, 1)
        self.audience = AudiencePanel(session)
        self.audience.sig_customer_requested.connect(self.sig_customer_requested)
        self.tabs = QTabWidget()
        self.tabs.addTab(similar_tab, "Similar products")
        self.same_order = SameOrderPanel(session)  # baskets: what goes in the same orders as this product
        self.tabs.addTab(self.same_order, "Bought in the same order")
        self.basket = BasketPanel(session)  # the till prompt: what to offer with a basket
        self.tabs.addTab(self.basket, "Basket")
        self.tabs.addTab(self.audience, "Who would want this?")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(card)
        side_layout.addWidget(self.tabs, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(count_row)
        left_layout.addWidget(self.tables, 1)
        split = QSplitter()
        split.setObjectName("catalog-split")  # its position is remembered (gui.habits)
        split.addWidget(left)
        split.addWidget(side)
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
        self._similar_job: Job | None = None
        self._describe_job: Job | None = None
        self.describe_message = ""  # a sentence about searching by meaning, shown in the text line
        self._search_waiting = False  # that sentence says the search waits for something: run it when ready
        self.matched_query = ""  # the description the matches table shows
        self.current_item: str | None = None
        self.current_in_stock = True

        session.sig_data_changed.connect(self.reload)
        session.sig_text_changed.connect(lambda _s: self.refresh_text())
        session.sig_recommender_changed.connect(self._recommender_changed)
        session.sig_exposure_changed.connect(self._show_exposure)
        self.fields["Shown to"].setToolTip(
            "How many customers have this product in their top-10 recommendations now, with the current "
            "discovery level and rules (counted in the background, see the Long tail page)."
        )
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
        self._show_item(None)
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
        self._show_item(str(rows[row][1]) if 0 <= row < len(rows) else None)

    def _select(self, row: int) -> None:
        self._show_item(self.model.item_id(row))

    def _show_item(self, item_id: str | None) -> None:
        self.current_item = item_id
        shop = self.session.shop
        item = shop.get_item(item_id) if item_id and shop is not None else None
        if item is None:
            self.current_item = None
            self.details_title.setText("Choose a product in the list to see its details")
            for label in self.fields.values():
                label.setText("")
            self.badge.set_badges(())
            self.similar_model.set_rows([])
            self.similar_note.setText("")
            self.audience.set_item(None, "")
            self.same_order.set_item(None)
            return
        title = item["title"] or item["item_id"]
        self.current_in_stock = bool(item["in_stock"])
        self.details_title.setText(title)
        self.badge.set_badges(self._badges(item))
        f = self.fields
        f["Product id"].setText(str(item["item_id"]))
        f["Category"].setText(item["category"] or "—")
        stock = "in stock" if item["in_stock"] else "out of stock"
        f["Price"].setText(f"{formatting.money(item['price'])} · {stock}" if item["price"] is not None else stock)
        if item["sales"]:
            f["Sales"].setText(
                f"{formatting.plural(item['sales'], 'sale')} to {formatting.plural(item['buyers'], 'customer')}"
                f" · last sold {formatting.date(item['last_sold'])}"
            )
        else:
            f["Sales"].setText("not sold yet")
        description = item["description"] or "—"
        f["Description"].setText(description if len(description) < 300 else description[:300] + "…")
        f["Description"].setToolTip(description if len(description) >= 300 else "")
        self.audience.set_item(str(item["item_id"]), title)
        self.same_order.set_item(str(item.get("product_id") or item["item_id"]))  # a size stands for its product
        self._show_exposure()
        self._load_similar(str(item["item_id"]))

    def _show_exposure(self) -> None:
        """ "Shown to N customers by the current recommendations", counted lazily on a worker."""
        label = self.fields["Shown to"]
        s = self.session
        if self.current_item is None:
            label.setText("")
            return
        report = s.exposure
        if report is not None:
            n = report.shown_to(self.current_item)
            sampled = report.customers >= evaluate.longtail_sample()
            sample = f" (of {formatting.number(report.customers)} customers checked)" if sampled else ""
            if n:
                label.setText(
                    f"{formatting.plural(n, 'customer')}{sample} by the current recommendations (top {report.k})"
                )
            elif not self.current_in_stock and s.recommender.rules.hide_out_of_stock:
                label.setText("no one: out of stock, so your rules hide it")
            else:
                label.setText(f"no one{sample}: not in anyone's top {report.k} recommendations now")
            return
        if s.rec_state != READY or s.recommender is None:
            label.setText("— (once recommendations are prepared)")
            return
        if s.exposure_error:
            label.setText("could not be counted")
            return
        label.setText("counting…")
        if self.isVisible():  # counted when the page is next shown
            s.compute_exposure()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.current_item is not None:
            self._show_exposure()

    def _badges(self, item: dict[str, Any]) -> tuple[str, ...]:
        """New / rarely sold, as the recommendations see the product (else: never sold = new)."""
        rec = self.session.recommender
        if rec is not None:
            j = rec.model.items.index(str(item["item_id"]))
            if j is not None:
                return tuple(rec.catalog.badges(j))
        return ("new",) if not item["sales"] else ()

    def _load_similar(self, item_id: str) -> None:
        self.similar_model.set_rows([])
        self.session.jobs.drop_slot("catalog.similar")
        rec = self.session.recommender
        if self.session.rec_state != READY or rec is None:
            self.similar_note.setText("Similar products appear once recommendations are prepared (see Overview).")
            return
        self.similar_note.setText("Looking for similar products…")
        self._similar_job = self.session.submit(
            "Similar products",
            lookup.similar_products,
            rec,
            item_id,
            slot="catalog.similar",
            heavy=False,
            show=False,
            on_done=lambda recs: self._show_similar(item_id, recs),
            on_error=lambda _e: self.similar_note.setText("Similar products could not be found for this product."),
        )

    def _show_similar(self, item_id: str, recs: list) -> None:
        if item_id != self.current_item:
            return
        words = {b: BADGES[b][0].lower() for b in BADGES}
        self.similar_model.set_rows(
            [[r.title or r.item_id, ", ".join(words.get(b, b) for b in r.badges), r.reason] for r in recs]
        )
        reasons = {r.reason for r in recs}
        shared = len(recs) > 1 and len(reasons) == 1  # the same "why this?" on every row: say it once
        self.similar.setColumnHidden(2, shared)
        self.similar.stretch_column(0 if shared else 2)
        self.similar_note.setText("No similar products found." if not recs else (reasons.pop() if shared else ""))
