"""A product's sales over time (UX journey 5): a bar per week, or per month over a longer span, read in the
background (core.app.sales) when the tab is on screen. The chart loads pyqtgraph, so it is built
the first time the tab is shown, not when the window opens."""

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
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(6, 8, 6, 6)
        self.layout_.addWidget(self.note)
        session.sig_data_changed.connect(self._data_changed)

    def set_item(self, item_id: str | None, title: str = "") -> None:
        self.item_id, self.title = item_id, title
        if self.chart is not None:
            self.chart.clear()
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

    def _failed(self, exc: BaseException) -> None:
        self.note.setText(f"The sales could not be counted: {exc}")
