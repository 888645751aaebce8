"""What the long-tail page shows: how sales spread over the catalog, and how the current recommendations
spread their exposure, at a given discovery level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lrec_desktop.core.cf.data import load_purchases
from lrec_desktop.core.evaluate.metrics import coverage, gini
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.products import not_product_ids, variant_row_ids
from lrec_desktop.core.recommend.histories import customer_histories
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store

BUCKETS = ("Bestsellers (top 20%)", "Rarely sold", "Never sold yet")
MAX_CUSTOMERS = 2000  # a seeded sample above this: the shape of the exposure does not need everyone


@dataclass
class LongTailReport:
    discovery: float
    k: int
    customers: int  # customers whose lists were counted
    sales_curve: np.ndarray  # buyers per product, best-selling first (the popularity curve)
    head_size: int  # products in the head
    rarely_sold: int  # products sold, but outside the head
    never_sold: int
    sales_share: list[float]  # share of purchases per bucket (BUCKETS)
    exposure_share: list[float]  # share of recommendation slots per bucket
    coverage: float  # share of the catalog recommended to at least one customer
    tail_coverage: float  # share of rarely sold and never sold products recommended to anyone
    gini: float  # of exposure: 0 = every product shown equally, 1 = one product only
    tail_share: float  # share of slots going to rarely sold and never sold products
    exposure: np.ndarray = field(repr=False)  # customers each product is recommended to (model order)
    item_ids: list[str] = field(repr=False, default_factory=list)
    curve_item_ids: list[str] = field(repr=False, default_factory=list)  # the products of sales_curve, in order
    sampled: bool = False  # True when the lists of a seeded sample of MAX_CUSTOMERS customers were counted
    _position: dict[str, int] = field(repr=False, default_factory=dict)

    def shown_to(self, item_id: str) -> int:
        if not self._position:
            self._position = {item_id: n for n, item_id in enumerate(self.item_ids)}
        n = self._position.get(item_id)
        return 0 if n is None else int(self.exposure[n])


NOT_COUNTED = -1  # postage, fees, gift cards and variant rows: in no bucket (ingest.nonproducts, ingest.variants)


def _bucket(rec: Recommender, db: store.sqlite_utils.Database) -> np.ndarray:
    """Per product: 0 bestseller, 1 rarely sold, 2 never sold, NOT_COUNTED for a non-product. A product sold only
    to customers without an id has sold (item_stats counts every sale): it is rarely sold, not "never sold"."""
    items = rec.model.items
    sold = np.zeros(len(items), dtype=bool)
    ids = [r[0] for r in db.execute("SELECT item_id FROM item_stats WHERE sales > 0")]
    found = items.indices(ids)
    sold[found[found >= 0]] = True
    bucket = np.where(rec.catalog.is_head, 0, np.where((rec.model.popularity > 0) | sold, 1, 2))
    blocked = items.indices([*not_product_ids(db), *variant_row_ids(db)])  # a size is counted with its product
    bucket[blocked[blocked >= 0]] = NOT_COUNTED
    return bucket


def longtail_reports(
    db_path: Path, levels: Sequence[float], *, k: int = 10, recommender: Recommender | None = None,
    progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
) -> list[LongTailReport]:
    """One report per discovery level, from the same customers (so levels compare)."""
    cancel = cancel or CancelToken()
    rec = recommender or Recommender.load(db_path, progress=sub_progress(progress, 0, 0.3), cancel=cancel)
    db = store.connect(db_path)
    try:
        purchases = load_purchases(db, items=rec.model.items)
        # Every customer, as the export has them: one who only returned or paid postage gets a list there too.
        everyone = [r[0] for r in db.execute("SELECT customer_id FROM customers ORDER BY 1")]
        rows = np.arange(len(everyone))
        if len(rows) > MAX_CUSTOMERS:
            rows = np.sort(np.random.default_rng(0).choice(rows, MAX_CUSTOMERS, replace=False))
        X, seen_lists, last_ts = customer_histories(db, rec, [everyone[r] for r in rows], purchases)
        bucket = _bucket(rec, db)
    finally:
        db.close()
    pop = rec.model.popularity
    sales = np.array([pop[bucket == b].sum() for b in range(3)], dtype=np.float64)
    sales_share = (sales / max(sales.sum(), 1.0)).tolist()
    tail_products = bucket > 0
    counted = bucket != NOT_COUNTED
    order = np.argsort(-pop, kind="stable")
    order = order[bucket[order] != NOT_COUNTED]
    curve_ids = [rec.model.items.ids[j] for j in order]
    reports = []
    for step, level in enumerate(levels):
        cancel.raise_if_cancelled()
        progress(0.3 + 0.7 * step / max(len(levels), 1), f"Counting recommendations at discovery {level:.0%}")
        exposure = np.zeros(len(rec.model.items))
        for n, recs in enumerate(rec.recommend_many(X, seen_lists, k, discovery=level, last_ts=last_ts)):
            if n % 256 == 0:
                cancel.raise_if_cancelled()
            idx = [rec.model.items.known(r.item_id) for r in recs]
            exposure[idx] += 1
        slots = max(exposure.sum(), 1.0)
        reports.append(LongTailReport(
            discovery=level, k=k, customers=len(rows), sales_curve=pop[order],
            head_size=int((bucket == 0).sum()), rarely_sold=int((bucket == 1).sum()),
            never_sold=int((bucket == 2).sum()), sales_share=sales_share,
            exposure_share=[float(exposure[bucket == b].sum() / slots) for b in range(3)],
            coverage=coverage(exposure[counted]), tail_coverage=float((exposure[tail_products] > 0).mean())
            if tail_products.any() else 0.0, gini=gini(exposure[counted]),
            tail_share=float(exposure[tail_products].sum() / slots), exposure=exposure,
            item_ids=rec.model.items.ids, curve_item_ids=curve_ids, sampled=len(rows) < len(everyone),
        ))
    progress(1.0, "Long-tail figures ready")
    return reports


def longtail_report(db_path: Path, discovery: float | None = None, **kwargs: object) -> LongTailReport:
    """The report at one level (default: the shop's saved level)."""
    given = kwargs.pop("recommender", None)
    rec = given if isinstance(given, Recommender) else Recommender.load(db_path)
    level = rec.discovery if discovery is None else discovery
    return longtail_reports(db_path, [level], recommender=rec, **kwargs)[0]  # type: ignore[arg-type]
