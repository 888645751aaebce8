"""Writing a small shop straight into a shop file, for core tests that need exact, known sales."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.queries import refresh_item_stats

ITEM_FIELDS = ("item_id", "title", "description", "category", "price", "in_stock")


def write_shop(path: Path, items: Iterable[dict[str, Any]], sales: Sequence[tuple], *,
               emails: bool = False, extra_customers: Sequence[str] = ()) -> Path:
    """Create ``path`` with ``items`` (dicts of ITEM_FIELDS) and ``sales`` as (customer, item, ts[, event])."""
    db = store.connect(path, create=True)
    with store.transaction(db) as conn:
        conn.execute("INSERT INTO imports(import_id, file, kind, sha256, imported_at) VALUES (1, 'f', 'o', 'x', 0)")
        for item in items:
            row = {"description": "", "category": "", "price": None, "in_stock": 1, **item}
            conn.execute("INSERT INTO items(item_id, title, description, category, price, in_stock) "
                         "VALUES (?, ?, ?, ?, ?, ?)", [row[f] for f in ITEM_FIELDS])
        conn.executemany(
            "INSERT INTO interactions(customer_id, item_id, ts, event, import_id, line_key) VALUES (?, ?, ?, ?, 1, ?)",
            [(s[0], s[1], s[2], s[3] if len(s) > 3 else "purchase", f"k{n}") for n, s in enumerate(sales)],
        )
        customers = sorted({s[0] for s in sales} | set(extra_customers))
        conn.executemany("INSERT INTO customers(customer_id, email) VALUES (?, ?)",
                         [(c, f"{c.lower()}@example.com" if emails else "") for c in customers])
        refresh_item_stats(conn)
        store.bump_data_version(db)
    db.close()
    return path
