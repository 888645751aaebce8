"""Long tail (UX journey 6): how sales spread over the catalog, how far the recommendations reach into it,
the discovery slider ("Bestsellers ↔ Hidden gems") and what it changes, live; and the evaluation of the
recommendations on each customer's latest purchases, kept run after run (``widgets.evaluation_panel``).

The charts come from ``widgets.charts``, which loads pyqtgraph: it is imported when the page is first shown,
so the window opens without it. Reports are computed in the background: once for a sweep of discovery
levels (the display interpolates between them at once while the slider moves), then exactly for the level
chosen (debounced; the newest request wins).
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import evaluate
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import PREPARING, READY, ShopSession
from lrec_desktop.gui.widgets.common import Card, MessageLine, Note, heading, hint, scroll_page
from lrec_desktop.gui.widgets.discovery import DiscoverySlider
from lrec_desktop.gui.widgets.evaluation_panel import EvaluationPanel
from lrec_desktop.gui.widgets.job_progress import JobProgress
from lrec_desktop.gui.workers import Job

TOP_N = 10  # the lists counted: as long as the Customers page shows
DEBOUNCE_MS = 250
CHART_HEIGHT = 282  # the legend, the plot with its axis words, and a two-line read-out
FIGURES = ("coverage", "tail_share", "tail_coverage", "gini")
GINI_TIP = (
    "How evenly the recommendations spread over your products (the Gini index): 0 means every product is "
    "recommended equally often, 1 means all recommendations go to a single product. Most shops sit between "
    "0.7 and 0.95; lower means more of the catalog gets a chance."
)


SPREAD_WORDS = (  # (Gini below, words): how a shop owner would say how evenly the slots are shared
    (0.5, "fairly evenly, over many of your products"),
    (0.75, "unevenly: popular products get more of them"),
    (0.9, "very unevenly: a small group of products gets most of them"),
    (1.01, "almost all go to a handful of products"),
)


def spread_words(gini: float) -> str:
    """The Gini index of the recommendation slots in words (the number itself is in the tooltip)."""
    return next(words for below, words in SPREAD_WORDS if gini < below)


def interpolate(reports: list[Any], level: float) -> dict[str, Any]:
    """The figures at ``level`` read off straight lines between the sweep's reports (an estimate)."""
    reports = sorted(reports, key=lambda r: r.discovery)
    lo = max((r for r in reports if r.discovery <= level), key=lambda r: r.discovery, default=reports[0])
    hi = min((r for r in reports if r.discovery >= level), key=lambda r: r.discovery, default=reports[-1])
    t = 0.0 if hi.discovery == lo.discovery else (level - lo.discovery) / (hi.discovery - lo.discovery)
    view = {f: (1 - t) * getattr(lo, f) + t * getattr(hi, f) for f in FIGURES}
    view["exposure_share"] = [(1 - t) * a + t * b for a, b in zip(lo.exposure_share, hi.exposure_share, strict=True)]
    view.update(discovery=level, customers=lo.customers, k=lo.k, exact=False)
    return view


def report_view(report: Any) -> dict[str, Any]:
    view = {f: float(getattr(report, f)) for f in FIGURES}
    view.update(
        exposure_share=list(report.exposure_share),
        discovery=float(report.discovery),
        customers=report.customers,
        k=report.k,
        exact=True,
    )
    return view


def tail_words(report: Any) -> str:
    products = len(report.sales_curve)
    never = (
        f"{formatting.number(report.never_sold)} never sold yet"
        if report.never_sold
        else "every product sold at least once"
    )
    return (
        f"The long tail: {formatting.number(report.rarely_sold)} of your {formatting.plural(products, 'product')} "
        f"are rarely sold; {never}."
    )


class LongTailPage(QWidget):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.charts_built = False
        self.sweep: list[Any] = []  # reports at evaluate.SWEEP_LEVELS for self.base
        self.exact: dict[float, Any] = {}  # exact reports by level, for self.base
        self.base: tuple | None = None  # (recommender, rules version) the reports belong to
        self.view: dict[str, Any] | None = None  # the figures on screen
        self.sweep_job: Job | None = None
        self.exact_job: Job | None = None
        self.eval_job: Job | None = None
        self.history: list[dict[str, Any]] = []

        self.summary = heading("", 1)
        self.summary.setWordWrap(True)
        self.status = MessageLine()
        self.sweep_progress = JobProgress(session.jobs)

        # The charts' places; filled with pyqtgraph charts on first show.
        self.chart_row = QHBoxLayout()
        self.chart_row.setSpacing(16)
        self.sweep_place = QVBoxLayout()
        self.sweep_place.setContentsMargins(0, 0, 0, 0)
        self.curve_chart: Any = None
        self.bars_chart: Any = None
        self.sweep_chart: Any = None

        # Discovery: the slider and the figures in words.
        self.slider = DiscoverySlider()
        self.slider.sig_moved.connect(self._moved)
        self.slider.sig_chosen.connect(self._chosen)
        self.saved_note = Note()
        self.reach = QLabel()
        self.gem_share = QLabel()
        self.tail_reach = QLabel()
        self.gini = QLabel()
        self.gini.setToolTip(GINI_TIP)
        self.counted = Note()
        for label in (self.reach, self.gem_share, self.tail_reach, self.gini):
            label.setWordWrap(True)
        discovery_card = Card()
        discovery_card.layout_.addWidget(heading("Discovery: bestsellers ↔ hidden gems", 2))
        discovery_card.layout_.addWidget(
            hint(
                "Move the slider to keep more room in every list for rarely sold and new products that fit the "
                "customer. The figures and charts follow; the level is saved for the Customers page and exports."
            )
        )
        discovery_card.layout_.addWidget(self.slider)
        discovery_card.layout_.addSpacing(4)
        for w in (self.reach, self.gem_share, self.tail_reach, self.gini, self.counted, self.saved_note):
            discovery_card.layout_.addWidget(w)
        discovery_card.layout_.addStretch(1)
        discovery_row = QHBoxLayout()
        discovery_row.setSpacing(16)
        discovery_row.addWidget(discovery_card, 2)
        discovery_row.addLayout(self.sweep_place, 3)

        self.evaluation = EvaluationPanel(session)  # the evaluation card, run after run

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading("Long tail"))
        layout.addWidget(
            hint(
                "Most shops sell a few products often and many rarely: that second group is the “long tail”. "
                "Here is how far the recommendations reach into it."
            )
        )
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addWidget(self.sweep_progress)
        layout.addLayout(self.chart_row)
        layout.addLayout(discovery_row)
        layout.addWidget(self.evaluation)
        layout.addStretch(1)
        self.scroll = scroll_page(self, content)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._compute_exact)

        session.sig_recommender_changed.connect(lambda _s: self.refresh())
        session.sig_rules_changed.connect(self.refresh)
        session.sig_discovery_changed.connect(self._discovery_saved)
        self.reset()

    # --- building and refreshing --------------------------------------------------------------------
    def build_charts(self) -> None:
        """Create the pyqtgraph charts (imports pyqtgraph: first show only)."""
        if self.charts_built:
            return
        from lrec_desktop.gui.widgets import charts

        self.curve_chart = charts.PopularityChart()
        self.bars_chart = charts.ShareBars()
        self.sweep_chart = charts.SweepChart()
        # Fixed heights: a chart's own size hint is tall, and the slider must stay in view at 1280x800.
        for chart in (self.curve_chart, self.bars_chart):
            chart.setFixedHeight(CHART_HEIGHT)
        self.sweep_chart.setMinimumHeight(CHART_HEIGHT)
        self.sweep_chart.setMaximumHeight(CHART_HEIGHT + 80)  # as tall as the discovery card beside it
        self.chart_row.addWidget(self.curve_chart, 1)
        self.chart_row.addWidget(self.bars_chart, 1)
        self.sweep_place.addWidget(self.sweep_chart)
        self.charts_built = True
        self._chart_visibility()
        # The charts are made after the page: put their buttons where they are on screen in the Tab order.
        chain = [
            self.curve_chart.save_button,
            self.bars_chart.save_button,
            self.slider.slider,
            self.sweep_chart.save_button,
            self.evaluation.eval_button,
            self.evaluation.history_table,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _chart_visibility(self) -> None:
        """The charts only once there is something to draw: while the figures are counted (or can't be), empty
        axes with a meaningless range read as a broken chart; the status line says what is happening."""
        if self.charts_built:
            for chart in (self.curve_chart, self.bars_chart, self.sweep_chart):
                chart.setVisible(bool(self.sweep))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.build_charts()
        self.refresh()

    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset): no figure, chart or note of the last."""
        self.sweep, self.exact, self.base, self.view = [], {}, None, None
        self.summary.setText("")
        self.saved_note.setText("")
        if self.charts_built:
            for chart in (self.curve_chart, self.bars_chart, self.sweep_chart):
                chart.clear()
        self.slider.set_level(self.session.discovery)
        self.slider.set_recommender(self.session.recommender)
        self.slider.setEnabled(self.session.is_open)
        self._show_figures()
        self.evaluation.reset()
        self.refresh()

    def refresh(self) -> None:
        """Bring the page up to date with the loaded recommendations and rules (when it is on screen)."""
        s = self.session
        base = (id(s.recommender), s.rules_version)
        if s.recommender is not self.slider.recommender:  # the caption tells how this shop's lists take a level
            self.slider.set_recommender(s.recommender)
        if base != self.base:
            self.sweep, self.exact, self.base, self.view = [], {}, base, None
            if self.sweep_job is not None and self.sweep_job.active:
                self.sweep_job.cancel()
        self._chart_visibility()
        if not s.is_open:
            self.status.show_message("Open a shop to see how its sales spread over the catalog.", "info")
            return
        if s.rec_state != READY or s.recommender is None:
            text = (
                "Recommendations are being prepared (see Jobs); the figures appear once they are ready."
                if s.rec_state == PREPARING
                else "Prepare the recommendations first (Overview page) to see how far they reach."
            )
            self.status.show_message(text, "info")
            return
        if not self.isVisible():
            return  # counted when the page is next shown
        if not self.sweep and not (self.sweep_job is not None and self.sweep_job.active):
            self._start_sweep()
        self._display(self.slider.level())

    def _start_sweep(self) -> None:
        s = self.session
        base = self.base
        self.status.show_message("Counting how the recommendations spread over your catalog…", "muted")
        self.sweep_job = s.submit(
            "Long tail: measure the discovery levels",
            evaluate.longtail_reports,
            s.path,
            list(evaluate.SWEEP_LEVELS),
            s.recommender,
            TOP_N,
            slot="longtail.sweep",
            on_done=lambda reports: self._sweep_done(base, reports),
            on_error=self._sweep_failed,
            on_cancel=lambda: self.status.show_message("Counting was cancelled; show this page again to count.",
                                                       "muted"),
        )
        self.sweep_progress.follow(self.sweep_job)

    def _sweep_done(self, base: tuple | None, reports: list[Any]) -> None:
        if base != self.base:
            return
        self.sweep = list(reports)
        self._chart_visibility()
        for r in reports:
            self._remember(r)
        self.status.clear_message()
        first = reports[0]
        rec = self.session.recommender
        self.summary.setText(" ".join(t for t in (tail_words(first), formatting.ranking_in_use(rec),
                                                  formatting.default_discovery_words(rec)) if t))
        if self.charts_built:
            self.curve_chart.set_curve(first.sales_curve, first.head_size)
            self.sweep_chart.set_sweep(
                [r.discovery for r in reports], [r.coverage for r in reports], [r.tail_share for r in reports]
            )
        self._display(self.slider.level())

    def _sweep_failed(self, exc: BaseException) -> None:
        self.status.show_message(f"The long-tail figures could not be counted: {exc}")

    def _remember(self, report: Any) -> None:
        level = round(float(report.discovery), 2)
        self.exact[level] = report
        key = (self.base[0], self.base[1], level) if self.base else None
        if key is not None and key == self.session.exposure_key():
            self.session.remember_exposure(report, key)

    # --- the slider -----------------------------------------------------------------------------------
    def _moved(self, level: float) -> None:
        self._display(level)

    def _chosen(self, level: float) -> None:
        self.session.set_discovery(level)
        self._remember_current()

    def _discovery_saved(self, level: float) -> None:
        if abs(self.slider.level() - level) > 1e-9:
            self.slider.set_level(level)
            self._display(level)
        self.saved_note.setText(f"Saved: {level:.0%}. The Customers page and new exports use it from now on.")

    def _remember_current(self) -> None:
        report = self.exact.get(round(self.session.discovery, 2))
        if report is not None:
            self._remember(report)

    def _display(self, level: float) -> None:
        """Show the figures for ``level``: exact when counted, else an estimate from the sweep while the exact
        count runs in the background."""
        level = round(level, 2)
        report = self.exact.get(level)
        if report is not None:
            self.debounce.stop()
            self.session.jobs.drop_slot("longtail.exact")  # an exact count for another level is no longer wanted
            self.view = report_view(report)
        elif self.sweep:
            self.view = interpolate(self.sweep, level)
            self.debounce.start()
        else:
            self.view = None
        self._show_figures()

    def _compute_exact(self) -> None:
        s = self.session
        level = round(self.slider.level(), 2)
        if level in self.exact or s.recommender is None or s.rec_state != READY:
            return
        base = self.base
        self.exact_job = s.submit(
            f"Long tail at {level:.0%} discovery",
            evaluate.longtail_reports,
            s.path,
            [level],
            s.recommender,
            TOP_N,
            slot="longtail.exact",  # the newest level asked for wins
            show=False,
            on_done=lambda reports: self._exact_done(base, reports[0]),
            on_error=self._exact_failed,
        )

    def _exact_done(self, base: tuple | None, report: Any) -> None:
        if base != self.base:
            return
        self._remember(report)
        self._display(float(report.discovery))

    def _exact_failed(self, exc: BaseException) -> None:
        self.status.show_message(f"The figures for this level could not be counted: {exc}")

    def _show_figures(self) -> None:
        v = self.view
        sweep = self.sweep[0] if self.sweep else None
        if self.charts_built:
            self.sweep_chart.set_marker(self.slider.level())
        if v is None or sweep is None:
            for label in (self.reach, self.gem_share, self.tail_reach, self.gini):
                label.setText("")
            self.counted.setText("")
            return
        products = len(sweep.sales_curve)
        tail_products = sweep.rarely_sold + sweep.never_sold
        estimate = "" if v["exact"] else "≈ "
        self.reach.setText(
            f"Recommendations reach {estimate}<b>{v['coverage']:.0%}</b> of your catalog "
            f"({estimate}{formatting.number(v['coverage'] * products)} of {formatting.plural(products, 'product')})."
        )
        self.gem_share.setText(
            f"Rarely sold and new products get {estimate}<b>{v['tail_share']:.0%}</b> of the recommendation slots."
        )
        self.tail_reach.setText(
            f"{estimate}{formatting.number(v['tail_coverage'] * tail_products)} of your "
            f"{formatting.number(tail_products)} rarely sold and new products are recommended to someone."
        )
        self.gini.setText(f"How the recommendations are shared out: {spread_words(v['gini'])}.")
        self.gini.setToolTip(f"{GINI_TIP} Here: {estimate}{v['gini']:.2f}.")
        self.counted.setText(
            f"Counted on the top-{v['k']} lists of {formatting.plural(v['customers'], 'customer')}."
            if v["exact"]
            else "Estimated from the levels measured; counting this level exactly…"
        )
        if self.charts_built:
            self.bars_chart.set_shares(sweep.sales_share, v["exposure_share"])
