"""The live charts of "Learn from my sales": how often the text model picks the product bought together, step
after step, and how well it predicts purchases it never saw, before learning and after each round.

Importing this module loads pyqtgraph, so the Learn page imports it when first shown. The technical names
(training loss, validation recall, epochs) are in the tooltips only.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QWidget

from lrec_desktop.gui import formatting
from lrec_desktop.gui.widgets.charts import BLUE, GREEN, ChartBox

LOSS_TIP = (
    "exp(-training loss) in %: in each learning step (one batch of pairs of products bought by the same "
    "customer) the model picks, for each product, its partner among all the step's products; this is the "
    "(geometric) mean probability it gives the right one, averaged over the last 10 steps. It rises as it learns."
)
SCORE_TIP = (
    "Validation recall@10: the share of held-out pairs (from customers kept apart, never trained on) whose "
    "second product is among the 10 closest to the first. Measured before training and after each epoch."
)


def right_partner_share(loss: float) -> float:
    """The contrastive loss as a share a shop owner can read: exp(-loss), the (geometric) mean probability the
    model gives the product really bought with each one, among the products of a learning step."""
    return float(np.exp(-max(float(loss), 0.0)))


class LossChart(ChartBox):
    """How often the model picks the product bought together, per learning step (higher is better); it reads
    the job's "loss" metric through ``right_partner_share`` (a unitless loss axis told the owner nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Learning, step by step",
            "Learning steps",
            "Right partner picked (%)",
            "learning-progress",
            parent,
        )
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.line = self.plot.getPlotItem().plot(
            [], [], pen=pg.mkPen(BLUE, width=2), symbol="o", symbolBrush=BLUE, symbolPen=None, symbolSize=5
        )
        for widget in (self.title, self.plot):
            widget.setToolTip(LOSS_TIP)

    def add(self, x: float, y: float) -> None:
        """``y``: the training loss of the steps up to ``x``."""
        self.xs.append(float(x))
        self.ys.append(100 * right_partner_share(y))
        self.line.setData(np.asarray(self.xs), np.asarray(self.ys))
        item = self.plot.getPlotItem()  # from 0, so the rise reads at a glance
        item.setXRange(0, max(self.xs) * 1.05 + 1, padding=0)
        item.setYRange(0, min(100.0, max(max(self.ys) * 1.15, 5.0)), padding=0)

    def clear(self) -> None:
        """No points and the axes of no run (a new run started on the last one's)."""
        self.xs, self.ys = [], []
        self.line.setData([], [])
        item = self.plot.getPlotItem()
        item.setXRange(0, 1, padding=0)
        item.setYRange(0, 1, padding=0)

    def value_at(self, x: float, y: float) -> str:
        if not self.xs:
            return ""
        i = int(np.argmin([abs(v - x) for v in self.xs]))
        return (
            f"After step {formatting.number(self.xs[i])}: picks the product bought with it "
            f"{self.ys[i]:.0f}% of the time (higher is better)"
        )


class ScoreChart(ChartBox):
    """Share of held-out purchases it predicts, before learning (0) and after each round (higher is better)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "How well it predicts (higher is better)",
            "Rounds through your sales (0 = before learning)",
            "Purchases predicted (%)",
            "learning-score",
            parent,
        )
        self.xs: list[float] = []
        self.ys: list[float] = []
        item = self.plot.getPlotItem()
        self.line = item.plot(
            [], [], pen=pg.mkPen(GREEN, width=2), symbol="s", symbolBrush=GREEN, symbolPen=None, symbolSize=8
        )
        item.setXRange(0, 1, padding=0.08)
        item.getAxis("bottom").setTickSpacing(1, 1)
        for widget in (self.title, self.plot):
            widget.setToolTip(SCORE_TIP)

    def add(self, x: float, y: float) -> None:
        self.xs.append(float(x))
        self.ys.append(float(y) * 100)
        self.line.setData(np.asarray(self.xs), np.asarray(self.ys))
        item = self.plot.getPlotItem()
        item.setXRange(0, max(1.0, max(self.xs)), padding=0.08)
        top = max(self.ys)
        item.setYRange(max(0.0, min(self.ys) - 10), min(103.0, top + 10), padding=0)

    def clear(self) -> None:
        self.xs, self.ys = [], []
        self.line.setData([], [])
        item = self.plot.getPlotItem()
        item.setXRange(0, 1, padding=0.08)
        item.setYRange(0, 100, padding=0)

    def value_at(self, x: float, y: float) -> str:
        if not self.xs:
            return ""
        i = int(np.argmin([abs(v - x) for v in self.xs]))
        when = "Before learning" if self.xs[i] == 0 else f"After round {formatting.number(self.xs[i])}"
        return f"{when}: {self.ys[i]:.0f}% of the held-out purchases predicted"


class LearnCharts(QWidget):
    """The two charts side by side; ``add(kind, x, y)`` takes the job's metrics ("loss" / "validation")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss = LossChart()
        self.score = ScoreChart()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.loss, 3)
        layout.addWidget(self.score, 2)

    def add(self, kind: str, x: float, y: float) -> None:
        if kind == "loss":
            self.loss.add(x, y)
        elif kind == "validation":
            self.score.add(x, y)

    def clear(self) -> None:
        self.loss.clear()
        self.score.clear()

    @property
    def points(self) -> int:
        return len(self.loss.xs) + len(self.score.xs)
