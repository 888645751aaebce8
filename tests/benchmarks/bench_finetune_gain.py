"""How sure is a gain? Two exported recommendation lists (say, the untuned and the learned text model) scored on
recsys_bench's split, with the relative change in recall, tail recall and cold recall@20 and its 95% interval from a
paired bootstrap over customers (the same customers resampled for both lists).

    python ../shared/tools/recsys_bench.py project WORK $(which lrec-desktop)            # then copy
    cp WORK/project-recs.csv WORK/untuned-recs.csv                                       # its export aside
    python ../shared/tools/recsys_bench.py project WORK $(which lrec-desktop) --finetune
    python tests/benchmarks/bench_finetune_gain.py WORK WORK/untuned-recs.csv WORK/project-recs.csv

Why: a test split holds few purchases of rarely sold and new products (ml-latest-small: 3,737 and 1,316, about 50
and 10 of them found), so one run's +10% or +50% says little on its own; the interval says how much.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script, beside bench_peers
from bench_peers import load_bench, read_recs

FIGURES = ("recall@20", "tail hits", "cold hits")


def per_customer(split, recs: dict[str, list[str]], k: int = 20) -> np.ndarray:
    """Customers × (recall@k, tail hits, cold hits), scored as recsys_bench's Split.score does."""
    rows = []
    for customer, targets in split.targets.items():
        shown = recs.get(customer, [])[:k]
        tail = cold = 0
        for item in targets:
            j = split.iidx.get(item)
            if j is None or item not in shown:
                continue
            if j in split.cold:
                cold += 1
            elif j not in split.head:
                tail += 1
        rows.append((sum(i in targets for i in shown) / min(len(targets), k), tail, cold))
    return np.asarray(rows, dtype=np.float64)


def paired_bootstrap(before: np.ndarray, after: np.ndarray, rounds: int, seed: int) -> np.ndarray:
    """Rounds × figures: relative change of the sums over one resample of customers."""
    rng = np.random.default_rng(seed)
    n = len(before)
    out = np.empty((rounds, before.shape[1]))
    for r in range(rounds):
        take = rng.integers(n, size=n)
        out[r] = after[take].sum(axis=0) / np.maximum(before[take].sum(axis=0), 1e-12) - 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("work", type=Path, help="a folder made by recsys_bench.py prepare")
    parser.add_argument("before", type=Path, help="exported recommendations, the reference")
    parser.add_argument("after", type=Path, help="exported recommendations, the change")
    parser.add_argument("--rounds", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    split = load_bench().Split(args.work)
    before = per_customer(split, read_recs(args.before))
    after = per_customer(split, read_recs(args.after))
    changes = paired_bootstrap(before, after, args.rounds, args.seed)
    print(f"{len(before)} customers; {args.rounds} paired resamples")
    for col, name in enumerate(FIGURES):
        b, a = before[:, col].sum(), after[:, col].sum()
        low, high = np.percentile(changes[:, col], [2.5, 97.5])
        shown = f"{b / len(before):.4f} → {a / len(after):.4f}" if col == 0 else f"{b:.0f} → {a:.0f}"
        print(f"{name:10s} {shown:18s} {a / b - 1 if b else float('nan'):+7.1%}   95% interval {low:+.1%} .. "
              f"{high:+.1%}   share of resamples at +20% or more: {np.mean(changes[:, col] >= 0.2):.2f}")


if __name__ == "__main__":
    main()
