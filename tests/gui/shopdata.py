"""A small shop built straight into SQLite, so GUI tests don't depend on the importer's speed."""

from __future__ import annotations

import random
import time
from pathlib import Path

from lrec_desktop.core.store import db as store_db
from lrec_desktop.core.store import queries

CATEGORIES = ["Tea", "Coffee", "Mugs", "Biscuits", "Gifts"]


def build_shop(path: Path, *, products: int = 60, customers: int = 40, lines: int = 600, seed: int = 7) -> Path:
    rng = random.Random(seed)
    db = store_db.connect(path, create=True)
    now = int(time.time())
    with store_db.transaction(db) as conn:
        conn.execute(
            "INSERT INTO imports(import_id, file, kind, sha256, imported_at) VALUES (1, 'x.csv', "
            "'interactions', 'x', ?)",
            [now],
        )
        conn.executemany(
            "INSERT INTO items(item_id, title, category, price, description) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    f"P{i:03d}",
                    f"{CATEGORIES[i % 5]} product {i}",
                    CATEGORIES[i % 5],
                    2.5 + i,
                    f"A fine {CATEGORIES[i % 5].lower()} product, number {i}.",
                )
                for i in range(products)
            ],
        )
        conn.executemany(
            "INSERT INTO customers(customer_id, name, email) VALUES (?, ?, ?)",
            [(f"C{c:03d}", f"Customer {c}", f"customer{c}@example.com") for c in range(customers)],
        )
        rows = []
        for n in range(lines):
            c = rng.randrange(customers)
            # customers lean to one category so the recommendations have structure
            i = rng.randrange(products) if rng.random() < 0.3 else (c % 5) + 5 * rng.randrange(products // 5)
            ts = now - 86400 * rng.randrange(400)
            rows.append((f"C{c:03d}", f"P{i:03d}", ts, 1, "purchase", f"O{n // 3}", 1, f"k{n}"))
        conn.executemany(
            "INSERT INTO interactions(customer_id, item_id, ts, quantity, event, order_id, import_id, line_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        queries.refresh_item_stats(conn)
    store_db.bump_data_version(db)
    db.close()
    return path
