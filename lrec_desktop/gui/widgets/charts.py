"""Charts of the Long tail page, drawn with pyqtgraph: the catalog's popularity curve, sales vs
recommendations per kind of product, and what the discovery level changes.

Importing this module loads pyqtgraph (about 150 ms), so pages import it when they first show a chart, not
at start-up. Every chart has axes in plain words, a read-out of the value under the mouse, and
"Save chart as PNG…".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lrec_desktop.gui import formatting, places
from lrec_desktop.gui.widgets.common import heading

BLUE = "#2f6fb3"  # bestsellers, recommendations
ORANGE = "#d9822b"  # rarely sold and new products
SLATE = "#9aa9bd"  # sales
GREEN = "#2e8b57"
BUCKET_WORDS = ("Bestsellers", "Rarely sold", "Never sold yet")


def _colours(widget: QWidget) -> tuple[QColor, QColor]:
    palette = widget.palette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


class ChartBox(QWidget):
    """A titled chart with a one-line read-out under the mouse and a "Save chart as PNG…" button."""

    HOVER_HINT = "Point at the chart to read its values."

    def __init__(self, title: str, x_label: str, y_label: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.canvas = QWidget()  # what the PNG shows: the title and the chart
        self.title = heading(title, 1)
        self.title.setWordWrap(True)
        bg, fg = _colours(self)
        self.plot = pg.PlotWidget(background=bg)
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do by keyboard: Tab skips to its button
        self.plot.setMinimumHeight(200)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=False, y=True, alpha=0.15)
        font = self.font()
        for side, text in (("bottom", x_label), ("left", y_label)):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(fg))
            axis.setTextPen(pg.mkPen(fg))
            axis.setTickFont(font)
            axis.setLabel(text, color=fg.name(), **{"font-size": f"{max(font.pointSizeF(), 9):.0f}pt"})
        canvas_layout = QVBoxLayout(self.canvas)
        canvas_layout.setContentsMargins(0, 0, 0, 0)
        canvas_layout.setSpacing(2)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.hide()
        canvas_layout.addWidget(self.title)
        canvas_layout.addWidget(self.legend)
        canvas_layout.addWidget(self.plot, 1)
        self.readout = QLabel(self.HOVER_HINT)
        self.readout.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        self.readout.setMinimumWidth(80)
        # Two lines beside the button, always: a long read-out wraps instead of running under "Save chart as
        # PNG…", and the chart above does not jump when the text under the mouse grows a line.
        self.readout.setWordWrap(True)
        self.readout.setMinimumHeight(2 * self.readout.fontMetrics().lineSpacing() + 2)
        self.save_button = QPushButton("Save chart as PNG…")
        self.save_button.setToolTip("Save this chart as a picture, for a report or a presentation.")
        self.save_button.clicked.connect(self.choose_png)
        self.save_button.setAutoDefault(True)  # Enter presses it when focused, as the pages' other buttons
        bottom = QHBoxLayout()
        bottom.addWidget(self.readout, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bottom)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)

    def set_legend(self, entries: Sequence[tuple[str, str]], marks: Sequence[str] = ()) -> None:
        """A legend above the chart (never over the data): (colour, words) per series; ``marks`` the sign drawn
        for each (■ for bars by default, a line's ● —)."""
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{c}; font-size:large'>{marks[n] if n < len(marks) else '■'}</span>&nbsp;{w}"
            for n, (c, w) in enumerate(entries)))
        self.legend.show()

    # --- hover ------------------------------------------------------------------------------------
    def _mouse_moved(self, scene_pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            self.readout.setText(self.HOVER_HINT)
            return
        point = vb.mapSceneToView(scene_pos)
        text = self.value_at(point.x(), point.y())
        self.readout.setText(text or self.HOVER_HINT)

    def value_at(self, x: float, y: float) -> str:
        """The read-out for the point (x, y) in the chart's own units."""
        return ""

    def scene_point(self, x: float, y: float) -> QPointF:
        """Where the chart's point (x, y) is in the scene (tests point the mouse there)."""
        return self.plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))

    # --- saving -----------------------------------------------------------------------------------
    def choose_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save chart as PNG", str(places.documents_dir() / f"{self.name}.png"), "PNG picture (*.png)"
        )
        if name:
            self.save_png(Path(name if name.lower().endswith(".png") else name + ".png"))

    def save_png(self, path: Path) -> bool:
        ok = self.canvas.grab().save(str(path), "PNG")
        self.readout.setText(f"Saved to {path}" if ok else f"The chart could not be saved to {path}.")
        return ok


class PopularityChart(ChartBox):
    """Products sorted by how many customers bought them; bestsellers in blue, the long tail in orange."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "How sales spread over your products",
            "Products, best-selling first",
            "Customers who bought it",
            "popularity-curve",
            parent,
        )
        self.curve = np.zeros(0)
        self.head_size = 0
        self.sold = 0
        item = self.plot.getPlotItem()
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        self.head = item.plot([], pen=pg.mkPen(BLUE, width=2), fillLevel=0, brush=pg.mkBrush(BLUE + "55"))
        self.tail = item.plot([], pen=pg.mkPen(ORANGE, width=2), fillLevel=0, brush=pg.mkBrush(ORANGE + "55"))
        _bg, fg = _colours(self)
        label_opts = {"position": 0.92, "color": fg, "movable": False, "anchors": [(0, 0), (0, 0)]}
        self.split = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(fg, style=Qt.PenStyle.DashLine),
            label=" ← Bestsellers | rarely sold →",
            labelOpts=label_opts,
        )
        self.never = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(fg, style=Qt.PenStyle.DotLine),
            label="never sold yet → ",
            labelOpts={**label_opts, "position": 0.75, "anchors": [(1, 0), (1, 0)]},
        )
        item.addItem(self.split)
        item.addItem(self.never)
        self.dot = pg.ScatterPlotItem(size=9, pen=pg.mkPen(fg), brush=pg.mkBrush(fg))
        item.addItem(self.dot)

    def set_curve(self, curve: Sequence[float], head_size: int) -> None:
        self.curve = np.asarray(curve, dtype=np.float64)
        self.head_size = int(head_size)
        self.sold = int((self.curve > 0).sum())
        x = np.arange(1, len(self.curve) + 1, dtype=np.float64)
        h = max(self.head_size, 1)
        self.head.setData(x[:h], self.curve[:h])
        # The tail starts where the head ends, so the two areas meet without a gap.
        self.tail.setData(x[h - 1 :], self.curve[h - 1 :])
        self.split.setValue(self.head_size + 0.5)
        self.never.setValue(self.sold + 0.5)
        self.never.setVisible(self.sold < len(self.curve))
        self.split.setVisible(len(self.curve) > 0)
        self.dot.setData([], [])
        item = self.plot.getPlotItem()
        item.setXRange(0, max(len(self.curve), 1) + 1, padding=0.01)
        item.setYRange(0, max(float(self.curve.max(initial=0.0)), 1.0), padding=0.05)

    def clear(self) -> None:
        """No curve: another shop's, or none yet."""
        self.set_curve([], 0)

    def value_at(self, x: float, y: float) -> str:
        if not len(self.curve):
            return ""
        rank = round(x)
        if rank < 1 or rank > len(self.curve):
            self.dot.setData([], [])
            return ""
        buyers = int(self.curve[rank - 1])
        self.dot.setData([rank], [buyers])
        kind = "bestseller" if rank <= self.head_size else ("rarely sold" if buyers > 0 else "never sold yet")
        return (
            f"Product no. {formatting.number(rank)} by sales: bought by "
            f"{formatting.plural(buyers, 'customer')} ({kind})"
        )


class ShareBars(ChartBox):
    """Per kind of product: its share of your sales next to its share of the recommendations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Sales and recommendations, by kind of product",
            "Kind of product",
            "Share (%)",
            "sales-vs-recommendations",
            parent,
        )
        self.sales = [0.0, 0.0, 0.0]
        self.recs = [0.0, 0.0, 0.0]
        item = self.plot.getPlotItem()
        self.set_legend([(SLATE, "Share of your sales"), (BLUE, "Share of the recommendations")])
        x = np.arange(3, dtype=np.float64)
        self.sales_bars = pg.BarGraphItem(
            x=x - 0.19, height=np.zeros(3), width=0.36, brush=SLATE, pen=pg.mkPen(None), name="Share of your sales"
        )
        self.rec_bars = pg.BarGraphItem(
            x=x + 0.19,
            height=np.zeros(3),
            width=0.36,
            brush=BLUE,
            pen=pg.mkPen(None),
            name="Share of recommendations",
        )
        item.addItem(self.sales_bars)
        item.addItem(self.rec_bars)
        item.getAxis("bottom").setTicks([[(i, w) for i, w in enumerate(BUCKET_WORDS)]])
        item.setXRange(-0.6, 2.6, padding=0)
        item.setYRange(0, 100, padding=0.02)
        self.value_labels: list[pg.TextItem] = []
        _bg, fg = _colours(self)
        for _ in range(6):
            label = pg.TextItem("", color=fg, anchor=(0.5, 1.0))
            item.addItem(label)
            self.value_labels.append(label)

    def set_shares(self, sales: Sequence[float], recs: Sequence[float]) -> None:
        self.sales, self.recs = [float(v) for v in sales], [float(v) for v in recs]
        x = np.arange(3, dtype=np.float64)
        self.sales_bars.setOpts(x=x - 0.19, height=np.asarray(self.sales) * 100)
        self.rec_bars.setOpts(x=x + 0.19, height=np.asarray(self.recs) * 100)
        top = max(self.sales + self.recs + [0.01]) * 100
        self.plot.getPlotItem().setYRange(0, min(100.0, top * 1.25 + 2), padding=0)
        for i, (value, offset) in enumerate([(v, -0.19) for v in self.sales] + [(v, 0.19) for v in self.recs]):
            label = self.value_labels[i]
            label.setText(f"{value:.0%}")
            label.setPos((i % 3) + offset, value * 100)

    def clear(self) -> None:
        self.set_shares([0.0] * 3, [0.0] * 3)
        for label in self.value_labels:
            label.setText("")

    def value_at(self, x: float, y: float) -> str:
        i = round(x)
        if not 0 <= i < 3 or abs(x - i) > 0.45:
            return ""
        return f"{BUCKET_WORDS[i]}: {self.sales[i]:.0%} of your sales, {self.recs[i]:.0%} of the recommendations"


class SweepChart(ChartBox):
    """What the discovery level changes: catalog reached and the hidden gems' share, with the current level."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "What discovery changes",
            "Discovery: bestsellers (0%) to hidden gems (100%)",
            "Share (%)",
            "discovery-levels",
            parent,
        )
        self.levels: list[float] = []
        self.coverage: list[float] = []
        self.gems: list[float] = []
        item = self.plot.getPlotItem()
        _bg, fg = _colours(self)
        self.set_legend(
            [(BLUE, "Products reached (% of catalog)"), (ORANGE, "Rarely sold / new (% of recommendation slots)")]
        )
        self.coverage_line = item.plot(
            [],
            [],
            pen=pg.mkPen(BLUE, width=2),
            symbol="o",
            symbolBrush=BLUE,
            symbolPen=None,
            symbolSize=7,
            name="Products reached (of catalog)",
        )
        self.gems_line = item.plot(
            [],
            [],
            pen=pg.mkPen(ORANGE, width=2),
            symbol="s",
            symbolBrush=ORANGE,
            symbolPen=None,
            symbolSize=7,
            name="Rarely sold / new (of recommendations)",
        )
        self.marker = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(fg, width=1.5, style=Qt.PenStyle.DashLine),
            label="now",
            labelOpts={"position": 0.9, "color": fg, "movable": False, "fill": _bg},
        )
        item.addItem(self.marker)
        item.setXRange(0, 100, padding=0.03)
        item.setYRange(0, 60, padding=0.03)

    def set_sweep(self, levels: Sequence[float], coverage: Sequence[float], gems: Sequence[float]) -> None:
        self.levels, self.coverage, self.gems = list(levels), list(coverage), list(gems)
        x = np.asarray(self.levels) * 100
        self.coverage_line.setData(x, np.asarray(self.coverage) * 100)
        self.gems_line.setData(x, np.asarray(self.gems) * 100)
        top = max(self.coverage + self.gems + [0.1]) * 100
        self.plot.getPlotItem().setYRange(0, min(100.0, top * 1.3), padding=0.03)

    def clear(self) -> None:
        self.set_sweep([], [], [])
        self.plot.getPlotItem().setYRange(0, 60, padding=0.03)

    def set_marker(self, level: float) -> None:
        self.marker.setValue(float(level) * 100)

    def value_at(self, x: float, y: float) -> str:
        if not self.levels:
            return ""
        i = int(np.argmin([abs(level * 100 - x) for level in self.levels]))
        return (
            f"At {self.levels[i]:.0%} discovery: recommendations reach {self.coverage[i]:.0%} of your products; "
            f"rarely sold and new products get {self.gems[i]:.0%} of the places"
        )
