"""Table models: a small in-memory one for short lists and the lazily paged catalog model.

The catalog model follows Spyder's DataFrame model: it shows ``PAGE`` rows, fetches the next page when
the view scrolls near the end (canFetchMore/fetchMore), and sorts by asking SQL again, so 100k products
never pass through Python at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from lrec_desktop.gui import formatting

if TYPE_CHECKING:
    from lrec_desktop.core.app.shops import OpenShop

Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


class RowsModel(QAbstractTableModel):
    """Rows of already-formatted values; ``sort`` orders by the raw value kept in ``keys`` when given."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[Any]] = []
        self.keys: list[list[Any]] = []
        self.tooltips: dict[tuple[int, int], str] = {}
        self.align_right: set[int] = set()

    def set_rows(self, rows: Sequence[Sequence[Any]], keys: Sequence[Sequence[Any]] | None = None) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.keys = [list(k) for k in keys] if keys is not None else [list(r) for r in rows]
        self.tooltips = {}
        self.endResetModel()

    def rowCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = self.rows[r][c]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltips.get((r, c)) or (str(self.rows[r][c]) if self.rows[r][c] else None)
        if role == Qt.ItemDataRole.TextAlignmentRole and c in self.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        def key(i: int) -> tuple[int, Any]:
            v = self.keys[i][column]
            return (v is None, v if isinstance(v, int | float) else str(v or "").lower())

        idx = sorted(range(len(self.rows)), key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        self.rows = [self.rows[i] for i in idx]
        self.keys = [self.keys[i] for i in idx]
        self.layoutChanged.emit()


def size_words(options: str) -> str:
    """A product's sizes' option values ("Size: 100 g; Size: 250 g") as "100 g, 250 g" (the option's name once)."""
    values = [v.strip() for v in (options or "").split(";") if v.strip()]
    names = {v.partition(":")[0] for v in values if ":" in v}
    if len(names) == 1:
        values = [v.partition(":")[2].strip() for v in values]
    return ", ".join(dict.fromkeys(values))


def catalog_title(row: tuple) -> str:
    """The catalog's Product cell: the title, its sizes, and "not a product" with why (postage, gift card…)."""
    title = str(row[1] or row[0] or "")  # an orders file without names: the id is the name
    not_product = str(row[8]) if len(row) > 8 else ""
    sizes = size_words(str(row[9])) if len(row) > 9 else ""
    if sizes and "," in sizes:
        title += f" ({sizes})"
    if not_product:
        title += f" — not a product ({not_product}), never recommended"
    return title


# Catalog columns: (key in queries.ITEM_COLUMNS, header, formatter, right-aligned)
CATALOG_COLUMNS: list[tuple[str, str, Callable[[Any], str], bool]] = [
    ("item_id", "Product id", lambda v: str(v), False),
    ("title", "Product", lambda v: str(v or ""), False),
    ("category", "Category", lambda v: str(v or ""), False),
    ("price", "Price", formatting.money, True),
    ("in_stock", "In stock", lambda v: "yes" if v else "no", False),
    ("sales", "Sales", formatting.number, True),
    ("buyers", "Customers", formatting.number, True),
    ("last_sold", "Last sold", formatting.date, False),
]


class CatalogModel(QAbstractTableModel):
    """The catalog, ``PAGE`` rows at a time, filtered and sorted in SQL.

    ``connect`` returns the connection to read with; the model reads on the GUI thread because one page
    is a few milliseconds (an indexed LIMIT/OFFSET query).
    """

    PAGE = 500

    def __init__(self, shop: OpenShop | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.text = ""
        self.sort_key = "sales"
        self.descending = True
        self.total = 0
        self.rows: list[tuple] = []
        self.queries = 0  # how many pages were read: tests check the model pages instead of loading all
        self.refresh()

    def set_db(self, shop: OpenShop | None) -> None:
        self.shop = shop
        self.refresh()

    def set_filter(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.total = self.shop.count_items(self.text) if self.shop is not None else 0
        if self.total:
            self._read_page()
        self.endResetModel()

    def _read_page(self) -> list[tuple]:
        if self.shop is None:
            return []
        page = self.shop.items_page(
            offset=len(self.rows),
            limit=self.PAGE,
            text=self.text,
            sort=self.sort_key,
            descending=self.descending,
        )
        self.queries += 1
        self.rows.extend(page)
        return page

    def canFetchMore(self, parent: Index = _NO_INDEX) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = _NO_INDEX) -> None:
        if parent.isValid() or len(self.rows) >= self.total:
            return
        n = min(self.PAGE, self.total - len(self.rows))
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + n - 1)
        page = self._read_page()
        del self.rows[start + len(page) :]  # a concurrent import may have shrunk the result; keep counts honest
        self.endInsertRows()

    def rowCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(CATALOG_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        _, _, fmt, right = CATALOG_COLUMNS[index.column()]
        row = self.rows[index.row()]
        value = row[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return catalog_title(row) if index.column() == 1 else fmt(value)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return catalog_title(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return CATALOG_COLUMNS[section][1]
        return formatting.number(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = CATALOG_COLUMNS[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def item_id(self, row: int) -> str | None:
        return str(self.rows[row][0]) if 0 <= row < len(self.rows) else None
