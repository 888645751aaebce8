"""A product's sales over time (issue 20 item 3): per week over a short span, per month over a long one, every
period from the shop's first sale to its latest, and the same total as the catalog's "Sales" figure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from lrec_desktop.core.store import db as store_db
from lrec_desktop.core.store import queries
from lrec_desktop.core.store.sales_over_time import next_period, period_of, sales_over_time
from tests.gui.shopdata import build_shop


def _ts(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())


def _shop(path: Path, days: list[date], returns: list[date] = ()) -> Path:  # type: ignore[assignment]
    db = store_db.connect(path, create=True)
    with store_db.transaction(db) as conn:
        conn.execute("INSERT INTO imports(import_id, file, kind, sha256, imported_at) VALUES (1,'x','i','x',0)")
        conn.executemany("INSERT INTO items(item_id, title) VALUES (?, ?)", [("A", "Teapot"), ("B", "Mug")])
        rows = [("C1", "A", _ts(d), 2, "purchase", f"k{n}") for n, d in enumerate(days)]
        rows += [("C1", "A", _ts(d), -1, "return", f"r{n}") for n, d in enumerate(returns)]
        rows += [("C2", "B", _ts(date(2025, 1, 6)), 1, "purchase", "b0")]
        conn.executemany(
            "INSERT INTO interactions(customer_id, item_id, ts, quantity, event, import_id, line_key) "
            "VALUES (?, ?, ?, ?, ?, 1, ?)",
            rows,
        )
        queries.refresh_item_stats(conn)
    db.close()
    return path


def test_periods() -> None:
    assert period_of(date(2025, 3, 6), "week") == date(2025, 3, 3)  # a Thursday → its Monday
    assert period_of(date(2025, 3, 31), "month") == date(2025, 3, 1)
    assert next_period(date(2024, 12, 1), "month") == date(2025, 1, 1)
    assert next_period(date(2025, 3, 3), "week") == date(2025, 3, 10)


def test_weekly_over_a_short_span_with_empty_weeks(tmp_path: Path) -> None:
    days = [date(2025, 1, 7), date(2025, 1, 8), date(2025, 1, 29)]
    series = sales_over_time(_shop(tmp_path / "s.lrec", days, returns=[date(2025, 1, 20)]), "A")
    assert series.period == "week"
    assert series.starts == [date(2025, 1, 6), date(2025, 1, 13), date(2025, 1, 20), date(2025, 1, 27)]
    assert series.sales == [2, 0, 0, 1]  # the return is no sale
    assert series.units == [4.0, 0.0, 0.0, 2.0]


def test_monthly_over_a_long_span(tmp_path: Path) -> None:
    days = [date(2025, 1, 7), date(2025, 9, 2), date(2025, 9, 30)]
    series = sales_over_time(_shop(tmp_path / "s.lrec", days), "A")
    assert series.period == "month"
    assert series.starts[0] == date(2025, 1, 1) and series.starts[-1] == date(2025, 9, 1) and len(series.starts) == 9
    assert series.sales[0] == 1 and series.sales[-1] == 2 and sum(series.sales) == 3


def test_total_matches_the_catalog_sales_figure(tmp_path: Path) -> None:
    path = build_shop(tmp_path / "shop.lrec")
    db = store_db.connect(path, readonly=True)
    try:
        item = queries.get_item(db, "P005")
    finally:
        db.conn.close()
    assert item is not None
    series = sales_over_time(path, "P005")
    assert series.total == item["sales"] > 0
    assert series.period == "month"  # the test shop's sales span 400 days
