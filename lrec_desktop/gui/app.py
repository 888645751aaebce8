"""Starting the GUI: the QApplication, crash handling, and the main window on the chosen shop."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from lrec_desktop import APP_ID
from lrec_desktop.core.paths import APP_NAME

log = logging.getLogger(__name__)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Unexpected errors in GUI code: a dialog with "Copy report", never a traceback on a page."""
    from lrec_desktop.gui.dialogs.crash_dialog import CrashDialog

    log.error("unexpected error", exc_info=(kind, exc, tb))
    if QApplication.instance() is None or issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    CrashDialog(exc, "", QApplication.activeWindow()).exec()


def app_icon() -> QIcon:
    """The app's icon in every size shipped (resources/icons), for the title bar, task bar and dock."""
    from lrec_desktop.core.paths import resources_dir

    icon = QIcon()
    try:
        folder = resources_dir() / "icons"
    except FileNotFoundError:
        return icon
    for png in sorted(folder.glob("lrec-desktop-*.png")):
        icon.addFile(str(png))
    return icon


def name_application(app: QApplication) -> None:
    """The names the desktop knows the app by: the application name is the X11 window class (the desktop
    entry's StartupWMClass), the desktop file name is Wayland's app id and the task bar's link to the entry."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


def refuse_without_platform() -> int | None:
    """Exit code 2 with one sentence, before any QApplication, when Qt's platform plugin can't load for
    missing system libraries (Qt itself would abort with a misleading hint); None when all is there."""
    if QApplication.instance() is not None:
        return None
    from lrec_desktop.gui.platform_check import startup_problem

    problem = startup_problem()
    if problem is None:
        return None
    if sys.stderr is None:  # started from a menu: the log file is the only place it can go
        log.error("%s", problem)
    else:
        print(problem, file=sys.stderr)
    return 2


def run(db_path: Path | None = None) -> int:
    """Open the main window on ``db_path`` (else the last shop, else the demo) and run until it closes."""
    refused = refuse_without_platform()
    if refused is not None:
        return refused
    from lrec_desktop.gui.logfile import start_log_file

    start_log_file()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    name_application(app)
    sys.excepthook = _excepthook

    from lrec_desktop.gui.main_window import MainWindow, start_later

    window = MainWindow()
    window.show()
    start_later(window, db_path)
    return int(app.exec())
