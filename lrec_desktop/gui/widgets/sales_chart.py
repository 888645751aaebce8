"""The bar chart of one product's sales per week or month (pyqtgraph; imported on first show, as charts.py)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from lrec_desktop.core.app.sales import SalesOverTime
from lrec_desktop.gui import formatting
from lrec_desktop.gui.widgets.charts import BLUE, ChartBox

MAX_TICKS = 5  # "Dec 2025" needs ~70 px: five fit under the chart at 1280x800 without touching


def tick_labels(series: SalesOverTime) -> list[tuple[int, str]]:
    """A few readable dates under the bars: months as "Mar 2025" (every n-th), weeks as "3 Mar"."""
    n = len(series.starts)
    if n == 0:
        return []
    step = max(1, -(-n // MAX_TICKS))
    if series.period == "month":
        return [(i, f"{s:%b %Y}") for i, s in enumerate(series.starts) if i % step == 0]
    return [(i, f"{s.day} {s:%b}") for i, s in enumerate(series.starts) if i % step == 0]


class SalesChart(ChartBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sales over time", "Week", "Sales", "sales-over-time", parent)
        self.series = SalesOverTime("", "week", [], [], [])
        item = self.plot.getPlotItem()
        self.bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.8, brush=BLUE, pen=pg.mkPen(None))
        item.addItem(self.bars)
        self.clear()

    def set_series(self, series: SalesOverTime) -> None:
        self.series = series
        n = len(series.starts)
        self.title.setText(f"Sales per {series.period}")
        item = self.plot.getPlotItem()
        item.getAxis("bottom").setLabel("Month" if series.period == "month" else "Week starting")
        self.bars.setOpts(x=np.arange(n, dtype=np.float64), height=np.asarray(series.sales, dtype=np.float64))
        item.getAxis("bottom").setTicks([tick_labels(series)])
        item.setXRange(-0.6, max(n, 1) - 0.4, padding=0.01)
        top = max(max(series.sales, default=0), 1)
        step = max(1, round(top / 5))  # whole sales only on the left axis
        item.getAxis("left").setTickSpacing(step, step)
        item.setYRange(0, top * 1.1, padding=0)

    def clear(self) -> None:
        """No bars (another product's, or not read yet): axes from 0, never a meaningless default range."""
        self.set_series(SalesOverTime("", self.series.period, [], [], []))

    def value_at(self, x: float, y: float) -> str:
        i = round(x)
        if not 0 <= i < len(self.series.starts) or abs(x - i) > 0.45:
            return ""
        s = self.series
        units = s.units[i]
        extra = f" ({formatting.number(units)} pieces)" if units and units != s.sales[i] else ""
        when = formatting.period_words(s.starts[i], s.period).capitalize()
        return f"{when}: {formatting.plural(s.sales[i], 'sale')}{extra}"
