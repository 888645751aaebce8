"""Recommendation rules: products and categories never to recommend, products to show everyone first, products
and categories to recommend more often, a price band, and hiding what is out of stock.

Saved with the shop (``Rules.save``) and applied at once to the loaded recommendations (``set_rules``): the
Customers page, exports and the Long tail page use them from then on, without preparing again.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import settings as shop_settings
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import MessageLine, hint

BOOST_DEFAULT = 1.5


def factor_words(factor: float) -> str:
    return f"×{factor:g}"


class Catalog:
    """The shop's products and categories, read once for the completers and lists."""

    def __init__(self, rows: list[tuple[str, str, str, float | None]]) -> None:
        """``rows``: (id, title, category, price) of every product, by title (OpenShop.product_choices)."""
        self.titles = {str(i): (t or str(i)) for i, t, _c, _p in rows}
        self.labels = {f"{t or i} — {i}": str(i) for i, t, _c, _p in rows}
        counts: dict[str, int] = {}
        for _i, _t, c, _p in rows:
            if c:
                counts[c] = counts.get(c, 0) + 1
        self.categories = dict(sorted(counts.items(), key=lambda kv: kv[0].lower()))
        prices = [float(p) for *_r, p in rows if p is not None and not math.isnan(float(p))]
        self.min_price = min(prices) if prices else None
        self.max_price = max(prices) if prices else None
        self._lower_titles = {t.lower(): str(i) for i, t, _c, _p in rows if t}

    def find(self, text: str) -> str | None:
        """A product id for what was typed or chosen: a completion, an id, or an exact name."""
        text = text.strip()
        if not text:
            return None
        if text in self.labels:
            return self.labels[text]
        if text in self.titles:
            return text
        return self._lower_titles.get(text.lower())

    def label(self, item_id: str) -> str:
        title = self.titles.get(item_id)
        return f"{title} ({item_id})" if title and title != item_id else item_id


class ProductPicker(QWidget):
    """Type a product's name or id (with completion), Add; the chosen ones listed with Remove."""

    def __init__(
        self,
        catalog: Catalog,
        error: MessageLine,
        *,
        limit: int | None = None,
        factor: bool = False,
        placeholder: str = "Type a product's name or id",
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.error = error
        self.limit = limit
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        completer = QCompleter(QStringListModel(list(catalog.labels), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.edit.setCompleter(completer)
        self.edit.returnPressed.connect(self.add_text)
        self.factor: QDoubleSpinBox | None = None
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_text)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        if factor:
            self.factor = boost_spin()
            row.addWidget(self.factor)
        row.addWidget(self.add_button)
        self.list = QListWidget()
        self.list.setMaximumHeight(92)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(lambda: self.remove_button.setEnabled(bool(self.list.selectedItems())))
        self.remove_button.setEnabled(False)
        side = QVBoxLayout()
        side.addWidget(self.remove_button)
        side.addStretch(1)
        below = QHBoxLayout()
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.list, 1)
        below.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addLayout(below)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # never squeezed shorter

    def ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def factors(self) -> dict[str, float]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return {it.data(Qt.ItemDataRole.UserRole): float(it.data(Qt.ItemDataRole.UserRole + 1)) for it in items}

    def add(self, item_id: str, factor: float | None = None) -> bool:
        if item_id in self.ids():
            return False
        if self.limit is not None and self.list.count() >= self.limit:
            self.error.show_message(f"Up to {self.limit} products can be shown first; remove one to add another.")
            return False
        text = self.catalog.label(item_id)
        if factor is not None:
            text += f" — {factor_words(factor)}"
        entry = QListWidgetItem(text)
        entry.setData(Qt.ItemDataRole.UserRole, item_id)
        entry.setData(Qt.ItemDataRole.UserRole + 1, factor)
        self.list.addItem(entry)
        return True

    def add_text(self) -> None:
        text = self.edit.text()
        if not text.strip():
            return
        item_id = self.catalog.find(text)
        if item_id is None:
            self.error.show_message(f"No product is called “{text.strip()}”: choose one from the suggestions.")
            return
        self.error.clear_message()
        if self.add(item_id, self.factor.value() if self.factor is not None else None):
            self.edit.clear()

    def remove_selected(self) -> None:
        for entry in self.list.selectedItems():
            self.list.takeItem(self.list.row(entry))


def boost_spin() -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0.2, 5.0)
    spin.setSingleStep(0.1)
    spin.setDecimals(1)
    spin.setPrefix("×")
    spin.setValue(BOOST_DEFAULT)
    spin.setToolTip("×1.5 recommends it as if it fitted the customer half as well again; below ×1 shows it less.")
    return spin


def price_spin(special: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-1.0, 1e9)
    spin.setDecimals(2)
    spin.setSpecialValueText(special)  # shown at the minimum, -1: no limit
    spin.setValue(-1.0)
    spin.setMinimumWidth(130)
    code = formatting.currency()
    if code:
        spin.setSuffix(f" {code}")  # the shop's currency, as every price shows it
    return spin


class RulesDialog(QDialog):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recommendation rules")
        self.session = session
        self.catalog = Catalog(session.shop.product_choices() if session.shop is not None else [])
        self.error = MessageLine()
        rules = session.rules()

        self.excluded = ProductPicker(self.catalog, self.error)
        self.categories = QListWidget()
        self.categories.setMinimumHeight(90)
        for name, count in self.catalog.categories.items():
            entry = QListWidgetItem(f"{name} ({formatting.plural(count, 'product')})")
            entry.setData(Qt.ItemDataRole.UserRole, name)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if name in rules.exclude_categories else Qt.CheckState.Unchecked)
            self.categories.addItem(entry)
        self.pinned = ProductPicker(self.catalog, self.error, limit=shop_settings.max_pinned())
        self.boosted = ProductPicker(self.catalog, self.error, factor=True)
        self.boost_category = QComboBox()
        self.boost_category.addItems(list(self.catalog.categories))
        self.boost_category_factor = boost_spin()
        add_category = QPushButton("Add")
        add_category.clicked.connect(self._add_category_boost)
        self.boosted_categories = QListWidget()
        self.boosted_categories.setMaximumHeight(70)
        remove_category = QPushButton("Remove")
        remove_category.setEnabled(False)
        self.boosted_categories.itemSelectionChanged.connect(
            lambda: remove_category.setEnabled(bool(self.boosted_categories.selectedItems()))
        )
        remove_category.clicked.connect(
            lambda: [
                self.boosted_categories.takeItem(self.boosted_categories.row(e))
                for e in self.boosted_categories.selectedItems()
            ]
        )
        self.min_price = price_spin("No lower limit")
        self.max_price = price_spin("No upper limit")
        self.hide_out_of_stock = QCheckBox("Hide products that are out of stock")
        self.hide_out_of_stock.setChecked(rules.hide_out_of_stock)

        for item_id in rules.exclude_items:
            self.excluded.add(item_id)
        for item_id in rules.pinned_items:
            self.pinned.add(item_id)
        for item_id, factor in rules.boosted_items.items():
            self.boosted.add(item_id, float(factor))
        for category, factor in rules.boosted_categories.items():
            self._add_category(category, float(factor))
        if rules.min_price is not None:
            self.min_price.setValue(float(rules.min_price))
        if rules.max_price is not None:
            self.max_price.setValue(float(rules.max_price))

        never = QGroupBox("Never recommend")
        never_layout = QVBoxLayout(never)
        never_layout.addWidget(hint("These products, e.g. discontinued ones or ones you can't reorder:"))
        never_layout.addWidget(self.excluded)
        never_layout.addWidget(hint("Products of these categories (tick them):"))
        never_layout.addWidget(self.categories, 1)

        first = QGroupBox(f"Show everyone first (up to {shop_settings.max_pinned()})")
        first_layout = QVBoxLayout(first)
        first_layout.addWidget(
            hint("At the top of every list, for customers who haven't bought them; the reason says “Chosen by you”.")
        )
        first_layout.addWidget(self.pinned)

        more = QGroupBox("Recommend more often")
        more_layout = QVBoxLayout(more)
        more_layout.addWidget(hint("×1.5 lifts a product as if it fitted the customer half as well again."))
        more_layout.addWidget(self.boosted)
        category_row = QHBoxLayout()
        category_row.addWidget(QLabel("Category:"))
        category_row.addWidget(self.boost_category, 1)
        category_row.addWidget(self.boost_category_factor)
        category_row.addWidget(add_category)
        more_layout.addLayout(category_row)
        category_list = QHBoxLayout()
        category_list.addWidget(self.boosted_categories, 1)
        category_list.addWidget(remove_category, 0, Qt.AlignmentFlag.AlignTop)
        more_layout.addLayout(category_list)

        price = QGroupBox("Price and stock")
        price_layout = QVBoxLayout(price)
        band = QHBoxLayout()
        band.addWidget(QLabel("Only recommend products priced from"))
        band.addWidget(self.min_price)
        band.addWidget(QLabel("to"))
        band.addWidget(self.max_price)
        band.addStretch(1)
        price_layout.addLayout(band)
        if self.catalog.min_price is not None:
            price_layout.addWidget(
                hint(
                    f"Your prices run from {formatting.money(self.catalog.min_price)} to "
                    f"{formatting.money(self.catalog.max_price)}. Products without a price are always kept; "
                    "products shown everyone first ignore the band."
                )
            )
        price_layout.addWidget(self.hide_out_of_stock)

        columns = QGridLayout()
        columns.setHorizontalSpacing(16)
        columns.addWidget(never, 0, 0, 2, 1)
        columns.addWidget(first, 0, 1)
        columns.addWidget(more, 1, 1)
        columns.addWidget(price, 2, 0, 1, 2)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)

        self.save_button = QPushButton("&Save and apply")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton("C&lear all rules")
        self.clear_button.setToolTip("Back to no rules (out-of-stock products stay hidden).")
        self.clear_button.clicked.connect(self.clear_all)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Rules apply to every list: the Customers page, exports and the Long tail figures. They take "
                "effect as soon as you save; nothing needs preparing again."
            )
        )
        layout.addLayout(columns)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(900)
        # Qt opens a window at most 2/3 of the screen high: on a 1280x800 screen that squeezed the product
        # lists below their own height. Open it at its full height when the screen has room.
        room = self.screen().availableGeometry().height() - 60 if self.screen() is not None else 0
        hint_size = self.sizeHint()
        self.resize(max(900, hint_size.width()), max(self.minimumSizeHint().height(), min(hint_size.height(), room)))

    def _add_category(self, category: str, factor: float) -> None:
        for i in range(self.boosted_categories.count()):
            if self.boosted_categories.item(i).data(Qt.ItemDataRole.UserRole) == category:
                self.boosted_categories.takeItem(i)
                break
        entry = QListWidgetItem(f"{category} — {factor_words(factor)}")
        entry.setData(Qt.ItemDataRole.UserRole, category)
        entry.setData(Qt.ItemDataRole.UserRole + 1, factor)
        self.boosted_categories.addItem(entry)

    def _add_category_boost(self) -> None:
        if self.boost_category.currentText():
            self._add_category(self.boost_category.currentText(), self.boost_category_factor.value())

    def set_category_excluded(self, category: str, excluded: bool = True) -> None:
        for i in range(self.categories.count()):
            entry = self.categories.item(i)
            if entry.data(Qt.ItemDataRole.UserRole) == category:
                entry.setCheckState(Qt.CheckState.Checked if excluded else Qt.CheckState.Unchecked)

    def rules(self) -> Any:
        """The rules as chosen in the dialog; ValueError with a sentence when they contradict each other."""
        low = self.min_price.value() if self.min_price.value() >= 0 else None
        high = self.max_price.value() if self.max_price.value() >= 0 else None
        if low is not None and high is not None and low > high:
            raise ValueError("The lowest price is above the highest: swap them or clear one.")
        clash = set(self.excluded.ids()) & set(self.pinned.ids())
        if clash:
            names = ", ".join(self.catalog.label(i) for i in sorted(clash))
            raise ValueError(f"{names} is both never recommended and shown first: remove it from one of them.")
        categories = [
            self.categories.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.categories.count())
            if self.categories.item(i).checkState() == Qt.CheckState.Checked
        ]
        boosted_categories = {
            self.boosted_categories.item(i).data(Qt.ItemDataRole.UserRole): float(
                self.boosted_categories.item(i).data(Qt.ItemDataRole.UserRole + 1)
            )
            for i in range(self.boosted_categories.count())
        }
        return shop_settings.make_rules(
            exclude_items=self.excluded.ids(),
            exclude_categories=categories,
            pinned_items=self.pinned.ids(),
            boosted_items=self.boosted.factors(),
            boosted_categories=boosted_categories,
            min_price=low,
            max_price=high,
            hide_out_of_stock=self.hide_out_of_stock.isChecked(),
        )

    def clear_all(self) -> None:
        for picker in (self.excluded, self.pinned, self.boosted):
            picker.list.clear()
        self.boosted_categories.clear()
        for i in range(self.categories.count()):
            self.categories.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.min_price.setValue(-1.0)
        self.max_price.setValue(-1.0)
        self.hide_out_of_stock.setChecked(True)
        self.error.clear_message()

    def save(self) -> bool:
        try:
            rules = self.rules()
        except ValueError as exc:
            self.error.show_message(str(exc))
            return False
        self.session.set_rules(rules)
        self.accept()
        return True


def rules_summary(rules: Any, catalog_titles: dict[str, str] | None = None) -> str:
    """The saved rules in one or two sentences, for the Settings page."""
    parts = []
    if rules.exclude_items:
        parts.append(f"never recommend {formatting.plural(len(rules.exclude_items), 'product')}")
    if rules.exclude_categories:
        parts.append("never recommend " + ", ".join(rules.exclude_categories))
    if rules.pinned_items:
        parts.append(f"show {formatting.plural(len(rules.pinned_items), 'product')} to everyone first")
    lifted = len(rules.boosted_items) + len(rules.boosted_categories)
    if lifted:
        parts.append(
            f"recommend {formatting.plural(lifted, 'product or category', 'products or categories')} more often"
        )
    if rules.min_price is not None or rules.max_price is not None:
        low = formatting.money(rules.min_price) if rules.min_price is not None else "any"
        high = formatting.money(rules.max_price) if rules.max_price is not None else "any"
        parts.append(f"prices from {low} to {high}")
    parts.append("out-of-stock products hidden" if rules.hide_out_of_stock else "out-of-stock products shown")
    return "Now: " + "; ".join(parts) + "."
