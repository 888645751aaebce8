"""Journey 5: a product's page shows its sales over time (issue 20 item 3), through the real window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from lrec_desktop.core.store import queries
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import shot


def test_the_sales_chart_follows_the_chosen_product(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    window.go("Catalog")
    page = window.catalog
    panel = page.product.sales
    page.table.selectRow(0)
    first = page.product.current_item
    assert first is not None and panel.chart is None  # not on screen yet: nothing read, no chart built
    page.product.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.series is not None and panel.series.item_id == first, timeout=10000)
    item = queries.get_item(window.session.shop.db, first)
    assert item is not None
    series = panel.series
    assert series.total == item["sales"] and series.period == "month"  # the test shop sells over 400 days
    assert panel.chart.title.text() == "Sales per month"
    assert len(panel.chart.bars.opts["height"]) == len(series.starts)
    assert panel.note.text().startswith(f"{item['sales']} sales over ")
    busiest = max(range(len(series.sales)), key=lambda i: (series.sales[i], i))
    chart = panel.chart
    chart._mouse_moved(chart.scene_point(busiest, series.sales[busiest] / 2))
    assert chart.readout.text().endswith(f": {series.sales[busiest]} sales") or "sales (" in chart.readout.text()
    shot(window, screenshots, "catalog-sales-over-time")

    page.table.selectRow(1)  # another product: its own sales, read again
    second = page.product.current_item
    qtbot.waitUntil(lambda: panel.series is not None and panel.series.item_id == second, timeout=10000)
    wait_idle(qtbot, window)
    assert panel.series.total == queries.get_item(window.session.shop.db, second)["sales"]
