"""Category paths and the tags made from a catalog's side columns (issue 18, item 3).

WooCommerce writes a product's categories as paths ("Tea > Green tea, Gifts"), Shopify's "Product Category" is
Google's taxonomy ("Food, Beverages & Tobacco > Beverages > Tea & Infusions"): a category of four lines in a table
and a favourite category nobody recognises. The category is the deepest path's leaf; the other leaves, the taxonomy's
leaf and the vendor become tags, so the text model still reads them.
"""

from __future__ import annotations

import re

import pandas as pd

_STEP = re.compile(r"\s*(?:>|»|›|→)\s*")
# WooCommerce escapes a comma inside a category name as "\,"; a comma elsewhere separates categories.
_SPLIT = re.compile(r"(?<!\\),\s*")


def _leaf(path: str) -> str:
    return _STEP.split(path.strip())[-1].strip().replace("\\,", ",")


def _path_parts(cell: str) -> tuple[str, list[str]]:
    """(category, other leaves) of one cell that holds a path."""
    parts = [p.strip() for p in _SPLIT.split(cell) if p.strip()]
    deepest = max(parts, key=lambda p: len(_STEP.findall(p)))  # the first of the deepest
    steps = {s.strip().casefold() for s in _STEP.split(deepest)}
    others = [_leaf(p) for p in parts if p is not deepest and _leaf(p).casefold() not in steps]
    return _leaf(deepest), others


def leaf_categories(category: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(category, extra tags): cells with a path give their deepest leaf, the rest stay as they are."""
    extra = pd.Series("", index=category.index, dtype=object)
    has_path = category.str.contains(_STEP.pattern, regex=True)
    if not has_path.any():
        return category, extra
    split = category[has_path].map(_path_parts)
    category = category.where(~has_path, split.str[0].reindex(category.index))
    extra = extra.where(~has_path, split.map(lambda s: ", ".join(s[1])).reindex(category.index))
    return category, extra


def taxonomy_leaf(values: pd.Series) -> pd.Series:
    """Shopify's product taxonomy as its last step ("Tea & Infusions")."""
    return values.map(lambda v: _leaf(v) if v else "")


def merge_tags(*columns: pd.Series) -> pd.Series:
    """Comma-joined tags from several columns, each tag once (case folded), in the order given."""
    def join(cells: tuple[str, ...]) -> str:
        seen: dict[str, str] = {}
        for cell in cells:
            for tag in (t.strip() for t in str(cell).split(",")):
                if tag and tag.casefold() not in seen:
                    seen[tag.casefold()] = tag
        return ", ".join(seen.values())

    frame = pd.concat(columns, axis=1)
    if (frame.iloc[:, 1:] == "").all(axis=None):
        return columns[0]
    return pd.Series([join(row) for row in frame.itertuples(index=False)], index=columns[0].index, dtype=object)
