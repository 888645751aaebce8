"""The chart of one product's sales per week or month (bars) and how many customers' recommendation lists sent held
it (a line on its own scale, at the right: a list goes to hundreds of customers, a product sells a handful a week,
and on one scale the bars would flatten). pyqtgraph is imported on first show, as charts.py."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from lrec_desktop.core.app.sales import SalesOverTime
from lrec_desktop.gui import formatting
from lrec_desktop.gui.widgets.charts import BLUE, ORANGE, ChartBox

MAX_TICKS = 5  # "Dec 2025" needs ~70 px: five fit under the chart at 1280x800 without touching
SOLD_WORDS = "Sold"
SENT_WORDS = "In recommendation lists sent (customers, right scale)"


def tick_labels(series: SalesOverTime) -> list[tuple[int, str]]:
    """A few readable dates under the bars: months as "Mar 2025" (every n-th), weeks as "3 Mar"."""
    n = len(series.starts)
    if n == 0:
        return []
    step = max(1, -(-n // MAX_TICKS))
    if series.period == "month":
        return [(i, f"{s:%b %Y}") for i, s in enumerate(series.starts) if i % step == 0]
    return [(i, f"{s.day} {s:%b}") for i, s in enumerate(series.starts) if i % step == 0]


def whole_steps(top: int) -> float:
    """Tick spacing that keeps an axis of counts on whole numbers, about five ticks high."""
    return max(1, round(top / 5))


class SalesChart(ChartBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sales over time", "Week", "Sales", "sales-over-time", parent)
        self.series = SalesOverTime("", "week", [], [], [])
        item = self.plot.getPlotItem()
        self.bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.8, brush=BLUE, pen=pg.mkPen(None))
        item.addItem(self.bars)
        # The lists sent: a second view sharing the x axis, scaled on the right axis.
        self.sent_view = pg.ViewBox(enableMenu=False)
        self.sent_view.setMouseEnabled(x=False, y=False)
        self.sent_view.setXLink(item.vb)
        top = item
        while top.parentItem() is not None:
            top = top.parentItem()
        self.sent_view.setZValue(top.zValue() + 1)  # over the chart that holds the bars: the line is never hidden
        item.scene().addItem(self.sent_view)
        right, left = item.getAxis("right"), item.getAxis("left")
        right.linkToView(self.sent_view)
        right.setPen(left.pen())  # the palette's text colour, as ChartBox gave the other axes
        right.setTextPen(left.textPen())
        right.setTickFont(self.font())
        right.setGrid(False)  # the grid follows the sales' scale only: two sets of lines would read as one
        right.setLabel("In lists sent", color=left.textPen().color().name(),
                       **{"font-size": f"{max(self.font().pointSizeF(), 9):.0f}pt"})
        self.sent_line = pg.PlotDataItem(pen=pg.mkPen(ORANGE, width=2), symbol="o", symbolSize=6,
                                         symbolBrush=ORANGE, symbolPen=pg.mkPen(None))
        self.sent_view.addItem(self.sent_line)
        item.vb.sigResized.connect(self._follow_main_view)
        self.clear()

    def _follow_main_view(self) -> None:
        self.sent_view.setGeometry(self.plot.getPlotItem().vb.sceneBoundingRect())

    @property
    def shows_sent(self) -> bool:
        """Whether the line of lists sent is drawn: once the shop has any export on record."""
        return bool(self.series.exports and self.series.sent)

    def set_series(self, series: SalesOverTime) -> None:
        self.series = series
        n = len(series.starts)
        self.title.setText(f"Sales per {series.period}")
        item = self.plot.getPlotItem()
        item.getAxis("bottom").setLabel("Month" if series.period == "month" else "Week starting")
        x = np.arange(n, dtype=np.float64)
        self.bars.setOpts(x=x, height=np.asarray(series.sales, dtype=np.float64))
        item.getAxis("bottom").setTicks([tick_labels(series)])
        item.setXRange(-0.6, max(n, 1) - 0.4, padding=0.01)
        top = max(max(series.sales, default=0), 1)
        step = whole_steps(top)  # whole sales only on the left axis
        item.getAxis("left").setTickSpacing(step, step)
        item.setYRange(0, top * 1.1, padding=0)
        if self.shows_sent:
            item.showAxis("right")
            self.sent_line.setData(x, np.asarray(series.sent, dtype=np.float64))
            sent_top = max(max(series.sent), 1)
            item.getAxis("right").setTickSpacing(whole_steps(sent_top), whole_steps(sent_top))
            self.sent_view.setYRange(0, sent_top * 1.1, padding=0)
            self.set_legend([(BLUE, SOLD_WORDS), (ORANGE, SENT_WORDS)], marks=["■", "●"])
        else:
            item.hideAxis("right")
            self.sent_line.setData([], [])
            self.legend.hide()
        self._follow_main_view()

    def sent_heights(self) -> list[int]:
        """The line's values as drawn, one per period (what the tests read back)."""
        _x, y = self.sent_line.getData()
        return [] if y is None else [int(v) for v in y]

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
        sent = (f"; in the recommendation lists of {formatting.plural(s.sent[i], 'customer')}"
                if self.shows_sent and s.sent[i] else "")
        return f"{when}: {formatting.plural(s.sales[i], 'sale')}{extra}{sent}"
