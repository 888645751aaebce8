"""Scale benchmark: a shop of 200,000 products, 100,000 customers and 5,000,000 order lines, resampled from
real data. Prints wall time and peak memory (RSS) per step; asserts nothing.

    python tests/benchmarks/bench_scale.py [--work DIR] [--steps generate,import,prepare,embed,use,export]
                                           [--products 200000] [--customers 100000] [--lines 5000000]

Data: every ml-latest-small movie becomes a family of products (a poster in sizes and finishes: "Toy Story
(1995) poster, A3, matte"), and every synthetic customer is a real MovieLens user re-lived: a sample of that
user's real ratings, in their real order and times, each film bought as one product of its family (the
popular variant most often). Co-purchase structure, timing and the long tail are the real ones; the names
are a shop's. Files go to --work (default .bench/scale, git-ignored) and are never committed.

Steps, each in a child process so its peak RSS is its own (VmHWM):
- import: products.csv + orders.csv through the import job (one transaction).
- prepare: collaborative filtering (item-kNN at this size) with the shop's recency half-life chosen.
- embed: the text model's speed on a sample of real product texts (extrapolated to the whole catalog, as
  the issue allows on a CPU); every other product gets its family's vector read from the same model plus
  a small per-variant offset, so the index build, search and recommendations run at the full size.
- use: load the recommender, time customer lookups, similar products, free-text search, catalog paging
  and filtering and the customer completer (what "browse, search and lookup stay smooth" needs).
- export: every customer's top 10 as CSV (or --export-sample N random customers: loading costs the same,
  ranking scales with N).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO.parent / "shared" / "datasets" / "ml-latest-small"
SIZES = ("A4", "A3", "A2", "A1", "50x70 cm")
FINISHES = ("matte", "gloss", "framed black", "framed oak")
SAMPLE_TEXTS = 2000

PEAK = """
def peak_mb():
    from pathlib import Path
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

CHILD_IMPORT = PEAK + """
import json, sys, time
from pathlib import Path
from lrec_desktop.core.ingest.importer import ImportRequest, run_import
work = Path(sys.argv[1])
t = time.perf_counter()
mapping = {"item_id": "product_id", "customer_id": "customer_id", "timestamp": "order_date",
           "order_id": "order_id", "quantity": "quantity"}
summary = run_import(work / "shop.lrec", ImportRequest(items=work / "products.csv", interactions=work / "orders.csv",
                                                       mapping=mapping))
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_mb(), "note": summary.message()}))
"""

CHILD_PREPARE = PEAK + """
import json, sys, time
from pathlib import Path
from lrec_desktop.core.recommend.model import prepare
t = time.perf_counter()
config = prepare(Path(sys.argv[1]) / "shop.lrec")
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_mb(),
                  "note": f"{config.algorithm}, {config.items_with_sales:,} products with sales, "
                          f"half-life {config.recency_half_life}, tuning {config.tuning}"}))
"""

CHILD_EMBED = PEAK + """
import json, sys, time
from pathlib import Path
import numpy as np
from lrec_desktop.core.store import db as store
from lrec_desktop.core.text.embed_job import embed_catalog
from lrec_desktop.core.text.encoder import TextEncoder
from lrec_desktop.core.text.model_folder import inspect_model_folder
from lrec_desktop.core.text.vector_store import catalog_texts, save_vectors
shop = Path(sys.argv[1]) / "shop.lrec"
sample = int(sys.argv[2])
db = store.connect(shop)
items, texts, hashes = catalog_texts(db)
family = np.asarray([i.split("-")[0] for i in items.ids])
folder = inspect_model_folder(None)
encoder = TextEncoder.load(None, "cpu")
rng = np.random.default_rng(0)
picked = rng.choice(len(texts), sample, replace=False)
t = time.perf_counter()
encoder.encode([texts[i] for i in picked])
rate = sample / (time.perf_counter() - t)
# One real vector per family (its first variant's text), then a small per-variant offset, renormalised.
t = time.perf_counter()
firsts = {}
for n, f in enumerate(family):
    firsts.setdefault(f, n)
order = list(firsts.values())
base = encoder.encode([texts[i] for i in order])
where = {f: k for k, f in enumerate(firsts)}
vectors = base[[where[f] for f in family]] + 0.05 * rng.standard_normal((len(family), base.shape[1])).astype("float32")
vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
for start in range(0, len(hashes), 20000):
    save_vectors(db, folder.fingerprint, hashes[start:start + 20000], vectors[start:start + 20000])
db.close()
family_seconds = time.perf_counter() - t
t = time.perf_counter()
summary = embed_catalog(shop, device="cpu")
index_seconds = time.perf_counter() - t
print(json.dumps({"seconds": index_seconds, "peak_mb": peak_mb(),
                  "note": f"text model {rate:,.0f} products/s on a {sample:,}-product sample -> "
                          f"{len(texts) / rate / 60:,.1f} min for all {len(texts):,}; {len(firsts):,} family vectors "
                          f"in {family_seconds:.0f} s; vectors cached, index ({summary.index_kind}) built in "
                          f"{index_seconds:.1f} s"}))
"""

CHILD_USE = PEAK + """
import json, statistics, sys, time
from pathlib import Path
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store import queries
shop = Path(sys.argv[1]) / "shop.lrec"
def ms(fn, runs):
    times = []
    for arg in runs:
        t = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return f"median {statistics.median(times):.0f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms"
t = time.perf_counter()
rec = Recommender.load(shop)
load = time.perf_counter() - t
db = store.connect(shop)
customers = queries.customer_ids(db)[::500]
items = [r[0] for r in db.execute("SELECT item_id FROM items ORDER BY random() LIMIT 100")]
rec.recommend(customers[0], 10)
out = {"load": f"{load:.1f} s"}
out["lookup top 10"] = ms(lambda c: rec.recommend(c, 10), customers)
out["similar products"] = ms(lambda i: rec.similar(i, 10), items)
out["free-text search"] = ms(lambda q: rec.search(q, 10), ["poster of a space adventure", "romantic comedy framed",
                             "horror film a2 gloss", "animated family film", "war documentary", "crime thriller",
                             "musical", "western oak frame", "children cartoon", "noir mystery"] * 3)
out["catalog page (500 rows, by sales)"] = ms(lambda o: queries.items_page(db, offset=o, limit=500),
                                              range(0, 200000, 20000))
out["catalog filter (count + first page by title)"] = ms(
    lambda s: (queries.count_items(db, s), queries.items_page(db, offset=0, limit=500, text=s, sort="title",
                                                              descending=False)), ["star", "war", "love", "oak"])
out["customer completer"] = ms(lambda s: queries.search_customers(db, s, 20), ["10", "5", "customer4", "99", "x"])
print(json.dumps({"seconds": load, "peak_mb": peak_mb(), "note": json.dumps(out)}))
"""

CHILD_EXPORT = PEAK + """
import json, sys, time
from pathlib import Path
from lrec_desktop.core.export import ExportRequest, export_recommendations
from lrec_desktop.core.store import db as store
work, sample = Path(sys.argv[1]), int(sys.argv[2])
customers = None
if sample:
    db = store.connect(work / "shop.lrec")
    customers = [r[0] for r in db.execute("SELECT customer_id FROM customers ORDER BY random() LIMIT ?", [sample])]
    db.close()
t = time.perf_counter()
summary = export_recommendations(work / "shop.lrec", ExportRequest(work / "export.csv", top=10, customers=customers))
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(),
                  "note": f"{summary.rows:,} rows for {summary.customers:,} customers "
                          f"({summary.customers / seconds:,.1f} customers/s including loading)"}))
"""


def generate(work: Path, products: int, customers: int, lines: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    movies = pd.read_csv(DATASET / "movies.csv")
    ratings = pd.read_csv(DATASET / "ratings.csv").sort_values(["userId", "timestamp"], kind="stable")
    per_family = -(-products // len(movies))
    variants = [(s, f) for s in SIZES for f in FINISHES][:per_family]
    while len(variants) < per_family:  # more variants than sizes x finishes: number the editions
        variants.append((SIZES[len(variants) % len(SIZES)], f"edition {len(variants)}"))
    fam = np.repeat(movies["movieId"].to_numpy(), per_family)[:products]
    var = np.tile(np.arange(per_family), len(movies))[:products]
    titles = movies.set_index("movieId")["title"]
    genres = movies.set_index("movieId")["genres"].str.replace("|", ", ")
    size = np.asarray([variants[v][0] for v in var])
    finish = np.asarray([variants[v][1] for v in var])
    catalog = pd.DataFrame({
        "product_id": [f"{m}-{v:02d}" for m, v in zip(fam, var, strict=True)],
        "title": titles.reindex(fam).to_numpy() + " poster, " + size + ", " + finish,
        "description": ("Film poster. Genres: " + genres.reindex(fam).to_numpy() + ". Size " + size + ", " + finish
                        + "."),
        "category": movies.set_index("movieId")["genres"].str.split("|").str[0].reindex(fam).to_numpy(),
        "price": np.round(9.5 + 4 * (var % len(SIZES)) + rng.random(products) * 3, 2),
    })
    catalog.to_csv(work / "products.csv", index=False)
    # Variant popularity falls off like a shop's sizes: the first is the usual pick, the last rare.
    weights = 1.0 / (1 + np.arange(per_family)) ** 1.3
    weights /= weights.sum()
    family_size = pd.Series(var).groupby(fam).size()
    per_user = dict(tuple(ratings.groupby("userId")))
    user_ids = np.asarray(list(per_user))
    target = _poisson_mean(np.asarray([len(g) for g in per_user.values()]), lines / customers)
    rows = []
    written = 0
    for c in range(customers):
        real = per_user[user_ids[rng.integers(len(user_ids))]]
        take = int(min(len(real), max(1, rng.poisson(target))))
        picked = real.iloc[np.sort(rng.choice(len(real), take, replace=False))]
        available = family_size.reindex(picked["movieId"]).fillna(0).astype(int).to_numpy()
        picked, available = picked[available > 0], available[available > 0]  # families cut off by --products
        take = len(picked)
        v = np.minimum(rng.choice(per_family, take, p=weights), available - 1)
        shift = rng.integers(0, 3 * 365) * 86_400  # customers re-live a history at their own moment
        ts = picked["timestamp"].to_numpy() + shift
        rows.append(pd.DataFrame({
            "order_id": [f"O{c}-{d}" for d in ts // 86_400],
            "customer_id": f"customer{c}",
            "product_id": [f"{m}-{k:02d}" for m, k in zip(picked["movieId"], v, strict=True)],
            "order_date": pd.to_datetime(ts, unit="s").strftime("%Y-%m-%d %H:%M:%S"),
            "quantity": 1,
        }))
        written += take
    orders = pd.concat(rows, ignore_index=True)
    orders.to_csv(work / "orders.csv", index=False)
    return (f"{products:,} products, {customers:,} customers, {written:,} order lines "
            f"({(work / 'orders.csv').stat().st_size / 2**20:,.0f} MB)")


def _poisson_mean(history_sizes: np.ndarray, wanted: float) -> float:
    """The Poisson mean whose draws, capped at a real user's history length, average ``wanted`` lines."""
    from scipy.stats import poisson

    low, high = 0.0, wanted * 10
    for _ in range(40):
        mid = (low + high) / 2
        k = np.arange(0, int(mid * 3) + 50)
        pmf = poisson.pmf(k, mid)
        got = np.mean([(np.minimum(k, n) * pmf).sum() for n in history_sizes])
        low, high = (mid, high) if got < wanted else (low, mid)
    return (low + high) / 2


def child(script: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "note": "FAILED: " + done.stderr[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=REPO / ".bench" / "scale")
    parser.add_argument("--steps", default="generate,import,prepare,embed,use,export")
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--export-sample", type=int, default=0,
                        help="export this many random customers instead of all (0 = all)")
    args = parser.parse_args()
    if not (DATASET / "ratings.csv").exists():
        print(f"skipped: {DATASET} is not present")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    steps = args.steps.split(",")
    if "generate" in steps:
        for leftover in args.work.glob("shop.lrec*"):
            if leftover.is_dir():
                import shutil

                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        t = time.perf_counter()
        what = generate(args.work, args.products, args.customers, args.lines)
        print(f"generate: {time.perf_counter() - t:.0f} s  {what}", flush=True)
    scripts = {"import": (CHILD_IMPORT,), "prepare": (CHILD_PREPARE,), "embed": (CHILD_EMBED, str(SAMPLE_TEXTS)),
               "use": (CHILD_USE,), "export": (CHILD_EXPORT, str(args.export_sample))}
    for step in steps:
        if step not in scripts:
            continue
        script, *extra = scripts[step]
        result = child(script, str(args.work), *extra)
        print(f"{step}: {result['seconds']:.1f} s, peak RSS {result['peak_mb']:,.0f} MB  {result['note']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
