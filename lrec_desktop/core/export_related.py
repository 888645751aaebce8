"""Related products for the web shop: per product, what to show beside it, in the files shops import.

- ``woocommerce``: WooCommerce's product CSV columns ``ID``, ``SKU``, ``Upsells``, ``Cross-sells`` (SKUs separated
  by commas; ``ID`` left blank so the importer matches each row by SKU, which is the shop's product id here).
  Cross-sells (shown in the cart) are what goes in the same orders and what the same customers bought; upsells
  (shown on the product's page, "you may also like") are products described alike.
- ``shopify``: a Shopify product CSV keyed by ``Handle``, with the Search & Discovery app's related and
  complementary products metafields (product handles separated by commas).
- ``generic``: one row per related product: ``product_id,rank,related_id,title,reason``.

Every list follows the shop's rules (core.recommend.cross_sell): blocked products (out of stock when hidden,
never recommend, non-products) are never related, pinned products come first in the cross-sell lists. No
bestsellers are added to fill a list: a web shop shows a short list better than an unrelated one. Non-products
and variant rows get no row of their own. Written through core.output_file (a temp file renamed into place) with
every cell through core.csv_safe.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lrec_desktop.core.csv_safe import SafeCsvWriter
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.output_file import check_output, open_output
from lrec_desktop.core.recommend.cross_sell import ALL_TIERS, CROSS_SELL_TIERS, SIMILAR_TIERS, CrossSell
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store

FORMATS = ("woocommerce", "shopify", "generic")
DEFAULT_TOP = 4  # what a product page or a cart usually shows
WOO_HEADER = ["ID", "SKU", "Upsells", "Cross-sells"]
SHOPIFY_RELATED = "Related products (product.metafields.shopify--discovery--product_recommendation.related_products)"
SHOPIFY_COMPLEMENTARY = ("Complementary products "
                         "(product.metafields.shopify--discovery--product_recommendation.complementary_products)")
SHOPIFY_HEADER = ["Handle", SHOPIFY_RELATED, SHOPIFY_COMPLEMENTARY]
GENERIC_HEADER = ["product_id", "rank", "related_id", "title", "reason"]
HANDLE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what Shopify's handles look like
CHECK_EVERY = 500  # products between looks at the cancel button


@dataclass(frozen=True)
class RelatedSummary:
    path: Path
    products: int  # rows of products written (generic: products with at least one related product)
    pairs: int  # related products written, over all lists
    seconds: float

    def message(self) -> str:
        return (f"Wrote related products for {self.products:,} products ({self.pairs:,} links) to {self.path} "
                f"in {self.seconds:.1f} s")


def handle_of(title: str, item_id: str) -> str:
    """A Shopify handle as Shopify makes one from a title: lower case, accents dropped, other runs of
    characters as one hyphen."""
    for text in (title, item_id):
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        handle = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
        if handle:
            return handle
    return item_id


def _handles(db_path: Path, ids: list[str], titles: list[str]) -> list[str]:
    """Each product's Shopify handle: the one its file gave (a Shopify export's Handle, kept as the product's
    group by ingest.variants), else made from its title."""
    db = store.connect(db_path, readonly=True)
    try:
        columns = {row[1] for row in db.execute("PRAGMA table_info(items)")}
        given: dict[str, str] = {}
        if "group_id" in columns:
            given = dict(db.execute("SELECT item_id, group_id FROM items WHERE group_id IS NOT NULL "
                                    "AND group_id != ''").fetchall())
    finally:
        db.close()
    # A group key that is no handle (a WooCommerce parent's SKU, say) is not taken for one.
    given = {k: v for k, v in given.items() if HANDLE.fullmatch(v)}
    handles = [given.get(i) or handle_of(t, i) for i, t in zip(ids, titles, strict=True)]
    # Rows with one handle are one product's variants to Shopify: two products named alike ("Mug") get
    # "mug" and "mug-1", as Shopify names a second product of the same title. Handles from the file are kept.
    taken = {handles[n] for n, i in enumerate(ids) if i in given}
    for n, handle in enumerate(handles):
        if ids[n] in given:
            continue
        k, unique = 1, handle
        while unique in taken:
            unique, k = f"{handle}-{k}", k + 1
        handles[n] = unique
        taken.add(unique)
    return handles


def export_related(db_path: Path, out: Path, *, fmt: str = "generic", top: int = DEFAULT_TOP,
                   rec: Recommender | None = None, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> RelatedSummary:
    """Job: write every product's related products to ``out`` in ``fmt`` (one of FORMATS). ``rec``: the shop's
    loaded Recommender where the caller holds one (the window does), else it is loaded here."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    cancel = cancel or CancelToken()
    check_output(out, shop=db_path)  # before minutes of work, not after
    started = time.monotonic()
    rec = rec or Recommender.load(db_path, progress=sub_progress(progress, 0.0, 0.3), cancel=cancel)
    cs = CrossSell.load(rec, progress=sub_progress(progress, 0.3, 0.4), cancel=cancel)
    ids = rec.model.items.ids
    skip = set(rec.rules.not_products) | set(rec.rules.variants)
    products = [j for j, item_id in enumerate(ids) if item_id not in skip]
    handles = _handles(db_path, ids, rec.catalog.titles) if fmt == "shopify" else []
    rows = pairs = 0
    with open_output(out, shop=db_path) as f:
        writer = SafeCsvWriter(f)
        writer.writerow({"woocommerce": WOO_HEADER, "shopify": SHOPIFY_HEADER, "generic": GENERIC_HEADER}[fmt])
        for done, j in enumerate(products):
            if done % CHECK_EVERY == 0:
                cancel.raise_if_cancelled()
                progress(0.4 + 0.6 * done / max(len(products), 1), f"Related products: {done:,} of {len(products):,}")
            if fmt == "generic":
                related = cs.related(j, top, ALL_TIERS)
                for rank, r in enumerate(related, 1):
                    writer.writerow([ids[j], rank, r.item_id, r.title, r.reason])
                rows += bool(related)
                pairs += len(related)
            elif fmt == "woocommerce":
                cross = cs.related(j, top, CROSS_SELL_TIERS)
                ups = cs.related(j, top, SIMILAR_TIERS, pins=False)
                writer.writerow(["", ids[j], ",".join(r.item_id for r in ups), ",".join(r.item_id for r in cross)])
                rows += 1
                pairs += len(cross) + len(ups)
            else:
                related = cs.related(j, top, ALL_TIERS)
                complementary = cs.related(j, top, CROSS_SELL_TIERS, pins=False)
                index = rec.model.items.index
                writer.writerow([handles[j], ",".join(handles[index(r.item_id)] for r in related),  # type: ignore[index]
                                 ",".join(handles[index(r.item_id)] for r in complementary)])  # type: ignore[index]
                rows += 1
                pairs += len(related) + len(complementary)
        cancel.raise_if_cancelled()  # a cancel at the end still leaves the previous file as it was
    progress(1.0, "Related products written")
    return RelatedSummary(Path(out), rows, pairs, round(time.monotonic() - started, 2))
