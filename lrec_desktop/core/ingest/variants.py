"""Products and their variants (issue 18, item 1).

A product list says which rows are variants of one product: Shopify by its Handle, WooCommerce by a variation's
Parent ("id:11" or the parent's SKU), any sheet by a group column (``--map group=COLUMN``). Each group is one product
whose id is one of its rows: the parent row where the file has one (WooCommerce's variable product), else the first
variant the shop saw. Sales are stored against the product (interactions.item_id) with the variant bought kept
beside it (interactions.variant_id), so whatever reads sales sees products: a customer who bought the 100 g tin has
bought the tea, and is never offered its 250 g tin. A catalog without groups is left exactly as it was.
"""

from __future__ import annotations

import re
import sqlite3

import pandas as pd

from lrec_desktop.core.ingest.mapping import norm
from lrec_desktop.core.ingest.synonyms_intl import OPTION_LABELS

_NUMBERED_VALUE = re.compile(r"^(?:variant)?(option|attribute)(\d+)values?$")
_LABELS = frozenset(norm(n) for n in OPTION_LABELS)
NO_OPTION = frozenset({"default title", "default", "-"})  # Shopify's value for a product without variants


def option_columns(columns: list[str], taken: frozenset[str]) -> tuple[tuple[str | None, str], ...]:
    """(label column or None, value column) per option: "Option1 Name"/"Option1 Value", "Attribute 1 name"/
    "Attribute 1 value(s)", or a plain "Size" column whose header is its label."""
    by_norm = {norm(c): c for c in columns if c not in taken}
    found: list[tuple[str | None, str]] = []
    for key, column in by_norm.items():
        numbered = _NUMBERED_VALUE.match(key)
        if numbered:
            kind, n = numbered.groups()
            label = next((by_norm[k] for k in (f"{kind}{n}name", f"variant{kind}{n}name") if k in by_norm), None)
            found.append((label, column))
        elif key in _LABELS:
            found.append((None, column))
    return tuple(found)


def option_text(labels: list[pd.Series], values: list[pd.Series], index: pd.Index) -> pd.Series:
    """"Size: 100 g; Colour: Red" per row (a label may be blank: the value alone); Shopify's "Default Title" (a
    product without variants) is no option."""
    out = pd.Series("", index=index, dtype=object)
    for label, value in zip(labels, values, strict=True):
        shown = value.where(~value.str.casefold().isin(NO_OPTION), "")
        piece = (label + ": " + shown).where(label != "", shown).where(shown != "", "")
        out = out.where(piece == "", piece.where(out == "", out + "; " + piece))
    return out


def parent_key(group: pd.Series, row_ids: dict[str, str], own_id: pd.Series, item: pd.Series) -> pd.Series:
    """WooCommerce writes a variation's Parent as "id:11", the parent's own ID: the parent's product id instead,
    where the file gave it. ``row_ids`` (ID → product id) carries over chunks; this chunk's rows are added."""
    known = own_id != ""
    row_ids.update(zip(own_id[known], item[known], strict=True))
    by_id = group.str.extract(r"^id:(\S+)$", expand=False)
    mapped = by_id.map(row_ids)
    return group.where(mapped.isna(), mapped)


def assign_products(conn: sqlite3.Connection) -> bool:
    """Give every row of a group its product id and store sales against products (inside the import's transaction).
    Returns whether the shop has variants at all; without groups nothing is read or written."""
    grouped = conn.execute("SELECT 1 FROM items WHERE group_id IS NOT NULL LIMIT 1").fetchone() is not None
    remapped = conn.execute("SELECT 1 FROM interactions WHERE variant_id IS NOT NULL LIMIT 1").fetchone() is not None
    if not grouped and not remapped:
        return False
    # A parent row (its id is the group's key) belongs to its group, and is its product.
    conn.execute("""UPDATE items SET group_id = item_id WHERE group_id IS NULL
                    AND item_id IN (SELECT group_id FROM items WHERE group_id IS NOT NULL)""")
    conn.execute(
        """UPDATE items SET product_id = CASE WHEN group_id IS NULL THEN NULL ELSE (
               SELECT g.item_id FROM items g WHERE g.group_id = items.group_id
               ORDER BY g.item_id = g.group_id DESC, g.rowid LIMIT 1) END
           WHERE group_id IS NOT NULL OR product_id IS NOT NULL"""
    )
    # Each line's product from the variant it names; a line already right is not written again.
    conn.execute(
        """UPDATE interactions SET variant_id = coalesce(variant_id, item_id), item_id = m.product
           FROM (SELECT item_id AS variant, coalesce(product_id, item_id) AS product FROM items) AS m
           WHERE m.variant = coalesce(interactions.variant_id, interactions.item_id)
             AND interactions.item_id != m.product"""
    )
    return True


# Sizes read from names when the shop has no product list (only orders, a till export): "Earl Grey - 100 g",
# "Earl Grey (500g)", "Olive oil, 1 L". Conservative: a weight or volume with its unit at the very end of the name,
# after " - ", "," or in brackets, or after a space for a unit no word ends in; and a group only where two or more
# names read the same once their sizes are taken off, each with a size of its own.
_UNITS = r"(?:mg|g|gr|kg|ml|cl|dl|l|oz|lb|lbs)"
_SIZE_AT_END = re.compile(
    rf"^(?P<name>.*?\S)\s*(?:[-–—,]\s*|\(\s*|\s)(?P<size>\d+(?:[.,]\d+)?\s?{_UNITS})\.?\s*\)?$", re.IGNORECASE
)


def size_in_name(title: str) -> tuple[str, str] | None:
    """(the name without its size, the size) for a name that ends in a weight or volume, else None."""
    match = _SIZE_AT_END.match(title.strip())
    if match is None:
        return None
    name = match.group("name").rstrip(" -–—,(")
    size = re.sub(r"(\d)\s?([A-Za-z])", r"\1 \2", match.group("size")).strip()
    return (name, size) if name and any(c.isalpha() for c in name) else None


def guess_sizes_from_names(conn: sqlite3.Connection) -> int:
    """Group the sizes of one product by their names, when no product list was ever imported (a product list says
    its groups itself, and names there may be products of their own). Rows already in a group are left alone.
    Returns the rows grouped."""
    if conn.execute("SELECT 1 FROM imports WHERE kind = 'items' LIMIT 1").fetchone() is not None:
        return 0
    found: dict[str, list[tuple[str, str]]] = {}
    # An orders file without product ids names each product by its name, which is then its id (and no title).
    names = "SELECT item_id, coalesce(nullif(title, ''), item_id) FROM items WHERE group_id IS NULL"
    for item_id, title in conn.execute(names):
        parts = size_in_name(str(title))
        if parts is not None:
            found.setdefault(parts[0].casefold(), []).append((str(item_id), parts[1]))
    grouped = 0
    for key, rows in found.items():
        sizes = {size.casefold() for _i, size in rows}
        if len(rows) < 2 or len(sizes) < len(rows):
            continue  # one name alone, or two rows with the same size: not clearly sizes of one product
        conn.executemany(
            "UPDATE items SET group_id = ?, options = ? WHERE item_id = ?",
            [(f"name:{key}", f"Size: {size}", item_id) for item_id, size in rows],
        )
        grouped += len(rows)
    return grouped
