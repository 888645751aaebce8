"""What an e-mail block shows of a product: its picture, its web-shop page and its price with the currency.

Read once per export from the items table (image_url and product_url since schema version 7). A size chosen for
a customer (recommend.usual_variant) shows its own price and, when it has no picture of its own, its product's.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from lrec_desktop.core.money import format_price, shop_currency

MEDIA_FIELDS = ("image", "url", "price")


@dataclass(frozen=True)
class ProductMedia:
    image: str
    url: str
    price: str  # "4.50 EUR"; '' without a price


@dataclass
class CatalogMedia:
    by_item: dict[str, ProductMedia]
    currency: str

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> CatalogMedia:
        currency = shop_currency(db)
        rows = db.execute("SELECT item_id, coalesce(product_id, item_id), image_url, product_url, price FROM items"
                          ).fetchall()
        product_image = {item: image for item, product, image, _u, _p in rows if item == product and image}
        product_url = {item: url for item, product, _i, url, _p in rows if item == product and url}
        return cls({item: ProductMedia(image or product_image.get(product, ""), url or product_url.get(product, ""),
                                       format_price(price, currency))
                    for item, product, image, url, price in rows}, currency)

    def of(self, item_id: str) -> ProductMedia:
        return self.by_item.get(item_id, ProductMedia("", "", ""))

    def without_picture(self) -> set[str]:
        """Products an e-mail tool would skip: no picture of their own nor of their product."""
        return {item for item, media in self.by_item.items() if not media.image}
