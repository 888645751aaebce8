"""Read-side queries shared by the GUI pages and the CLI. All SQL is parameterised."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from lrec_desktop.core.money import shop_currency
from lrec_desktop.core.store.counts import LineCounts, line_counts
from lrec_desktop.core.store.schema import NOT_A_PRODUCT, PRODUCT_LINES, PURCHASE_EVENTS, VARIANT_ROW

_PURCHASES = "event IN ({})".format(",".join(f"'{e}'" for e in PURCHASE_EVENTS))

# Sortable catalog columns: name shown → SQL expression. A whitelist, never user text in SQL.
ITEM_COLUMNS: dict[str, str] = {
    "item_id": "i.item_id",
    "title": "i.title",
    "category": "i.category",
    "price": "i.price",
    "in_stock": "i.in_stock",
    "sales": "coalesce(s.sales, 0)",
    "buyers": "coalesce(s.buyers, 0)",
    "last_sold": "s.last_sold",
}
# After those, what the catalog marks on a row: why it is no product ('' for a product) and its sizes' option values
# (one string, "; " between sizes; '' for a product without variants).
ROW_MARKS = (
    f"CASE WHEN {NOT_A_PRODUCT.replace('owner_product', 'i.owner_product').replace('non_product', 'i.non_product')} "
    "THEN CASE WHEN i.owner_product = 0 THEN 'marked by you' ELSE i.non_product END ELSE '' END",
    # Only a product's own row with sizes asks, through the group's index (items_group): a scan of the catalog per
    # row made paging 100,000 products take a minute.
    "CASE WHEN i.product_id = i.item_id AND i.group_id IS NOT NULL THEN coalesce((SELECT group_concat(v.options, "
    "'; ') FROM items v WHERE v.group_id = i.group_id AND v.product_id = i.item_id), '') ELSE '' END",
)
# A size of another row's product is listed under its product, never as a row of its own.
_NOT_A_SIZE = "item_id NOT IN (SELECT item_id FROM items WHERE product_id IS NOT NULL AND product_id != item_id)"


def refresh_item_stats(conn: sqlite3.Connection) -> None:
    """Recompute per-product sales counts (a row for every product, 0 until sold); called inside the
    transaction that changed the sales."""
    conn.execute("DELETE FROM item_stats")
    conn.execute(
        f"""INSERT INTO item_stats(item_id, sales, buyers, last_sold)
            SELECT i.item_id, coalesce(p.sales, 0), coalesce(p.buyers, 0), p.last_sold
            FROM items i LEFT JOIN (
                SELECT item_id, count(*) AS sales, count(DISTINCT customer_id) AS buyers, max(ts) AS last_sold
                FROM interactions WHERE {_PURCHASES} GROUP BY item_id) p USING(item_id)"""
    )


@dataclass(frozen=True)
class ShopStats:
    """What the shop holds. Every order line read is counted once (store.counts): lines_read = lines_skipped +
    lines_already_there + sales_lines + returns + non_product_lines, and sales_lines = purchases by known customers
    + sales_without_customer."""

    products: int  # real products: postage, fees and gift cards are counted in non_products
    customers: int
    orders: int
    sales_lines: int  # purchases of products, with or without a customer
    returns: int  # returns, cancellations, refunded or voided orders: kept, not purchases
    first_ts: int | None
    last_ts: int | None
    products_never_sold: int  # real products without any sale, with a customer or without
    imports: int
    non_products: int = 0
    non_product_lines: int = 0
    sales_without_customer: int = 0  # counted for popularity only
    lines_read: int = 0
    lines_skipped: int = 0
    lines_already_there: int = 0
    currency: str = ""  # the shop's currency code (core.money), '' when unknown

    @property
    def line_counts(self) -> LineCounts:
        return LineCounts(self.lines_read, self.lines_skipped, self.lines_already_there,
                          self.sales_lines - self.sales_without_customer, self.sales_without_customer, self.returns,
                          self.non_product_lines)


def shop_stats(db: sqlite_utils.Database) -> ShopStats:
    q = db.execute
    # A product with sizes is one product: its variant rows are counted with it (ingest.variants).
    products, non_products = (int(v or 0) for v in q(
        f"SELECT sum(CASE WHEN {NOT_A_PRODUCT} THEN 0 ELSE 1 END), sum(CASE WHEN {NOT_A_PRODUCT} THEN 1 ELSE 0 END) "
        f"FROM items WHERE NOT {VARIANT_ROW}").fetchone())
    customers = q("SELECT count(*) FROM customers").fetchone()[0]
    sales = f"{_PURCHASES} AND {PRODUCT_LINES}"
    first, last = q(f"SELECT min(ts), max(ts) FROM interactions WHERE {sales}").fetchone()
    # An order is an order id where the export has one, else one customer's purchases at one moment; a
    # walk-in line with neither counts as an order of its own.
    orders = q(
        f"""SELECT count(*) FROM (SELECT DISTINCT
                coalesce(order_id, coalesce(customer_id, 'line:' || id) || '@' || coalesce(ts, ''))
            FROM interactions WHERE {sales})"""
    ).fetchone()[0]
    lines = line_counts(db.conn)
    # Sold at all, with a customer or without: a product bought only by walk-in customers has sold.
    never = q(f"SELECT count(*) FROM items i LEFT JOIN item_stats s USING(item_id) "
              f"WHERE coalesce(s.sales,0)=0 AND NOT {NOT_A_PRODUCT} AND NOT {VARIANT_ROW}").fetchone()[0]
    imports = q("SELECT count(*) FROM imports").fetchone()[0]
    return ShopStats(products, customers, orders, lines.purchases + lines.without_customer, lines.not_purchases,
                     first, last, never, imports, non_products, lines.non_product_lines, lines.without_customer,
                     lines.read, lines.skipped, lines.already_there, shop_currency(db))


def _item_filter(text: str) -> tuple[str, list[Any]]:
    if not text.strip():
        return "", []
    like = f"%{text.strip()}%"
    return ("WHERE (i.item_id LIKE ? OR i.title LIKE ? OR i.category LIKE ? OR i.tags LIKE ? OR i.options LIKE ?)",
            [like, like, like, like, like])


def _catalog_filter(text: str, table: str = "i") -> tuple[str, list[Any]]:
    """The catalog's WHERE: the text, and no size row of another product (its product is listed instead)."""
    where, args = _item_filter(text)
    sizes = f"{table}.{_NOT_A_SIZE}"
    return (f"{where} AND {sizes}" if where else f"WHERE {sizes}"), args


def count_items(db: sqlite_utils.Database, text: str = "") -> int:
    """Products listed in the catalog for ``text`` (a product with sizes counts once)."""
    where, args = _catalog_filter(text)
    return db.execute(f"SELECT count(*) FROM items i {where}", args).fetchone()[0]


# What each catalog column sorts by: a column with an index of (column, item_id) (schema.CATALOG_ORDER_DDL).
SORT_KEYS: dict[str, str] = {
    "item_id": "i.item_id",
    "title": "i.title",
    "category": "i.category",
    "price": "i.price",
    "in_stock": "i.in_stock",
    "sales": "s.sales",
    "buyers": "s.buyers",
    "last_sold": "s.last_sold",
}


def items_page(db: sqlite_utils.Database, *, offset: int, limit: int, text: str = "",
               sort: str = "sales", descending: bool = True) -> list[tuple]:
    """One page of the catalog: (item_id, title, category, price, in_stock, sales, buyers, last_sold, why it is no
    product ('' for a product), its sizes' option values). A size of a product is not a row: its product is, with
    every size's sales (they are stored against the product).

    The page's ids come from walking the index of (sort key, item_id) alone, then only those rows are
    joined: OFFSET over the joined catalog took ~0.8 s a page deep in 200,000 products. Ties go by item_id
    in the sort's direction, so one index serves both directions."""
    key = SORT_KEYS.get(sort, SORT_KEYS["sales"])
    table = key.split(".")[0]
    direction = "DESC" if descending else "ASC"
    order = f"{key} {direction}" + ("" if sort == "item_id" else f", {table}.item_id {direction}")
    where, args = _item_filter(text)
    if where:
        # Filter the products first, then sort the matches: walking the sort index and testing every product
        # against LIKE '%…%' took 1.4 s at 200,000 products when few matched.
        where, args = _catalog_filter(text)
        source = f"items i CROSS JOIN item_stats s ON s.item_id = i.item_id {where}"
    else:
        source = f"item_stats s {_catalog_filter('', 's')[0]}" if table == "s" else f"items i {_catalog_filter('')[0]}"
    ids = f"SELECT {table}.item_id FROM {source} ORDER BY {order} LIMIT ? OFFSET ?"
    cols = ", ".join([*ITEM_COLUMNS.values(), *ROW_MARKS])
    sql = (f"SELECT {cols} FROM ({ids}) AS page JOIN items i USING(item_id) "
           f"LEFT JOIN item_stats s USING(item_id) ORDER BY {order}")
    return db.execute(sql, [*args, limit, offset]).fetchall()


def get_item(db: sqlite_utils.Database, item_id: str) -> dict[str, Any] | None:
    # Columns named, not i.*: a newer schema's columns must not shift what each value is read as.
    row = db.execute(
        f"""SELECT i.item_id, i.title, i.description, i.category, i.tags, i.price, i.in_stock, i.first_seen,
                  coalesce(s.sales,0) AS sales, coalesce(s.buyers,0) AS buyers, s.last_sold, {NOT_A_PRODUCT},
                  i.options, coalesce(i.product_id, i.item_id)
           FROM items i LEFT JOIN item_stats s USING(item_id) WHERE i.item_id = ?""",
        [item_id],
    ).fetchone()
    if row is None:
        return None
    names = ["item_id", "title", "description", "category", "tags", "price", "in_stock", "first_seen",
             "sales", "buyers", "last_sold", "not_a_product", "options", "product_id"]
    return dict(zip(names, row, strict=True))


def search_customers(db: sqlite_utils.Database, text: str, limit: int = 50) -> list[tuple[str, str, str]]:
    """Customers whose id, name or e-mail starts with (or, failing that, contains) ``text``."""
    text = text.strip()
    if not text:
        return db.execute("SELECT customer_id, name, email FROM customers ORDER BY customer_id LIMIT ?",
                          [limit]).fetchall()
    prefix = f"{text}%"
    rows = db.execute(
        """SELECT customer_id, name, email FROM customers
           WHERE customer_id LIKE ? OR name LIKE ? OR email LIKE ?
           ORDER BY (customer_id = ?) DESC, length(customer_id), customer_id LIMIT ?""",
        [prefix, prefix, prefix, text, limit],
    ).fetchall()
    if len(rows) < limit:
        like = f"%{text}%"
        seen = {r[0] for r in rows}
        more = db.execute(
            """SELECT customer_id, name, email FROM customers
               WHERE customer_id LIKE ? OR name LIKE ? OR email LIKE ? ORDER BY customer_id LIMIT ?""",
            [like, like, like, limit],
        ).fetchall()
        rows += [r for r in more if r[0] not in seen][: limit - len(rows)]
    return rows


def find_customer(db: sqlite_utils.Database, key: str) -> str | None:
    """The customer id for an id or an e-mail address, as a shop owner would paste either."""
    key = key.strip()
    row = db.execute("SELECT customer_id FROM customers WHERE customer_id = ?", [key]).fetchone()
    if row is None and "@" in key:
        row = db.execute("SELECT customer_id FROM customers WHERE lower(email) = lower(?)", [key]).fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class CustomerCard:
    customer_id: str
    name: str
    email: str
    first_ts: int | None
    last_ts: int | None
    orders: int
    lines: int
    favourite_categories: list[tuple[str, int]]


def customer_card(db: sqlite_utils.Database, customer_id: str) -> CustomerCard | None:
    row = db.execute("SELECT customer_id, name, email FROM customers WHERE customer_id = ?",
                     [customer_id]).fetchone()
    if row is None:
        return None
    lines, first, last, orders = db.execute(
        f"""SELECT count(*), min(ts), max(ts), count(DISTINCT coalesce(order_id, coalesce(ts, '')))
            FROM interactions WHERE customer_id = ? AND {_PURCHASES}""",
        [customer_id],
    ).fetchone()
    cats = db.execute(
        f"""SELECT i.category, count(*) AS n FROM interactions x JOIN items i USING(item_id)
            WHERE x.customer_id = ? AND x.{_PURCHASES} AND i.category != ''
            GROUP BY i.category ORDER BY n DESC, i.category LIMIT 3""",
        [customer_id],
    ).fetchall()
    return CustomerCard(row[0], row[1], row[2], first, last, orders, lines, [(c, n) for c, n in cats])


def customer_history(db: sqlite_utils.Database, customer_id: str, limit: int = 500) -> list[tuple]:
    """What a customer bought, newest first: (ts, item_id, title, category, quantity, event). The variant bought is
    named, with its options ("Earl Grey (Size: 100 g)")."""
    return db.execute(
        """SELECT x.ts, coalesce(x.variant_id, x.item_id),
                  coalesce(coalesce(v.title, i.title) || CASE WHEN coalesce(v.options, '') != ''
                           THEN ' (' || v.options || ')' ELSE '' END, ''),
                  coalesce(i.category, ''), x.quantity, x.event
           FROM interactions x LEFT JOIN items i ON i.item_id = x.item_id
           LEFT JOIN items v ON v.item_id = coalesce(x.variant_id, x.item_id)
           WHERE x.customer_id = ? ORDER BY x.ts DESC, x.id DESC LIMIT ?""",
        [customer_id, limit],
    ).fetchall()


def customer_ids(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT customer_id FROM customers ORDER BY customer_id")]


def import_history(db: sqlite_utils.Database) -> list[tuple]:
    return db.execute(
        """SELECT import_id, file, kind, imported_at, rows_read, rows_accepted, rows_rejected
           FROM imports ORDER BY import_id DESC"""
    ).fetchall()


def import_problems(db: sqlite_utils.Database, import_id: int, limit: int = 1000) -> list[tuple]:
    return db.execute(
        "SELECT row, column_name, reason FROM import_problems WHERE import_id = ? ORDER BY row LIMIT ?",
        [import_id, limit],
    ).fetchall()


def product_choices(db: sqlite_utils.Database) -> list[tuple[str, str, str, float | None]]:
    """(item_id, title, category, price) of every product, by title: what the rules' pickers offer."""
    return [(str(i), str(t), str(c), p) for i, t, c, p in db.execute(
        "SELECT item_id, coalesce(title, ''), coalesce(category, ''), price FROM items ORDER BY title, item_id")]


def customer_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM customers").fetchone()[0])


def product_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM items").fetchone()[0])


def first_customer(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1").fetchone()
    return str(row[0]) if row else None


def purchases_per_customer(db: sqlite_utils.Database) -> list[int]:
    """How many interaction rows each customer has (the learning estimate's pair count starts from it)."""
    return [int(r[0]) for r in db.execute("SELECT COUNT(*) FROM interactions GROUP BY customer_id")]


def item_prices(db: sqlite_utils.Database, item_ids: list[str]) -> dict[str, float | None]:
    prices: dict[str, float | None] = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        prices.update(db.execute(f"SELECT item_id, price FROM items WHERE item_id IN ({marks})", chunk).fetchall())
    return prices


def has_variants(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM items WHERE product_id != item_id LIMIT 1").fetchone() is not None
