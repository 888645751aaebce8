"""A product's sales over time (UX journey 5): a bar per week, or per month over a longer span, and a line of how
many customers' recommendation lists sent held it (exports and campaigns), read in the background
(core.app.sales) when the tab is on screen. The chart loads pyqtgraph, so it is built the first time the tab is
shown, not when the window opens."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from lrec_desktop.core.app import sales
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import Note
from lrec_desktop.gui.workers import Job

CHART_HEIGHT = 230
NOTHING_SENT = ("A second line, how many customers got this product in their recommendations, appears here "
                "once you export recommendations or send a campaign.")


def summary_words(series: sales.SalesOverTime, title: str) -> str:
    if not series.starts:
        return "No sales in this shop yet."
    if not series.total:
        return f"“{title}” has not sold yet (no sale in {formatting.plural(len(series.starts), series.period)})."
    best = max(range(len(series.sales)), key=lambda i: (series.sales[i], i))
    peak = formatting.period_words(series.starts[best], series.period)
    return (
        f"{formatting.plural(series.total, 'sale')} over {formatting.plural(len(series.starts), series.period)}; "
        f"the most in {'the ' if series.period == 'week' else ''}{peak} "
        f"({formatting.plural(series.sales[best], 'sale')})."
    )


def sent_words(series: sales.SalesOverTime, title: str) -> str:
    """The sentence under the chart about the lists sent: none yet, none with this product, or how many."""
    if not series.exports:
        return NOTHING_SENT
    exports = formatting.plural(series.exports, "export")
    if not series.total_sent:
        return f"“{title}” was in none of the recommendation lists sent so far ({exports} on record)."
    first = next(i for i, n in enumerate(series.sent) if n)
    since = formatting.period_words(series.starts[first], series.period)
    after = sum(series.sales[first:])
    sold = f"{formatting.plural(after, 'sale')} from that {series.period} on" if after else "no sale since yet"
    return (f"In the recommendation lists of {formatting.plural(series.total_sent, 'customer')} since "
            f"{'the ' if series.period == 'week' else ''}{since} ({exports} on record); {sold}.")


class SalesPanel(QWidget):
    """The "Sales over time" tab; ``set_item`` when the chosen product changes."""

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chart: Any = None  # widgets.sales_chart.SalesChart, built on first show
        self.item_id: str | None = None
        self.title = ""
        self.series: sales.SalesOverTime | None = None
        self.loaded_for: tuple[Any, str] | None = None  # (shop, product) the chart shows
        self.job: Job | None = None
        self.note = Note()
        self.sent_note = Note()  # under the chart, added with it
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(6, 8, 6, 6)
        self.layout_.addWidget(self.note)
        session.sig_data_changed.connect(self._data_changed)
        session.sig_lists_sent.connect(self._data_changed)

    def set_item(self, item_id: str | None, title: str = "") -> None:
        self.item_id, self.title = item_id, title
        if self.chart is not None:
            self.chart.clear()
        self.sent_note.setText("")
        self.note.setText("" if item_id else "Choose a product to see its sales over time.")
        if self.isVisible():
            self.load()

    def _data_changed(self, *_: object) -> None:
        self.loaded_for = None
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.build_chart()
        self.load()

    def build_chart(self) -> None:
        if self.chart is not None:
            return
        from lrec_desktop.gui.widgets.sales_chart import SalesChart

        self.chart = SalesChart()
        self.chart.setMinimumHeight(CHART_HEIGHT)
        self.layout_.addWidget(self.chart, 1)
        self.layout_.addWidget(self.sent_note)

    def load(self) -> Job | None:
        """Read the chosen product's sales per period on a worker; the newest request wins."""
        s = self.session
        if self.item_id is None or s.path is None:
            return None
        key = (s.path, self.item_id)
        if key == self.loaded_for:
            return None
        title = self.title
        self.note.setText("Counting the sales…")
        self.job = s.submit(
            "Sales over time",
            sales.sales_over_time,
            s.path,
            self.item_id,
            slot="catalog.sales",  # another product chosen meanwhile: its sales win
            heavy=False,
            show=False,
            on_done=lambda series: self._show(key, title, series),
            on_error=self._failed,
        )
        return self.job

    def _show(self, key: tuple[Any, str], title: str, series: sales.SalesOverTime) -> None:
        self.series, self.loaded_for = series, key
        self.build_chart()
        self.chart.set_series(series)
        self.note.setText(summary_words(series, title))
        self.sent_note.setText(sent_words(series, title) if series.starts else "")

    def _failed(self, exc: BaseException) -> None:
        self.note.setText(f"The sales could not be counted: {exc}")
