"""Frequently bought together (core.recommend.baskets) on a shop of real-looking order lines imported through the
real CLI: lift beats raw counts for a bestseller, till receipts without a customer count, the saved matrix is
keyed by the data and rebuilt when it changes or is damaged, a cancel saves nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.cf.data import load_purchases
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.recommend import baskets
from lrec_desktop.core.recommend.baskets import basket_config, basket_matrix, baskets_folder, load_baskets
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store
from tests.core.basket_shop import build


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build(tmp_path)


def _matrix(shop: Path) -> tuple[Recommender, np.ndarray]:
    rec = Recommender.load(shop)
    return rec, basket_matrix(shop, rec.model.items).toarray()


def test_lift_beats_raw_counts_for_a_bestseller(shop: Path) -> None:
    rec, scores = _matrix(shop)
    j = rec.model.items.index
    db = store.connect(shop, readonly=True)
    try:
        X = load_baskets(db, rec.model.items).X
    finally:
        db.close()
    raw = (X.T @ X).toarray()
    stand, teacup, best = j("22423"), j("22697"), j("85123A")
    assert raw[stand, best] > raw[stand, teacup]  # by counts, the bestseller goes with everything
    assert scores[stand, teacup] > scores[stand, best]  # by lift, the teacup goes with the cake stand
    assert int(np.argmax(scores[stand])) == teacup
    assert np.all(np.diag(scores) == 0)
    assert scores[:, j("POST")].max() == 0 and scores[j("POST")].max() == 0  # postage goes with nothing


def test_till_receipts_without_a_customer_count(shop: Path) -> None:
    rec, scores = _matrix(shop)
    j = rec.model.items.index
    assert scores[j("21212"), j("84991")] > 0  # only ever together on receipts without a customer
    db = store.connect(shop, readonly=True)
    try:
        purchases = load_purchases(db, items=rec.model.items)
    finally:
        db.close()
    assert purchases.popularity[j("84991")] == 0  # the per-customer model never sees them
    config = basket_config(shop)
    assert config is not None and config.orders == 49 and config.orders_without_customer == 5


def test_one_shared_order_is_no_evidence(tmp_path: Path) -> None:
    shop = build(tmp_path)
    rec, scores = _matrix(shop)
    j = rec.model.items.index
    # The cake cases share one order with a customer with nothing: pairs need MIN_SUPPORT orders.
    assert scores[j("21212"), j("22720")] == 0


def _reimport_with(shop: Path, tmp_path: Path, rows: list[list[str]]) -> None:
    more = tmp_path / "more.csv"
    with more.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"])
        w.writerows(rows)
    assert main(["--quiet", "import", "--db", str(shop), "--interactions", str(more)]) == 0


def test_saved_once_then_read_and_worked_out_again_after_an_import(shop: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rec, first = _matrix(shop)
    saved = baskets_folder(shop) / "scores.npz"
    assert saved.is_file()
    mtime = saved.stat().st_mtime_ns

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("worked out again although nothing changed")

    monkeypatch.setattr(baskets, "fit_basket_matrix", refuse)
    again = basket_matrix(shop, rec.model.items).toarray()
    assert np.array_equal(first, again) and saved.stat().st_mtime_ns == mtime
    monkeypatch.undo()
    # Six more receipts with the bunting and the lunch bag: now they go together.
    _reimport_with(shop, tmp_path, [[f"58100{n}", code, "x", "1", "12/20/2010 10:00", "1.00", ""]
                                    for n in range(6) for code in ("47566", "20725")])
    rec, after = _matrix(shop)
    j = rec.model.items.index
    assert after[j("47566"), j("20725")] > first[j("47566"), j("20725")]


def test_a_damaged_saved_matrix_is_worked_out_again(shop: Path) -> None:
    rec, first = _matrix(shop)
    (baskets_folder(shop) / "scores.npz").write_bytes(b"not an archive")
    assert np.array_equal(basket_matrix(shop, rec.model.items).toarray(), first)


def test_another_vocabulary_is_not_served_a_matrix_of_the_old_one(shop: Path) -> None:
    rec, first = _matrix(shop)
    from lrec_desktop.core.vocab import Vocabulary

    reversed_items = Vocabulary(list(reversed(rec.model.items.ids)))
    other = basket_matrix(shop, reversed_items).toarray()
    assert np.array_equal(other, first[::-1, ::-1])


def test_a_cancelled_run_saves_nothing(shop: Path) -> None:
    rec = Recommender.load(shop)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        basket_matrix(shop, rec.model.items, cancel=cancel)
    assert not baskets_folder(shop).exists()


def test_without_order_ids_a_customers_day_is_a_basket(tmp_path: Path) -> None:
    lines = tmp_path / "lines.csv"
    with lines.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["CustomerID", "StockCode", "Description", "InvoiceDate"])
        for n in range(4):
            w.writerow([f"{14000 + n}", "A1", "Apron", f"2011-03-0{n + 1} 10:00"])
            w.writerow([f"{14000 + n}", "B2", "Oven glove", f"2011-03-0{n + 1} 16:30"])
            w.writerow([f"{14000 + n}", "C3", "Tea towel", f"2011-04-0{n + 1} 10:00"])  # another day
    shop = tmp_path / "shop.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--interactions", str(lines)]) == 0
    rec, scores = _matrix(shop)
    j = rec.model.items.index
    assert scores[j("A1"), j("B2")] > 0
    assert scores[j("A1"), j("C3")] == 0
