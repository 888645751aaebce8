"""The Long tail page's evaluation card: measure the recommendations on each customer's latest purchases
(a background job) and the table of earlier measurements, kept run after run."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from lrec_desktop.core.app import evaluate
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import Card, MessageLine, Note, heading, hint
from lrec_desktop.gui.widgets.job_progress import JobProgress
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job

EVAL_K = 20


def measured_with(e: dict[str, Any]) -> str:
    """What produced a stored evaluation, in words."""
    version = str(e.get("model_version") or "")
    mode = e.get("mode", "")
    if mode == "sales" or version == "sales only":
        return "your sales"
    what = "product descriptions only" if mode == "text" else "sales and product descriptions"
    return f"{what} (text model: {version})" if version else what


def evaluation_words(e: dict[str, Any]) -> str:
    k = int(e.get("k", EVAL_K))
    text = (
        f"On each customer's latest 20% of purchases, {round(100 * e['recall'])} of 100 were among their "
        f"top-{k} recommendations"
    )
    parts = []
    if e.get("tail_targets"):
        parts.append(f"rarely sold products: {round(100 * e['tail_recall'])} of 100")
    if e.get("cold_targets"):
        parts.append(f"new products: {round(100 * e['cold_recall'])} of 100")
    if parts:
        text += f" ({'; '.join(parts)})"
    return (
        f"{text}. The recommendations reached {e['coverage']:.0%} of your catalog. "
        f"Measured on {formatting.plural(int(e['customers']), 'customer')} at {e['discovery']:.0%} discovery."
    )


class EvaluationPanel(Card):
    """The evaluation card; ``reset`` when a shop opens."""

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.eval_job: Job | None = None
        self.history: list[dict[str, Any]] = []
        self.eval_button = QPushButton("&Measure on my latest sales")
        self.eval_button.setToolTip(
            "Learns from each customer's earlier purchases, hides their latest 20%, and counts how many of those "
            f"were among their top-{EVAL_K} recommendations. Takes a few seconds; each result is kept."
        )
        self.eval_button.clicked.connect(self.measure)
        self.eval_progress = JobProgress(session.jobs)
        self.eval_result = MessageLine()
        self.history_model = RowsModel(
            [
                "When",
                "Found in top 20",
                "Rarely sold found",
                "New found",
                "Catalog reached",
                "Discovery",
                "Customers",
                "Measured with",
            ]
        )
        self.history_model.align_right = {1, 2, 3, 4, 5, 6}
        self.history_table = TableView("evaluation-history")
        self.history_table.setModel(self.history_model)
        self.history_table.set_widths([140, 110, 120, 90, 110, 80, 90, 200])
        self.history_table.stretch_column(7)
        self.history_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.history_table.setMinimumHeight(150)
        self.history_note = Note()
        self.layout_.addWidget(heading("Evaluation: do the recommendations predict what customers buy next?", 2))
        self.layout_.addWidget(
            hint(
                "Hides each customer's latest 20% of purchases, learns from the rest, and counts how many of the "
                "hidden purchases the recommendations found. Each result is kept, so you can compare versions."
            )
        )
        eval_row = QHBoxLayout()
        eval_row.addWidget(self.eval_button)
        eval_row.addWidget(self.eval_progress, 1)
        eval_row.addStretch(0)
        self.layout_.addLayout(eval_row)
        self.layout_.addWidget(self.eval_result)
        self.layout_.addWidget(heading("Earlier measurements", 1))
        self.layout_.addWidget(self.history_note)
        self.layout_.addWidget(self.history_table)

    def reset(self) -> None:
        self.eval_result.clear_message()
        self.eval_button.setEnabled(self.session.is_open)
        self.load_history()

    def measure(self) -> Job | None:
        s = self.session
        if s.path is None:
            return None
        if self.eval_job is not None and self.eval_job.active:
            return self.eval_job
        rec = s.recommender
        mode = "hybrid" if rec is not None and getattr(rec, "text", None) is not None else "sales"
        self.eval_result.clear_message()
        self.eval_button.setEnabled(False)
        self.eval_job = s.submit(
            "Measure the recommendations on the latest sales",
            evaluate.evaluate_shop,
            s.path,
            mode,
            EVAL_K,
            on_done=self._measured,
            on_error=self._measure_failed,
            on_cancel=self._measure_cancelled,
        )
        self.eval_progress.follow(self.eval_job)
        return self.eval_job

    def _measured(self, evaluation: Any) -> None:
        self.eval_button.setEnabled(True)
        figures = evaluation.as_dict()
        previous = self.history[-1] if self.history else None
        text = evaluation_words(figures)
        if previous is not None:
            text += f" Last time: {round(100 * previous['recall'])} of 100."
        self.eval_result.show_message(text, "ok")
        self.load_history()

    def _measure_cancelled(self) -> None:
        self.eval_button.setEnabled(True)
        self.eval_result.show_message("Measuring was cancelled; nothing was stored.", "muted")

    def _measure_failed(self, exc: BaseException) -> None:
        self.eval_button.setEnabled(True)
        if isinstance(exc, UserError):
            self.eval_result.show_message(str(exc))
        else:
            self.eval_result.show_message("Measuring stopped because of an unexpected error (see Jobs).")

    def load_history(self) -> None:
        s = self.session
        self.history = []
        if s.path is not None:
            try:
                self.history = evaluate.evaluation_history(s.path)
            except Exception as exc:  # an older shop file without the table: nothing measured yet
                self.history_note.setText(f"Earlier measurements could not be read: {exc}")
        rows, keys = [], []
        for e in self.history:
            k = int(e.get("k", EVAL_K))
            tail = f"{e['tail_recall']:.0%}" if e.get("tail_targets") else "—"
            cold = f"{e['cold_recall']:.0%}" if e.get("cold_targets") else "—"
            made = measured_with(e)
            rows.append(
                [
                    formatting.date_time(e["run_at"]),
                    f"{round(100 * e['recall'])} of 100" + ("" if k == EVAL_K else f" (top {k})"),
                    tail,
                    cold,
                    f"{e['coverage']:.0%}",
                    f"{e['discovery']:.0%}",
                    formatting.number(e["customers"]),
                    made,
                ]
            )
            keys.append(
                [
                    e["run_at"],
                    e["recall"],
                    e["tail_recall"],
                    e["cold_recall"],
                    e["coverage"],
                    e["discovery"],
                    e["customers"],
                    made,
                ]
            )
        self.history_model.set_rows(rows, keys)
        self.history_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        if not self.history:
            self.history_note.setText("Nothing measured yet: use “Measure on my latest sales”.")
        else:
            self.history_note.setText("")
