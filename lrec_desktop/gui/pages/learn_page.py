"""Learn from my sales (UX journey 7): one button, how long it takes on this computer, a live chart while
it learns, the result in plain words with a way back, and the list of learned versions.

The job is ``core.finetune`` (through ``core.app.learning.learn_from_sales``) on the heavy pool. Its metrics come
from the worker thread through ``MetricsRelay``'s signal (a queued connection), so widgets are only touched on
the GUI thread. Pause sets a ``threading.Event`` the trainer polls between steps. The charts load pyqtgraph
when the page is first shown; nothing here imports torch.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import learning
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import formatting
from lrec_desktop.gui.readiness import change_words, duration, learned_words, per_100
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import Card, MessageLine, Note, heading, hint, scroll_page
from lrec_desktop.gui.widgets.learn_versions import VersionsPanel
from lrec_desktop.gui.workers import Job

PLACES = {"cpu": "this computer's processor", "cuda": "this computer's NVIDIA graphics card", "mps": "Apple graphics"}
EXPLANATION = (
    "The text model that reads your product descriptions can also learn from what your customers bought: "
    "which products go together. It then recommends rarely sold and new products better. Everything runs on "
    "this computer, and you can keep working meanwhile. The new version is switched on only if it does better "
    "on each customer's latest purchases; you can always go back."
)


class MetricsRelay(QObject):
    """Carries the job's metrics from the worker thread to the GUI thread (a queued signal)."""

    sig_point = Signal(str, float, float)

    def emit(self, kind: str, x: float, y: float) -> None:
        self.sig_point.emit(str(kind), float(x), float(y))


def estimate_words(estimate: Any) -> str:
    place = PLACES.get(estimate.device, f"this computer ({estimate.device})")
    return f"It takes {duration(estimate.seconds)} on {place}."


def estimate_details(estimate: Any) -> str:
    text = (
        f"It learns from about {formatting.plural(estimate.pairs, 'pair')} of products bought by the same "
        f"customer, then reads your {formatting.plural(estimate.products, 'product')} again and compares."
    )
    if not estimate.gpu:
        text += f" On the processor, learning stops after {estimate.cpu_minutes:.0f} minutes."
    return text


def figure_lines(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Before → after, in words (each customer's latest purchases, per 100 found among the recommendations).
    The first line is the one the version list shows and the decision is taken on (readiness.learned_words:
    rarely sold and new products counted together), so the page shows one set of numbers."""
    lines = []
    changed = learned_words(before, after)
    if changed:
        lines.append(changed[0].upper() + changed[1:])
    b, a = before.get("recall", 0.0), after.get("recall", 0.0)
    lines.append(f"All products bought next found: {per_100(b)} → {per_100(a)} per 100{change_words(b, a)}")
    b, a = before.get("coverage", 0.0), after.get("coverage", 0.0)
    lines.append(f"Share of your catalog recommended to someone: {b:.0%} → {a:.0%}")
    return lines


FIGURES_TIP = (
    "Measured on each customer's latest 20% of purchases, kept apart while learning: how many of them were "
    "among the customer's top-20 recommendations (recall@20 on rarely sold and new products together, the "
    "figure the decision is taken on, then overall), and the catalog coverage, with the current text model and "
    "with the new version."
)


class LearnPage(QWidget):
    sig_show_requested = Signal()

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.charts: Any = None  # widgets.learn_charts.LearnCharts, built on first show
        self.estimate: Any = None
        self.estimate_job: Job | None = None
        self.job: Job | None = None
        self.result: Any = None  # the last run's FinetuneResult
        self.previous: str | None = None  # the learned version's folder in use before the run (None: original)
        self.step = 0  # the latest learning step reported
        self.seconds_left: float | None = None  # the run's time left, from the speed of its steps so far
        self.pause_event = threading.Event()
        self.relay = MetricsRelay(self)
        self.relay.sig_point.connect(self._point)

        self.estimate_label = heading("", 1)
        self.estimate_label.setWordWrap(True)
        self.estimate_note = Note()
        self.start_button = QPushButton("&Learn from my sales")
        font = QFont(self.start_button.font())
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setBold(True)
        self.start_button.setFont(font)
        self.start_button.setMinimumHeight(44)
        self.start_button.setMinimumWidth(260)
        self.start_button.clicked.connect(lambda: self.start())
        self.status = MessageLine()

        # While it runs: the bar with the job's message, Pause/Resume and Cancel.
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(200)
        self.message = Note()
        self.message.setMinimumWidth(200)
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setToolTip(
            "Pause learning between two steps, to free the computer for a while. Reading the descriptions and "
            "comparing the versions don't pause."
        )
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setToolTip("Stop now. Nothing changes: the text model in use stays as it is.")
        self.cancel_button.clicked.connect(self.cancel)
        self.run_row = QWidget()
        run_layout = QHBoxLayout(self.run_row)
        run_layout.setContentsMargins(0, 0, 0, 0)
        run_layout.addWidget(self.bar)
        run_layout.addWidget(self.message, 1)
        run_layout.addWidget(self.pause_button)
        run_layout.addWidget(self.cancel_button)
        self.run_row.hide()
        self.chart_place = QVBoxLayout()
        self.chart_place.setContentsMargins(0, 0, 0, 0)

        # The result: the decision, before → after, and the way back.
        self.result_line = MessageLine()
        self.figures = Note()
        self.figures.setToolTip(FIGURES_TIP)
        self.keep_button = QPushButton("&Keep the new version")
        self.keep_button.clicked.connect(self.keep)
        self.back_button = QPushButton("Go &back to the previous one")
        self.back_button.clicked.connect(self.go_back)
        self.anyway_button = QPushButton("Use it &anyway")
        self.anyway_button.setToolTip("Switch to the new version although it did not measure better.")
        self.anyway_button.clicked.connect(self.use_anyway)
        self.result_row = QWidget()
        result_layout = QHBoxLayout(self.result_row)
        result_layout.setContentsMargins(0, 0, 0, 0)
        for b in (self.keep_button, self.back_button, self.anyway_button):
            result_layout.addWidget(b)
        result_layout.addStretch(1)
        self.result_row.hide()

        run_card = Card()
        run_card.layout_.addWidget(self.estimate_label)
        run_card.layout_.addWidget(self.estimate_note)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        run_card.layout_.addLayout(start_row)
        run_card.layout_.addWidget(self.status)
        run_card.layout_.addWidget(self.run_row)
        run_card.layout_.addLayout(self.chart_place)
        run_card.layout_.addWidget(self.result_line)
        run_card.layout_.addWidget(self.figures)
        run_card.layout_.addWidget(self.result_row)

        self.versions_panel = VersionsPanel(session, lambda: self.running)
        self.versions_panel.sig_changed.connect(self._enable)
        self.versions_panel.sig_switched.connect(self.result_row.hide)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading("Learn from my sales"))
        layout.addWidget(hint(EXPLANATION))
        layout.addWidget(run_card)
        layout.addWidget(self.versions_panel)
        layout.addStretch(1)
        self.scroll = scroll_page(self, content)

        session.jobs.sig_job_changed.connect(self._job_changed)
        self.reset()

    # --- showing ----------------------------------------------------------------------------------------
    def build_charts(self) -> None:
        """Create the live charts (imports pyqtgraph: first show only)."""
        if self.charts is not None:
            return
        from lrec_desktop.gui.widgets.learn_charts import LearnCharts

        self.charts = LearnCharts()
        self.charts.setFixedHeight(270)
        self.charts.setVisible(self.job is not None or self.result is not None)
        self.chart_place.addWidget(self.charts)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.build_charts()
        if self.estimate is None and self.session.is_open:
            self.estimate_time()

    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset): no estimate, result or chart of the last."""
        self.estimate, self.result = None, None
        self.estimate_label.setText("")
        self.estimate_note.setText("")
        self.status.clear_message()
        self.result_line.clear_message()
        self.figures.setText("")
        self.result_row.hide()
        if self.charts is not None:
            self.charts.clear()
            self.charts.hide()
        self.versions_panel.load_versions()
        if self.isVisible() and self.session.is_open:
            self.estimate_time()

    def estimate_time(self) -> Job | None:
        s = self.session
        if s.path is None or (self.estimate_job is not None and self.estimate_job.active):
            return self.estimate_job
        self.estimate_label.setText("Working out how long it takes on this computer…")

        def done(estimate: learning.LearnEstimate) -> None:
            self.estimate = estimate
            self.estimate_label.setText(estimate_words(estimate))
            self.estimate_label.setToolTip(
                f"Fine-tuning the text model (contrastive loss, 1 epoch) on about {estimate.pairs:,} co-purchase "
                f"pairs on {PLACES.get(estimate.device, estimate.device)}, then re-embedding "
                f"{estimate.products:,} products and evaluating both versions on the held-out purchases."
            )
            note = estimate_details(estimate)
            if estimate.pairs < 50:
                note += " Your shop may have too few repeat customers to learn from yet."
            self.estimate_note.setText(note)

        def failed(exc: BaseException) -> None:
            self.estimate_label.setText("How long it takes could not be worked out.")
            self.estimate_note.setText(str(exc))

        self.estimate_job = s.submit(
            "Estimate the time to learn from sales",
            learning.learn_estimate,
            s.path,
            heavy=False,
            show=False,
            on_done=done,
            on_error=failed,
        )
        return self.estimate_job

    # --- running ----------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.job is not None and self.job.active

    def start(
        self,
        *,
        max_pairs: int | None = None,
        batch_size: int = 32,
        device: str | None = None,
        force: bool = False,
    ) -> Job | None:
        """Start learning; ``max_pairs``, ``batch_size`` and ``device`` are for tests (the button uses the
        defaults and the shop's device setting)."""
        s = self.session
        if s.path is None:
            self.status.show_message("Open a shop first: File → Open shop…")
            return None
        if self.running:
            return self.job
        if self.versions_panel.switching:
            self.status.show_message("Wait until the text model has been switched, then try again.")
            return None
        self.build_charts()
        self.status.clear_message()
        self.result_line.clear_message()
        self.figures.setText("")
        self.result_row.hide()
        self.result = None
        self.charts.clear()
        self.charts.show()
        self.step = 0
        self.pause_event.clear()
        active = [v for v in self.versions_panel.versions if v.active]
        self.previous = active[-1].dir if active else None
        self.job = s.submit(
            "Learn from my sales",
            learning.learn_from_sales,
            s.path,
            max_pairs=max_pairs,
            batch_size=batch_size,
            device=device,
            force=force,
            on_metrics=self.relay.emit,
            pause=self.pause_event.is_set,
            on_done=self._finished,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        s.learn_job = self.job
        self.pause_button.setText("&Pause")
        self.pause_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Cancel")
        self._job_changed(self.job)
        self._enable()
        s.sig_versions_changed.emit()
        return self.job

    def toggle_pause(self) -> None:
        if not self.running:
            return
        if self.pause_event.is_set():
            self.pause_event.clear()
            self.pause_button.setText("&Pause")
        else:
            self.pause_event.set()
            self.pause_button.setText("&Resume")
        if self.job is not None:
            self._job_changed(self.job)

    @property
    def paused(self) -> bool:
        return self.pause_event.is_set()

    def cancel(self) -> None:
        if self.running and self.job is not None:
            self.job.cancel()
            self.pause_event.clear()  # a paused run notices the cancel at once
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText("Cancelling…")
            self.pause_button.setEnabled(False)

    def _point(self, kind: str, x: float, y: float) -> None:
        if self.charts is not None and self.running:
            self.charts.add(kind, x, y)
        if kind == "loss":
            self.step = max(self.step, int(x))
        elif kind == "seconds_left" and self.running:
            # The estimate, corrected by the speed of the steps so far (reading and comparing included).
            self.seconds_left = y
            left = duration(y)
            self.estimate_label.setText(f"{left[0].upper()}{left[1:]} left, at the speed measured so far.")

    def _job_changed(self, job: Job) -> None:
        if job is not self.job:
            return
        if not job.active:
            self.run_row.hide()
            return
        self.bar.setValue(int(job.fraction * 1000))
        self.bar.setFormat(f"{job.fraction:.0%}")
        text = job.details or "Waiting for other jobs to finish…"
        if self.paused:
            text = f"Paused — press Resume to go on. ({text})"
        self.message.setText(text)
        self.message.setToolTip("\n".join(job.notes))
        self.run_row.show()

    def _show_estimate(self) -> None:
        """After a run: the estimate before a run again (the time left applied to that run only)."""
        self.seconds_left = None
        if self.estimate is not None:
            self.estimate_label.setText(estimate_words(self.estimate))

    def _finished(self, result: learning.FinetuneResult) -> None:
        self._show_estimate()
        self.result = result
        self.session.learn_job = None
        self.result_line.show_message(result.decision, "ok" if result.activated else "info")
        self.figures.setText("\n".join(figure_lines(result.before, result.after)))
        self.keep_button.setVisible(result.activated)
        self.back_button.setVisible(result.activated)
        self.back_button.setToolTip(
            "Switch back to the text model that was in use before this run."
            if self.previous is None
            else "Switch back to the learned version that was in use before this run."
        )
        self.anyway_button.setVisible(not result.activated)
        self.result_row.show()
        if result.activated:
            self.session.text_model_switched()
        else:
            self.session.sig_versions_changed.emit()
        self._enable()

    def _cancelled(self) -> None:
        self._show_estimate()
        self.session.learn_job = None
        self.status.show_message("Cancelled. Nothing changed: the text model in use stays as it is.", "muted")
        if self.charts is not None:
            self.charts.clear()
            self.charts.hide()
        self.session.sig_versions_changed.emit()
        self._enable()

    def _failed(self, exc: BaseException) -> None:
        self._show_estimate()
        self.session.learn_job = None
        if isinstance(exc, UserError):
            self.status.show_message(str(exc))
        else:
            self.status.show_message("Learning stopped because of an unexpected error (see Jobs).")
        self.session.sig_versions_changed.emit()
        self._enable()

    # --- after a run: keep, go back, or use it anyway ----------------------------------------------------
    def keep(self) -> None:
        self.result_row.hide()
        if self.result is not None:
            self.result_line.show_message(f"Version {self.result.version} stays in use.", "ok")

    def go_back(self) -> Job | None:
        return self.versions_panel.switch_to(self.previous, "the previous text model")

    def use_anyway(self) -> Job | None:
        if self.result is None:
            return None
        return self.versions_panel.switch_to(self.result.model_dir, f"version {self.result.version}")

    def _enable(self) -> None:
        busy = self.running or self.versions_panel.switching
        self.start_button.setEnabled(self.session.is_open and not busy)
        for b in (self.back_button, self.anyway_button, self.keep_button):
            b.setEnabled(not busy)
        self.versions_panel.enable()
