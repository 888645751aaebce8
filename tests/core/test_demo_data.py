"""The bundled demo shop (resources/demo): deterministic, consistent, and shaped like a real small shop."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo"
SCRIPT = DEMO / "make_demo.py"
FILES = ("products.csv", "orders.csv")
N_NEW = 100  # the newest products, SKU-001401 ... SKU-001500, have no sales yet


def _generate(out: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], check=True, env=env, capture_output=True, timeout=60
    )


@pytest.fixture(scope="module")
def products() -> pd.DataFrame:
    return pd.read_csv(DEMO / "products.csv", dtype={"product_id": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return pd.read_csv(
        DEMO / "orders.csv", dtype={"order_id": str, "customer_id": str, "product_id": str}, keep_default_na=False
    )


@pytest.fixture(scope="module")
def sales(products: pd.DataFrame, orders: pd.DataFrame) -> pd.Series:
    """Order lines with a positive quantity, per product (0 for never sold)."""
    counts = orders[orders["quantity"] > 0].groupby("product_id").size()
    return counts.reindex(products["product_id"], fill_value=0)


def test_generator_is_deterministic_and_matches_committed_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _generate(first, "1")
    _generate(second, "2")  # a different str hash seed must not change anything
    for name in FILES:
        fresh = (first / name).read_bytes()
        assert fresh == (second / name).read_bytes(), f"{name} differs between two runs"
        assert fresh == (DEMO / name).read_bytes(), f"committed {name} is stale: run python resources/demo/make_demo.py"


def test_files_are_small_utf8_with_the_documented_columns(products: pd.DataFrame, orders: pd.DataFrame) -> None:
    assert sum((DEMO / name).stat().st_size for name in FILES) < 5_000_000
    for name in FILES:
        (DEMO / name).read_bytes().decode("utf-8")
    assert list(products.columns) == ["product_id", "title", "description", "category", "tags", "price", "stock"]
    assert list(orders.columns) == [
        "order_id",
        "order_date",
        "customer_id",
        "customer_name",
        "email",
        "product_id",
        "product_title",
        "quantity",
        "unit_price",
    ]


def test_products(products: pd.DataFrame) -> None:
    assert 1400 <= len(products) <= 1600
    assert products["product_id"].is_unique
    assert products["product_id"].str.fullmatch(r"SKU-\d{6}").all()
    assert products["title"].is_unique
    assert 12 <= products["category"].nunique() <= 18
    assert (products[["title", "description", "category", "tags"]] != "").all().all()
    assert products["description"].str.count(r"\.").between(1, 3).all()
    assert (products["price"] > 0).all() and (products["price"].round(2) == products["price"]).all()
    out_of_stock = (products["stock"] == 0).mean()
    assert 0.01 <= out_of_stock <= 0.08
    assert (products["stock"] >= 0).all()


def test_orders(products: pd.DataFrame, orders: pd.DataFrame) -> None:
    assert 27_000 <= len(orders) <= 33_000
    assert set(orders["product_id"]) <= set(products["product_id"])
    titles = dict(zip(products["product_id"], products["title"], strict=True))
    assert (orders["product_id"].map(titles) == orders["product_title"]).all()

    dates = pd.to_datetime(orders["order_date"], format="%Y-%m-%d %H:%M:%S")
    assert 16 <= (dates.max() - dates.min()).days / 30.4 <= 19
    assert dates.dt.month.value_counts()[12] > 1.5 * dates.dt.month.value_counts()[2]  # Christmas peak

    known = orders[orders["customer_id"] != ""]
    assert 700 <= known["customer_id"].nunique() <= 900
    assert known["email"].str.fullmatch(r"[a-z0-9.]+@example\.(com|org)").all()
    assert (known.groupby("customer_id")["order_id"].nunique() > 1).mean() > 0.8  # mostly repeat customers
    walk_in = orders[orders["customer_id"] == ""]
    assert 10 <= len(walk_in) <= 100
    assert (walk_in[["customer_name", "email"]] == "").all().all()

    returns = orders[orders["quantity"] < 0]
    assert 0.005 <= len(returns) / len(orders) <= 0.02
    sold = orders[orders["quantity"] > 0]
    assert sold.groupby("order_id").size().between(1, 6).all()
    assert (orders["unit_price"] > 0).all()


def test_new_products_have_no_sales(products: pd.DataFrame, sales: pd.Series) -> None:
    newest = products["product_id"].iloc[-N_NEW:]
    assert (sales[newest] == 0).all()
    assert products["category"].iloc[-N_NEW:].nunique() >= 10  # spread over the shop, not one odd corner
    assert N_NEW <= (sales == 0).sum() <= 2 * N_NEW


def test_long_tail(sales: pd.Series) -> None:
    assert (sales <= 5).mean() >= 0.6
    assert sales.max() <= 0.03 * sales.sum()  # bestsellers, but no single product dominates
