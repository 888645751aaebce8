"""The Catalog page's right side: the chosen product's details (id, category, price, sales, how many
customers it is shown to, description) above tabs with similar products, its sales over time, what is bought
in the same order, the basket prompt and who would want it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from lrec_desktop.core.app import evaluate, lookup
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import READY, ShopSession
from lrec_desktop.gui.table_models import RowsModel, size_words
from lrec_desktop.gui.widgets.audience_panel import AudiencePanel
from lrec_desktop.gui.widgets.basket_panel import BasketPanel
from lrec_desktop.gui.widgets.common import BADGES, Badge, Card, Note, heading
from lrec_desktop.gui.widgets.product_role import ProductRole
from lrec_desktop.gui.widgets.product_sales import SalesPanel
from lrec_desktop.gui.widgets.same_order_panel import SameOrderPanel
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job


class ProductDetails(QWidget):
    """The chosen product (``show_item``); asks for a customer's page through ``sig_customer_requested``."""

    sig_customer_requested = Signal(str)

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.details_title = heading("Choose a product", 2)
        self.details_title.setWordWrap(True)
        self.badge = Badge()
        self.details = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for name in ("Product id", "Sizes", "Category", "Price", "Sales", "Shown to", "Description"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[name] = label
            self.details.addRow(f"{name}:", label)
        self.role = ProductRole(session)  # a product, or postage / a gift card, never recommended
        self.details.addRow("Counts as:", self.role)
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
        self.sales = SalesPanel(session)  # its sales per week or month
        self.same_order = SameOrderPanel(session)  # baskets: what goes in the same orders as this product
        self.basket = BasketPanel(session)  # the till prompt: what to offer with a basket
        self.tabs = QTabWidget()
        # Short tab names: all five fit beside the list at 1280x800 (no scroll arrows); the tooltip says more.
        for widget, name, tip in (
            (similar_tab, "Similar", "Similar products: described alike, or bought by the same customers"),
            (self.sales, "Sales", "Sales over time: per week, or per month over a longer span"),
            (self.same_order, "Same order", "Bought in the same order as this product"),
            (self.basket, "Basket", "What to offer with a basket of products (the till prompt)"),
            (self.audience, "Who would want this?", "Customers likely to want this product, for a campaign"),
        ):
            self.tabs.setTabToolTip(self.tabs.addTab(widget, name), tip)
        side_layout = QVBoxLayout(self)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(card)
        side_layout.addWidget(self.tabs, 1)
        self._similar_job: Job | None = None
        self.current_item: str | None = None
        self.current_in_stock = True
        self.fields["Shown to"].setToolTip(
            "How many customers have this product in their top-10 recommendations now, with the current "
            "discovery level and rules (counted in the background, see the Long tail page)."
        )
        session.sig_exposure_changed.connect(self.show_exposure)

    def show_item(self, item_id: str | None) -> None:
        self.current_item = item_id
        shop = self.session.shop
        item = shop.get_item(item_id) if item_id and shop is not None else None
        if item is None:
            self.current_item = None
            self.details_title.setText("Choose a product in the list to see its details")
            for label in self.fields.values():
                label.setText("")
            self.badge.set_badges(())
            self.role.set_item(None)
            self.details.setRowVisible(self.fields["Sizes"], False)
            self.similar_model.set_rows([])
            self.similar_note.setText("")
            self.audience.set_item(None, "")
            self.same_order.set_item(None)
            self.sales.set_item(None)
            return
        title = item["title"] or item["item_id"]
        self.current_in_stock = bool(item["in_stock"])
        self.details_title.setText(title)
        self.badge.set_badges(self._badges(item))
        f = self.fields
        f["Product id"].setText(str(item["item_id"]))
        sizes = shop.sizes_of(str(item.get("product_id") or item["item_id"])) if shop is not None else []
        f["Sizes"].setText(size_words("; ".join(words or item_id for item_id, words in sizes)))
        self.details.setRowVisible(f["Sizes"], bool(sizes))
        self.role.set_item(str(item["item_id"]))
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
        self.sales.set_item(str(item.get("product_id") or item["item_id"]), title)
        self.show_exposure()
        self._load_similar(str(item["item_id"]))

    def show_exposure(self) -> None:
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
