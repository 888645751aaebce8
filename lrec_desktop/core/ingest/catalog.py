"""Product lists (Shopify products, WooCommerce products, MovieLens movies.csv, a shop's own sheet):
one chunk of text cells → rows for the items table."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lrec_desktop.core.ingest.frames import (
    FileColumns,
    Rejections,
    bad_line_problems,
    chunk_currency,
    file_hints,
    group_fill,
    in_row_order,
    text,
)
from lrec_desktop.core.ingest.sales import ChunkResult
from lrec_desktop.core.ingest.taxonomy import leaf_categories, merge_tags, taxonomy_leaf
from lrec_desktop.core.ingest.validate import (
    clean_text,
    normalise_id,
    parse_in_stock,
    parse_number,
    split_categories,
    strip_html,
)
from lrec_desktop.core.ingest.variants import option_text, parent_key

ITEM_COLUMNS = ["item_id", "title", "description", "category", "tags", "price", "in_stock", "file_hint", "group_id",
                "options", "image_url", "product_url"]
# A Shopify product's first row carries its text; variant rows below it carry only the variant's fields.
HANDLE_FILLED = ["title", "description", "category", "tags", "_gift_card", "_vendor", "_taxonomy", "_image", "_url"]
_NO_CATEGORY = frozenset({"(no genres listed)", "none", "uncategorized", "uncategorised", "n/a"})


@dataclass
class CatalogState:
    columns: FileColumns
    carry: dict[str, pd.Series] | None = None
    currency: str | None = None  # what the first chunk that tells one says (core.money)
    row_ids: dict[str, str] = field(default_factory=dict)  # a row's own ID → its product id (WooCommerce parents)


def first_url(cells: pd.Series) -> pd.Series:
    """The first of the pictures a cell lists (WooCommerce's "Images" holds "a.jpg, b.jpg"); '' when none."""
    return cells.str.split(",", n=1).str[0].fillna("").str.strip()


def catalog_chunk(chunk: pd.DataFrame, state: CatalogState) -> ChunkResult:
    cols = state.columns
    raw = cols.extract(chunk)
    bad_lines = bad_line_problems(chunk)
    if raw.empty:
        return ChunkResult(len(bad_lines), bad_lines)
    handle = text(raw, "_handle")
    if cols.handle is not None:
        # Option names ("Size") stand on a product's first row only, as its text does.
        names = [f"_optname{n}" for n, (label, _v) in enumerate(cols.options) if label is not None]
        state.carry = group_fill(raw, handle, HANDLE_FILLED + names, state.carry)
    checks = Rejections(raw.index)
    if state.currency is None:
        state.currency = chunk_currency(raw)

    title = clean_text(text(raw, "title"))
    item = normalise_id(text(raw, "item_id"))
    # Products without a SKU are still products: fall back to the handle, then the name.
    item = item.where(item != "", handle).where(lambda s: s != "", title)
    checks.add(item == "", cols.column_of("item_id") or cols.column_of("title"), "no product id or name")

    price = pd.Series(np.nan, index=raw.index)
    if "price" in raw.columns:
        price, failed = parse_number(raw["price"])
        checks.add(failed, cols.column_of("price"), "price {} is not a number", raw["price"])
    in_stock = (
        parse_in_stock(raw["stock"]) if "stock" in raw.columns else pd.Series(None, index=raw.index, dtype=object)
    )
    category = clean_text(text(raw, "category"))
    category = category.where(~category.str.lower().isin(_NO_CATEGORY), "")
    category, tags = split_categories(category, clean_text(text(raw, "tags")))
    category, other_leaves = leaf_categories(category)
    tags = merge_tags(tags, other_leaves, clean_text(text(raw, "_vendor")),
                      taxonomy_leaf(clean_text(text(raw, "_taxonomy"))))

    group = normalise_id(text(raw, "group")) if "group" in cols.fields else handle
    if "_row_id" in raw.columns:
        group = parent_key(group, state.row_ids, normalise_id(raw["_row_id"]), item)
    options = option_text(cols.option_labels(raw), [text(raw, f"_optvalue{n}") for n in range(len(cols.options))],
                          raw.index)

    keep = checks.kept
    items = pd.DataFrame(
        {
            "item_id": item[keep],
            "title": title[keep],
            "description": strip_html(text(raw, "description"))[keep],
            "category": category[keep],
            "tags": tags[keep],
            "price": price[keep],
            "in_stock": in_stock[keep],
            "file_hint": file_hints(raw)[keep],
            "group_id": group.where(group != "", None)[keep],
            "options": options[keep],
            "image_url": first_url(text(raw, "_image"))[keep],
            "product_url": text(raw, "_url")[keep],
        }
    )
    return ChunkResult(len(raw) + len(bad_lines), in_row_order(bad_lines + checks.problems), items=items[ITEM_COLUMNS])
