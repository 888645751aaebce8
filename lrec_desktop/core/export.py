"""Exporting recommendations as CSV for an e-mail campaign, a till prompt or a web shop.

``long``: one row per customer and product, header ``customer_id,rank,item_id,title,score,reason`` (the CLI
contract). ``wide``: one row per customer (email, name, product_1_title, product_1_id, ...) for mail merge.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress, throttled
from lrec_desktop.core.recommend.histories import customer_histories
from lrec_desktop.core.recommend.service import Recommendation, Recommender
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.queries import find_customer

LONG_HEADER = ["customer_id", "rank", "item_id", "title", "score", "reason"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sanitize_cell(value: object) -> str:
    """Text a spreadsheet shows as is: a leading ' stops = + - @ tab CR from starting a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


@dataclass
class ExportRequest:
    out: Path
    top: int = 10
    customers: list[str] | None = None  # ids or e-mails; None = every customer
    layout: str = "long"  # "long" | "wide"
    discovery: float | None = None  # None = the shop's saved level


@dataclass
class ExportSummary:
    path: Path
    customers: int
    rows: int


def resolve_customers(db: store.sqlite_utils.Database, keys: Sequence[str]) -> list[str]:
    """Customer ids for pasted ids or e-mails; an unknown one is an error naming it."""
    ids, unknown = [], []
    for key in keys:
        if not key.strip():
            continue
        found = find_customer(db, key)
        (ids if found else unknown).append(found or key.strip())
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise UserError(f"No customer with the id or e-mail {shown} in this shop.")
    return list(dict.fromkeys(ids))


def _write(writer: csv.writer, layout: str, top: int, customer: tuple[str, str, str],
           recs: list[Recommendation]) -> int:
    customer_id, name, email = customer
    if layout == "long":
        for rank, r in enumerate(recs, start=1):
            writer.writerow([sanitize_cell(v) for v in (customer_id, rank, r.item_id, r.title, f"{r.score:.4f}",
                                                         r.reason)])
        return len(recs)
    cells = [customer_id, email, name]
    for r in recs[:top]:
        cells += [r.title, r.item_id]
    cells += [""] * (3 + 2 * top - len(cells))
    writer.writerow([sanitize_cell(v) for v in cells])
    return 1


def export_recommendations(
    db_path: Path, request: ExportRequest, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> ExportSummary:
    """Job: write the file next to its target, then rename, so a cancelled export leaves no half file."""
    cancel = cancel or CancelToken()
    progress = throttled(progress)
    if request.layout not in ("long", "wide"):
        raise UserError(f"Unknown export layout '{request.layout}': choose long or wide.")
    if request.top < 1:
        raise UserError("Choose at least one product per customer.")
    rec = Recommender.load(db_path, progress=sub_progress(progress, 0.0, 0.3), cancel=cancel)
    db = store.connect(db_path)
    try:
        if request.customers is None:
            customers = [tuple(r) for r in db.execute("SELECT customer_id, name, email FROM customers ORDER BY 1")]
        else:
            ids = resolve_customers(db, request.customers)
            info = {r[0]: tuple(r) for r in db.execute("SELECT customer_id, name, email FROM customers")}
            customers = [info[c] for c in ids]
        progress(0.3, "Reading what each customer bought")
        liked, seen = customer_histories(db, rec, [c[0] for c in customers])
    finally:
        db.close()
    out = Path(request.out)
    tmp = out.with_name(f".{out.name}.part")
    rows = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            if request.layout == "long":
                writer.writerow(LONG_HEADER)
            else:
                wide = ["customer_id", "email", "name"]
                for k in range(1, request.top + 1):
                    wide += [f"product_{k}_title", f"product_{k}_id"]
                writer.writerow(wide)
            for n, recs in enumerate(rec.recommend_many(liked, seen, request.top, discovery=request.discovery)):
                rows += _write(writer, request.layout, request.top, customers[n], recs)
                if n % 64 == 0:
                    cancel.raise_if_cancelled()
                    progress(0.35 + 0.65 * n / max(len(customers), 1), "Writing recommendations")
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    progress(1.0, f"Saved {len(customers):,} customers to {out.name}")
    return ExportSummary(out, len(customers), rows)
