"""Journey 5: a product's page shows its sales over time (issue 20 item 3) and how many customers' recommendation
lists sent held it, through the real window."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from lrec_desktop.core.store import queries
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.widgets.product_sales import NOTHING_SENT
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


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _choose(qtbot: QtBot, window: MainWindow, item_id: str) -> None:
    """Find the product by typing its id in the catalog's filter, then click its row."""
    page = window.catalog
    page.filter.setText(item_id)
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=5000)
    page.table.selectRow(0)
    assert page.product.current_item == item_id


def test_the_lists_sent_show_beside_the_sales(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                            screenshots: Path) -> None:
    """Journey 5 with issue 20's second series: before any export the page says the line comes with one; after an
    export from the window's dialog, the chart's line counts per month the customers whose lists held it."""
    window.go("Catalog")
    page = window.catalog
    panel = page.product.sales
    page.table.selectRow(0)
    first = page.product.current_item
    page.product.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.series is not None and panel.series.item_id == first, timeout=10000)
    chart = panel.chart
    assert panel.series.exports == 0 and not chart.shows_sent and chart.sent_heights() == []
    assert not chart.plot.getPlotItem().getAxis("right").isVisible() and chart.legend.isHidden()
    assert panel.sent_note.text() == NOTHING_SENT and panel.sent_note.isVisible()
    shot(window, screenshots, "catalog-sales-nothing-sent")

    dialog = window.export()
    out = tmp_path / "everyone.csv"
    dialog.out.setText(str(out))
    dialog.top.setValue(5)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    assert dialog.summary.recorded
    dialog.close()
    in_lists = Counter(r["item_id"] for r in _rows(out))  # one row per customer and product
    # The page on screen reads again after the export: the first product's line, zero or not.
    qtbot.waitUntil(lambda: panel.series is not None and panel.series.exports == 1, timeout=10000)
    assert chart.shows_sent and chart.sent_heights()[-1] == in_lists.get(first, 0)
    assert sum(chart.sent_heights()) == in_lists.get(first, 0)

    most = max(in_lists, key=lambda i: (in_lists[i], i))
    _choose(qtbot, window, most)
    qtbot.waitUntil(lambda: panel.series is not None and panel.series.item_id == most, timeout=10000)
    wait_idle(qtbot, window)
    series = panel.series
    heights = chart.sent_heights()
    assert heights == series.sent and len(heights) == len(series.starts) == len(chart.bars.opts["height"])
    assert heights[-1] == in_lists[most] and sum(heights) == in_lists[most]  # sent this month, once
    assert series.starts[-1] == datetime.now(UTC).date().replace(day=1)
    assert chart.plot.getPlotItem().getAxis("right").isVisible()
    legend = chart.legend.text()
    assert chart.legend.isVisible() and "Sold" in legend and "In recommendation lists sent" in legend
    assert panel.sent_note.text().startswith(f"In the recommendation lists of {in_lists[most]} customers since ")
    chart._mouse_moved(chart.scene_point(len(heights) - 1, 0.2))
    assert f"in the recommendation lists of {in_lists[most]} customers" in chart.readout.text()
    window.resize(1280, 800)
    picture = shot(window, screenshots, "catalog-sales-and-lists-sent")
    assert QImage(str(picture)).size() == window.size()
