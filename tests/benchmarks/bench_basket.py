"""Benchmark: baskets, the till prompt and related products (issue 21 items 1-3). Prints figures, asserts nothing.

    python tests/benchmarks/bench_basket.py [--dataset DIR] [--synthetic PRODUCTS] [--orders N] [--baskets N]

- ml-latest-small (``--dataset``, default ../shared/datasets/ml-latest-small when present): ratings.csv and
  movies.csv through the import job and ``prepare``; it has no order numbers, so a customer's day is a basket.
- ``--synthetic 200000``: a shop of that many products written straight into a shop file (no CSV import: that
  is bench_import's subject): products in families of 20, orders of 1-6 products of one family (Zipf within
  and across families) plus the shop's bestseller in a third of them, 40% of orders without a customer. The
  co-purchase model is fitted without the half-life tuning and the learned ranking (bench_scale times those).

Per shop: working out the basket matrix (cold) and reading it back (warm), then one basket's top 10 warm
(``CrossSell.resolve`` + ``for_basket``, baskets of 1-5 products taken from real orders), then exporting every
product's related products in each format.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from lrec_desktop.core.cf.data import load_purchases
from lrec_desktop.core.export_related import FORMATS, export_related
from lrec_desktop.core.recommend.baskets import basket_config, basket_matrix, baskets_folder, load_baskets
from lrec_desktop.core.recommend.catalog import CatalogInfo
from lrec_desktop.core.recommend.cross_sell import CrossSell
from lrec_desktop.core.recommend.model import fit_purchases
from lrec_desktop.core.recommend.rules import Rules
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.queries import refresh_item_stats

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO.parent / "shared" / "datasets" / "ml-latest-small"


def _ms(times: list[float]) -> str:
    times = sorted(times)
    return (f"median {statistics.median(times):.2f} ms, p95 {times[int(0.95 * len(times))]:.2f} ms, "
            f"max {times[-1]:.2f} ms over {len(times):,}")


def measure(shop: Path, rec: Recommender, n_baskets: int, formats: tuple[str, ...], tmp: Path) -> None:
    t = time.perf_counter()
    basket_matrix(shop, rec.model.items)
    config = basket_config(shop)
    assert config is not None
    print(f"  basket matrix, cold: {time.perf_counter() - t:.2f} s ({config.orders:,} orders, "
          f"{config.orders_without_customer:,} without a customer, {config.pairs:,} pairs kept)")
    t = time.perf_counter()
    cs = CrossSell.load(rec)
    print(f"  CrossSell.load, matrix read back: {time.perf_counter() - t:.2f} s")
    db = store.connect(shop, readonly=True)
    try:
        X = load_baskets(db, rec.model.items).X
    finally:
        db.close()
    rng = np.random.default_rng(7)
    sizes = np.diff(X.indptr)
    orders = np.flatnonzero(sizes >= 1)
    ids = rec.model.items.ids
    baskets = []
    for o in rng.choice(orders, size=min(n_baskets, len(orders)), replace=False):
        products = X.indices[X.indptr[o]:X.indptr[o + 1]]
        k = int(rng.integers(1, 6))
        baskets.append([ids[j] for j in rng.choice(products, size=min(k, len(products)), replace=False)])
    cs.for_basket(cs.resolve(baskets[0]), 10)  # warm: the first name lookup builds its table
    times = []
    for basket in baskets:
        t = time.perf_counter()
        cs.for_basket(cs.resolve(basket), 10)
        times.append((time.perf_counter() - t) * 1000)
    print(f"  one basket's top 10, warm (ids resolved + ranked): {_ms(times)}")
    times = []
    for j in rng.choice(len(ids), size=min(n_baskets, len(ids)), replace=False):
        t = time.perf_counter()
        cs.related(int(j), 4)
        times.append((time.perf_counter() - t) * 1000)
    print(f"  one product's related 4, warm: {_ms(times)}")
    for fmt in formats:
        t = time.perf_counter()
        summary = export_related(shop, tmp / f"related-{fmt}.csv", fmt=fmt, top=4, rec=rec)
        print(f"  export-related --format {fmt} --top 4, every product ({summary.products:,} rows, "
              f"{summary.pairs:,} links): {time.perf_counter() - t:.2f} s")


def movielens(source: Path, n_baskets: int, tmp: Path) -> None:
    from lrec_desktop.core.ingest.importer import ImportRequest, run_import
    from lrec_desktop.core.recommend.model import prepare

    shop = tmp / "ml.lrec"
    store.connect(shop, create=True).close()
    t = time.perf_counter()
    run_import(shop, ImportRequest(items=source / "movies.csv", interactions=source / "ratings.csv"))
    prepare(shop)
    print(f"ml-latest-small: import + prepare {time.perf_counter() - t:.1f} s")
    rec = Recommender.load(shop)
    measure(shop, rec, n_baskets, FORMATS, tmp)


def synthetic_shop(path: Path, n_products: int, n_orders: int, seed: int = 3) -> None:
    """Write the synthetic shop described in the module's comment."""
    rng = np.random.default_rng(seed)
    family = 20
    n_families = max(1, n_products // family)
    fam_weights = 1.0 / np.arange(1, n_families + 1) ** 0.9
    fam_weights /= fam_weights.sum()
    within = 1.0 / np.arange(1, family + 1) ** 1.1
    within /= within.sum()
    db = store.connect(path, create=True)
    lines = []
    fams = rng.choice(n_families, size=n_orders, p=fam_weights)
    sizes = rng.integers(1, 7, size=n_orders)
    customers = rng.integers(0, max(1, n_orders // 8), size=n_orders)
    anonymous = rng.random(n_orders) < 0.4
    with_best = rng.random(n_orders) < 0.33
    for o in range(n_orders):
        picks = set((fams[o] * family + rng.choice(family, size=sizes[o], p=within)).tolist())
        if with_best[o]:
            picks.add(0)
        customer = None if anonymous[o] else f"C{customers[o]}"
        ts = 1_600_000_000 + o * 60
        lines += [(customer, f"P{j:06d}", ts, f"{100000 + o}", f"o{o}-{j}") for j in picks if j < n_products]
    with store.transaction(db) as conn:
        conn.execute("INSERT INTO imports(import_id, file, kind, sha256, imported_at) VALUES (1, 'f', 'o', 'x', 0)")
        conn.executemany("INSERT INTO items(item_id, title, category, price, in_stock) VALUES (?, ?, ?, ?, ?)",
                         [(f"P{j:06d}", f"Poster {j // family} in style {j % family}", f"Family {j // family}",
                           9.5, int(j % 97 != 5)) for j in range(n_products)])
        conn.executemany("INSERT INTO interactions(customer_id, item_id, ts, order_id, import_id, line_key) "
                         "VALUES (?, ?, ?, ?, 1, ?)", lines)
        conn.executemany("INSERT OR IGNORE INTO customers(customer_id) VALUES (?)",
                         [(c,) for c in {line[0] for line in lines if line[0]}])
        refresh_item_stats(conn)
        store.bump_data_version(db)
    db.close()
    print(f"synthetic shop: {n_products:,} products, {n_orders:,} orders, {len(lines):,} order lines")


def synthetic(n_products: int, n_orders: int, n_baskets: int, tmp: Path) -> None:
    shop = tmp / "synthetic.lrec"
    t = time.perf_counter()
    synthetic_shop(shop, n_products, n_orders)
    print(f"  written in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    db = store.connect(shop)
    try:
        version = store.data_version(db)
        purchases = load_purchases(db)
        model = fit_purchases(purchases, data_version=version, tune=False)
        catalog = CatalogInfo.load(db, model.items, model.popularity)
        rules = Rules.load(db)
    finally:
        db.close()
    rec = Recommender(shop, model, catalog, rules=rules)
    print(f"  co-purchase model ({model.config.algorithm}, no tuning) + catalog: {time.perf_counter() - t:.1f} s")
    measure(shop, rec, n_baskets, ("generic",), tmp)
    assert baskets_folder(shop).is_dir()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default=str(DATASET) if DATASET.is_dir() else "",
                        help="ml-latest-small's folder; '' to skip it")
    parser.add_argument("--synthetic", type=int, default=0, metavar="PRODUCTS")
    parser.add_argument("--orders", type=int, default=300_000)
    parser.add_argument("--baskets", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.dataset:
            movielens(Path(args.dataset), args.baskets, Path(tmp))
        if args.synthetic:
            synthetic(args.synthetic, args.orders, args.baskets, Path(tmp))


if __name__ == "__main__":
    main()
