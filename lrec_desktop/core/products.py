"""Which of the shop's products are products: the non-products found at import (postage, fees, gift cards;
core.ingest.nonproducts) and the owner's word on any of them ("not a product", "a product after all")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sqlite_utils

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.schema import NOT_A_PRODUCT, VARIANT_ROW

PRODUCT = "product"  # the owner says: a product after all
NOT_PRODUCT = "not-a-product"  # the owner says: never recommend, not a product
AUTO = "auto"  # go by what the import found
_OWNER_VALUE = {PRODUCT: 1, NOT_PRODUCT: 0, AUTO: None}
OWNER_REASON = "marked by you"


@dataclass(frozen=True)
class NonProduct:
    item_id: str
    title: str
    reason: str  # why: what the import found, or OWNER_REASON
    found: str  # what the import found ('' when it found a product)
    owner: str  # PRODUCT, NOT_PRODUCT or AUTO


def _owner(value: int | None) -> str:
    return AUTO if value is None else (PRODUCT if value else NOT_PRODUCT)


def not_product_ids(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute(f"SELECT item_id FROM items WHERE {NOT_A_PRODUCT} ORDER BY item_id")]


def variant_row_ids(db: sqlite_utils.Database) -> list[str]:
    """Rows that are variants under another row's product (ingest.variants): the product stands for them."""
    return [r[0] for r in db.execute(f"SELECT item_id FROM items WHERE {VARIANT_ROW} ORDER BY item_id")]


def list_non_products(db: sqlite_utils.Database, *, with_overruled: bool = True) -> list[NonProduct]:
    """Every product that is none, then (``with_overruled``) those found so that the owner called products."""
    where = NOT_A_PRODUCT + (" OR owner_product IS NOT NULL" if with_overruled else "")
    rows = db.execute(f"SELECT item_id, title, non_product, owner_product FROM items WHERE {where} "
                      "ORDER BY coalesce(owner_product, 0) DESC, item_id").fetchall()
    return [NonProduct(i, t, OWNER_REASON if o == 0 else f, f, _owner(o)) for i, t, f, o in rows]


def product_role(db: sqlite_utils.Database, item_id: str) -> tuple[str, str]:
    """(the owner's word: PRODUCT, NOT_PRODUCT or AUTO; what the import found: '' for a product, else why not)."""
    row = db.execute("SELECT non_product, owner_product FROM items WHERE item_id = ?", [item_id]).fetchone()
    return (AUTO, "") if row is None else (_owner(row[1]), str(row[0] or ""))


def sizes_of(db: sqlite_utils.Database, product_id: str) -> list[tuple[str, str]]:
    """A product's variants (item id, option values such as "Size: 100 g"), its own row first; [] without any."""
    rows = db.execute("SELECT item_id, options FROM items WHERE product_id = ? ORDER BY item_id != product_id, rowid",
                      [product_id]).fetchall()
    return [(str(i), str(o or "")) for i, o in rows] if len(rows) > 1 else []


def set_product_role(db_path: Path, item_ids: Sequence[str], role: str) -> list[NonProduct]:
    """The owner's word on products (PRODUCT, NOT_PRODUCT or AUTO), all or none; recommendations are prepared
    again on their next use, since what was learned from sales changes with what counts as a product."""
    if role not in _OWNER_VALUE:
        raise UserError(f"Unknown product role '{role}': use {', '.join(_OWNER_VALUE)}.")
    db = store.connect(db_path)
    try:
        with store.transaction(db) as conn:
            for item_id in item_ids:
                cursor = conn.execute("UPDATE items SET owner_product = ? WHERE item_id = ?",
                                      [_OWNER_VALUE[role], item_id])
                if cursor.rowcount == 0:
                    raise UserError(f"No product '{item_id}' in {Path(db_path).name}.")
            store.bump_data_version(db)
        return list_non_products(db)
    finally:
        db.close()


@dataclass(frozen=True)
class ProductVariants:
    product_id: str
    title: str
    variants: list[tuple[str, str]]  # (item id, option values), the product's own row first


def list_variants(db: sqlite_utils.Database) -> list[ProductVariants]:
    """Products with more than one variant (ingest.variants), each with its sizes or colours."""
    groups: dict[str, ProductVariants] = {}
    for product, title, item, options in db.execute(
            """SELECT i.product_id, p.title, i.item_id, i.options FROM items i JOIN items p ON p.item_id = i.product_id
               WHERE i.product_id IS NOT NULL ORDER BY i.product_id, i.item_id != i.product_id, i.rowid"""):
        groups.setdefault(product, ProductVariants(product, title, [])).variants.append((item, options))
    return [g for g in groups.values() if len(g.variants) > 1]


def one_per_product(db: sqlite_utils.Database, recs: Sequence[Any],
                    badges: Callable[[str], tuple[str, ...]] | None = None) -> list[Any]:
    """A list of matches (search) with each product once: its sizes all read alike, and the product stands for
    them, named by its own row and with its own badges (``badges``: product id → badges). Unchanged for a shop
    without variants."""
    ids = [r.item_id for r in recs]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    product_of = dict(db.execute(
        f"SELECT i.item_id, p.item_id || char(31) || p.title FROM items i JOIN items p ON p.item_id = i.product_id "
        f"WHERE i.item_id IN ({marks}) AND i.product_id IS NOT NULL", ids).fetchall())
    if not product_of:
        return list(recs)
    out, seen = [], set()
    for r in recs:
        product, _, title = product_of.get(r.item_id, f"{r.item_id}\x1f{r.title}").partition("\x1f")
        if product not in seen:
            seen.add(product)
            if product != r.item_id:
                r = replace(r, item_id=product, title=title or r.title,
                            badges=badges(product) if badges else r.badges)
            out.append(r)
    return out
