"""Peer benchmark: lrec_desktop at several discovery levels next to popularity, EASE, ALS, item-kNN,
LightFM and text-only, on the same split of each dataset. Writes one JSON and one Markdown table.

    pip install -e ".[bench]"
    python tests/benchmarks/bench_peers.py [--datasets movielens,lastfm] [--discovery 0,0.2,0.6,1]
                                           [--work .bench] [--finetune]

Peers and scoring come from ../shared/tools/recsys_bench.py (the team's independent scorer); lrec_desktop
runs through its public CLI (import, embed, export) exactly as a script would.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SOURCES = {"movielens": "ml-latest-small", "lastfm": "hetrec2011-lastfm-2k"}
COLUMNS = ("recall@20", "ndcg@20", "tail_recall@20", "cold_recall@20", "coverage", "gini", "aplt")


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recsys_bench", SHARED / "tools" / "recsys_bench.py")
    if spec is None or spec.loader is None:
        raise SystemExit("../shared/tools/recsys_bench.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_recs(path: Path) -> dict[str, list[str]]:
    """An exported recommendations CSV as customer → item ids in rank order."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str)
    frame["rank"] = frame["rank"].astype(int)
    return {c: list(g.sort_values("rank")["item_id"]) for c, g in frame.groupby("customer_id")}


def run(cmd: list[str]) -> float:
    started = time.monotonic()
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    return round(time.monotonic() - started, 1)


def ours(bench, work: Path, levels: list[float], finetune: bool) -> list[dict]:
    lrec = shutil.which("lrec-desktop") or sys.exit("lrec-desktop is not installed")
    split = bench.Split(work)
    db = work / "bench-project.lrec"
    for leftover in work.glob("bench-project.lrec*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    mapping = json.loads((work / "mapping.json").read_text())
    maps = [arg for field, column in mapping.items() for arg in ("--map", f"{field}={column}")]
    seconds = {"import": run([lrec, "--quiet", "import", "--db", str(db), "--items", str(work / "items.csv"),
                              "--interactions", str(work / "orders.csv"), *maps])}
    seconds["embed"] = run([lrec, "--quiet", "embed", "--db", str(db)])
    if finetune:
        seconds["finetune"] = run([lrec, "--quiet", "finetune", "--db", str(db)])
    rows = []
    for level in levels:
        out = work / f"bench-recs-{level}.csv"
        took = run([lrec, "--quiet", "export", "--db", str(db), "--out", str(out), "--top", str(bench.K),
                    "--discovery", str(level)])
        row = split.score(read_recs(out), f"lrec_desktop (discovery {level:g})" + (" + learned" if finetune else ""))
        row["seconds"] = {**seconds, "export": took}
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def table(results: dict[str, list[dict]]) -> str:
    lines = []
    for dataset, rows in results.items():
        lines += [f"**{dataset}** (top 20, each customer's held-out purchases; best peer per column in bold)", "",
                  "| recommender | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
        peers = [r for r in rows if not r["name"].startswith("lrec_desktop") and "error" not in r]
        best = {c: max((r[c] for r in peers), default=None) for c in COLUMNS if c != "gini"}
        best["gini"] = min((r["gini"] for r in peers), default=None)
        for r in rows:
            if "error" in r:
                lines.append(f"| {r['name']} | " + " | ".join("–" for _ in COLUMNS) + " |")
                continue
            cells = [f"**{r[c]:.4f}**" if r in peers and r[c] == best[c] else f"{r[c]:.4f}" for c in COLUMNS]
            lines.append(f"| {r['name']} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="movielens,lastfm")
    parser.add_argument("--discovery", default="0,0.2,0.6,1")
    parser.add_argument("--work", type=Path, default=REPO / ".bench")
    parser.add_argument("--finetune", action="store_true")
    args = parser.parse_args()
    bench = load_bench()
    levels = [float(x) for x in args.discovery.split(",")]
    results: dict[str, list[dict]] = {}
    for dataset in args.datasets.split(","):
        work = args.work / dataset
        if not (work / "train.csv").exists():
            bench.prepare(dataset, SHARED / "datasets" / SOURCES[dataset], work)
        if not (work / "peers.json").exists():
            bench.run_peers(work)
        peers = json.loads((work / "peers.json").read_text())
        results[dataset] = peers + ours(bench, work, levels, args.finetune)
    out = args.work / "peer-benchmark.json"
    out.write_text(json.dumps(results, indent=1))
    text = table(results)
    (args.work / "peer-benchmark.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
