"""Overview (UX journey 1): what this shop holds and what is ready, each with its next step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lrec_desktop.core.app import shops
from lrec_desktop.gui import formatting
from lrec_desktop.gui.readiness import SETTINGS, learn_readiness, text_readiness
from lrec_desktop.gui.session import FAILED, PREPARING, READY, ShopSession
from lrec_desktop.gui.widgets.common import Card, MessageLine, heading, hint
from lrec_desktop.gui.widgets.interrupted_panel import InterruptedPanel
from lrec_desktop.gui.widgets.job_progress import JobProgress
from lrec_desktop.gui.widgets.lately_panel import LatelyPanel

DEMO_TEXT = "This is a demo shop. Open your own: File → New shop…"


class StatBox(Card):
    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = heading("–", 8)
        self.caption = QLabel(label)
        self.layout_.addWidget(self.value)
        self.layout_.addWidget(self.caption)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


class ReadyRow(QWidget):
    """One line of the readiness list: a ✓/✗ mark, what it means, and the button for the next step."""

    def __init__(self, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mark = QLabel()
        self.mark.setFixedWidth(28)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton(button_text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.mark)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)

    def set_state(self, ok: bool | None, text: str) -> None:
        symbol, colour = ("✓", "#1e8e3e") if ok else (("…", "#b06d00") if ok is None else ("✗", "#c5221f"))
        self.mark.setText(symbol)
        self.mark.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; font-size: 16pt; }}")
        self.text.setText(text)


class OverviewPage(QWidget):
    sig_import_requested = Signal()
    sig_go_customers = Signal()
    sig_settings_requested = Signal()
    sig_learn_requested = Signal()
    sig_new_shop_requested = Signal()  # a new shop from the owner's files (UX journey 2)

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.counts: Any = None  # shops.ShopCounts of the open shop, counted in the background
        self.banner = MessageLine()
        self.new_shop_button = QPushButton("Start &my own shop from my files…")
        self.new_shop_button.setToolTip("Choose where to keep your shop, then your orders file (and product file).")
        self.new_shop_button.clicked.connect(self.sig_new_shop_requested)
        self.title = heading("No shop open", 8)
        self.path_label = hint("")
        self.status = MessageLine()
        self.unfinished = InterruptedPanel(session)

        self.stats = {k: StatBox(k) for k in ("Products", "Customers", "Orders", "Sales period")}
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, box in enumerate(self.stats.values()):
            grid.addWidget(box, 0, i)

        ready = Card()
        ready.layout_.addWidget(heading("What is ready", 2))
        self.sales_row = ReadyRow("Import…")
        self.sales_row.button.clicked.connect(self.sig_import_requested)
        self.rec_row = ReadyRow("Prepare recommendations")
        self.rec_row.button.clicked.connect(self._prepare)
        self.text_row = ReadyRow("Read product descriptions")
        self.text_row.button.clicked.connect(self._text_step)
        self.text_progress = JobProgress(session.jobs)
        self.text_progress.layout().setContentsMargins(34, 0, 0, 4)
        self.text_result = hint("")
        self.text_result.setContentsMargins(34, 0, 0, 0)
        ready.layout_.addWidget(self.sales_row)
        ready.layout_.addWidget(self.rec_row)
        ready.layout_.addWidget(self.text_row)
        ready.layout_.addWidget(self.text_progress)
        ready.layout_.addWidget(self.text_result)
        self.learn_row = ReadyRow("Learn from my sales…")
        self.learn_row.button.clicked.connect(self.sig_learn_requested)
        ready.layout_.addWidget(self.learn_row)
        self.lookup_button = QPushButton("Look up a customer")
        self.lookup_button.clicked.connect(self.sig_go_customers)
        ready.layout_.addWidget(self.lookup_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.banner)
        layout.addWidget(self.new_shop_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.title)
        layout.addWidget(self.path_label)
        layout.addWidget(self.status)
        layout.addWidget(self.unfinished)
        layout.addLayout(grid)
        layout.addWidget(ready)
        self.lately = LatelyPanel(session)
        layout.addWidget(self.lately)
        layout.addStretch(1)

        session.sig_data_changed.connect(self.count)
        session.sig_recommender_changed.connect(self.refresh)
        session.sig_text_changed.connect(self.refresh_text)
        session.sig_versions_changed.connect(self.refresh_learn)
        self.refresh()

    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset): its counts, nothing of the last shop's."""
        self.count()

    def count(self, *_: object) -> None:
        """Count products, customers and orders again, in the background: on 100,000 order lines the count
        of distinct orders takes a quarter of a second (seconds on millions), which froze the window when it
        ran here after each import and on every change of the recommendations."""
        self.counts = None
        self.refresh()
        if self.session.path is None:
            return

        def done(counts: shops.ShopCounts) -> None:
            self.counts = counts
            self.refresh()

        self.session.submit("Count products and orders", shops.shop_counts, self.session.path,
                            slot="overview.counts", heavy=False, show=False, on_done=done)

    def show_status(self, text: str, kind: str = "info") -> None:
        """A line such as "Getting the demo shop ready…" while no shop is open yet."""
        if text:
            self.status.show_message(text, kind)
        else:
            self.status.clear_message()

    def _prepare(self) -> None:
        self.session.prepare_recommendations()

    def _text_step(self) -> None:
        if text_readiness(self.session).action == SETTINGS:
            self.sig_settings_requested.emit()
        else:
            self.session.read_descriptions()

    def refresh_learn(self, *_: object) -> None:
        r = learn_readiness(self.session)
        self.learn_row.set_state(r.ok, r.text)
        self.learn_row.button.setText(r.button)
        self.learn_row.button.setEnabled(self.session.is_open)

    def refresh_text(self, *_: object) -> None:
        r = text_readiness(self.session)
        self.text_row.set_state(r.ok, r.text)
        self.text_row.button.setText(r.button or "Read product descriptions")
        self.text_row.button.setVisible(bool(r.button))
        self.text_progress.follow(self.session.text_job if self.session.reading_text else None)
        result = self.session.text_result if r.ok else ""
        self.text_result.setText(result)
        self.text_result.setVisible(bool(result))
        self.refresh_learn()

    def refresh(self, *_: object) -> None:
        s = self.session
        self.new_shop_button.setVisible(s.demo or not s.is_open)
        if not s.is_open or s.path is None:
            self.banner.clear_message()
            self.title.setText("No shop open")
            self.path_label.setText("Open a shop with File → Open shop…, or start one with File → New shop…")
            for box in self.stats.values():
                box.set_value("–")
            self.sales_row.set_state(False, "No sales imported yet.")
            self.rec_row.set_state(False, "Recommendations are not prepared yet.")
            self.sales_row.button.setEnabled(False)
            self.rec_row.button.setEnabled(False)
            self.lookup_button.setEnabled(False)
            self.refresh_text()
            return
        self.status.clear_message()
        if s.demo:
            self.banner.show_message(DEMO_TEXT, "info")
        else:
            self.banner.clear_message()
        self.title.setText(s.path.stem.replace("-", " ").replace("_", " ").capitalize() if s.demo else s.path.stem)
        self.path_label.setText(str(s.path))
        if self.counts is None:
            for box in self.stats.values():
                box.set_value("…")
            self.sales_row.set_state(None, "Counting the sales…")
            self.sales_row.button.setEnabled(False)
            self.rec_row.button.setEnabled(False)
            self.lookup_button.setEnabled(False)
            self.refresh_text()
            return
        st = self.counts.stats
        self.stats["Products"].set_value(formatting.number(st.products))
        self.stats["Customers"].set_value(formatting.number(st.customers))
        self.stats["Orders"].set_value(formatting.number(st.orders))
        self.stats["Sales period"].set_value(formatting.date_range(st.first_ts, st.last_ts))
        has_sales = st.sales_lines > 0
        self.sales_row.button.setEnabled(True)
        if has_sales:
            last = f" Last import: {formatting.date(self.counts.last_import)}." if self.counts.last_import else ""
            self.sales_row.set_state(
                True,
                f"Sales imported: {formatting.plural(st.sales_lines, 'order line')} "
                f"from {formatting.plural(st.imports, 'file')}.{last}",
            )
            # Where every line read went, in the same figures as the import summary and `stats` (store.counts).
            self.sales_row.text.setToolTip(st.line_counts.sentence())
            apart = st.line_counts.parts(purchases=False)
            if apart:
                self.sales_row.text.setText(self.sales_row.text.text() + " " + "; ".join(apart).capitalize() + ".")
            self.sales_row.button.setText("Import more…")
        else:
            self.sales_row.set_state(False, "No sales imported yet. Import your orders file to begin.")
            self.sales_row.button.setText("Import…")
        state = s.rec_state
        self.rec_row.button.setEnabled(has_sales and state != PREPARING)
        self.rec_row.button.setVisible(state != READY)
        if state == READY:
            self.rec_row.set_state(True, "Recommendations are prepared and match your latest sales. "
                                   + formatting.ranking_in_use(s.recommender))
        elif state == PREPARING:
            self.rec_row.set_state(None, "Preparing recommendations… (see Jobs for progress; you can keep working)")
        elif state == FAILED:
            self.rec_row.set_state(False, f"Recommendations could not be prepared: {s.rec_error}")
        elif has_sales:
            self.rec_row.set_state(False, "Recommendations are not prepared for your latest sales yet.")
        else:
            self.rec_row.set_state(False, "Recommendations need sales: import your orders first.")
        self.lookup_button.setEnabled(st.customers > 0)
        self.refresh_text()
