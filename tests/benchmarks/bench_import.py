"""Import benchmark: prints wall time and peak memory (RSS) of the import job.

    python tests/benchmarks/bench_import.py [--lines 1000000] [--keep DIR]

1. MovieLens ml-latest-small (ratings.csv + movies.csv from ../shared/datasets): target < 10 s.
2. A UCI-like order-lines CSV of --lines lines (InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
   UnitPrice, CustomerID, Country) made by resampling the real ratings: target < 60 s, peak RSS < 2 GB.

Each import runs in a child process so its peak RSS is its own, not the generator's. The generated file
is written to a temporary folder and never into the repository (the dataset's licence forbids shipping).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO.parent / "shared" / "datasets" / "ml-latest-small"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
args = json.loads(sys.argv[1])
start = time.perf_counter()
summary = run_import(Path(args["db"]), ImportRequest(
    items=Path(args["items"]) if args["items"] else None, interactions=Path(args["interactions"])))
seconds = time.perf_counter() - start
# VmHWM is this process image's own peak; ru_maxrss would also count the parent's RSS at fork time.
status = Path("/proc/self/status")
hwm = [l for l in status.read_text().splitlines() if l.startswith("VmHWM:")] if status.exists() else []
peak_mb = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "message": summary.message()}))
"""


def timed_import(db: Path, interactions: Path, items: Path | None = None) -> dict[str, object]:
    payload = json.dumps({"db": str(db), "items": str(items) if items else None, "interactions": str(interactions)})
    done = subprocess.run([sys.executable, "-c", CHILD, payload], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_order_lines(path: Path, lines: int, seed: int = 0) -> None:
    """Order lines resampled from real ratings: real customers, products and times, shop-like columns."""
    rng = np.random.default_rng(seed)
    ratings = pd.read_csv(DATASET / "ratings.csv")
    movies = pd.read_csv(DATASET / "movies.csv").set_index("movieId")
    picked = ratings.iloc[rng.integers(0, len(ratings), lines)].reset_index(drop=True)
    # A few minutes of jitter so resampled lines are mostly distinct sales, some exact repeats remain.
    picked["ts"] = picked["timestamp"] + rng.integers(0, 4, lines) * 60
    picked = picked.sort_values(["userId", "ts"], kind="stable").reset_index(drop=True)
    day = picked["ts"] // 86_400
    new_order = (picked["userId"].diff() != 0) | (day.diff() != 0)
    invoice = 536_365 + new_order.cumsum().to_numpy()
    quantity = rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 12, 24], lines)
    cancelled = np.isin(invoice, rng.choice(invoice, max(lines // 200, 1), replace=False))
    quantity = np.where(cancelled, -quantity, quantity)
    prices = (np.asarray(picked["movieId"]) % 50) * 0.25 + 0.85
    customer = picked["userId"].astype(str) + ".0"
    customer[rng.random(lines) < 0.03] = ""
    frame = pd.DataFrame(
        {
            "InvoiceNo": np.where(cancelled, "C", "") + invoice.astype(str),
            "StockCode": picked["movieId"].astype(str),
            "Description": movies["title"].reindex(picked["movieId"]).str.upper().to_numpy(),
            "Quantity": quantity,
            "InvoiceDate": pd.to_datetime(picked["ts"], unit="s").dt.strftime("%-m/%-d/%Y %-H:%M"),
            "UnitPrice": np.round(prices, 2),
            "CustomerID": customer,
            "Country": rng.choice(["United Kingdom", "France", "Germany", "EIRE", "Spain"], lines),
        }
    )
    frame.to_csv(path, index=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the generated file and shops here instead of a temp dir")
    args = parser.parse_args()
    if not (DATASET / "ratings.csv").exists():
        print(f"skipped: {DATASET} is not present")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        ml = timed_import(work / "ml.lrec", DATASET / "ratings.csv", DATASET / "movies.csv")
        print(
            f"ml-latest-small (100,836 ratings + movies): {ml['seconds']:.1f} s, peak RSS {ml['peak_mb']:.0f} MB "
            f"[target < 10 s]  {ml['message']}"
        )
        orders = work / "orders_1m.csv"
        start = time.perf_counter()
        make_order_lines(orders, args.lines)
        size_mb = orders.stat().st_size / 2**20
        print(f"generated {args.lines:,} order lines ({size_mb:.0f} MB) in {time.perf_counter() - start:.1f} s")
        big = timed_import(work / "orders.lrec", orders)
        print(
            f"{args.lines:,}-line order file: {big['seconds']:.1f} s, peak RSS {big['peak_mb']:.0f} MB "
            f"[target < 60 s, < 2048 MB]  {big['message']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
