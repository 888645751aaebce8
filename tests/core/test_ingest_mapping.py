"""Column recognition for the exports shops actually have, and remembered mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lrec_desktop.core.ingest.mapping import (
    FIELDS,
    guess_mapping,
    layout_key,
    remember_mapping,
    remembered_mapping,
)
from lrec_desktop.core.ingest.readers import read_preview
from lrec_desktop.core.store.db import memory


def fields_of(columns: list[str], sample: pd.DataFrame | None = None) -> dict[str, str]:
    return {g.field: g.column for g in guess_mapping(columns, sample).values() if g.field}


UCI = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
SHOPIFY_ORDERS = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Billing Name",
    "Shipping Name",
    "Cancelled at",
    "Id",
]
WOO = [
    "Order ID",
    "Order Number",
    "Order Date",
    "Order Status",
    "Customer User",
    "Billing First Name",
    "Billing Last Name",
    "Billing Email",
    "Item Name",
    "SKU",
    "Quantity",
    "Item Cost",
    "Order Total",
]
SHOPIFY_PRODUCTS = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Variant SKU",
    "Variant Inventory Qty",
    "Variant Price",
    "Variant Compare At Price",
    "Image Src",
]


def test_uci_online_retail_layout() -> None:
    assert fields_of(UCI) == {
        "order_id": "InvoiceNo",
        "item_id": "StockCode",
        "title": "Description",
        "quantity": "Quantity",
        "timestamp": "InvoiceDate",
        "price": "UnitPrice",
        "customer_id": "CustomerID",
    }
    assert guess_mapping(UCI)["Country"].confidence == "ignored"


def test_shopify_orders_name_is_the_order_number() -> None:
    fields = fields_of(SHOPIFY_ORDERS)
    assert fields["order_id"] == "Name"
    assert fields["title"] == "Lineitem name"
    assert fields["item_id"] == "Lineitem sku"
    assert fields["timestamp"] == "Created at"
    assert fields["quantity"] == "Lineitem quantity"
    assert fields["price"] == "Lineitem price"
    assert fields["email"] == "Email"
    assert fields["customer_name"] == "Billing Name"
    assert fields["status"] == "Financial Status"


def test_woocommerce_orders_layout() -> None:
    fields = fields_of(WOO)
    assert fields["order_id"] == "Order ID"
    assert fields["timestamp"] == "Order Date"
    assert fields["status"] == "Order Status"
    assert fields["customer_id"] == "Customer User"
    assert fields["email"] == "Billing Email"
    assert fields["title"] == "Item Name"
    assert fields["item_id"] == "SKU"
    assert fields["quantity"] == "Quantity"
    assert fields["price"] == "Item Cost"


def test_movielens_layouts() -> None:
    assert fields_of(["userId", "movieId", "rating", "timestamp"]) == {
        "customer_id": "userId",
        "item_id": "movieId",
        "rating": "rating",
        "timestamp": "timestamp",
    }
    assert fields_of(["movieId", "title", "genres"]) == {"item_id": "movieId", "title": "title", "category": "genres"}


def test_shopify_products_layout() -> None:
    fields = fields_of(SHOPIFY_PRODUCTS)
    assert fields["item_id"] == "Variant SKU"
    assert fields["title"] == "Title"
    assert fields["description"] == "Body (HTML)"
    assert fields["category"] == "Type"  # the shop's own; Product Category (Google's taxonomy) becomes a tag
    assert fields["tags"] == "Tags"
    assert fields["price"] == "Variant Price"
    assert fields["stock"] == "Variant Inventory Qty"


@pytest.mark.parametrize(
    "header", ["Customer ID", "customer_id", "CUSTOMER-ID", "user_id", "userId", "client", " Customer Id "]
)
def test_customer_id_spellings(header: str) -> None:
    guess = guess_mapping(["sku", header])[header]
    assert (guess.field, guess.confidence) == ("customer_id", "recognised")


def test_generic_catalog_headers() -> None:
    columns = ["product_id", "product_name", "description", "category", "tags", "price", "stock"]
    assert fields_of(columns) == dict(
        zip(["item_id", "title", "description", "category", "tags", "price", "stock"], columns, strict=True)
    )


def test_partial_headers_are_unsure_and_fields_used_once() -> None:
    guesses = guess_mapping(["Product SKU code", "Customer number (CRM)", "Price", "Price incl. VAT"])
    assert guesses["Product SKU code"].confidence == "unsure"
    assert guesses["Customer number (CRM)"] == guesses["Customer number (CRM)"].__class__(
        "Customer number (CRM)", "customer_id", "unsure"
    )
    assert guesses["Price"].confidence == "recognised"
    assert guesses["Price incl. VAT"].field is None
    assert list(guesses) == ["Product SKU code", "Customer number (CRM)", "Price", "Price incl. VAT"]
    assert all(g.field in (*FIELDS, None) for g in guesses.values())


def test_sample_marks_non_numeric_price_unsure_and_finds_emails() -> None:
    sample = pd.DataFrame({"sku": ["1", "2"], "price": ["ask us", "n/a"], "contact": ["a@b.com", "c@d.org"]})
    guesses = guess_mapping(list(sample.columns), sample)
    assert guesses["price"].confidence == "unsure"
    assert (guesses["contact"].field, guesses["contact"].confidence) == ("email", "unsure")


def test_layout_key_is_stable_and_order_sensitive() -> None:
    assert layout_key(["A", "b "]) == layout_key([" a", "B"])
    assert layout_key(["a", "b"]) != layout_key(["b", "a"])


def test_remembered_mapping_round_trip_and_preview_uses_it(tmp_path: Path) -> None:
    db = memory()
    columns = ["Art.-Nr.", "Bezeichnung", "Kunde"]
    assert remembered_mapping(db, columns) is None
    remember_mapping(db, columns, {"item_id": "Art.-Nr.", "title": "Bezeichnung", "customer_id": "Kunde"})
    assert remembered_mapping(db, columns) == {"item_id": "Art.-Nr.", "title": "Bezeichnung", "customer_id": "Kunde"}
    path = tmp_path / "export.csv"
    path.write_text("Art.-Nr.;Bezeichnung;Kunde\n0042;Tasse;K1\n", encoding="utf-8")
    preview = read_preview(path, db=db)
    assert {c: (g.field, g.confidence) for c, g in preview.guesses.items()} == {
        "Art.-Nr.": ("item_id", "recognised"),
        "Bezeichnung": ("title", "recognised"),
        "Kunde": ("customer_id", "recognised"),
    }
    assert preview.role == "interactions"
    assert preview.frame.iloc[0, 0] == "0042"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("uci_orders.csv", "interactions"),
        ("shopify_orders.csv", "interactions"),
        ("woocommerce_orders.csv", "interactions"),
        ("shopify_products.csv", "items"),
        ("movielens/movies.csv", "items"),
        ("movielens/ratings.csv", "interactions"),
    ],
)
def test_preview_role_of_fixtures(fixtures: Path, name: str, role: str) -> None:
    preview = read_preview(fixtures / name, rows=5)
    assert preview.role == role
    assert len(preview.frame) == 5
    assert all(g.column in preview.columns for g in preview.guesses.values())
