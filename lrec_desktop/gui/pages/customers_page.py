"""Customers (UX journey 3): find a customer, see their card, what they bought and what to recommend."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import lookup
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import PREPARING, READY, ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import Card, MessageLine, Note, heading
from lrec_desktop.gui.widgets.tables import TableView, all_rows_text
from lrec_desktop.gui.workers import Job

TOP_N = lookup.TOP_N
HISTORY_TITLE = "What they bought (newest first)"
# Suggestions are looked up once typing pauses this long: a user at 100-150 ms a key gets them within
# 300 ms of the last key, and a fast typist's every key doesn't query the shop.
COMPLETION_PAUSE_MS = 90
GEM_WORDS = {True: "is a rarely sold or new product that fits", False: "are rarely sold or new products that fit"}
BADGE_WORDS = {"new": "new product", "rarely sold": "rarely sold"}


def completion_text(row: tuple[str, str, str]) -> str:
    cid, name, email = row
    extra = " ".join(p for p in (name, f"<{email}>" if email else "") if p)
    return f"{cid} — {extra}" if extra else cid


class CustomersPage(QWidget):
    sig_export_requested = Signal(list)  # customer ids
    sig_longtail_requested = Signal()

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a customer by id, name or e-mail  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.completions = QStringListModel(self)
        self.completer = QCompleter(self.completions, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        # The popup's height is counted for its rows alone; a horizontal scroll bar showing up after it opened
        # (a long e-mail) took a row's height, so two matches showed one and a half rows. Long lines are
        # elided instead; the box is as wide as the search field.
        popup = self.completer.popup()
        popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        popup.setTextElideMode(Qt.TextElideMode.ElideRight)
        popup.setUniformItemSizes(True)
        self.completer.activated.connect(self._completion_chosen)
        self.search.setCompleter(self.completer)
        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(COMPLETION_PAUSE_MS)
        self.typing.timeout.connect(self._update_completions)
        self.search.textEdited.connect(lambda _t: self.typing.start())
        self.search.returnPressed.connect(self.look_up_text)
        self.lookup_button = QPushButton("&Look up")
        self.lookup_button.clicked.connect(self.look_up_text)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.lookup_button)
        self.error = MessageLine()

        self.card = Card()
        self.name = heading("Find a customer to see what they bought and what to recommend", 2)
        self.name.setWordWrap(True)
        self.contact = QLabel()
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        for w in (self.name, self.contact, self.facts):
            self.card.layout_.addWidget(w)

        self.history_model = RowsModel(["Date", "Product", "Category", "Quantity"])
        self.history_model.align_right = {3}
        self.history = TableView("customer-history")
        self.history.setModel(self.history_model)
        self.history.set_widths([90, 200, 110, 70])
        self.history.stretch_column(1)
        self.history.wrap_rows()
        self.history.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the order SQL gives: newest first
        self.recs_model = RowsModel(["Rank", "Product", "Note", "Why this?"])
        self.recs_model.align_right = {0}
        self.recs = TableView("customer-recommendations")
        self.recs.setModel(self.recs_model)
        self.recs.set_widths([58, 190, 95, 250])
        self.recs.stretch_column(3)
        self.recs.wrap_rows()
        self.recs.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.recs_note = Note()
        self.discovery_label = QLabel()
        self.discovery_label.setWordWrap(True)
        self.discovery_label.setTextFormat(Qt.TextFormat.RichText)
        self.discovery_label.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        self.discovery_label.setToolTip(
            "Discovery (bestsellers ↔ hidden gems) keeps some places in every list for rarely sold and new "
            "products. Change it on the Long tail page."
        )
        self.discovery_label.linkActivated.connect(lambda _l: self.sig_longtail_requested.emit())
        self.export_button = QPushButton("E&xport these…")
        self.export_button.clicked.connect(self._export)
        self.copy_button = QPushButton("&Copy to clipboard")
        self.copy_button.clicked.connect(self.copy_recommendations)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)

        self.history_title = heading(HISTORY_TITLE, 1)
        split = QSplitter()
        split.setObjectName("customers-split")  # its position is remembered (gui.habits)
        split.addWidget(self._column(self.history_title, self.history))
        split.addWidget(
            self._column(heading("What to recommend", 1), self.discovery_label, self.recs_note, self.recs, buttons)
        )
        split.setChildrenCollapsible(False)
        split.setSizes([500, 580])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading("Customers"))
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.card)
        layout.addWidget(split, 1)

        self.job: Job | None = None
        self.customer_id: str | None = None
        self.recommendations: list[Any] = []
        self._completion_ids: dict[str, str] = {}
        self._set_buttons()
        session.sig_recommender_changed.connect(self._recommender_changed)
        session.sig_discovery_changed.connect(self._settings_changed)
        session.sig_rules_changed.connect(self._settings_changed)
        self.show_discovery()

    @staticmethod
    def _column(*parts: Any) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        for p in parts:
            if isinstance(p, QHBoxLayout):
                layout.addLayout(p)
            else:
                layout.addWidget(p, 1 if isinstance(p, TableView) else 0)
        return w

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_completions(self) -> None:
        shop = self.session.shop
        if shop is None:
            return
        text = self.search.text()
        rows = shop.search_customers(text, limit=30)
        self._completion_ids = {completion_text(r): r[0] for r in rows}
        self.completions.setStringList(list(self._completion_ids))
        # The line edit asked the completer on every key, of the list found for an earlier text (which, for
        # "1308" after "13", may hold none of the matches), and it asks nothing when the list changes; so the
        # new list is shown here, else suggestions waited for another key.
        if text.strip() and self.search.hasFocus() and rows:
            self.completer.setCompletionPrefix(text)
            self.completer.complete()
        elif not rows:
            self.completer.popup().hide()

    def _completion_chosen(self, text: str) -> None:
        cid = self._completion_ids.get(text, text.split(" — ")[0])
        self.search.setText(cid)
        self.look_up(cid)

    def look_up_text(self) -> None:
        text = self.search.text().strip()
        shop = self.session.shop
        if not text or shop is None:
            return
        cid = self._completion_ids.get(text) or shop.find_customer(text)
        if cid is None:
            rows = shop.search_customers(text, limit=1)
            cid = rows[0][0] if rows else None
        if cid is None:
            self.error.show_message(f"No customer's id, name or e-mail matches “{text}”.")
            return
        self.look_up(cid)

    def look_up(self, customer_id: str) -> None:
        """Show one customer; a newer lookup cancels this one and only the last answer is shown."""
        if self.session.path is None:
            return
        self.error.clear_message()
        recommender = self.session.recommender if self.session.rec_state == READY else None
        self._note("Finding recommendations…" if recommender else self._not_ready_text())
        self.job = self.session.submit(
            f"Look up customer {customer_id}",
            lookup.customer_view,
            self.session.path,
            customer_id,
            recommender,
            TOP_N,
            slot="customers.lookup",  # a newer lookup cancels this one: the last answer wins
            heavy=False,
            show=False,
            on_done=self._show,
            on_error=lambda e: self._failed(customer_id, e),
        )

    def _note(self, text: str) -> None:
        self.recs_note.setText(text)

    def _not_ready_text(self) -> str:
        if self.session.rec_state == PREPARING:
            return "Recommendations are being prepared (see Jobs); look this customer up again in a moment."
        return "Recommendations are not prepared yet: use “Prepare recommendations” on the Overview page."

    def _failed(self, customer_id: str, exc: BaseException) -> None:
        self.error.show_message(f"Customer {customer_id} could not be shown: {exc}")

    def _show(self, result: lookup.CustomerView) -> None:
        card = result.card
        self.customer_id = result.customer_id
        if card is None:
            self.error.show_message(f"There is no customer {self.customer_id} in this shop.")
            self.clear()
            return
        self.name.setText(card.name or f"Customer {card.customer_id}")
        self.contact.setText(" · ".join(p for p in (f"id {card.customer_id}", card.email) if p))
        favourites = ", ".join(f"{c} ({formatting.number(n)})" for c, n in card.favourite_categories) or "—"
        self.facts.setText(
            f"First purchase: {formatting.date(card.first_ts) or '—'}   ·   "
            f"Last purchase: {formatting.date(card.last_ts) or '—'}   ·   "
            f"{formatting.plural(card.orders, 'order')} ({formatting.plural(card.lines, 'line')})   ·   "
            f"Favourite categories: {favourites}"
        )
        history = result.history
        self.history_model.set_rows(
            [
                [formatting.date(ts), title or item_id, category, formatting.quantity(q)]
                for ts, item_id, title, category, q, _event in history
            ],
            keys=[[ts, title or item_id, category, q] for ts, item_id, title, category, q, _event in history],
        )
        self.history_title.setText(f"{HISTORY_TITLE[:-1]}, {formatting.plural(len(history), 'line')})")
        recs = result.recs
        self.recommendations = list(recs or [])
        self.recs_model.set_rows(
            [
                [i + 1, r.title or r.item_id, ", ".join(BADGE_WORDS.get(b, b) for b in r.badges), r.reason]
                for i, r in enumerate(self.recommendations)
            ]
        )
        for i, r in enumerate(self.recommendations):
            self.recs_model.tooltips[(i, 1)] = f"{r.title}\nProduct id {r.item_id}"
            if r.badges:
                self.recs_model.tooltips[(i, 2)] = (
                    "Rarely sold: few customers have bought it, so it is easy to "
                    "miss. New: recently added to the catalog."
                )
        if recs is None:
            self._note(self._not_ready_text())
        elif not recs:
            self._note("Nothing to recommend: this customer has already bought what fits them.")
        else:
            self._note("")
        self._set_buttons()

    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset): no customer, search or suggestion of the
        last shop."""
        self.search.clear()
        self.completions.setStringList([])
        self._completion_ids = {}
        self.error.clear_message()
        self.clear()
        self.show_discovery()

    def clear(self, *_: object) -> None:
        self.customer_id = None
        self.recommendations = []
        self.name.setText("Find a customer to see what they bought and what to recommend")
        self.contact.setText("")
        self.facts.setText("")
        self.history_model.set_rows([])
        self.history_title.setText(HISTORY_TITLE)
        self.recs_model.set_rows([])
        self._note("")
        self._set_buttons()

    def _recommender_changed(self, state: str) -> None:
        self.show_discovery()  # the learned ranking and the built-in one take a level differently
        if state == READY and self.customer_id and not self.recommendations:
            self.look_up(self.customer_id)

    def show_discovery(self) -> None:
        if not self.session.is_open:
            self.discovery_label.setText("")
            return
        level = self.session.discovery
        rec = self.session.recommender
        gems = lookup.gem_slots(TOP_N, level, rec)
        if gems:
            what = f"{gems} of these {TOP_N} {GEM_WORDS[gems == 1]} the customer"
        elif lookup.learned_order(rec) and level > 0:
            what = "rarely sold and new products that fit the customer move up, as far as this shop's sales show"
        else:
            what = "bestsellers first, no places kept for rarely sold or new products"
        self.discovery_label.setText(f"Discovery {level:.0%}: {what}. <a href='longtail'>Change…</a>")

    def _settings_changed(self, *_: object) -> None:
        """Discovery or the rules changed: the loaded recommendations use them already; show them again."""
        self.show_discovery()
        if self.customer_id:
            self.look_up(self.customer_id)

    def _set_buttons(self) -> None:
        self.export_button.setEnabled(self.customer_id is not None)
        self.copy_button.setEnabled(bool(self.recommendations))

    def _export(self) -> None:
        if self.customer_id:
            self.sig_export_requested.emit([self.customer_id])

    def copy_recommendations(self) -> None:
        QGuiApplication.clipboard().setText(all_rows_text(self.recs))
