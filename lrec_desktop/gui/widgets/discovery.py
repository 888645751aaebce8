"""The discovery control, "Bestsellers ↔ Hidden gems": a slider from 0 to 100% with what the level means
in words. The Long tail page, the Export dialog and anything else that chooses a level use it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from lrec_desktop.core.app.lookup import gem_slots, learned_order

SETTLE_MS = 400  # a keyboard or click change counts as chosen once the slider rests this long

TOOLTIP = (
    "Bestsellers: recommend what each customer is most likely to buy, which favours popular products.\n"
    "Hidden gems: keep a share of every list for rarely sold and new products that fit the customer\n"
    "(at most half of the list, at 100%), spread through the list so the top stays the surest picks."
)


def level_words(level: float, n: int = 10, recommender: object | None = None) -> str:
    """What a level does to a list of ``n``, in one sentence (with ``recommender``'s ranking, when known)."""
    gems = gem_slots(n, level, recommender)
    if learned_order(recommender) and level > 0:
        kept = (f", and {gems} in {n} places are kept for them" if gems > 1 else
                f", and 1 in {n} places is kept for them" if gems == 1 else "")
        return (f"{level:.0%}: rarely sold and new products that fit the customer move up the list, as far as "
                f"this shop's own sales show they are bought{kept}.")
    if gems == 0:
        return f"{level:.0%}: every recommendation is chosen for how likely it sells (bestsellers first)."
    if gems == 1:
        return f"{level:.0%}: 1 in {n} recommendations goes to a rarely sold or new product that fits the customer."
    return f"{level:.0%}: {gems} in {n} recommendations go to rarely sold or new products that fit the customer."


class DiscoverySlider(QWidget):
    """``sig_moved`` on every change (live previews); ``sig_chosen`` when the user let go of the slider, or a
    keyboard/click change has settled (saving)."""

    sig_moved = Signal(float)
    sig_chosen = Signal(float)

    def __init__(self, parent: QWidget | None = None, *, n: int = 10, compact: bool = False) -> None:
        super().__init__(parent)
        self.n = n
        self.recommender: object | None = None  # whose ranking the caption describes (None: the built-in one)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setSingleStep(5)
        self.slider.setPageStep(10)
        self.slider.setTickInterval(20)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setToolTip(TOOLTIP)
        self.slider.setAccessibleName("Discovery: bestsellers to hidden gems")
        self.left = QLabel("Bestsellers")
        self.right = QLabel("Hidden gems")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.left)
        row.addWidget(self.slider, 1)
        row.addWidget(self.right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2 if compact else 6)
        layout.addLayout(row)
        layout.addWidget(self.caption)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self._chosen)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(self._chosen)
        self._show_caption()

    def level(self) -> float:
        return self.slider.value() / 100.0

    def set_level(self, level: float) -> None:
        """Show ``level`` without telling anyone (it is the saved one already)."""
        self.slider.blockSignals(True)
        self.slider.setValue(round(float(level) * 100))
        self.slider.blockSignals(False)
        self.settle.stop()
        self._show_caption()

    def set_recommender(self, recommender: object | None) -> None:
        """Describe the levels as ``recommender``'s lists take them (the learned ranking or the built-in one)."""
        self.recommender = recommender
        self._show_caption()

    def _show_caption(self) -> None:
        self.caption.setText(level_words(self.level(), self.n, self.recommender))

    def _moved(self, _value: int) -> None:
        self._show_caption()
        self.sig_moved.emit(self.level())
        if not self.slider.isSliderDown():
            self.settle.start()

    def _chosen(self) -> None:
        self.settle.stop()
        self.sig_chosen.emit(self.level())
