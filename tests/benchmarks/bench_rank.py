"""Benchmark: what the learned ranking costs (issue 17's figures). Prints, asserts nothing.

    python tests/benchmarks/bench_rank.py SHOP.lrec

On a copy of a prepared shop (recsys_bench's project.sqlite with its -models folder, say): the co-purchase fit
as prepare runs it, without and with the text-aware EASE weights it shares its inverses with; the time to
train the ranker on that fit (its random walk, candidates, features, levels and bags, and the whole history's
sources); then, in one process so the machine's
load hits both alike, every customer's top 20 (CPU seconds of this single-threaded process, learned and blend
taking turns REPEATS times, medians: wall time on a shared machine swung 2x between runs) and one customer's
top 10 (warm) with the learned ranking and with the blend it replaces: compare the ratio, not the seconds.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lrec_desktop.core.cf.data import load_purchases
from lrec_desktop.core.rank import job as learned
from lrec_desktop.core.recommend.histories import customer_histories
from lrec_desktop.core.recommend.model import fit_purchases, fit_weights
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.recommend.text_side import text_vectors
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import EASE_LAMBDA

REPEATS = 3


def every_list(rec: Recommender, customers: list[str]) -> float:
    """CPU seconds for every customer's top 20, their histories read included."""
    db = store.connect(rec.db_path)
    t = time.process_time()
    liked, seen, last = customer_histories(db, rec, customers)
    for _ in rec.recommend_many(liked, seen, 20, last_ts=last):
        pass
    db.close()
    return time.process_time() - t


def one_list(rec: Recommender, customers: list[str]) -> tuple[float, float]:
    rec.recommend(customers[0], 10)
    times = []
    for customer in customers[:300]:
        t = time.perf_counter()
        rec.recommend(customer, 10)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times))]


def main(source: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shop = Path(tmp) / "shop.lrec"
        shutil.copy(source, shop)
        models = source.with_name(source.name + "-models")
        if models.exists():
            shutil.copytree(models, shop.with_name(shop.name + "-models"))
        rec = Recommender.load(shop)  # what is saved (prepared first only when it is not current)
        db = store.connect(shop)
        lam = EASE_LAMBDA.read(db)
        version = store.data_version(db)
        purchases = load_purchases(db)
        text = text_vectors(db, shop, purchases.items)
        customers = list(purchases.customers.ids)
        db.close()
        # As prepare does it: the co-purchase fit (the inner hold-out's and the whole history's, each giving the
        # text-aware weights from its own inverse), then the ranking on it.
        t = time.perf_counter()
        plain = fit_purchases(purchases, data_version=version, lam=lam)
        cf_plain = time.perf_counter() - t
        t = time.perf_counter()
        model = fit_purchases(purchases, data_version=version, lam=lam, text=text)
        cf_text = time.perf_counter() - t
        del plain
        t = time.perf_counter()
        fresh = learned.prepare_ranking(shop, model, purchases, lambda train: fit_weights(train, lam)[1])
        total = time.perf_counter() - t
        print(f"co-purchase fit (inner hold-out and whole history): {cf_plain:.1f} s, with the text-aware EASE "
              f"weights from the same inverses {cf_text:.1f} s ({'with' if text is not None else 'no'} text vectors)")
        if fresh.side is None:
            print("this shop keeps the blend: too few customers with later purchases")
            return
        rec.ranking = fresh.side
        config = fresh.side.ranker.config
        print(f"training the ranking: {total:.1f} s in all (candidates, features, {len(config.rounds)} levels of "
              f"{config.bags} LambdaRank boosters, random walk on the whole history); "
              f"the ranker part alone {config.seconds:.1f} s; rounds {config.rounds}; "
              f"{config.training_customers + config.validation_customers:,} customers; sources "
              f"{config.source_names}; the default discovery means {config.default_position} here")
        sides = (("learned ranking", rec.ranking), ("blend", None))
        every: dict[str, list[float]] = {name: [] for name, _ in sides}
        for _ in range(REPEATS):
            for name, side in sides:
                rec.ranking = side
                every[name].append(every_list(rec, customers))
        for name, side in sides:
            rec.ranking = side
            median, p95 = one_list(rec, customers)
            print(f"{name}: top 20 for all {len(customers):,} customers {statistics.median(every[name]):.2f} CPU s "
                  f"(runs {[round(x, 2) for x in every[name]]}); one customer's top 10, warm: median {median:.1f} ms, "
                  f"p95 {p95:.1f} ms")
        ratio = statistics.median(every["learned ranking"]) / statistics.median(every["blend"])
        print(f"every customer's list: learned / blend = {ratio:.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
