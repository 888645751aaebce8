"""Benchmark: a campaign with a control group replayed on a real date range (issue 21, item 8). Prints figures.

    python tests/benchmarks/bench_campaign_replay.py [--dataset DIR] [--cutoff 2017-01-01] [--months 21]
                                                    [--control-group 0.1] [--seed 21] [--segment recent:365]

ml-latest-small's ratings of 4 or more are the shop's purchases (a rating is a purchase of the film) and movies.csv
its catalog. Everything up to --cutoff is imported and prepared; a campaign export runs then, with a control group;
the purchases of the following --months months are imported; the figures are what the Campaigns page and
``lrec-desktop campaigns`` show. No e-mail was ever sent to these people, so this is an A/A replay: the honest
expectation is a ratio near 1x with an interval that includes it. It shows what the page says on real, sparse
later sales, not a campaign's effect.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from lrec_desktop.cli import main

DEFAULT = Path(__file__).parents[2] / ".." / "shared" / "datasets" / "ml-latest-small"


def _write_files(dataset: Path, folder: Path, cutoff: pd.Timestamp, months: int) -> tuple[Path, Path, Path, int]:
    ratings = pd.read_csv(dataset / "ratings.csv")
    ratings = ratings[ratings.rating >= 4]
    when = pd.to_datetime(ratings.timestamp, unit="s")
    end = cutoff + pd.DateOffset(months=months)
    orders = pd.DataFrame({"customer_id": ratings.userId, "item_id": ratings.movieId,
                           "timestamp": when.dt.strftime("%Y-%m-%d %H:%M:%S")})
    before, after = folder / "before.csv", folder / "after.csv"
    orders[when < cutoff].to_csv(before, index=False)
    orders[(when >= cutoff) & (when < end)].to_csv(after, index=False)
    movies = pd.read_csv(dataset / "movies.csv")
    items = folder / "movies.csv"
    pd.DataFrame({"item_id": movies.movieId, "title": movies.title,
                  "category": movies.genres.str.split("|").str[0]}).to_csv(items, index=False)
    return items, before, after, int(((when >= cutoff) & (when < end)).sum())


def replay(dataset: Path, cutoff: str, months: int, share: float, seed: int, segments: list[str],
           keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items, before, after, later = _write_files(dataset, folder, pd.Timestamp(cutoff), months)
        shop = folder / "films.lrec"
        assert main(["--quiet", "import", "--db", str(shop), "--items", str(items), "--interactions", str(before)]) == 0
        assert main(["--quiet", "prepare", "--db", str(shop)]) == 0
        started = time.perf_counter()
        args = ["--quiet", "export", "--db", str(shop), "--out", str(folder / "campaign.csv"), "--top", "10",
                "--control-group", str(share), "--seed", str(seed), "--campaign", f"replay {cutoff}"]
        for s in segments:
            args += ["--segment", s]
        assert main(args) == 0
        export_s = time.perf_counter() - started
        assert main(["--quiet", "import", "--db", str(shop), "--interactions", str(after)]) == 0
        out = folder / "figures.json"
        captured = io.StringIO()
        with contextlib.redirect_stdout(captured):
            assert main(["campaigns", "--db", str(shop), "--json"]) == 0
        out.write_text(captured.getvalue())
        [figures] = json.loads(captured.getvalue())
        figures["later_purchases_in_range"] = later
        figures["export_seconds"] = round(export_s, 2)
        if keep is not None:  # the shop, to open its Campaigns page: lrec-desktop --db KEEP/films.lrec
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(shop, keep / shop.name)
        return figures


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT)
    parser.add_argument("--cutoff", default="2017-01-01")
    parser.add_argument("--months", type=int, default=21)
    parser.add_argument("--control-group", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--segment", action="append", default=[])
    parser.add_argument("--keep", type=Path, help="copy the replayed shop into this folder")
    args = parser.parse_args()
    figures = replay(args.dataset, args.cutoff, args.months, args.control_group, args.seed, args.segment, args.keep)
    for key in ("treated", "treated_buyers", "held_back", "held_back_buyers", "treated_rate", "held_back_rate",
                "ratio", "ratio_low", "ratio_high", "sales_since", "later_purchases_in_range", "export_seconds"):
        print(f"{key}: {figures[key]}")
    print(figures["words"])


if __name__ == "__main__":
    run()
