"""How often a training batch of "Learn from my sales" holds some product twice, before and after batching without
duplicates (core/finetune/batches.py), on the demo shop and ml-latest-small.

    python tests/benchmarks/bench_batch_duplicates.py [--batch 32] [--max-pairs 20000] [--seed 0]

Before: the pairs in a plain shuffled order, cut every 32 (what the trainer did). Two shares are printed: a
product twice anywhere among the batch's anchors, positives and hard negatives (which sentence-transformers'
NoDuplicatesBatchSampler rules out), and the narrower "a product is its own negative" (an anchor's own product
among the candidates, or a candidate twice). The shops are built in a temporary folder (import only: the pairs
need no text vectors). One JSON line per shop.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
MOVIELENS = REPO.parent / "shared" / "datasets" / "ml-latest-small"


def own_negative(pairs, batch: np.ndarray) -> bool:  # type: ignore[no-untyped-def]
    """An anchor's own product among the batch's candidates (positives, then hard negatives), or a candidate twice."""
    candidates = [int(p) for p in pairs.positives[batch]] + [int(n) for n in pairs.negatives[batch] if n >= 0]
    return len(candidates) != len(set(candidates)) or bool(set(pairs.anchors[batch].tolist()) & set(candidates))


def measure(name: str, shop: Path, batch: int, max_pairs: int, seed: int) -> dict:
    from lrec_desktop.core.finetune.batches import duplicate_share, no_duplicate_batches
    from lrec_desktop.core.finetune.job import training_inputs

    _, data = training_inputs(shop, max_pairs)
    pairs = data.train
    order = np.random.default_rng(seed).permutation(len(pairs))
    plain = [order[s : s + batch] for s in range(0, len(order), batch)]
    started = time.perf_counter()
    clean = no_duplicate_batches(pairs, batch, np.random.default_rng(seed))
    seconds = time.perf_counter() - started
    used = sum(len(b) for b in clean)
    return {"shop": name, "pairs": len(pairs), "batch": batch,
            "before": {"batches": len(plain), "any_product_twice": round(duplicate_share(pairs, plain), 4),
                       "product_its_own_negative": round(float(np.mean([own_negative(pairs, b) for b in plain])), 4)},
            "after": {"batches": len(clean), "any_product_twice": round(duplicate_share(pairs, clean), 4),
                      "product_its_own_negative": round(float(np.mean([own_negative(pairs, b) for b in clean])), 4),
                      "pairs_used": used, "pairs_left_out": len(pairs) - used,
                      "mean_batch": round(used / max(len(clean), 1), 1), "sampler_seconds": round(seconds, 2)}}


def build_movielens(folder: Path) -> Path:
    from lrec_desktop.core.ingest.importer import ImportRequest, run_import
    from lrec_desktop.core.store import db as store

    shop = folder / "ml.lrec"
    store.connect(shop, create=True).close()
    run_import(shop, ImportRequest(items=MOVIELENS / "movies.csv", interactions=MOVIELENS / "ratings.csv"))
    return shop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--max-pairs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dups-") as tmp:
        os.environ["LREC_DATA_DIR"] = tmp  # the demo shop is built here, not in the user's data folder
        from lrec_desktop.core.shop import ensure_demo_shop

        shops = [("demo", ensure_demo_shop())]
        if (MOVIELENS / "ratings.csv").exists():
            shops.append(("ml-latest-small", build_movielens(Path(tmp))))
        for name, shop in shops:
            print(json.dumps(measure(name, shop, args.batch, args.max_pairs, args.seed)), flush=True)


if __name__ == "__main__":
    main()
