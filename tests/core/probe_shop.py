"""A small shop built with the real command line, with the hostile ids, titles, names and e-mails of the
adversarial probe (issue 16): formulas, ``;`` inside cells, ids that are signed numbers."""

from __future__ import annotations

import csv
import hashlib
import os
import random
from pathlib import Path

import pytest

from lrec_desktop.cli import main

ITEMS = [
    ("-5", "Minus five tray", "Kitchen"), ("+18", "Plus eighteen mug", "Kitchen"),
    ("-0.5", "Half-off spoon", "Kitchen"), ("P1", '=HYPERLINK("http://evil")', "Garden"),
    ("P2", "x;=1+1", "Garden"), ("P3", "Jam jar", "Garden"), ("P4", "@SUM(1;2)", "Tea"),
    ("P5", "Tea pot,=1", "Tea"), ("P6", "Plain cups", "Tea"), ("P7", "-2+3+cmd|' /C calc'!A0", "Tea"),
    ("P8", "Sugar\t=tab", "Tea"), ("P9", "ok; -7", "Tea"),
]
CUSTOMERS = [("C1", "=cmd|' /C calc'!A0", "a;=1+1@example.com"), ("-9", "@name", "+x@example.com"),
             ("C3", "Ann; =2+2", "ann@example.com")] + [(f"K{n}", f"Name {n}", f"k{n}@example.com")
                                                          for n in range(20)]
SIGNED_IDS = {"-5", "+18", "-0.5", "-9"}  # plain numbers: exported exactly as the shop holds them


def write_inputs(folder: Path) -> tuple[Path, Path]:
    catalog, orders = folder / "catalog.csv", folder / "orders.csv"
    with catalog.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["product_id", "title", "category"])
        writer.writerows(ITEMS)
    rng = random.Random(1)
    lines = []
    for customer_id, name, email in CUSTOMERS:
        for item_id in rng.sample([i[0] for i in ITEMS], 4):
            n = len(lines) + 1
            lines.append((f"O{n}", item_id, customer_id, name, email, f"2024-01-{1 + n % 28:02d} 10:00", 1))
    with orders.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["order_id", "product_id", "customer_id", "customer_name", "email", "timestamp", "quantity"])
        writer.writerows(lines)
    return catalog, orders


def build(folder: Path) -> Path:
    """Import the probe's files with ``lrec-desktop import`` and prepare, so later commands only read."""
    shop = folder / "shop.lrec"
    catalog, orders = write_inputs(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LREC_DATA_DIR", str(folder / "appdata"))
        assert main(["--quiet", "import", "--db", str(shop), "--items", str(catalog),
                     "--interactions", str(orders)]) == 0
        assert main(["--quiet", "prepare", "--db", str(shop)]) == 0
    return shop


def fingerprint(shop: Path) -> tuple:
    """The shop's bytes, mtime and companions, and its model folder's files: what a refusal must not touch."""
    models = shop.with_name(shop.name + "-models")
    files = sorted((str(p.relative_to(models)), hashlib.sha256(p.read_bytes()).hexdigest())
                   for p in models.rglob("*") if p.is_file())
    companions = sorted(p.name for p in shop.parent.iterdir() if p.name.startswith(shop.name))
    return hashlib.sha256(shop.read_bytes()).hexdigest(), os.stat(shop).st_mtime_ns, companions, files
