"""What a file's mapped columns say about its kind, in one sentence for the import page (issue 18, item 3).

Asked again after every change of the mapping, so a message about columns that could not be told goes as soon as
the owner's choices make sense (a German till export "Datum;Kundennr;Artikel" read as a product list stayed so).
"""

from __future__ import annotations

from collections.abc import Iterable

from lrec_desktop.core.ingest.readers import INTERACTION_FIELDS

PRODUCT_KEYS = frozenset({"item_id", "title"})
CATALOG_FIELDS = frozenset({"description", "category", "tags", "price", "stock"})
ORDERS, PRODUCTS = "orders", "products"


def kind_message(file_name: str, chosen_as: str, fields: Iterable[str]) -> str | None:
    """A warning about a file chosen as ``chosen_as`` (ORDERS or PRODUCTS) with these mapped fields; None when
    the mapping makes sense for that kind of file."""
    mapped = set(fields)
    if not mapped:
        return (f"Which column of {file_name} is what could not be told from its headers: choose, above each "
                "column, what it holds (at least the product, and for orders the customer or the date).")
    if not mapped & PRODUCT_KEYS:
        return f"Choose which column of {file_name} names the product (its code or its name)."
    if chosen_as == ORDERS and not mapped & INTERACTION_FIELDS:
        if mapped & CATALOG_FIELDS:
            return (f"{file_name} looks like a product list, not orders: choose it as the product file and pick "
                    "the file with your orders, or choose its customer or date column.")
        return (f"{file_name} has no column for the customer, the date or the order: choose the one it has, "
                "so its lines can be read as sales.")
    return None
