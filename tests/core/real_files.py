"""Figures read off an exported recommendation list against its shop (issue 18): used by test_real_format_files."""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ListFigures:
    rows: int
    customers: int
    variant_of_bought: int  # recommendations that are (a variant of) a product the customer bought
    customers_with_a_repeated_name: int
    non_products: int  # postage, fees, gift cards recommended


def list_figures(shop: Path, exported: Path) -> ListFigures:
    conn = sqlite3.connect(shop)
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(items)")}
        product = "coalesce(product_id, item_id)" if "product_id" in columns else "item_id"
        variant = "coalesce(variant_id, item_id)" if "product_id" in columns else "item_id"
        product_of = dict(conn.execute(f"SELECT item_id, {product} FROM items"))
        # What each customer bought, as products: the variant they bought, mapped to its product by the product
        # list (Handle), whatever the shop stored.
        bought: dict[str, set[str]] = {}
        for customer, item in conn.execute(f"SELECT customer_id, {variant} FROM interactions "
                                           "WHERE customer_id IS NOT NULL"):
            bought.setdefault(customer, set()).add(product_of.get(item, item))
        group_of = dict(conn.execute("SELECT item_id, group_id FROM items WHERE group_id IS NOT NULL")) \
            if "group_id" in columns else {}
        blocked = {r[0] for r in conn.execute(
            "SELECT item_id FROM items WHERE owner_product = 0 OR (owner_product IS NULL AND non_product != '')")}
    finally:
        conn.close()
    with exported.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names: dict[str, Counter[str]] = {}
    variant_of_bought = 0
    for r in rows:
        customer, item = r["customer_id"], r["item_id"]
        names.setdefault(customer, Counter())[r["title"]] += 1
        groups_bought = {group_of.get(p, p) for p in bought.get(customer, set())}
        if product_of.get(item, item) in bought.get(customer, set()) or group_of.get(item, item) in groups_bought:
            variant_of_bought += 1
    repeated = sum(1 for c in names.values() if max(c.values()) > 1)
    return ListFigures(len(rows), len(names), variant_of_bought, repeated, sum(r["item_id"] in blocked for r in rows))
