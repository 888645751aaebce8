"""Import (UX journey 2): pick files → preview with each column's meaning → Import with progress and
Cancel → a summary in plain words, the skipped rows on demand → Prepare recommendations."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import imports
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import PREPARING, READY, ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import MessageLine, heading, hint
from lrec_desktop.gui.widgets.mapping_preview import CONFIDENCE_COLOURS, MappingPreview
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.widgets.watch_folder import WatchFolder
from lrec_desktop.gui.workers import Job

FILE_FILTER = "Orders or products (*.csv *.tsv *.txt *.xlsx *.xls);;All files (*)"
ORDERS, PRODUCTS = "orders", "products"


class ImportPage(QWidget):
    sig_imported = Signal(object)  # the ImportSummary

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.files: dict[str, Path | None] = {ORDERS: None, PRODUCTS: None}
        self.previews: dict[str, MappingPreview] = {}
        self.job: Job | None = None
        self.summary: Any = None

        self.orders_label = QLabel("No file chosen")
        self.orders_button = QPushButton("Choose &orders file…")
        self.orders_button.clicked.connect(lambda: self._choose(ORDERS))
        self.products_label = QLabel("None (products are taken from the orders file)")
        self.products_button = QPushButton("Choose &product file…")
        self.products_button.clicked.connect(lambda: self._choose(PRODUCTS))
        self.products_clear = QPushButton("Re&move")
        self.products_clear.clicked.connect(self._clear_products)
        self.products_clear.hide()
        picks = QGridLayout()
        picks.addWidget(QLabel("Orders file:"), 0, 0)
        picks.addWidget(self.orders_label, 0, 1)
        picks.addWidget(self.orders_button, 0, 2)
        picks.addWidget(QLabel("Product file (optional):"), 1, 0)
        picks.addWidget(self.products_label, 1, 1)
        row = QHBoxLayout()
        row.addWidget(self.products_button)
        row.addWidget(self.products_clear)
        picks.addLayout(row, 1, 2)
        picks.setColumnStretch(1, 1)

        self.error = MessageLine()
        self.legend = QLabel(self._legend_html())
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)

        self.import_button = QPushButton("&Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress_text = QLabel()
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.cancel_import)
        for b in (self.import_button, self.cancel_button):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setMinimumWidth(110)
        actions = QHBoxLayout()
        actions.addWidget(self.import_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.progress_text)
        actions.addWidget(self.cancel_button)

        self.result = MessageLine()
        self.problems_button = QPushButton("Show &which and why")
        self.problems_button.setCheckable(True)
        self.problems_button.toggled.connect(lambda on: self.problems.setVisible(on))
        self.prepare_button = QPushButton("P&repare recommendations")
        self.prepare_button.clicked.connect(self._prepare)
        after = QHBoxLayout()
        after.addWidget(self.problems_button)
        after.addWidget(self.prepare_button)
        after.addStretch(1)
        self.problems_model = RowsModel(["File", "Row", "Column", "Why it was skipped"])
        self.problems = TableView("import-problems")
        self.problems.setModel(self.problems_model)
        self.problems.set_widths([160, 70, 140, 400])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading("Import sales"))
        layout.addWidget(
            hint(
                "Pick the orders file exported from your shop or till (CSV or Excel). A product file "
                "is optional: without one, product names are taken from the orders."
            )
        )
        layout.addLayout(picks)
        layout.addWidget(self.error)
        layout.addWidget(self.legend)
        layout.addWidget(self.tabs, 3)
        layout.addLayout(actions)
        layout.addWidget(self.result)
        layout.addLayout(after)
        layout.addWidget(self.problems, 2)
        self.watch_folder = WatchFolder(session)  # optional, off by default (issue 21, item 9)
        layout.addWidget(self.watch_folder)
        self._reset_result()
        self._update_buttons()
        session.sig_recommender_changed.connect(self._recommender_changed)

    def _recommender_changed(self, state: str) -> None:
        """The button said "Preparing… (see Jobs)" until the next shop; it follows the preparing instead."""
        if state == PREPARING or not self.prepare_button.isVisible():
            return
        if state == READY:
            self.prepare_button.hide()
            done = self.summary.message() + " " if self.summary is not None else ""
            self.result.show_message(done + "The recommendations are ready: see the Customers page.", "ok")
        self.prepare_button.setEnabled(True)
        self.prepare_button.setText("P&repare recommendations")

    @staticmethod
    def _legend_html() -> str:
        def chip(state: str, text: str) -> str:
            bg, fg = CONFIDENCE_COLOURS[state]
            return f"<span style='background:{bg}; color:{fg};'>&nbsp;{text}&nbsp;</span>"

        return (
            "Check each column's meaning in the drop-downs: "
            + chip("recognised", "recognised")
            + " "
            + chip("unsure", "unsure — please check")
            + " "
            + chip("ignored", "ignored")
        )

    # --- choosing files ----------------------------------------------------------------------------
    def _choose(self, which: str) -> None:
        title = "Choose the orders file" if which == ORDERS else "Choose the product file"
        name, _ = QFileDialog.getOpenFileName(self, title, str(Path.home()), FILE_FILTER)
        if name:
            self.set_file(which, Path(name))

    def _clear_products(self) -> None:
        self.files[PRODUCTS] = None
        self.products_label.setText("None (products are taken from the orders file)")
        self.products_clear.hide()
        self._drop_preview(PRODUCTS)
        self._update_buttons()

    def set_file(self, which: str, path: Path) -> None:
        """Choose a file and read its preview in the background."""
        self.files[which] = path
        (self.orders_label if which == ORDERS else self.products_label).setText(str(path))
        if which == PRODUCTS:
            self.products_clear.show()
        self.error.clear_message()
        self._reset_result()
        self._drop_preview(which)
        db_path = self.session.path
        self.session.submit(
            f"Read the first rows of {path.name}",
            imports.read_preview,
            path,
            db_path,
            slot=("import.preview", which),  # a file chosen again: the newest choice wins
            heavy=False,
            show=False,
            on_done=lambda p: self._show_preview(which, path, p),
            on_error=lambda e: self._preview_failed(which, path, e),
        )
        self._update_buttons()

    def _drop_preview(self, which: str) -> None:
        old = self.previews.pop(which, None)
        if old is not None:
            self.tabs.removeTab(self.tabs.indexOf(old))
            old.deleteLater()

    def _show_preview(self, which: str, path: Path, preview: Any) -> None:
        if self.files.get(which) != path:
            return  # the user picked another file meanwhile
        self._drop_preview(which)
        table = MappingPreview(preview, imports.fields())
        table.sig_mapping_changed.connect(self._check_mapping)
        self.previews[which] = table
        label = f"{'Orders' if which == ORDERS else 'Products'}: {path.name}"
        self.tabs.insertTab(0 if which == ORDERS else self.tabs.count(), table, label)
        self.tabs.setCurrentWidget(table)
        self._tab_order()
        self._check_mapping()
        self._update_buttons()

    def _tab_order(self) -> None:
        """Tab goes through the page as it reads: the file buttons, the preview's tabs and drop-downs, then
        Import. A preview is made after the page, so its drop-downs would otherwise come last."""
        chain: list[QWidget] = [self.tabs.tabBar()]
        for i in range(self.tabs.count()):
            table = self.tabs.widget(i)
            if isinstance(table, MappingPreview):
                chain += [table.combos[c] for c in table.columns]
        chain.append(self.import_button)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _preview_failed(self, which: str, path: Path, exc: BaseException) -> None:
        if self.files.get(which) != path:
            return
        self.files[which] = None
        (self.orders_label if which == ORDERS else self.products_label).setText("No file chosen")
        if isinstance(exc, UserError):
            self.error.show_message(str(exc))
        else:
            self.error.show_message(f"{path.name} could not be read as a table of orders or products.")
        self._update_buttons()

    def _check_mapping(self) -> bool:
        for which, table in self.previews.items():
            twice = table.duplicates()
            if twice:
                names = ", ".join(f"“{formatting.field_label(f)}”" for f in twice)
                self.error.show_message(
                    f"In the {which} file, more than one column is marked as {names}: "
                    "choose one and set the others to “(ignore)”."
                )
                self._update_buttons()
                return False
        if self.error.kind == "error":
            self.error.clear_message()
        self._warn_kind()
        self._update_buttons()
        return True

    def _warn_kind(self) -> None:
        """Say when a file's columns don't fit its kind; the warning goes as soon as the mapping makes sense."""
        for which, table in self.previews.items():
            path = self.files.get(which)
            message = imports.kind_message(path.name if path else which, which, table.mapping())
            if message:
                self.error.show_message(message, "warn")
                return
        if self.error.kind == "warn":
            self.error.clear_message()

    # --- importing ----------------------------------------------------------------------------------
    def plan(self) -> imports.ImportPlan:
        mapping: dict[str, str] = {}
        remember = []
        for which in (ORDERS, PRODUCTS):
            table = self.previews.get(which)
            if table is None:
                continue
            chosen = table.mapping()
            remember.append((table.columns, chosen))
            for field, column in chosen.items():
                mapping.setdefault(field, column)
        for field in imports.fields():
            mapping.setdefault(field, "")  # "" = no such column: a guess the owner set to "(ignore)" stays off
        return imports.ImportPlan(
            items=self.files[PRODUCTS], interactions=self.files[ORDERS], mapping=mapping, remember=remember
        )

    def start_import(self) -> None:
        if self.job is not None and self.job.active:
            return
        if self.session.path is None:
            self.error.show_message("Open or create a shop first (File → New shop…).")
            return
        if self.files[ORDERS] is None and self.files[PRODUCTS] is None:
            self.error.show_message("Choose the orders file to import first.")
            return
        if not self._check_mapping():
            return
        plan = self.plan()
        self._reset_result()
        self.progress.setValue(0)
        self.progress_text.setText("Starting…")
        names = ", ".join(p.name for p in (plan.interactions, plan.items) if p)
        self.job = self.session.submit(
            f"Import {names}",
            imports.run_import,
            self.session.path,
            plan,
            on_done=self._imported,
            on_error=self._import_failed,
            on_cancel=self._import_cancelled,
            on_progress=self._progress,
        )
        self._update_buttons()

    def cancel_import(self) -> None:
        if self.job is not None and self.job.active:
            self.job.cancel()
            self.progress_text.setText("Cancelling…")

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.progress_text.setText(message or f"{fraction:.0%}")

    def _imported(self, summary: Any) -> None:
        self.summary = summary
        self.progress.setValue(1000)
        self.progress_text.setText("Done")
        self.result.show_message(summary.message(), "ok")
        rows = []
        for f in summary.files:
            for row, column, reason in f.problems:
                rows.append(
                    [Path(str(f.file)).name, formatting.number(row) if row is not None else "", column or "", reason]
                )
        self.problems_model.set_rows(rows)
        self.problems_button.setVisible(bool(rows))
        self.problems_button.setText(f"Show &which and why ({formatting.number(len(rows))})")
        self.prepare_button.show()
        self.session.data_changed()
        self._update_buttons()
        self.sig_imported.emit(summary)

    def _import_cancelled(self) -> None:
        self.progress.setValue(0)
        self.progress_text.setText("")
        self.result.show_message("Import cancelled; nothing was imported.", "muted")
        self._update_buttons()

    def _import_failed(self, exc: BaseException) -> None:
        self.progress.setValue(0)
        self.progress_text.setText("")
        if isinstance(exc, UserError):
            self.result.show_message(str(exc), "error")
        else:
            self.result.show_message("The import stopped because of an unexpected error; nothing was imported.")
        self._update_buttons()

    def _prepare(self) -> None:
        self.session.prepare_recommendations()
        self.prepare_button.setEnabled(False)
        self.prepare_button.setText("Preparing recommendations… (see Jobs)")

    def _reset_result(self) -> None:
        self.result.clear_message()
        self.problems_button.setChecked(False)
        self.problems_button.hide()
        self.problems.hide()
        self.prepare_button.hide()
        self.prepare_button.setEnabled(True)
        self.prepare_button.setText("P&repare recommendations")
        self.problems_model.set_rows([])

    def _update_buttons(self) -> None:
        running = self.job is not None and self.job.active
        ready = bool(self.previews) and all(not t.duplicates() for t in self.previews.values())
        self.import_button.setEnabled(ready and not running and self.session.path is not None)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running or self.progress.value() > 0)
        self.orders_button.setEnabled(not running)
        self.products_button.setEnabled(not running)
        self.legend.setVisible(bool(self.previews))

    def reset(self) -> None:
        """A new shop was opened: forget the files of the previous one."""
        self.summary = None
        for which in (ORDERS, PRODUCTS):
            self._drop_preview(which)
            self.files[which] = None
        self.orders_label.setText("No file chosen")
        self._clear_products()
        self.error.clear_message()
        self.progress.setValue(0)
        self.progress_text.setText("")
        self._reset_result()
        self._update_buttons()
        self.watch_folder.reset()
