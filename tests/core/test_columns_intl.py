"""Column recognition on real shops' files (issue 18, item 3): Shopify's Type over its Product Category, the
vendor as a tag, WooCommerce category paths, and till headers in seven languages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.ingest.kind import ORDERS, kind_message
from lrec_desktop.core.ingest.mapping import as_field_map, guess_mapping
from lrec_desktop.core.ingest.taxonomy import leaf_categories

TILLS = {
    "de": (["Datum", "Kundennr", "Artikelnr", "Artikel", "Menge", "Einzelpreis", "Bonnr", "Warengruppe"]),
    "fr": (["Date", "N° client", "Référence", "Désignation", "Qté", "Prix unitaire", "N° ticket", "Catégorie"]),
    "es": (["Fecha", "Nº cliente", "Código", "Producto", "Cantidad", "Precio unitario", "Nº pedido", "Categoría"]),
    "it": (["Data", "Codice cliente", "Codice articolo", "Articolo", "Quantità", "Prezzo", "Scontrino",
            "Reparto"]),
    "nl": (["Datum", "Klantnummer", "Artikelnummer", "Omschrijving", "Aantal", "Prijs", "Bonnummer",
            "Categorie"]),
    "zh": (["日期", "会员号", "商品编号", "商品名称", "数量", "单价", "小票号", "类别"]),
    "ja": (["注文日", "顧客ID", "商品コード", "商品名", "数量", "単価", "注文番号", "カテゴリ"]),
}
FIELDS = ["timestamp", "customer_id", "item_id", "title", "quantity", "price", "order_id", "category"]


@pytest.mark.parametrize("language", sorted(TILLS))
def test_till_headers_in_seven_languages(language: str) -> None:
    headers = TILLS[language]
    assert as_field_map(guess_mapping(headers)) == dict(zip(FIELDS, headers, strict=True))
    assert kind_message("till.csv", ORDERS, as_field_map(guess_mapping(headers))) is None


def test_english_names_still_win_over_the_other_languages() -> None:
    fields = as_field_map(guess_mapping(["Product", "Artikel", "Customer ID", "Kunde"]))
    assert fields["customer_id"] == "Customer ID" and fields["item_id"] == "Product"


@pytest.mark.parametrize(("cell", "category", "extra"), [
    ("Tea > Green tea", "Green tea", ""),
    ("Tea, Tea > Green tea, Gifts", "Green tea", "Gifts"),
    ("Clothing > Tshirts, Clothing > Hoodies", "Tshirts", "Hoodies"),
    ("Home & Garden » Kitchen", "Kitchen", ""),
    ("Loose tea", "Loose tea", ""),
    ("Tea\\, herbal > Rooibos", "Rooibos", ""),
])
def test_category_paths_give_their_leaf(cell: str, category: str, extra: str) -> None:
    got, tags = leaf_categories(pd.Series([cell], dtype=object))
    assert (got[0], tags[0]) == (category, extra)


def test_woocommerce_and_shopify_catalogs(tmp_path: Path) -> None:
    woo = tmp_path / "woo.csv"
    woo.write_text("ID,SKU,Name,Categories,Tags,Regular price,Brands\n"
                   "11,GRN-1,Sencha,\"Tea > Green tea, Gifts\",japan,6.50,Leaf & Co\n", encoding="utf-8")
    shopify = tmp_path / "products.csv"
    shopify.write_text("Handle,Title,Vendor,Product Category,Type,Tags,Variant SKU,Variant Price\n"
                       "earl-grey,Earl Grey,Leaf & Co,Food Items > Beverages > Tea & Infusions,Black tea,classic,"
                       "EG-50,4.50\n", encoding="utf-8")
    db = tmp_path / "s.lrec"
    assert main(["--quiet", "import", "--db", str(db), "--items", str(woo)]) == 0
    assert main(["--quiet", "import", "--db", str(db), "--items", str(shopify)]) == 0
    conn = sqlite3.connect(db)
    rows = {r[0]: r[1:] for r in conn.execute("SELECT item_id, category, tags FROM items")}
    conn.close()
    assert rows == {"GRN-1": ("Green tea", "japan, Gifts, Leaf & Co"),
                    "EG-50": ("Black tea", "classic, Leaf & Co, Tea & Infusions")}


def test_a_file_whose_kind_cannot_be_told() -> None:
    assert "could not be told" in kind_message("x.csv", ORDERS, {})
    assert "product list" in kind_message("x.csv", ORDERS, {"item_id": "SKU", "price": "Price"})
    assert kind_message("x.csv", ORDERS, {"item_id": "SKU", "customer_id": "Kd"}) is None
