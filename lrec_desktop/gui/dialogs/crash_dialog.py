"""What the user sees when something unexpected breaks: a plain sentence and a "Copy report" button.
The traceback goes to the log file and the report, never onto a page."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from datetime import datetime

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

import lrec_desktop
from lrec_desktop.core.app.jobs import log_dir

log = logging.getLogger(__name__)


def crash_report(exc: BaseException, context: str = "") -> str:
    lines = [
        f"lrec_desktop {lrec_desktop.__version__} — {datetime.now().isoformat(timespec='seconds')}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
    ]
    if context:
        lines.append(f"While: {context}")
    lines.append("")
    lines.extend(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return "\n".join(line.rstrip("\n") for line in lines)


def write_log(report: str) -> str:
    try:
        path = log_dir() / "crash.log"
        with path.open("a", encoding="utf-8") as f:
            f.write(report + "\n\n")
        return str(path)
    except OSError:
        return ""


class CrashDialog(QDialog):
    def __init__(self, exc: BaseException, context: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.report = crash_report(exc, context)
        log_path = write_log(self.report)
        what = f" while “{context}”" if context else ""
        text = (
            f"Something unexpected went wrong{what}. Your shop file was not changed by the part that "
            "failed. You can keep working; if it happens again, please send us the report."
        )
        message = QLabel(text)
        message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        if log_path:
            where = QLabel(f"The details were saved to {log_path}.")
            where.setWordWrap(True)
            layout.addWidget(where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("Copied")
