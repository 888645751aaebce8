"""The audience finder: for one product, the customers most likely to want it (new and slow sellers too)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lrec_desktop.core.cf.data import load_purchases
from lrec_desktop.core.cf.sparse_topk import top_n
from lrec_desktop.core.csv_safe import SafeCsvWriter
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.output_file import EXCEL_ENCODING, open_output
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.schema import NOT_A_PRODUCT

AUDIENCE_HEADER = ["rank", "customer_id", "name", "email", "score", "reason"]


@dataclass(frozen=True)
class AudienceMember:
    customer_id: str
    name: str
    email: str
    score: float
    reason: str


def find_audience(
    db_path: Path, item_id: str, n: int = 50, *, recommender: Recommender | None = None,
    progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
) -> list[AudienceMember]:
    """Customers ranked by how much they would want ``item_id``; those who already bought it are left out."""
    cancel = cancel or CancelToken()
    rec = recommender or Recommender.load(db_path, progress=sub_progress(progress, 0, 0.5), cancel=cancel)
    item_id = _product(db_path, item_id)
    j = rec.model.items.index(item_id)
    if j is None:
        raise UserError(f"No product '{item_id}' in this shop.")
    db = store.connect(db_path)
    try:
        purchases = load_purchases(db, items=rec.model.items)
        bought = {r[0] for r in db.execute(
            "SELECT DISTINCT customer_id FROM interactions WHERE item_id = ? AND customer_id IS NOT NULL", [item_id])}
        info = {r[0]: (r[1], r[2]) for r in db.execute("SELECT customer_id, name, email FROM customers")}
    finally:
        db.close()
    cancel.raise_if_cancelled()
    progress(0.7, "Scoring customers")
    X = purchases.recent(rec.half_life)
    scores = rec.audience_scores(j, X)
    for customer_id in bought:
        row = purchases.customers.index(customer_id)
        if row is not None:
            scores[row] = -np.inf
    scores[scores <= 0] = -np.inf
    members = []
    for row in top_n(scores, n):
        customer_id = purchases.customers.ids[row]
        liked = X.indices[X.indptr[row] : X.indptr[row + 1]]
        members.append(AudienceMember(customer_id, *info.get(customer_id, ("", "")), float(scores[row]),
                                      _reason(rec, j, liked)))
    progress(1.0, f"{len(members):,} customers found")
    return members


def _product(db_path: Path, item_id: str) -> str:
    """The product a size stands for (ingest.variants); postage, fees and gift cards have no audience."""
    db = store.connect(db_path, readonly=True)
    try:
        row = db.execute(f"SELECT coalesce(product_id, item_id), {NOT_A_PRODUCT}, non_product FROM items "
                         "WHERE item_id = ?", [item_id]).fetchone()
    finally:
        db.close()
    if row is None:
        return item_id
    if row[1]:
        what = row[2] or "marked as no product"
        raise UserError(f"'{item_id}' is {what}, not a product, so no customer is looked for; if it is one, say so "
                        f"with: lrec-desktop products --is-a-product {item_id}")
    return str(row[0])


def _reason(rec: Recommender, j: int, liked: np.ndarray) -> str:
    weights = rec.model.weights[liked, j].toarray().ravel()
    if len(weights) and weights.max() > 0:
        return f"Bought “{rec.item_title(int(liked[int(np.argmax(weights))]))}”, often bought with it"
    if rec.text is not None:
        source = rec.text.closest_source(j, liked)
        if source is not None:
            return f"Bought “{rec.item_title(source)}”, which is described alike"
    return "Buys in this part of the shop"


def write_audience_csv(members: list[AudienceMember], out: Path, *, shop: Path | None = None,
                       excel: bool = False) -> None:
    """Write the audience as CSV through a temp file beside ``out``; never over ``shop`` or any shop's files.
    ``excel``: UTF-8 with a byte-order mark (output_file.EXCEL_ENCODING)."""
    with open_output(out, shop=shop, encoding=EXCEL_ENCODING if excel else "utf-8") as f:
        writer = SafeCsvWriter(f)
        writer.writerow(AUDIENCE_HEADER)
        for rank, m in enumerate(members, start=1):
            writer.writerow((rank, m.customer_id, m.name, m.email, f"{m.score:.4f}", m.reason))
