"""Recommendations, similar products and export on a small shop with known co-purchase structure."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.core.export import ExportRequest, export_recommendations, sanitize_cell
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.recommend.model import cf_folder, is_prepared, prepare, prepared_version
from lrec_desktop.core.recommend.service import POPULAR_REASON, Recommender
from lrec_desktop.core.store import db as store
from tests.core.shopdb import write_shop

# Pairs bought together by many customers: (tea pot, tea cups), (trowel, gloves), (flour, whisk).
PAIRS = [("TEA1", "TEA2"), ("GAR1", "GAR2"), ("BAK1", "BAK2")]
TITLES = {
    "TEA1": "Blue ceramic tea pot", "TEA2": "Set of four tea cups", "GAR1": "Steel garden trowel",
    "GAR2": "Leather gardening gloves", "BAK1": "Organic spelt flour", "BAK2": "Balloon whisk",
    "SOLD_OUT": "Sold-out gift box", "FORMULA": "=HYPERLINK(\"http://x\")", "NEW1": "Brand-new jam jar",
}


def build_shop(path: Path) -> Path:
    items = [{"item_id": item_id, "title": title, "category": item_id[:3], "in_stock": int(item_id != "SOLD_OUT")}
             for item_id, title in TITLES.items()]
    sales: list[tuple] = []
    for n in range(30):
        a, b = PAIRS[n % 3]
        customer = f"C{n:02d}"
        sales += [(customer, a, 1000 + n), (customer, b, 1001 + n), (customer, "SOLD_OUT", 1002 + n)]
        if n % 5 == 0:
            sales.append((customer, "FORMULA", 1003 + n))
    sales += [("LONER", "TEA1", 5000), ("NOBUY", "GAR1", 5001, "return")]
    return write_shop(path, items, sales, emails=True, extra_customers=["NEVER"])


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build_shop(tmp_path / "shop.lrec")


def test_bought_together_ranks_first_with_a_reason(shop: Path) -> None:
    rec = Recommender.load(shop)
    recs = rec.recommend("LONER", 3)
    assert recs[0].item_id == "TEA2"
    assert "Blue ceramic tea pot" in recs[0].reason


def test_never_recommends_bought_or_out_of_stock(shop: Path) -> None:
    rec = Recommender.load(shop)
    for customer in ("C00", "C01", "LONER", "NOBUY"):
        ids = {r.item_id for r in rec.recommend(customer, 8)}
        _, seen = rec.history(customer)
        assert "SOLD_OUT" not in ids
        assert not ids & {rec.model.items.ids[j] for j in seen}


def test_customer_without_purchases_gets_bestsellers(shop: Path) -> None:
    rec = Recommender.load(shop)
    for customer in ("NEVER", "NOBUY", "not-a-customer"):
        recs = rec.recommend(customer, 3)
        assert len(recs) == 3
        assert all(r.reason == POPULAR_REASON for r in recs)
    assert "GAR1" not in {r.item_id for r in rec.recommend("NOBUY", 5)}  # a returned product is not offered again


def test_similar_and_cold_product_fallback(shop: Path) -> None:
    rec = Recommender.load(shop)
    assert rec.similar("GAR1", 1)[0].item_id == "GAR2"
    cold = rec.similar("NEW1", 2)  # no sales and alone in its category: the shop's bestsellers
    assert len(cold) == 2 and all(r.reason == POPULAR_REASON for r in cold)
    assert [r.item_id for r in rec.similar("TEA2", 3)][:1] == ["TEA1"]
    assert rec.catalog.badges(rec.model.items.index("NEW1")) == ("new",)


def test_model_is_rebuilt_only_when_data_changes(shop: Path) -> None:
    assert not is_prepared(shop)
    prepare(shop)
    assert is_prepared(shop)
    version = prepared_version(shop)
    db = store.connect(shop)
    store.bump_data_version(db)
    db.close()
    assert not is_prepared(shop)
    Recommender.load(shop)
    assert prepared_version(shop) == version + 1


def test_cancelled_prepare_keeps_previous_model(shop: Path) -> None:
    prepare(shop)
    before = (cf_folder(shop) / "config.json").read_bytes()
    db = store.connect(shop)
    store.bump_data_version(db)
    db.close()
    token = CancelToken()

    def cancel_midway(fraction: float, message: str = "") -> None:
        if fraction >= 0.2:
            token.cancel()

    with pytest.raises(Cancelled):
        prepare(shop, progress=cancel_midway, cancel=token)
    assert (cf_folder(shop) / "config.json").read_bytes() == before
    assert not list(cf_folder(shop).parent.glob(".cf.tmp-*"))


def test_export_all_customers_long_layout(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "recs.csv"
    summary = export_recommendations(shop, ExportRequest(out, top=3))
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["customer_id", "rank", "item_id", "title", "score", "reason"]
    body = rows[1:]
    assert summary.customers == 33 and summary.rows == len(body)
    assert {r[0] for r in body} == {f"C{n:02d}" for n in range(30)} | {"LONER", "NOBUY", "NEVER"}
    rec = Recommender.load(shop)
    for customer_id, rank, item_id, title, *_ in body:
        assert int(rank) in (1, 2, 3)
        _, seen = rec.history(customer_id)
        assert item_id not in {rec.model.items.ids[j] for j in seen}
        assert not title.startswith(("=", "+", "-", "@"))
    assert any(r[3] == "'=HYPERLINK(\"http://x\")" for r in body)


def test_export_selected_customers_wide_layout(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "wide.csv"
    export_recommendations(shop, ExportRequest(out, top=2, customers=["loner@example.com", "C01"], layout="wide"))
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["customer_id"] for r in rows] == ["LONER", "C01"]
    assert rows[0]["email"] == "loner@example.com"
    assert rows[0]["product_1_id"] == "TEA2" and rows[0]["product_1_title"] == "Set of four tea cups"


def test_export_unknown_customer_is_a_clear_error(shop: Path, tmp_path: Path) -> None:
    from lrec_desktop.core.errors import UserError

    with pytest.raises(UserError, match=r"nobody@example\.com"):
        export_recommendations(shop, ExportRequest(tmp_path / "x.csv", customers=["nobody@example.com"]))
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("=1+1", "'=1+1"), ("+49 123", "'+49 123"), ("-5", "-5"), ("-5 off", "'-5 off"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("Tea pot", "Tea pot"), ("", ""), (None, ""), (3, "3")],
)
def test_sanitize_cell(raw: object, safe: str) -> None:
    assert sanitize_cell(raw) == safe


def test_lookup_and_export_rank_alike(shop: Path, tmp_path: Path) -> None:
    """The one-customer path (GUI, CLI recommend) and the batch path (export) must give the same lists."""
    out = tmp_path / "all.csv"
    export_recommendations(shop, ExportRequest(out, top=4))
    with out.open(encoding="utf-8", newline="") as f:
        exported: dict[str, list[str]] = {}
        for row in csv.DictReader(f):
            exported.setdefault(row["customer_id"], []).append(row["item_id"])
    rec = Recommender.load(shop)
    for customer_id, items in exported.items():
        assert [r.item_id for r in rec.recommend(customer_id, 4)] == items, customer_id


def test_the_reasons_weight_block_is_the_weights_rows_and_columns() -> None:
    # The "often bought together" partner comes from this block: it must be exactly W[rows][:, cols], repeated
    # rows (a history read twice) and columns in any order included, empty rows and all.
    import scipy.sparse as sp

    from lrec_desktop.core.recommend.service import _weight_block

    rng = np.random.default_rng(5)
    for seed in range(50):
        n = int(rng.integers(3, 40))
        W = sp.random(n, n, density=float(rng.uniform(0.0, 0.4)), format="csr", random_state=seed, dtype=np.float32)
        rows = rng.choice(n, int(rng.integers(1, n)), replace=bool(seed % 2))
        cols = rng.choice(n, int(rng.integers(1, min(n, 20))), replace=False)
        assert np.array_equal(_weight_block(W, rows, cols), W[rows][:, cols].toarray())
