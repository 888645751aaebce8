"""Benchmark: the text model's figures (issue 3). Prints, asserts nothing.

    python tests/benchmarks/bench_text.py [--texts N] [--device cpu|cuda] [--batch-size N]

1. Throughput: our encoder vs plain SentenceTransformer.encode on the same product titles, side by side.
2. Re-running the embedding job on an unchanged 10,000-product catalog (everything cached).
3. Similar-products and search latency at 100,000 products (random unit vectors stand in for embedded
   text, so the index, not the model, is timed; search adds one query encoding).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo" / "products.csv"


def product_titles(n: int) -> list[str]:
    import pandas as pd

    titles = pd.read_csv(DEMO, dtype=str)["title"].tolist()
    # Vary repeated titles so no batch is all duplicates.
    return [f"{titles[k % len(titles)]}" + ("" if k < len(titles) else f" no. {k // len(titles)}") for k in range(n)]


def throughput(n: int, device: str, batch_size: int | None) -> None:
    from sentence_transformers import SentenceTransformer

    from lrec_desktop.core.text.encoder import TextEncoder
    from lrec_desktop.core.text.model_folder import bundled_model_dir

    texts = product_titles(n)
    ours = TextEncoder.load(None, device)
    plain = SentenceTransformer(str(bundled_model_dir()), device=ours.device)
    bs = batch_size or ours.default_batch_size()
    ours.encode(texts[:64], batch_size=bs)
    plain.encode(texts[:64], batch_size=bs)
    for _ in range(2):  # alternate, so neither side profits from a warmer machine
        t = time.perf_counter()
        plain.encode(texts, batch_size=bs, normalize_embeddings=True)
        st = n / (time.perf_counter() - t)
        t = time.perf_counter()
        ours.encode(texts, batch_size=bs)
        us = n / (time.perf_counter() - t)
        print(f"{n:,} product titles on {ours.device}, batch {bs}: lrec_desktop {us:,.0f}/s, "
              f"SentenceTransformer.encode {st:,.0f}/s (ratio {us / st:.2f})")


def cached_rerun() -> None:
    from lrec_desktop.core.store import db as store
    from lrec_desktop.core.store.schema import ITEM_VECTORS_DDL  # noqa: F401 - the table the cache lives in
    from lrec_desktop.core.text.embed_job import embed_catalog
    from lrec_desktop.core.text.item_text import item_text, text_hash
    from lrec_desktop.core.text.model_folder import inspect_model_folder

    with tempfile.TemporaryDirectory() as tmp:
        shop = Path(tmp) / "big.lrec"
        db = store.connect(shop, create=True)
        titles = product_titles(10_000)
        fingerprint = inspect_model_folder(None).fingerprint
        rng = np.random.default_rng(0)
        with store.transaction(db) as conn:
            conn.executemany("INSERT INTO items(item_id, title) VALUES (?, ?)",
                             [(f"P{k:05d}", t) for k, t in enumerate(titles)])
            # Pre-fill the cache as a first run would have, without spending minutes of CPU on it.
            conn.executemany("INSERT INTO item_vectors(model, text_hash, vector) VALUES (?, ?, ?)",
                             [(fingerprint, text_hash(item_text(t)), rng.standard_normal(384, dtype=np.float32)
                               .tobytes()) for t in titles])
        db.close()
        embed_catalog(shop, device="cpu")
        t = time.perf_counter()
        summary = embed_catalog(shop, device="cpu")
        print(f"re-embedding an unchanged {summary.products:,}-product catalog: {time.perf_counter() - t:.2f} s "
              f"({summary.embedded} read by the model)")


def query_latency() -> None:
    from lrec_desktop.core.index.vectors import VectorIndex
    from lrec_desktop.core.text.encoder import TextEncoder
    from lrec_desktop.core.vocab import Vocabulary

    n, dim = 100_000, 384
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((n, dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    t = time.perf_counter()
    index = VectorIndex.build(Vocabulary(f"P{k}" for k in range(n)), vectors, np.ones(n, dtype=bool))
    print(f"index over {n:,} products ({index.kind}): built in {time.perf_counter() - t:.2f} s")
    times = []
    for k in range(200):
        t = time.perf_counter()
        index.search(vectors[k], 10, exclude=[np.array([k])])
        times.append((time.perf_counter() - t) * 1000)
    print(f"similar products (top 10 of {n:,}): median {statistics.median(times):.1f} ms, "
          f"p95 {sorted(times)[189]:.1f} ms")
    encoder = TextEncoder.load(None, "cpu")
    queries = ["gift for a gardener", "红色茶杯", "something warm for winter evenings", "tea for two"] * 25
    encoder.encode(queries[:1])
    encode_ms, search_ms = [], []
    for q in queries:
        t = time.perf_counter()
        vector = encoder.encode([q])[0]
        t2 = time.perf_counter()
        index.search(vector, 10)
        encode_ms.append((t2 - t) * 1000)
        search_ms.append((time.perf_counter() - t2) * 1000)
    print(f"free-text search: encoding the query median {statistics.median(encode_ms):.1f} ms "
          f"(p95 {sorted(encode_ms)[94]:.1f}), index search median {statistics.median(search_ms):.1f} ms "
          f"(p95 {sorted(search_ms)[94]:.1f})")


def neighbour_cost() -> None:
    """Each product's text neighbours (the discovery slots' share of the index build), exact and via HNSW."""
    from lrec_desktop.core.index import vectors as vector_module
    from lrec_desktop.core.index.vectors import EXACT_NEIGHBOURS_MAX, VectorIndex
    from lrec_desktop.core.vocab import Vocabulary

    rng = np.random.default_rng(0)
    for n in (20_000, EXACT_NEIGHBOURS_MAX, 2 * EXACT_NEIGHBOURS_MAX):
        vectors = rng.standard_normal((n, 384), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index = VectorIndex.build(Vocabulary(f"P{k}" for k in range(n)), vectors, np.ones(n, dtype=bool))
        t = time.perf_counter()
        matrix = index.neighbours()
        way = "exact" if n <= vector_module.EXACT_NEIGHBOURS_MAX else "HNSW, graph built and searched"
        print(f"text neighbours of {n:,} products ({way}): {time.perf_counter() - t:.1f} s, {matrix.nnz:,} kept")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--only", choices=("throughput", "cache", "query", "neighbours"))
    args = parser.parse_args()
    if args.only in (None, "throughput"):
        throughput(args.texts, args.device, args.batch_size)
    if args.only in (None, "cache"):
        cached_rerun()
    if args.only in (None, "query"):
        query_latency()
    if args.only in (None, "neighbours"):
        neighbour_cost()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
