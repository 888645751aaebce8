"""Jobs cut short by a crash, a kill or a power cut: one line each saying what was kept, with Run again
(Continue, where finished work was kept) and Discard. Hidden while there is nothing to say."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import COLOURS, Card, MessageLine, heading


class InterruptedRow(QWidget):
    def __init__(self, entry: Any, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.text = QLabel(entry.describe())
        self.text.setWordWrap(True)
        # Reading descriptions keeps its finished batches, so running it again continues; the rest start over.
        self.again = QPushButton("Continue" if entry.kind == "embed" else "Run again")
        self.again.setToolTip("Run this job again with the same files and settings.")
        self.again.clicked.connect(lambda: session.run_again(entry.job_id))
        self.discard = QPushButton("Discard")
        self.discard.setToolTip("Forget this job and tidy what it left behind; your shop stays as it is.")
        self.discard.clicked.connect(lambda: session.discard_interrupted(entry.job_id))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.addWidget(self.text, 1)
        row.addWidget(self.again)
        row.addWidget(self.discard)


class InterruptedPanel(Card):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        bg, fg = COLOURS["warn"]
        self.setStyleSheet(f"QFrame#card {{ background: {bg}; }} QFrame#card QLabel {{ color: {fg}; }}")
        self.layout_.addWidget(heading("Unfinished work", 2))
        self.error = MessageLine()
        self.layout_.addWidget(self.error)
        self.rows: list[InterruptedRow] = []
        session.sig_interrupted_changed.connect(self.refresh)
        session.sig_shop_opened.connect(self.refresh)
        self.refresh()

    def refresh(self, *_: object) -> None:
        for row in self.rows:
            self.layout_.removeWidget(row)
            row.deleteLater()
        self.rows = [InterruptedRow(entry, self.session, self) for entry in self.session.interrupted]
        for row in self.rows:
            self.layout_.addWidget(row)
        if self.session.interrupted_error:
            self.error.show_message(self.session.interrupted_error, "error")
        else:
            self.error.clear_message()
        self.setVisible(bool(self.rows) or bool(self.session.interrupted_error))
