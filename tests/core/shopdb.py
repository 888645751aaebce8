"""Writing a small shop straight into a shop file, for core tests that need exact, known sales."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.queries import refresh_item_stats
from lrec_desktop.core.text.embed_job import embed_catalog

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


THEMES = {
    "Tea": ["teapot", "tea cups", "loose leaf tea", "tea cosy", "honey jar", "tea strainer", "biscuit tin",
            "milk jug"],
    "Garden": ["trowel", "gloves", "seed tray", "watering can", "kneeler", "plant labels", "twine", "secateurs"],
    "Baking": ["flour", "whisk", "loaf tin", "mixing bowl", "rolling pin", "cake stand", "piping bags", "apron"],
    "Pets": ["dog lead", "cat toy", "pet bowl", "dog bed", "treat jar", "grooming brush", "collar", "pet blanket"],
}


def build_learning_shop(path: Path) -> Path:
    """Four themes of 8 products, 90 customers buying 4 of one theme each; read by the real text model."""
    rng = np.random.default_rng(3)
    items = [{"item_id": f"{category[:3].upper()}{n}", "title": f"{noun.capitalize()} for the {category.lower()} lover",
              "category": category} for category, nouns in THEMES.items() for n, noun in enumerate(nouns)]
    sales = []
    for c in range(90):
        theme = list(THEMES)[c % 4]
        picks = rng.choice([i["item_id"] for i in items if i["category"] == theme], 4, replace=False)
        sales += [(f"C{c:02d}", str(item), 100 * c + k) for k, item in enumerate(picks)]
    write_shop(path, items, sales)
    embed_catalog(path, device="cpu")
    return path


CATEGORIES = ["Tea", "Garden", "Baking", "Pets", "Books", "Toys", "Bath", "Candles"]


def taste_catalog() -> tuple[list[dict[str, Any]], dict[str, list[str]], np.ndarray]:
    """(200 products, 25 in each of 8 categories; each category's product ids; the chance of each of a category's
    products being the one bought, a steep bestseller curve)."""
    items = [{"item_id": f"{c[:3].upper()}{k:02d}", "title": f"{c} item {k}", "category": c, "price": 3.0 + k}
             for c in CATEGORIES for k in range(25)]
    by_category = {c: [i["item_id"] for i in items if i["category"] == c] for c in CATEGORIES}
    weights = 1.0 / np.arange(1, 26) ** 1.1
    return items, by_category, weights / weights.sum()


def taste_shop(path: Path, customers: int = 320, seed: int = 7) -> Path:
    """The taste catalog; each customer keeps to one or two favourite categories over time, so their later
    purchases can be told from their earlier ones."""
    rng = np.random.default_rng(seed)
    items, by_category, weights = taste_catalog()
    sales = []
    for n in range(customers):
        favourites = rng.choice(CATEGORIES, 2, replace=False)
        bought: set[str] = set()
        for t in range(int(rng.integers(8, 15))):
            category = favourites[0] if rng.random() < 0.7 else favourites[1]
            item = str(rng.choice(by_category[category], p=weights))
            if item not in bought:
                bought.add(item)
                sales.append((f"C{n:03d}", item, 1_700_000_000 + 86_400 * (t * 7 + n % 7)))
    return write_shop(path, items, sales)


def copy_shop(source: Path, target: Path) -> Path:
    """A copy of a prepared shop with its saved models, for a test that changes it."""
    import shutil

    from lrec_desktop.core.paths import models_dir

    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    if models_dir(source).exists():
        shutil.copytree(models_dir(source), models_dir(target))
    return target
