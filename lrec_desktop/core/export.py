"""Exporting recommendations as CSV for an e-mail campaign, a till prompt or a web shop.

``long``: one row per customer and product, header ``customer_id,rank,item_id,title,score,reason`` (the CLI
contract; ``score`` is how strongly the product is recommended to that customer, higher first: it orders one
customer's rows like ``rank`` and means nothing across customers, see ``SCORE_HELP``). ``wide``: one row per
customer for mail merge: customer_id, email, name, then per product product_N_title, product_N_id,
product_N_image, product_N_url, product_N_price ("4.50 EUR"; '' where unknown). Customers can be chosen by segment
(core.segments), and a campaign can hold back a control group (core.campaigns.record).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.campaigns.record import check_holdout, held_back, insert_campaign, latest_sale
from lrec_desktop.core.csv_safe import SafeCsvWriter, safe_cell
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress, throttled
from lrec_desktop.core.output_file import EXCEL_ENCODING, check_output, open_output
from lrec_desktop.core.recommend.buy_again import Reorder, detect, due_by_customer, merge
from lrec_desktop.core.recommend.histories import customer_histories
from lrec_desktop.core.recommend.media import CatalogMedia
from lrec_desktop.core.recommend.service import Recommendation, Recommender
from lrec_desktop.core.recommend.usual_variant import UsualVariants
from lrec_desktop.core.segments import choose_customers
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.failures import StorageError, why_read_only
from lrec_desktop.core.store.queries import find_customer
from lrec_desktop.core.store.sent import Recording, product_counts, record_sent

LONG_HEADER = ["customer_id", "rank", "item_id", "title", "score", "reason"]
WIDE_FIELDS = ("title", "id", "image", "url", "price")
SCORE_HELP = (
    "score: how strongly the product is recommended to this customer, the higher the stronger. It puts one "
    "customer's products in order (as rank does); it is not a probability, a price or a percentage, so compare "
    "it only between the rows of the same customer."
)
log = logging.getLogger(__name__)
sanitize_cell = safe_cell  # the name this module gave it first (core.csv_safe has the rule)


@dataclass
class ExportRequest:
    out: Path
    top: int = 10
    customers: list[str] | None = None  # ids or e-mails; None = every customer
    layout: str = "long"  # "long" | "wide"
    discovery: float | None = None  # None = the shop's saved level
    excel: bool = False  # UTF-8 with a byte-order mark (output_file.EXCEL_ENCODING), for Excel
    segments: list[str] = field(default_factory=list)  # core.segments specs ("lapsed:90"); all must hold
    picture_only: bool = False  # leave out products without a picture (e-mail tools skip them)
    holdout: float = 0.0  # share of the customers held back as a control group; > 0 records a campaign
    campaign: str = ""  # the campaign's name (default: the file's name)
    seed: int | None = None  # draws the held-back customers (default: the time of the export)
    buy_again: bool | None = None  # due reorders first (recommend.buy_again); None: the shop's setting


@dataclass
class ExportSummary:
    path: Path
    customers: int  # customers written to the file
    rows: int
    held_back: int = 0  # customers of the campaign left out of the file (the control group)
    campaign_id: int | None = None
    segments: str = ""  # the chosen group in words ('' = the customers asked for)
    recorded: bool = False  # the lists sent were noted in the shop (store.sent); not on a read-only shop


@dataclass
class ExportPreview:
    header: list[str]
    rows: list[list[object]]
    customers: int  # customers the export would hold (before any are held back)
    segments: str


def resolve_customers(db: store.sqlite_utils.Database, keys: Sequence[str]) -> list[str]:
    """Customer ids for pasted ids or e-mails; an unknown one is an error naming it, none at all too."""
    if not any(key.strip() for key in keys):
        # An empty choice is not "everyone" (that is customers=None): exporting nobody or everybody would both
        # be a silent surprise.
        raise UserError("The list of customers to export is empty: give at least one customer id or e-mail.")
    ids: list[str] = []
    unknown: list[str] = []
    for key in keys:
        if not key.strip():
            continue
        found = find_customer(db, key)
        (ids if found else unknown).append(found or key.strip())
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise UserError(f"No customer with the id or e-mail {shown} in this shop.")
    return list(dict.fromkeys(ids))


def _named(recs: list[Recommendation], customer_id: str, sizes: UsualVariants | None) -> list[tuple[str, str]]:
    # A product with sizes is named by the size this customer usually buys (recommend.usual_variant).
    return [sizes.choose(customer_id, r.item_id, r.title) if sizes else (r.item_id, r.title) for r in recs]


def header(layout: str, top: int) -> list[str]:
    if layout == "long":
        return list(LONG_HEADER)
    wide = ["customer_id", "email", "name"]
    for k in range(1, top + 1):
        wide += [f"product_{k}_{field}" for field in WIDE_FIELDS]
    return wide


def rows_of(layout: str, top: int, customer: tuple[str, str, str], recs: list[Recommendation],
            sizes: UsualVariants | None = None, media: CatalogMedia | None = None) -> list[list[object]]:
    """The file's rows for one customer: one per product (long) or one in all (wide, with picture, link, price)."""
    customer_id, name, email = customer
    named = _named(recs, customer_id, sizes)
    if layout == "long":
        return [[customer_id, rank, item_id, title, f"{r.score:.4f}", r.reason]
                for rank, (r, (item_id, title)) in enumerate(zip(recs, named, strict=True), start=1)]
    cells: list[object] = [customer_id, email, name]
    for item_id, title in named[:top]:
        shown = media.of(item_id) if media else None
        cells += [title, item_id, *((shown.image, shown.url, shown.price) if shown else ("", "", ""))]
    cells += [""] * (3 + len(WIDE_FIELDS) * top - len(cells))
    return [cells]


@dataclass
class _Plan:
    rec: Recommender
    customers: list[tuple[str, str, str]]
    liked: sp.csr_matrix
    seen: list[np.ndarray]
    last_ts: np.ndarray
    sizes: UsualVariants
    media: CatalogMedia
    segments: str
    since_ts: int
    due: dict[str, list[Reorder]]


def _plan(db_path: Path, request: ExportRequest, progress: ProgressFn, cancel: CancelToken) -> _Plan:
    if request.layout not in ("long", "wide"):
        raise UserError(f"Unknown export layout '{request.layout}': choose long or wide.")
    if request.top < 1:
        raise UserError("Choose at least one product per customer.")
    if request.holdout:
        check_holdout(request.holdout)
    db = store.connect(db_path)
    try:  # segments and customers are checked before the (slow) loading: a bad segment is refused at once
        info = {r[0]: tuple(r) for r in db.execute("SELECT customer_id, name, email FROM customers ORDER BY 1")}
        ids = None if request.customers is None else resolve_customers(db, request.customers)
        chosen = choose_customers(db, request.segments or [], ids)
        if not chosen.customers and (request.segments or ids is not None):
            raise UserError(f"No customer is in the chosen group ({chosen.describe()}): choose other segments.")
        since_ts = latest_sale(db)
    finally:
        db.close()
    rec = Recommender.load(db_path, progress=sub_progress(progress, 0.0, 0.3), cancel=cancel)
    db = store.connect(db_path)
    try:
        customers = [info[c] for c in (chosen.customers if request.segments else (ids or list(info)))]
        progress(0.3, "Reading what each customer bought")
        liked, seen, last_ts = customer_histories(db, rec, [c[0] for c in customers])
        sizes, media = UsualVariants.load(db), CatalogMedia.load(db)
        wanted = detect(db).enabled if request.buy_again is None else request.buy_again
        due = due_by_customer(db, [c[0] for c in customers]) if wanted else {}
    finally:
        db.close()
    if request.picture_only and not any(m.image for m in media.by_item.values()):
        raise UserError("No product of this shop has a picture yet, so leaving out products without one leaves "
                        "nothing: import a product file with pictures (Shopify's Image Src, WooCommerce's Images) "
                        "or export without that choice.")
    if request.picture_only:  # e-mail tools skip a product without a picture: never offered, the next one is
        blocked = np.array(sorted(j for j in (rec.model.items.index(i) for i in media.without_picture())
                                  if j is not None), dtype=np.int64)
        seen = [np.union1d(np.asarray(s, dtype=np.int64), blocked) for s in seen]
        without = media.without_picture()  # a reorder reminder needs its picture too
        due = {c: kept for c, found in due.items() if (kept := [r for r in found if r.item_id not in without])}
    return _Plan(rec, customers, liked, seen, last_ts, sizes, media,
                 chosen.describe() if request.segments else "", since_ts, due)


def _ranked(plan: _Plan, request: ExportRequest, first: int | None = None) -> Iterator[list[Recommendation]]:
    """Each customer's list (the first ``first`` customers only, for a preview), due reorders first."""
    end = len(plan.customers) if first is None else first
    ranked = plan.rec.recommend_many(plan.liked[:end], plan.seen[:end], request.top, discovery=request.discovery,
                                     last_ts=plan.last_ts[:end])
    for n, recs in enumerate(ranked):
        due = plan.due.get(plan.customers[n][0])
        yield merge(recs, due, request.top) if due else recs


def preview_export(db_path: Path, request: ExportRequest, n_rows: int = 5, *, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> ExportPreview:
    """The export's header and first rows, and how many customers it would hold; nothing is written."""
    plan = _plan(db_path, request, throttled(progress), cancel or CancelToken())
    rows: list[list[object]] = []
    # Only the first customers are ranked: a long layout has ``top`` rows each.
    for n, recs in enumerate(_ranked(plan, request, max(n_rows, 1))):
        rows += rows_of(request.layout, request.top, plan.customers[n], recs, plan.sizes, plan.media)
    return ExportPreview(header(request.layout, request.top), rows[:n_rows], len(plan.customers), plan.segments)


def export_recommendations(
    db_path: Path, request: ExportRequest, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> ExportSummary:
    """Job: write the file next to its target, then rename, so a cancelled export leaves no half file.

    With ``holdout``, a seeded random share of the customers is left out of the file and the campaign (everyone's
    products, who was held back) is saved in the shop, for core.campaigns.uplift to measure after the next import.
    Every export also notes, per product, how many customers' lists in the file held it (store.sent), in the same
    transaction as the campaign, committed once the file is in place: a failed export records nothing.
    """
    check_output(request.out, shop=db_path)  # refuse a shop file, a device or a missing folder before any work
    if request.holdout and not store.writable(db_path):  # a campaign is measured from its record: refuse at once
        raise StorageError(f"{db_path} can't be changed, so a campaign can't be kept: {why_read_only(db_path)}")
    progress = throttled(progress)
    cancel = cancel or CancelToken()
    plan = _plan(db_path, request, progress, cancel)
    seed = request.seed if request.seed is not None else int(time.time())
    control = held_back([c[0] for c in plan.customers], request.holdout, seed) if request.holdout else set()
    out = Path(request.out)
    rows, given = 0, {}
    recording = Recording(db_path)
    campaign, sent_id = None, None
    try:
        with open_output(out, shop=db_path, encoding=EXCEL_ENCODING if request.excel else "utf-8") as f:
            writer = SafeCsvWriter(f)
            writer.writerow(header(request.layout, request.top))
            for n, recs in enumerate(_ranked(plan, request)):
                customer = plan.customers[n]
                given[customer[0]] = [r.item_id for r in recs]
                if customer[0] not in control:
                    for row in rows_of(request.layout, request.top, customer, recs, plan.sizes, plan.media):
                        writer.writerow(row)
                        rows += 1
                if n % 64 == 0:
                    cancel.raise_if_cancelled()
                    progress(0.35 + 0.6 * n / max(len(plan.customers), 1), "Writing recommendations")
            db = recording.begin(required=bool(request.holdout))
            if db is not None:
                now = int(time.time())
                if request.holdout:
                    campaign = insert_campaign(db, request.campaign or out.stem, request.holdout, seed, out.name,
                                               plan.segments, given, set(given) - control, plan.since_ts, now)
                sent = [items for c, items in given.items() if c not in control and items]  # lists sent
                sent_id = record_sent(db.conn, product_counts(sent), customers=len(sent), file=out.name,
                                      sent_at=now, campaign_id=campaign.campaign_id if campaign else None)
        # The file is in place: the record is committed now, so a file that failed to land is never on record.
        recorded = _commit(recording, out, campaign is not None) and sent_id is not None
    finally:
        recording.close()
    written = len(plan.customers) - len(control)
    progress(1.0, f"Saved {written:,} customers to {out.name}")
    return ExportSummary(out, written, rows, len(control), campaign.campaign_id if campaign else None, plan.segments,
                         recorded=recorded)


def _commit(recording: Recording, out: Path, campaign: bool) -> bool:
    """Whether the record was kept (True too when there was none to keep)."""
    try:
        recording.commit()
        return True
    except UserError as exc:
        if campaign:  # the file went out, but its campaign can't be measured: the owner must know
            raise UserError(f"The recommendations were saved to {out.name}, but the campaign could not be kept in "
                            f"the shop: {exc}") from exc
        # The file the owner asked for is there; only the chart of recommendations sent misses this export.
        log.warning("saved %s, but the shop could not note the recommendations sent: %s", out, exc)
        return False
