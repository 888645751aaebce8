"""Exporting recommendations as CSV for an e-mail campaign, a till prompt or a web shop.

``long``: one row per customer and product, header ``customer_id,rank,item_id,title,score,reason`` (the CLI
contract; ``score`` is how strongly the product is recommended to that customer, higher first: it orders one
customer's rows like ``rank`` and means nothing across customers, see ``SCORE_HELP``).
``wide``: one row per customer (email, name, product_1_title, product_1_id, ...) for mail merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lrec_desktop.core.csv_safe import SafeCsvWriter, safe_cell
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress, throttled
from lrec_desktop.core.output_file import EXCEL_ENCODING, check_output, open_output
from lrec_desktop.core.recommend.histories import customer_histories
from lrec_desktop.core.recommend.service import Recommendation, Recommender
from lrec_desktop.core.recommend.usual_variant import UsualVariants
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.queries import find_customer

LONG_HEADER = ["customer_id", "rank", "item_id", "title", "score", "reason"]
SCORE_HELP = (
    "score: how strongly the product is recommended to this customer, the higher the stronger. It puts one "
    "customer's products in order (as rank does); it is not a probability, a price or a percentage, so compare "
    "it only between the rows of the same customer."
)
sanitize_cell = safe_cell  # the name this module gave it first (core.csv_safe has the rule)


@dataclass
class ExportRequest:
    out: Path
    top: int = 10
    customers: list[str] | None = None  # ids or e-mails; None = every customer
    layout: str = "long"  # "long" | "wide"
    discovery: float | None = None  # None = the shop's saved level
    excel: bool = False  # UTF-8 with a byte-order mark (output_file.EXCEL_ENCODING), for Excel


@dataclass
class ExportSummary:
    path: Path
    customers: int
    rows: int


def resolve_customers(db: store.sqlite_utils.Database, keys: Sequence[str]) -> list[str]:
    """Customer ids for pasted ids or e-mails; an unknown one is an error naming it, none at all too."""
    if not any(key.strip() for key in keys):
        # An empty choice is not "everyone" (that is customers=None): exporting nobody or everybody would both
        # be a silent surprise.
        raise UserError("The list of customers to export is empty: give at least one customer id or e-mail.")
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


def _write(writer: SafeCsvWriter, layout: str, top: int, customer: tuple[str, str, str],
           recs: list[Recommendation], sizes: UsualVariants | None = None) -> int:
    customer_id, name, email = customer
    # A product with sizes is named by the size this customer usually buys (recommend.usual_variant).
    named = [sizes.choose(customer_id, r.item_id, r.title) if sizes else (r.item_id, r.title) for r in recs]
    if layout == "long":
        for rank, (r, (item_id, title)) in enumerate(zip(recs, named, strict=True), start=1):
            writer.writerow((customer_id, rank, item_id, title, f"{r.score:.4f}", r.reason))
        return len(recs)
    cells = [customer_id, email, name]
    for item_id, title in named[:top]:
        cells += [title, item_id]
    cells += [""] * (3 + 2 * top - len(cells))
    writer.writerow(cells)
    return 1


def export_recommendations(
    db_path: Path, request: ExportRequest, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> ExportSummary:
    """Job: write the file next to its target, then rename, so a cancelled export leaves no half file."""
    check_output(request.out, shop=db_path)  # refuse a shop file, a device or a missing folder before any work
    progress = throttled(progress)
    if request.layout not in ("long", "wide"):
        raise UserError(f"Unknown export layout '{request.layout}': choose long or wide.")
    if request.top < 1:
        raise UserError("Choose at least one product per customer.")
    cancel = cancel or CancelToken()
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
        liked, seen, last_ts = customer_histories(db, rec, [c[0] for c in customers])
        sizes = UsualVariants.load(db)
    finally:
        db.close()
    out = Path(request.out)
    rows = 0
    with open_output(out, shop=db_path, encoding=EXCEL_ENCODING if request.excel else "utf-8") as f:
        writer = SafeCsvWriter(f)
        if request.layout == "long":
            writer.writerow(LONG_HEADER)
        else:
            wide = ["customer_id", "email", "name"]
            for k in range(1, request.top + 1):
                wide += [f"product_{k}_title", f"product_{k}_id"]
            writer.writerow(wide)
        for n, recs in enumerate(rec.recommend_many(liked, seen, request.top, discovery=request.discovery,
                                                    last_ts=last_ts)):
            rows += _write(writer, request.layout, request.top, customers[n], recs, sizes)
            if n % 64 == 0:
                cancel.raise_if_cancelled()
                progress(0.35 + 0.65 * n / max(len(customers), 1), "Writing recommendations")
    progress(1.0, f"Saved {len(customers):,} customers to {out.name}")
    return ExportSummary(out, len(customers), rows)
