"""The main window: navigation on the left, one page at a time, File menu, and running jobs in the
status bar. Pages do the work; this module wires them together."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from lrec_desktop.core.app import shops as app_shops
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import habits
from lrec_desktop.gui.dialogs.crash_dialog import CrashDialog
from lrec_desktop.gui.dialogs.export_dialog import ExportDialog
from lrec_desktop.gui.pages.campaigns_page import CampaignsPage
from lrec_desktop.gui.pages.catalog_page import CatalogPage
from lrec_desktop.gui.pages.customers_page import CustomersPage
from lrec_desktop.gui.pages.import_page import ImportPage
from lrec_desktop.gui.pages.jobs_page import JobsPage
from lrec_desktop.gui.pages.learn_page import LearnPage
from lrec_desktop.gui.pages.longtail_page import LongTailPage
from lrec_desktop.gui.pages.overview_page import OverviewPage
from lrec_desktop.gui.pages.settings_page import SettingsPage
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.shortcuts import WindowShortcutsFirst
from lrec_desktop.gui.workers import Job, JobManager

log = logging.getLogger(__name__)
SHOP_FILTER = "Shops (*.lrec);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        habits.configure_settings()
        self.setWindowTitle("lrec_desktop")
        self.jobs = JobManager(self)
        self.session = ShopSession(self.jobs, self)
        self.overview = OverviewPage(self.session)
        self.import_page = ImportPage(self.session)
        self.catalog = CatalogPage(self.session)
        self.customers = CustomersPage(self.session)
        self.longtail = LongTailPage(self.session)
        self.learn = LearnPage(self.session)
        self.jobs_page = JobsPage(self.jobs, self.session)
        self.settings_page = SettingsPage(self.session)
        self.pages: dict[str, QWidget] = {  # each with reset(), called when a shop is opened
            "Overview": self.overview,
            "Import": self.import_page,
            "Catalog": self.catalog,
            "Customers": self.customers,
            "Long tail": self.longtail,
            "Learn from my sales": self.learn,
            "Jobs": self.jobs_page,
            "Settings": self.settings_page,
            "Campaigns": CampaignsPage(self.session),
        }
        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; } QListWidget#navigation::item { padding: 8px 12px; }"
        )
        for name, page in self.pages.items():
            self.stack.addWidget(page)
            QListWidgetItem(name, self.nav)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0) + 40))
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._menus()
        self._status_bar()
        self._shortcuts_first = WindowShortcutsFirst(self)
        QApplication.instance().installEventFilter(self._shortcuts_first)
        # Enter presses the focused button, as in a dialog (Qt gives that only to dialogs' buttons); Space does
        # too. A page's line edit keeps its own Enter (the customer search looks up).
        for button in self.stack.findChildren(QPushButton):
            button.setAutoDefault(True)

        self.overview.sig_import_requested.connect(lambda: self.go("Import"))
        self.overview.sig_go_customers.connect(self.find_customer)
        self.overview.sig_settings_requested.connect(lambda: self.go("Settings"))
        self.overview.sig_learn_requested.connect(lambda: self.go("Learn from my sales"))
        self.overview.sig_new_shop_requested.connect(lambda: self.new_shop(with_files=True))
        self.import_page.sig_export_requested.connect(lambda: self.export())
        self.catalog.sig_settings_requested.connect(lambda: self.go("Settings"))
        self.catalog.sig_customer_requested.connect(self.show_customer)
        self.customers.sig_export_requested.connect(self.export)
        self.customers.sig_longtail_requested.connect(lambda: self.go("Long tail"))
        self.session.sig_shop_opened.connect(self._shop_opened)
        self.jobs.sig_crash.connect(self._crash)
        self.jobs.sig_running_changed.connect(self._running_changed)
        self.jobs.sig_job_changed.connect(lambda _j: self._running_changed(len(self.jobs.running())))
        habits.restore_window(self)  # the size and splitters of the last close (1280x800 the first time)
        self.go("Overview")

    # --- set-up -------------------------------------------------------------------------------------
    def _menus(self) -> None:
        def action(text: str, shortcut: QKeySequence | str | None, slot: object) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(slot)
            return a

        self.new_action = action("&New shop…", QKeySequence.StandardKey.New, lambda: self.new_shop())
        self.open_action = action("&Open shop…", QKeySequence.StandardKey.Open, self.open_shop)
        self.import_action = action("&Import…", "Ctrl+I", lambda: self.go("Import"))
        self.export_action = action("&Export recommendations…", "Ctrl+E", lambda: self.export())
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.find_action = action("&Find a customer", QKeySequence.StandardKey.Find, self.find_customer)
        file_menu = self.menuBar().addMenu("&File")
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        for a in (
            self.new_action,
            self.open_action,
            self.recent_menu.menuAction(),
            None,
            self.import_action,
            self.export_action,
            None,
            self.quit_action,
        ):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        go_menu = self.menuBar().addMenu("&Go")
        for i, name in enumerate(self.pages):
            go_menu.addAction(action(name, f"Ctrl+{i + 1}", lambda _c=False, n=name: self.go(n)))
        go_menu.addSeparator()
        go_menu.addAction(self.find_action)

    def _status_bar(self) -> None:
        self.jobs_label = QLabel()
        self.jobs_label.setTextFormat(Qt.TextFormat.RichText)
        self.jobs_label.linkActivated.connect(lambda _l: self.go("Jobs"))
        self.jobs_bar = QProgressBar()
        self.jobs_bar.setRange(0, 1000)
        self.jobs_bar.setFixedWidth(160)
        self.jobs_bar.hide()
        self.statusBar().addPermanentWidget(self.jobs_label)
        self.statusBar().addPermanentWidget(self.jobs_bar)

    # --- starting -----------------------------------------------------------------------------------
    def start(self, db_path: Path | None = None) -> None:
        """Open ``db_path``, else the last shop, else the demo shop (built in the background)."""
        path = Path(db_path) if db_path else habits.last_shop()
        if path is not None:
            self.open_path(path)
            return
        self.overview.show_status("Getting the demo shop ready… (first launch only; see Jobs for progress)")
        self.jobs.submit(
            "Build the demo shop", app_shops.ensure_demo_shop, on_done=self.open_path, on_error=self._demo_failed
        )

    def _demo_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.overview.show_status(f"The demo shop could not be built: {exc}", "error")
        else:
            self.overview.show_status("The demo shop could not be built. Open your own: File → New shop…", "error")

    def open_path(self, path: Path, *, create: bool = False) -> bool:
        try:
            self.session.open(Path(path), create=create)
        except UserError as exc:
            self.go("Overview")
            self.overview.show_status(str(exc), "error")
            return False
        return True

    def _shop_opened(self, path: Path) -> None:
        name = "Demo shop" if self.session.demo else Path(path).stem
        self.setWindowTitle(f"{name} — lrec_desktop")
        habits.remember_recent(path)
        self._fill_recent()
        # The one place every page forgets the shop opened before (its texts, notes, buttons and charts).
        for page in self.pages.values():
            page.reset()

    # --- actions ------------------------------------------------------------------------------------
    def go(self, name: str) -> None:
        self.nav.setCurrentRow(list(self.pages).index(name))

    def new_shop(self, *, with_files: bool = False) -> None:
        """File → New shop… lands on Import; ``with_files`` (the Overview's button) also asks for the files."""
        name, _ = QFileDialog.getSaveFileName(
            self, "New shop: choose a file name", str(Path.home() / "my-shop.lrec"), SHOP_FILTER
        )
        if not name:
            return
        try:
            path = app_shops.create_shop(Path(name))
        except UserError as exc:
            self.go("Overview")
            self.overview.show_status(str(exc), "error")
            return
        if self.open_path(path):
            self.go("Import")
            if with_files:
                self.import_page.choose_files()

    def open_shop(self) -> None:
        start = str(self.session.path.parent) if self.session.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Open a shop", start, SHOP_FILTER)
        if name and self.open_path(Path(name)):
            self.go("Overview")

    def _fill_recent(self) -> None:
        """File → Open recent: the shops opened lately that are still there, newest first."""
        self.recent_menu.clear()
        shops = habits.recent_shops()
        for n, path in enumerate(shops, start=1):
            title = "Demo shop" if app_shops.is_demo(path) else path.stem
            act = self.recent_menu.addAction(f"&{n} {title}   ({path.parent})" if n < 10 else f"{title} ({path})")
            act.setToolTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p) and self.go("Overview"))
        if shops:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear this list", lambda: (habits.forget_recent(), self._fill_recent()))
        self.recent_menu.setEnabled(bool(shops))

    def find_customer(self) -> None:
        self.go("Customers")
        self.customers.focus_search()

    def show_customer(self, customer_id: str) -> None:
        self.go("Customers")
        self.customers.search.setText(customer_id)
        self.customers.look_up(customer_id)

    def export(self, customers: list[str] | None = None) -> ExportDialog | None:
        if not self.session.is_open:
            self.overview.show_status("Open a shop first: File → Open shop…", "error")
            return None
        if customers is None and self.customers.customer_id:
            customers = [self.customers.customer_id]
        dialog = ExportDialog(self.session, customers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.export_dialog = dialog
        return dialog

    def _running_changed(self, _n: int) -> None:
        running = self.jobs.running()
        if not running:
            self.jobs_label.setText("")
            self.jobs_bar.hide()
            return
        first: Job = running[0]
        more = f" and {len(running) - 1} more" if len(running) > 1 else ""
        self.jobs_label.setText(f"<a href='jobs'>{first.title}{more}</a>")
        self.jobs_bar.setValue(int(first.fraction * 1000))
        self.jobs_bar.show()

    def _crash(self, exc: BaseException, job: Job) -> None:
        CrashDialog(exc, job.title, self).open()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel running jobs and wait for them, so nothing writes to the shop after the window is gone."""
        if self.jobs.running():
            self.statusBar().showMessage("Stopping running jobs…")
        habits.save_window(self)
        self.jobs.shutdown()
        self.session.close()
        super().closeEvent(event)


def start_later(window: MainWindow, db_path: Path | None) -> None:
    """Open the shop once the window is on screen (the demo build then shows its progress)."""
    QTimer.singleShot(0, lambda: window.start(db_path))
