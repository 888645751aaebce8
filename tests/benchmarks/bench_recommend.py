"""Benchmark: recommendation speed on ml-latest-small (issue 2's figures). Prints, asserts nothing.

    python tests/benchmarks/bench_recommend.py [../shared/datasets/ml-latest-small]

Imports ratings.csv + movies.csv into a temp shop, prepares recommendations, then times one customer's
recommendations (warm) and an export of every customer.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from lrec_desktop.core.export import ExportRequest, export_recommendations
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
from lrec_desktop.core.recommend.model import prepare
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.queries import customer_ids


def main(source: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shop = Path(tmp) / "ml.lrec"
        store.connect(shop, create=True).close()
        t = time.perf_counter()
        run_import(shop, ImportRequest(items=source / "movies.csv", interactions=source / "ratings.csv"))
        print(f"import ratings.csv + movies.csv: {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        config = prepare(shop)
        print(f"prepare ({config.algorithm}, {config.items_with_sales:,} products with sales): "
              f"{time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        rec = Recommender.load(shop)
        print(f"load prepared model: {time.perf_counter() - t:.2f} s")
        db = store.connect(shop)
        customers = customer_ids(db)
        db.close()
        rec.recommend(customers[0], 10)  # warm: opens the thread's connection
        times = []
        for customer in customers:
            t = time.perf_counter()
            rec.recommend(customer, 10)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(f"one customer's top 10, warm, over {len(times)} customers: median {statistics.median(times):.1f} ms, "
              f"p95 {times[int(0.95 * len(times))]:.1f} ms, max {times[-1]:.1f} ms")
        t = time.perf_counter()
        summary = export_recommendations(shop, ExportRequest(Path(tmp) / "all.csv", top=20))
        print(f"export top 20 for all {summary.customers:,} customers ({summary.rows:,} rows): "
              f"{time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "ml-latest-small"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
