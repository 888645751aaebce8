"""SQL for an import. Every function runs inside the caller's transaction and commits nothing itself."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from lrec_desktop.core.ingest.frames import Problem

_INTERACTION = """INSERT OR IGNORE INTO interactions
    (customer_id, item_id, ts, quantity, event, rating, order_id, import_id, line_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""
# A product list updates what it states and leaves what it leaves blank.
_CATALOG_ITEM = """INSERT INTO items (item_id, title, description, category, tags, price, in_stock, first_seen,
        top_price, file_hint, group_id, options, image_url, product_url)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 1), ?8, ?6, ?9, ?10, ?11, ?12, ?13)
    ON CONFLICT(item_id) DO UPDATE SET
        title = CASE WHEN excluded.title != '' THEN excluded.title ELSE items.title END,
        description = CASE WHEN excluded.description != '' THEN excluded.description ELSE items.description END,
        category = CASE WHEN excluded.category != '' THEN excluded.category ELSE items.category END,
        tags = CASE WHEN excluded.tags != '' THEN excluded.tags ELSE items.tags END,
        price = coalesce(excluded.price, items.price),
        in_stock = coalesce(?7, items.in_stock),
        top_price = CASE WHEN items.top_price IS NULL OR excluded.top_price > items.top_price
                         THEN coalesce(excluded.top_price, items.top_price) ELSE items.top_price END,
        file_hint = CASE WHEN excluded.file_hint != '' THEN excluded.file_hint ELSE items.file_hint END,
        group_id = coalesce(excluded.group_id, items.group_id),
        options = CASE WHEN excluded.options != '' THEN excluded.options ELSE items.options END,
        image_url = CASE WHEN excluded.image_url != '' THEN excluded.image_url ELSE items.image_url END,
        product_url = CASE WHEN excluded.product_url != '' THEN excluded.product_url ELSE items.product_url END"""
# A product seen only in order lines never overwrites the catalog; it only fills what is still blank.
_DERIVED_ITEM = """INSERT INTO items (item_id, title, price, first_seen, top_price, file_hint, group_id)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(item_id) DO UPDATE SET
        title = CASE WHEN items.title = '' THEN excluded.title ELSE items.title END,
        price = coalesce(items.price, excluded.price),
        top_price = CASE WHEN items.top_price IS NULL OR excluded.top_price > items.top_price
                         THEN coalesce(excluded.top_price, items.top_price) ELSE items.top_price END,
        file_hint = CASE WHEN items.file_hint = '' THEN excluded.file_hint ELSE items.file_hint END,
        group_id = coalesce(items.group_id, excluded.group_id)"""
_CUSTOMER = """INSERT INTO customers (customer_id, name, email) VALUES (?, ?, ?)
    ON CONFLICT(customer_id) DO UPDATE SET
        name = CASE WHEN excluded.name != '' THEN excluded.name ELSE customers.name END,
        email = CASE WHEN excluded.email != '' THEN excluded.email ELSE customers.email END"""


def _column(values: pd.Series, kind: str = "object") -> list[Any]:
    """A column as plain Python values with None for missing, which is what sqlite3 binds."""
    if kind == "float":
        array = values.to_numpy(dtype=float, na_value=np.nan)
        return [None if v != v else v for v in array.tolist()]
    if kind == "int":
        return [None if v is pd.NA or v is None else int(v) for v in values.astype(object).tolist()]
    return [None if v is None or (isinstance(v, float) and v != v) else v for v in values.astype(object).tolist()]


def _rows(*columns: list[Any]) -> Iterator[tuple[Any, ...]]:
    return zip(*columns, strict=True)


def start_import(conn: sqlite3.Connection, file: str, kind: str, sha256: str, now: int, mapping: dict[str, str]) -> int:
    cursor = conn.execute(
        "INSERT INTO imports (file, kind, sha256, imported_at, mapping) VALUES (?, ?, ?, ?, ?)",
        [file, kind, sha256, now, json.dumps(mapping, ensure_ascii=False)],
    )
    return int(cursor.lastrowid or 0)


def finish_import(conn: sqlite3.Connection, import_id: int, read: int, accepted: int, rejected: int) -> None:
    conn.execute(
        "UPDATE imports SET rows_read = ?, rows_accepted = ?, rows_rejected = ? WHERE import_id = ?",
        [read, accepted, rejected, import_id],
    )


def already_imported(conn: sqlite3.Connection, sha256: str, kind: str) -> bool:
    """The same content imported before in the same role: one file may be both the catalog and the sales
    (an order-lines export that names its products), and reading it as one must not block the other."""
    row = conn.execute("SELECT 1 FROM imports WHERE sha256 = ? AND kind = ? LIMIT 1", [sha256, kind]).fetchone()
    return row is not None


def write_interactions(conn: sqlite3.Connection, frame: pd.DataFrame, import_id: int) -> int:
    """Insert lines not seen before; returns how many were new."""
    before = conn.total_changes
    conn.executemany(
        _INTERACTION,
        _rows(
            _column(frame["customer_id"]),
            _column(frame["item_id"]),
            _column(frame["ts"], "int"),
            _column(frame["quantity"], "float"),
            _column(frame["event"]),
            _column(frame["rating"], "float"),
            _column(frame["order_id"]),
            [import_id] * len(frame),
            _column(frame["line_key"]),
        ),
    )
    return conn.total_changes - before


def write_catalog(conn: sqlite3.Connection, items: pd.DataFrame, now: int) -> None:
    conn.executemany(
        _CATALOG_ITEM,
        _rows(
            _column(items["item_id"]),
            _column(items["title"]),
            _column(items["description"]),
            _column(items["category"]),
            _column(items["tags"]),
            _column(items["price"], "float"),
            _column(items["in_stock"]),
            [now] * len(items),
            _column(items["file_hint"]),
            _column(items["group_id"]),
            _column(items["options"]),
            _column(items["image_url"]),
            _column(items["product_url"]),
        ),
    )


def write_derived_items(conn: sqlite3.Connection, items: pd.DataFrame, now: int) -> None:
    first = items["first_ts"].astype(object).where(items["first_ts"].notna(), now)
    conn.executemany(
        _DERIVED_ITEM,
        _rows(
            _column(items["item_id"]),
            _column(items["title"]),
            _column(items["price"], "float"),
            _column(first, "int"),
            _column(items["top_price"], "float"),
            _column(items["file_hint"]),
            _column(items["group_id"]),
        ),
    )


def write_customers(conn: sqlite3.Connection, customers: pd.DataFrame) -> None:
    conn.executemany(
        _CUSTOMER,
        _rows(
            _column(customers["customer_id"]),
            _column(customers["name"]),
            _column(customers["email"]),
        ),
    )


def write_problems(conn: sqlite3.Connection, import_id: int, problems: Iterable[Problem]) -> None:
    conn.executemany(
        "INSERT INTO import_problems (import_id, row, column_name, reason) VALUES (?, ?, ?, ?)",
        ((import_id, row, column, reason) for row, column, reason in problems),
    )


def update_first_seen(conn: sqlite3.Connection) -> None:
    """A product was first seen at its earliest sale, when that is earlier than what is stored."""
    conn.execute(
        """UPDATE items SET first_seen = m.first_ts
           FROM (SELECT item_id, min(ts) AS first_ts FROM interactions WHERE ts IS NOT NULL GROUP BY item_id) AS m
           WHERE m.item_id = items.item_id AND (items.first_seen IS NULL OR m.first_ts < items.first_seen)"""
    )


def count(conn: sqlite3.Connection, table: str) -> int:
    assert table in ("items", "customers", "interactions")
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
