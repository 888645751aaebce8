"""Whether a catalog row counts as a product (issue 18 item 2): what the import found (postage, a gift card, a
fee…) and the owner's word on it, "never recommend" or "a product after all", written on a worker
(core.app.products.set_role); the recommendations are then prepared again, since what was learned from sales
changes with what counts as a product."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from lrec_desktop.core.app import products
from lrec_desktop.core.app.products import AUTO, NOT_PRODUCT, PRODUCT
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import MessageLine
from lrec_desktop.gui.workers import Job


def role_choices(found: str) -> list[tuple[str, str]]:
    """(words, role) for the drop-down, short enough for the details beside the list at 1280x800; the first says
    what the app decides by itself (why, in the tooltip)."""
    return [
        ("As found: not a product" if found else "As found: a product", AUTO),
        ("A product after all" if found else "A product", PRODUCT),
        ("Never recommend", NOT_PRODUCT),
    ]


class ProductRole(QWidget):
    """The "Counts as" drop-down for one catalog row; ``set_item`` when the chosen product changes."""

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item_id: str | None = None
        self.job: Job | None = None
        self.choice = QComboBox()
        self.choice.setAccessibleName("Counts as")
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # never cut its words
        self.choice.setToolTip(
            "Postage, fees, discounts and gift cards are found at import and never recommended. Overrule it "
            "for any product here: the recommendations are prepared again."
        )
        self.choice.activated.connect(lambda _i: self.choose(str(self.choice.currentData())))
        self.note = MessageLine()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choice)
        layout.addWidget(self.note, 1)

    def set_item(self, item_id: str | None) -> None:
        self.item_id = item_id
        self.note.clear_message()
        self.choice.blockSignals(True)
        self.choice.clear()
        shop = self.session.shop
        if item_id is not None and shop is not None:
            role, found = shop.product_role(item_id)
            for words, value in role_choices(found):
                self.choice.addItem(words, value)
            self.choice.setCurrentIndex(max(self.choice.findData(role), 0))
            self.choice.setItemData(0, f"The import found {found}: never recommended." if found else
                                    "The import found nothing that makes it no product.", Qt.ItemDataRole.ToolTipRole)
            if found:
                self.note.show_message(f"found: {found}", "muted")
        self.choice.blockSignals(False)
        self.choice.setEnabled(item_id is not None)

    def choose(self, role: str) -> Job | None:
        s = self.session
        if self.item_id is None or s.path is None:
            return None
        item_id = self.item_id

        def done(_listed: object) -> None:
            self.note.show_message("Saved; the recommendations are prepared again.", "ok")
            s.data_changed()
            s.prepare_recommendations()

        def failed(exc: BaseException) -> None:
            self.note.show_message(f"Not saved: {exc}")
            self.set_item(item_id)

        self.job = s.submit(
            "Change what counts as a product",
            products.set_role,
            s.path,
            item_id,
            role,
            write=True,
            heavy=False,
            show=False,
            on_done=done,
            on_error=failed,
        )
        return self.job
