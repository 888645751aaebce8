"""What is a product: postage, fees and gift cards found by the import (and the owner's say on them), and
products sold in several sizes or colours."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.products import AUTO, NOT_PRODUCT, PRODUCT

if TYPE_CHECKING:
    from lrec_desktop.core.products import NonProduct, ProductVariants

__all__ = ["AUTO", "NOT_PRODUCT", "PRODUCT", "marked_a_product", "non_products", "set_roles", "variants"]

def set_roles(db_path: Path, roles: dict[str, Sequence[str]]) -> None:
    """Say what some products are (``{NOT_PRODUCT: ids, PRODUCT: ids, AUTO: ids}``); a product named twice is
    refused before anything changes."""
    from lrec_desktop.core.products import set_product_role

    ids = [i for given in roles.values() for i in given]
    if len(ids) != len(set(ids)):
        raise UserError("products: a product is named twice; say once what it is.")
    for word, given in roles.items():
        if given:
            set_product_role(Path(db_path), list(given), word)


def non_products(db_path: Path) -> list[NonProduct]:
    """What is not a product (postage, fees, gift cards), with what the owner overruled."""
    from lrec_desktop.core.products import list_non_products

    with opened(db_path) as db:
        return list(list_non_products(db))


def marked_a_product(entry: NonProduct) -> bool:
    """The owner said this one is a product after all."""
    return entry.owner == PRODUCT


def variants(db_path: Path) -> list[ProductVariants]:
    """Products with sizes or colours, each with its variants."""
    from lrec_desktop.core.products import list_variants

    with opened(db_path) as db:
        return list(list_variants(db))


def set_role(db_path: Path, item_id: str, role: str, *, progress: object = None,
             cancel: object = None) -> list[NonProduct]:
    """A write job: the owner's word on one product (PRODUCT, NOT_PRODUCT or AUTO)."""
    from lrec_desktop.core.products import set_product_role

    return list(set_product_role(Path(db_path), [item_id], role))
