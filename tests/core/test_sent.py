"""Recommendations that went out (issue 20, journey 5): every export of customers' lists, a campaign included, notes
per product in how many customers' lists it was, in one transaction committed once the file is in place; a refused
or failed export notes nothing, a read-only shop exports and notes nothing; a product's sales over time count the
lists sent per week or month beside its sales. Version 8 of the shop file holds the record; older shops migrate."""

from __future__ import annotations

import csv
import logging
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core import output_file
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.export import ExportRequest, export_recommendations
from lrec_desktop.core.recommend.model import prepare
from lrec_desktop.core.store import access, probe, sent
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.failures import StorageError
from lrec_desktop.core.store.migrations import backup_path
from lrec_desktop.core.store.sales_over_time import sales_over_time, sent_per_period
from lrec_desktop.core.store.schema import SCHEMA_VERSION
from tests.core import probe_shop
from tests.gui.shopdata import build_shop


def _ts(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests' small tea shop (60 products, 40 customers, sales over the last 400 days), prepared once."""
    path = build_shop(tmp_path_factory.mktemp("sent") / "tea-shop.lrec")
    prepare(path)
    return path


@pytest.fixture
def shop(prepared: Path, tmp_path: Path) -> Path:
    """A copy of the prepared shop with its model folder, for a test that writes."""
    copy = tmp_path / prepared.name
    source, target = sqlite3.connect(prepared), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    models = prepared.with_name(prepared.name + "-models")
    shutil.copytree(models, copy.with_name(copy.name + "-models"))
    return copy


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _record(shop: Path) -> tuple[list[tuple], dict[str, int]]:
    db = store.connect(shop, readonly=True)
    try:
        lists = db.execute("SELECT sent_id, file, customers, campaign_id FROM sent_lists ORDER BY sent_id").fetchall()
        products = dict(db.execute("SELECT item_id, sum(customers) FROM sent_products GROUP BY item_id").fetchall())
        return [tuple(r) for r in lists], products
    finally:
        db.close()


def test_product_counts_count_each_list_once() -> None:
    assert sent.product_counts([["A", "B"], ["B", "C", "B"], []]) == {"A": 1, "B": 2, "C": 1}


def test_an_export_notes_per_product_how_many_customers_got_it(shop: Path, capsys: pytest.CaptureFixture) -> None:
    out = shop.parent / "recs.csv"
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(out), "--top", "3"]) == 0
    rows = _rows(out)
    in_file = Counter(r["item_id"] for r in rows)  # one row per customer and product: a customer's list holds it
    lists, products = _record(shop)
    assert lists == [(1, "recs.csv", 40, None)]
    assert products == dict(in_file) and sum(products.values()) == len(rows) == 40 * 3
    # A wide export notes the same way, as a second export.
    wide = shop.parent / "wide.csv"
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(wide), "--top", "2", "--layout", "wide",
                 "--customers", "C001,C002,C003"]) == 0
    lists, products = _record(shop)
    assert lists[1] == (2, "wide.csv", 3, None)
    wide_counts = Counter(r[f"product_{k}_id"] for r in _rows(wide) for k in (1, 2))
    assert products == dict(in_file + wide_counts)


def test_a_campaign_notes_only_the_customers_in_the_file(shop: Path) -> None:
    out = shop.parent / "campaign.csv"
    summary = export_recommendations(shop, ExportRequest(out, top=4, holdout=0.25, seed=3, campaign="Spring"))
    assert summary.recorded and summary.held_back == 10 and summary.customers == 30
    lists, products = _record(shop)
    assert lists == [(1, "campaign.csv", 30, summary.campaign_id)]
    assert products == dict(Counter(r["item_id"] for r in _rows(out)))  # the held-back got no list


def test_the_counts_per_period_on_the_product_page(shop: Path) -> None:
    out = shop.parent / "recs.csv"
    export_recommendations(shop, ExportRequest(out, top=5))
    export_recommendations(shop, ExportRequest(out, top=5, customers=["C000", "C001"]))
    counts = Counter(r["item_id"] for r in _rows(out))  # the second file, over the first
    _lists, products = _record(shop)
    item = max(counts, key=lambda i: (counts[i], i))
    series = sales_over_time(shop, item)
    assert series.exports == 2 and series.period == "month"  # the shop's sales span 400 days
    today = datetime.now(UTC).date()
    assert series.starts[-1] == today.replace(day=1)  # sent today, within the latest sale's month
    assert series.sent[-1] == products[item] == series.total_sent and not any(series.sent[:-1])
    assert series.total == sum(series.sales) > 0  # the sales are counted as before
    unsent = next(f"P{i:03d}" for i in range(60) if f"P{i:03d}" not in products)
    quiet = sales_over_time(shop, unsent)
    assert quiet.exports == 2 and quiet.total_sent == 0 and len(quiet.sent) == len(quiet.starts)


def test_sent_per_period_buckets_weeks_and_leaves_out_what_is_outside() -> None:
    starts = [date(2025, 1, 6), date(2025, 1, 13), date(2025, 1, 20)]
    sent_at = [(_ts(date(2025, 1, 7)), 4), (_ts(date(2025, 1, 12)), 1), (_ts(date(2025, 1, 20)), 10),
               (_ts(date(2024, 12, 30)), 99), (_ts(date(2025, 2, 3)), 99)]
    assert sent_per_period(sent_at, starts, "week") == [5, 0, 10]
    assert sent_per_period(sent_at, [date(2025, 1, 1)], "month") == [15]  # 30 Dec and 3 Feb are outside


def _small_shop(path: Path) -> Path:
    db = store.connect(path, create=True)
    with store.transaction(db) as conn:
        conn.execute("INSERT INTO imports(import_id, file, kind, sha256, imported_at) VALUES (1,'x','i','x',0)")
        conn.executemany("INSERT INTO items(item_id, title) VALUES (?, ?)", [("A", "Teapot"), ("B", "Mug")])
        conn.executemany(
            "INSERT INTO interactions(customer_id, item_id, ts, event, import_id, line_key) VALUES (?,?,?,?,1,?)",
            [("C1", "A", _ts(date(2025, 1, 7)), "purchase", "k1"), ("C2", "A", _ts(date(2025, 1, 29)), "purchase",
                                                                    "k2")])
    db.close()
    return path


def test_the_span_reaches_a_list_sent_after_the_latest_sale(tmp_path: Path) -> None:
    shop = _small_shop(tmp_path / "s.lrec")
    db = store.connect(shop)
    with store.transaction(db) as conn:
        sent.record_sent(conn, {"A": 12, "B": 3}, customers=15, file="x.csv", sent_at=_ts(date(2025, 2, 12)))
        assert sent.record_sent(conn, {"A": 1}, customers=0, file="nobody.csv", sent_at=0) is None
    db.close()
    series = sales_over_time(shop, "A")
    assert series.period == "week"
    assert series.starts == [date(2025, 1, 6), date(2025, 1, 13), date(2025, 1, 20), date(2025, 1, 27),
                             date(2025, 2, 3), date(2025, 2, 10)]
    assert series.sales == [1, 0, 0, 1, 0, 0] and series.sent == [0, 0, 0, 0, 0, 12]
    assert series.exports == 1 and sales_over_time(shop, "B").sent[-1] == 3


def test_nothing_sent_yet(tmp_path: Path) -> None:
    series = sales_over_time(_small_shop(tmp_path / "s.lrec"), "A")
    assert series.exports == 0 and series.sent == [0] * len(series.starts) and series.total == 2


# --------------------------------------------------------------------------- refused, failed, read-only
def test_a_refused_export_notes_nothing(shop: Path, capsys: pytest.CaptureFixture) -> None:
    before = probe_shop.fingerprint(shop)
    for bad in (["--top", "0"], ["--customers", "nobody@example.com"], ["--segment", "lapsed:soon"],
                ["--control-group", "1"]):
        assert main(["--quiet", "export", "--db", str(shop), "--out", str(shop.parent / "x.csv"), *bad]) == 2
        assert capsys.readouterr().err.count("\n") == 1
    assert probe_shop.fingerprint(shop) == before
    assert _record(shop) == ([], {})


@pytest.mark.parametrize("holdout", [0.0, 0.2], ids=["export", "campaign"])
def test_a_file_that_fails_to_land_is_not_on_record(holdout: float, shop: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The rename comes after the record is written (uncommitted): it fails, so the record is rolled back."""
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output_file.os, "replace", refuse)
    out = shop.parent / "recs.csv"
    with pytest.raises(UserError, match="output file"):
        export_recommendations(shop, ExportRequest(out, top=3, holdout=holdout, seed=1))
    assert not out.exists()
    db = store.connect(shop, readonly=True)
    try:
        assert db.execute("SELECT count(*) FROM campaigns").fetchone()[0] == 0
    finally:
        db.close()
    assert _record(shop) == ([], {})


def test_a_record_that_cannot_be_committed(shop: Path, monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    """The file is in place: a plain export keeps it and logs; a campaign says its file was saved but not kept."""
    def full(self: sent.Recording) -> None:
        self.close()
        raise StorageError("The disk holding the shop is full.")

    monkeypatch.setattr(sent.Recording, "commit", full)
    out = shop.parent / "recs.csv"
    with caplog.at_level(logging.WARNING, logger="lrec_desktop.core.export"):
        summary = export_recommendations(shop, ExportRequest(out, top=3))
    assert out.exists() and not summary.recorded
    assert "could not note the recommendations sent" in caplog.text
    with pytest.raises(UserError, match=r"saved to campaign\.csv, but the campaign could not be kept"):
        export_recommendations(shop, ExportRequest(shop.parent / "campaign.csv", top=3, holdout=0.2, seed=1))
    assert _record(shop) == ([], {})


@pytest.fixture
def cannot_write(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    refused: set[Path] = set()
    real = access.can_write
    monkeypatch.setattr(access, "can_write", lambda path: Path(path).resolve() not in refused and real(path))
    return lambda path: refused.add(Path(path).resolve())


def test_a_read_only_shop_exports_and_notes_nothing(shop: Path, tmp_path: Path, cannot_write: Callable[[Path], None],
                                                    caplog: pytest.LogCaptureFixture) -> None:
    elsewhere = tmp_path / "out"
    elsewhere.mkdir()
    cannot_write(shop.parent)
    before = probe_shop.fingerprint(shop)
    with caplog.at_level(logging.INFO, logger="lrec_desktop.core.store.sent"):
        summary = export_recommendations(shop, ExportRequest(elsewhere / "recs.csv", top=3))
    assert summary.customers == 40 and not summary.recorded
    assert "the recommendations sent are not recorded" in caplog.text
    assert probe_shop.fingerprint(shop) == before
    with pytest.raises(StorageError, match="a campaign can't be kept"):  # refused before the work
        export_recommendations(shop, ExportRequest(elsewhere / "campaign.csv", top=3, holdout=0.2))
    assert not (elsewhere / "campaign.csv").exists()


# --------------------------------------------------------------------------- the shop file's version 8
def _as_version_7(shop: Path) -> None:
    conn = sqlite3.connect(shop)
    conn.execute("DROP TABLE sent_products")
    conn.execute("DROP TABLE sent_lists")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()


def test_a_version_7_shop_is_accepted_backed_up_and_migrated(tmp_path: Path) -> None:
    shop = _small_shop(tmp_path / "old.lrec")
    _as_version_7(shop)
    assert probe.inspect(shop) == probe.ShopFile(7, wal=True)
    db = store.connect(shop)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
        assert {"sent_lists", "sent_products"} <= set(db.table_names())
        assert db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 2
    finally:
        db.close()
    assert backup_path(shop, 7).exists()
    assert probe.inspect(shop) == probe.ShopFile(8, wal=True)


def test_the_probe_knows_version_8_from_the_migrations(tmp_path: Path) -> None:
    assert {"sent_lists", "sent_products"} <= set(probe.expected_columns(8))
    assert not {"sent_lists", "sent_products"} & set(probe.expected_columns(7))
    shop = _small_shop(tmp_path / "s.lrec")
    conn = sqlite3.connect(shop)
    conn.execute("DROP TABLE sent_products")
    conn.commit()
    conn.close()
    with pytest.raises(probe.NotAShop, match="lacks table sent_products"):
        probe.inspect(shop)
