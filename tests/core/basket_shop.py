"""A small shop of real-looking order lines (Online Retail's columns and invoice numbers), imported through the
real CLI, for the basket, cross-sell and related-products tests.

What is in it, by design:
- ``85123A`` (the white heart T-light holder, Online Retail's own bestseller) is in nearly every order;
- ``22423`` (a cake stand) and ``22697`` (a green teacup and saucer) share 6 orders; the cake stand is in 10
  orders, each with the bestseller, so by raw counts the bestseller goes with the cake stand most;
- ``21212`` (cake cases) and ``84991`` (cupcake cases) share orders only on till receipts without a customer;
- ``22720`` (a cook book) and ``22666`` (a recipe box) share 3 orders, both out of stock or blocked in tests;
- ``POST`` (postage) is in many orders: a non-product, never related to anything.
"""

from __future__ import annotations

import csv
from pathlib import Path

from lrec_desktop.cli import main

TITLES = {
    "85123A": "WHITE HANGING HEART T-LIGHT HOLDER",
    "22423": "REGENCY CAKESTAND 3 TIER",
    "22697": "GREEN REGENCY TEACUP AND SAUCER",
    "21212": "PACK OF 72 RETROSPOT CAKE CASES",
    "84991": "60 TEATIME FAIRY CAKE CASES",
    "22720": "SET OF 3 CAKE TINS PANTRY DESIGN",
    "22666": "RECIPE BOX PANTRY YELLOW DESIGN",
    "47566": "PARTY BUNTING",
    "20725": "LUNCH BAG RED RETROSPOT",
    "22386": "JUMBO BAG PINK POLKADOT",
    "POST": "POSTAGE",
}
OUT_OF_STOCK = "22666"


def _orders() -> list[tuple[str, str | None, list[str]]]:
    """(invoice number, customer id or None for a till receipt, products)."""
    orders: list[tuple[str, str | None, list[str]]] = []
    number = 536365

    def add(customer: str | None, products: list[str]) -> None:
        nonlocal number
        orders.append((str(number), customer, products))
        number += 1

    for n in range(10):  # the cake stand: always with the bestseller, 6 times with the teacup
        add(f"{17850 + n}", ["22423", "85123A", "POST"] + (["22697"] if n < 6 else []))
    for n in range(30):  # the bestseller with the shop's everyday products; the teacup now and then
        other = ["47566", "20725", "22386"][n % 3]
        add(f"{13047 + n % 12}", ["85123A", other, "POST"] + (["22697"] if n % 10 == 0 else []))
    for n in range(5):  # till receipts: the two kinds of cake cases together, no customer
        add(None, ["21212", "84991"] + (["85123A"] if n % 2 else []))
    for n in range(3):  # the cook book with the recipe box
        add(f"{12583 + n}", ["22720", "22666", "85123A"])
    add("12583", ["21212"])  # cake cases once with a customer, alone
    return orders


def write_files(folder: Path) -> tuple[Path, Path]:
    """(catalog.csv, orders.csv) in ``folder``."""
    catalog = folder / "catalog.csv"
    with catalog.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["StockCode", "Description", "Stock"])
        for item_id, title in TITLES.items():
            w.writerow([item_id, title, 0 if item_id == OUT_OF_STOCK else 25])
    orders = folder / "orders.csv"
    with orders.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"])
        for k, (invoice, customer, products) in enumerate(_orders()):
            day, minute = 1 + k // 20, k % 20
            for item_id in products:
                price = "18.00" if item_id == "POST" else "2.55"
                w.writerow([invoice, item_id, TITLES[item_id], 1, f"12/{day}/2010 9:{minute:02d}", price,
                            customer or ""])
    return catalog, orders


def build(folder: Path) -> Path:
    """The shop file, imported through the real CLI."""
    catalog, orders = write_files(folder)
    shop = folder / "shop.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(catalog), "--interactions", str(orders)]) == 0
    return shop
