"""Import (UX journey 2): pick files → preview with each column's meaning → Import with progress and
Cancel → a summary in plain words, the skipped rows on demand → Prepare recommendations. "Prepare everything"
does the import, the reading of the product descriptions and the preparing in one go (issue 20), and ends on
"Export recommendations…"."""

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
from lrec_desktop.gui.prepare_everything import Outcome, PrepareEverything, Step, outcome_words
from lrec_desktop.gui.session import PREPARING, READY, ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import MessageLine, heading, hint
from lrec_desktop.gui.widgets.mapping_preview import CONFIDENCE_COLOURS, MappingPreview
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.widgets.watch_folder import WatchFolder
from lrec_desktop.gui.workers import DONE, Job

FILE_FILTER = "Orders or products (*.csv *.tsv *.txt *.xlsx *.xls);;All files (*)"
ORDERS, PRODUCTS = "orders", "products"


class ImportPage(QWidget):
    sig_imported = Signal(object)  # the ImportSummary
    sig_export_requested = Signal()

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.files: dict[str, Path | None] = {ORDERS: None, PRODUCTS: None}
        self.previews: dict[str, MappingPreview] = {}
        self.job: Job | None = None
        self.summary: Any = None
        self._sort_roles = False  # two files picked at once: tell which is which once both are previewed

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

        self.everything_button = QPushButton("Import and prepare &everything")
        self.everything_button.setToolTip("Imports the files, lets the text model read the product descriptions "
                                          "and prepares the recommendations, one after the other.")
        self.everything_button.setDefault(True)
        self.everything_button.clicked.connect(self.prepare_everything)
        self.import_button = QPushButton("&Import only")
        self.import_button.clicked.connect(self.start_import)
        self.chain = PrepareEverything(session, self)
        self.chain.sig_progress.connect(self._chain_progress)
        self.chain.sig_finished.connect(self._chain_finished)
        self.imported_files: tuple[Path | None, Path | None] | None = None  # what the last import here read
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress_text = QLabel()
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.cancel_import)
        for b in (self.everything_button, self.import_button, self.cancel_button):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setMinimumWidth(110)
        actions = QHBoxLayout()
        actions.addWidget(self.everything_button)
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
        self.export_button = QPushButton("E&xport recommendations…")
        self.export_button.clicked.connect(self.sig_export_requested)
        after = QHBoxLayout()
        after.addWidget(self.export_button)
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
            self.export_button.show()
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
            self._sort_roles = False
            self.set_file(which, Path(name))

    def choose_files(self) -> None:
        """One file dialog for the orders file and, when there is one, the product file (a new shop from files):
        which is which is told from their columns once both previews are read."""
        names, _ = QFileDialog.getOpenFileNames(
            self, "Choose your orders file (and your product file, if you have one)", str(Path.home()), FILE_FILTER
        )
        if not names:
            return
        if len(names) > 2:
            self.error.show_message("Choose one orders file and at most one product file.")
            return
        self._sort_roles = len(names) == 2
        self.set_file(ORDERS, Path(names[0]))
        if len(names) == 2:
            self.set_file(PRODUCTS, Path(names[1]))

    def _sorted_roles(self) -> None:
        """Both files of one pick are previewed: swap them when the one taken for orders reads as the product
        list and the other as orders."""
        self._sort_roles = False
        orders, products, o_path, p_path = self.previews[ORDERS], self.previews[PRODUCTS], *self.files.values()
        if o_path is None or p_path is None or imports.kind_message(o_path.name, ORDERS, orders.mapping()) is None \
                or imports.kind_message(p_path.name, ORDERS, products.mapping()) is not None:
            return
        self.tabs.clear()
        self.files, self.previews = {ORDERS: p_path, PRODUCTS: o_path}, {ORDERS: products, PRODUCTS: orders}
        self.orders_label.setText(str(p_path))
        self.products_label.setText(str(o_path))
        self.tabs.addTab(products, f"Orders: {p_path.name}")
        self.tabs.addTab(orders, f"Products: {o_path.name}")
        self._tab_order()

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
        if self._sort_roles and ORDERS in self.previews and PRODUCTS in self.previews:
            self._sorted_roles()
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
        chain += [self.everything_button, self.import_button]
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

    def start_import(self) -> Job | None:
        if self.job is not None and self.job.active:
            return None
        if self.session.path is None:
            self.error.show_message("Open or create a shop first (File → New shop…).")
            return None
        if self.files[ORDERS] is None and self.files[PRODUCTS] is None:
            self.error.show_message("Choose the orders file to import first.")
            return None
        if not self._check_mapping():
            return None
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
        return self.job

    # --- prepare everything -------------------------------------------------------------------------
    def prepare_everything(self) -> None:
        """Import (unless these files were imported here already), read the descriptions, prepare."""
        if self.chain.running or (self.job is not None and self.job.active):
            return
        files = (self.files[ORDERS], self.files[PRODUCTS])
        steps = [Step("Reading the product descriptions", self.session.read_descriptions, needed=False),
                 Step("Preparing the recommendations", self.session.prepare_recommendations)]
        if files != self.imported_files or self.summary is None:
            if not self.previews:
                self.error.show_message("Choose the orders file to import first.")
                return
            steps.insert(0, Step("Importing your files", self.start_import))
        self.result.clear_message()
        self.export_button.hide()
        self.prepare_button.hide()
        self.chain.start(steps)
        self._update_buttons()

    def _chain_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.progress_text.setText(message)
        self.progress.setVisible(True)

    def _chain_finished(self, outcome: Outcome) -> None:
        if outcome.state == DONE:
            self.progress_text.setText("Done")
        if self.summary is not None:  # else the import's own line says it was cancelled or failed
            # A committed import stays; the later steps wait for their own buttons (or this one again).
            self.result.show_message(*outcome_words(outcome, self.summary.message()))
            self.prepare_button.setVisible(self.session.rec_state != READY)
            self.export_button.setVisible(self.session.rec_state == READY)
            if outcome.state == DONE:
                self.export_button.setFocus()
        self._update_buttons()

    def cancel_import(self) -> None:
        if self.chain.running:
            self.chain.cancel()
            self.progress_text.setText("Cancelling…")
            return
        if self.job is not None and self.job.active:
            self.job.cancel()
            self.progress_text.setText("Cancelling…")

    def _progress(self, fraction: float, message: str) -> None:
        if self.chain.running:
            return  # the chain's bar counts the whole way
        self.progress.setValue(int(fraction * 1000))
        self.progress_text.setText(message or f"{fraction:.0%}")

    def _imported(self, summary: Any) -> None:
        self.summary = summary
        self.imported_files = (self.files[ORDERS], self.files[PRODUCTS])
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
        self.prepare_button.setVisible(not self.chain.running)
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
        self.export_button.hide()
        self.problems_model.set_rows([])

    def _update_buttons(self) -> None:
        running = (self.job is not None and self.job.active) or self.chain.running
        ready = bool(self.previews) and all(not t.duplicates() for t in self.previews.values())
        self.import_button.setEnabled(ready and not running and self.session.path is not None)
        resumable = self.summary is not None and self.session.rec_state != READY
        self.everything_button.setEnabled((ready or resumable) and not running and self.session.path is not None)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running or self.progress.value() > 0)
        self.orders_button.setEnabled(not running)
        self.products_button.setEnabled(not running)
        self.legend.setVisible(bool(self.previews))

    def reset(self) -> None:
        """A new shop was opened: forget the files of the previous one."""
        self.chain.cancel()
        self.summary = None
        self.imported_files = None
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
