"""Export recommendations (UX journey 4): which customers (a list, or segments), how many products each, long or
wide layout, the campaign's choices (pictures only, reorder reminders, a control group), a preview of the first
rows → progress → the saved file's path. The export runs core.app.export on the session's job runner."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import export
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import formatting, places
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.campaign_options import CampaignOptions
from lrec_desktop.gui.widgets.common import MessageLine, hint
from lrec_desktop.gui.widgets.discovery import DiscoverySlider
from lrec_desktop.gui.widgets.export_preview import ROWS, ExportPreview
from lrec_desktop.gui.workers import Job


def split_keys(text: str) -> list[str]:
    """Ids or e-mails pasted one per line, or separated by commas, semicolons or spaces."""
    return [k for k in re.split(r"[\s,;]+", text) if k]


def indented(label: QWidget) -> QWidget:
    """A hint under a radio button, lined up with the button's text."""
    label.setContentsMargins(24, 0, 0, 4)
    return label


def keep_place(widget: QWidget) -> None:
    """A hidden widget keeps its room in the layout, so showing it moves nothing."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def default_out(session: ShopSession) -> Path:
    folder = places.documents_dir()
    stem = session.path.stem if session.path else "shop"
    return folder / f"recommendations-{stem}.csv"


class ExportDialog(QDialog):
    def __init__(self, session: ShopSession, selected: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export recommendations")
        self.session = session
        self.selected = list(selected or [])
        self.job: Job | None = None
        self.summary: Any = None

        # Only the customer count: the whole shop_stats (distinct orders) stalled the window on opening.
        n_customers = session.shop.customer_count() if session.shop is not None else 0
        self.all_radio = QRadioButton(f"&All customers ({formatting.number(n_customers)})")
        shown = ", ".join(self.selected[:3]) + ("…" if len(self.selected) > 3 else "")
        self.selected_radio = QRadioButton(f"These &selected: {shown}" if self.selected else "These &selected (none)")
        self.selected_radio.setEnabled(bool(self.selected))
        self.pasted_radio = QRadioButton("A list of customer &ids or e-mails:")
        self.who = QButtonGroup(self)
        for b in (self.all_radio, self.selected_radio, self.pasted_radio):
            self.who.addButton(b)
        (self.selected_radio if self.selected else self.all_radio).setChecked(True)
        self.pasted = QPlainTextEdit()
        self.pasted.setPlaceholderText("One per line, or separated by commas")
        self.pasted.setFixedHeight(80)
        self.pasted.textChanged.connect(lambda: self.pasted_radio.setChecked(True))
        who = QVBoxLayout()
        for w in (self.all_radio, self.selected_radio, self.pasted_radio, self.pasted):
            who.addWidget(w)

        self.top = QSpinBox()
        self.top.setRange(1, 100)
        self.top.setValue(10)
        self.top.setMaximumWidth(110)  # a number of two or three digits, not a full-width field
        self.long_radio = QRadioButton("&Long: one row per customer and product")
        self.long_radio.setToolTip("The CLI's layout: customer_id, rank, item_id, title, score, reason.")
        self.wide_radio = QRadioButton("&Wide: one row per customer, for mail merge")
        self.wide_radio.setToolTip("email, name, then per product its title, id, picture, link and price "
                                   "(product_1_title, product_1_id, product_1_image, product_1_url, "
                                   "product_1_price, …).")
        self.long_radio.setChecked(True)
        self.layout_group = QButtonGroup(self)
        self.layout_group.addButton(self.long_radio)
        self.layout_group.addButton(self.wide_radio)
        self.discovery = DiscoverySlider(n=self.top.value(), compact=True)
        self.discovery.set_level(session.discovery)
        self.discovery.set_recommender(session.recommender)
        self.top.valueChanged.connect(self._top_changed)
        layouts = QVBoxLayout()
        layouts.addWidget(self.long_radio)
        layouts.addWidget(indented(hint("For spreadsheets and scripts.")))
        layouts.addWidget(self.wide_radio)
        layouts.addWidget(indented(hint("Columns product_1, product_2, … that e-mail tools fill into a message.")))
        self.out = QLineEdit(str(default_out(session)))
        browse = QPushButton("C&hoose…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)

        habit = session.shop.reorder_habit() if session.shop is not None else None
        self.options = CampaignOptions(session.shop.categories() if session.shop is not None else [],
                                       bool(habit and habit.enabled), habit.words() if habit else "")

        form = QFormLayout()
        form.addRow("Customers:", who)
        form.addRow("Of them:", self.options)
        form.addRow("Products per customer:", self.top)
        form.addRow("Discovery:", self.discovery)
        form.addRow("Layout:", layouts)
        form.addRow("Save to:", out_row)

        self.error = MessageLine()
        self.preview = ExportPreview()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.result = MessageLine()
        self.preview_button = QPushButton("&Preview")
        self.preview_button.clicked.connect(self.show_preview)
        self.preview_job: Job | None = None
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton("&Open folder")
        keep_place(self.open_button)
        self.open_button.hide()
        self.open_button.clicked.connect(self._open_folder)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        for b in (self.preview_button, self.export_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        self.cancel_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Each customer gets products they have not bought yet, best first, with a "
                "“why this?” reason (and, when ticked, what they reorder and is due). The file is UTF-8 CSV that "
                "spreadsheets open directly."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.preview)
        layout.addStretch(1)  # room the dialog is given beyond its size goes here, not into the form's rows
        layout.addWidget(self.status_area())
        layout.addLayout(buttons)
        self.setMinimumWidth(620)

    def status_area(self) -> QWidget:
        """The progress bar and the result line in room kept for them from the start (issue 20 item 8): they
        appeared after the first export and pushed the form ~56 px up, so a second click missed its control."""
        area = QWidget()
        box = QVBoxLayout(area)
        box.setContentsMargins(0, 0, 0, 0)
        keep_place(self.progress)
        box.addWidget(self.progress)
        box.addWidget(self.result)
        box.addStretch(1)
        two_lines = 2 * self.result.fontMetrics().lineSpacing() + 12 + 2  # the line's padding and border
        area.setMinimumHeight(self.progress.sizeHint().height() + box.spacing() + two_lines)
        return area

    def _top_changed(self, n: int) -> None:
        self.discovery.n = n
        self.discovery.set_level(self.discovery.level())  # the caption counts the places in lists of n

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save recommendations as", self.out.text(), "CSV file (*.csv)")
        if name:
            self.out.setText(name if name.lower().endswith(".csv") else name + ".csv")

    def customers(self) -> list[str] | None:
        """The chosen customer ids (None = all); raises UserError naming keys that match no customer."""
        if self.all_radio.isChecked():
            return None
        if self.selected_radio.isChecked():
            return list(self.selected)
        keys = split_keys(self.pasted.toPlainText())
        if not keys:
            raise UserError("Paste at least one customer id or e-mail, or choose “All customers”.")
        shop = self.session.shop
        found = {k: shop.find_customer(k) if shop is not None else None for k in keys}
        missing = [k for k, v in found.items() if v is None]
        if missing:
            few = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise UserError(
                f"{formatting.plural(len(missing), 'entry', 'entries')} match no customer of this shop: {few}."
            )
        return list(dict.fromkeys(v for v in found.values() if v))

    def request(self) -> export.ExportRequest:
        """The export as chosen; raises UserError for a choice that can't be exported."""
        customers = self.customers()
        if not self.out.text().strip():
            raise UserError("Choose where to save the file.")
        out = Path(self.out.text().strip()).expanduser()
        if not out.parent.is_dir():
            raise UserError(f"The folder {out.parent} does not exist; choose another place to save.")
        o = self.options
        # From the window a campaign file is opened in Excel: UTF-8 with a byte-order mark, so titles read right.
        layout = "wide" if self.wide_radio.isChecked() else "long"
        return export.export_request(out, self.top.value(), customers, layout,
                             self.discovery.level(), excel=True, segments=o.segments(),
                             picture_only=o.picture_only.isChecked(), holdout=o.holdout(),
                             campaign=o.campaign_name.text().strip(), buy_again=o.buy_again.isChecked())

    def show_preview(self) -> None:
        """The first rows of the file, worked out in the background; nothing is written."""
        self.error.clear_message()
        try:
            request = self.request()
        except UserError as exc:
            self.error.show_message(str(exc))
            return
        if self.preview_job is not None and self.preview_job.active:
            self.preview_job.cancel()
        self.preview_button.setEnabled(False)

        def done(preview: Any) -> None:
            self.preview_button.setEnabled(True)
            self.preview.show_preview(preview, request.holdout)

        def failed(exc: BaseException) -> None:
            self.preview_button.setEnabled(True)
            self.error.show_message(str(exc) if isinstance(exc, UserError) else
                                    "The preview stopped because of an unexpected error.")

        self.preview_job = self.session.submit("Preview the export", export.preview_export, self.session.path,
                                               request, ROWS, slot="export.preview", heavy=False, show=False,
                                               on_done=done, on_error=failed,
                                               on_cancel=lambda: self.preview_button.setEnabled(True))

    def start(self) -> None:
        self.error.clear_message()
        self.result.clear_message()
        try:
            request = self.request()
        except UserError as exc:
            self.error.show_message(str(exc))
            return
        self.progress.setValue(0)
        self.progress.show()
        self.job = self.session.submit(
            f"Export recommendations to {request.out.name}",
            export.export_recommendations,
            self.session.path,
            request,
            on_done=self._done,
            on_error=self._failed,
            on_cancel=self._cancelled,
            on_progress=lambda f, _m: self.progress.setValue(int(f * 1000)),
        )
        self._busy(True)

    def cancel(self) -> None:
        if self.job is not None and self.job.active:
            self.job.cancel()

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def _done(self, summary: Any) -> None:
        self.summary = summary
        self._busy(False)
        self.progress.setValue(1000)
        kept = (f" {formatting.plural(summary.held_back, 'customer')} held back to measure the campaign: see "
                "Campaigns after your next import." if summary.campaign_id is not None else "")
        self.result.show_message(
            f"Saved {formatting.plural(summary.rows, 'row')} for {formatting.plural(summary.customers, 'customer')} "
            f"to {summary.path}.{kept}",
            "ok",
        )
        self.open_button.show()
        if summary.recorded:  # a product's page shows how often it was in the lists sent
            self.session.sig_lists_sent.emit()

    def _cancelled(self) -> None:
        self._busy(False)
        self.progress.hide()
        self.result.show_message("Export cancelled; no file was written.", "muted")

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.progress.hide()
        if isinstance(exc, UserError):
            self.error.show_message(str(exc))
        else:
            self.error.show_message("The export stopped because of an unexpected error; no file was written.")

    def _open_folder(self) -> None:
        if self.summary is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.summary.path).parent)))

    def reject(self) -> None:
        self.cancel()
        if self.preview_job is not None and self.preview_job.active:
            self.preview_job.cancel()
        super().reject()
