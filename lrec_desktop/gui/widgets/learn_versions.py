"""The Learn page's list of learned versions: which one is in use, switching between them (a background job),
going back to the original text model, and deleting a version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QWidget

from lrec_desktop.core.app import versions
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import formatting
from lrec_desktop.gui.readiness import learned_words
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.table_models import RowsModel
from lrec_desktop.gui.widgets.common import Card, MessageLine, Note, heading
from lrec_desktop.gui.widgets.job_progress import JobProgress
from lrec_desktop.gui.widgets.tables import TableView
from lrec_desktop.gui.workers import Job


def training_words(training: dict[str, Any]) -> str:
    seconds = float(training.get("seconds") or 0)
    took = "under a minute" if seconds < 60 else formatting.plural(round(seconds / 60), "minute")
    place = {"cpu": "the processor", "cuda": "the graphics card", "mps": "Apple graphics"}.get(
        str(training.get("device")), str(training.get("device") or "")
    )
    return f"{formatting.plural(int(training.get('pairs') or 0), 'pair')}, {took} on {place}"


class VersionsPanel(Card):
    """The versions card. ``is_busy`` says whether a learning run holds the text model (no switching then);
    ``sig_changed`` asks the page to update which buttons are enabled; ``sig_switched`` says a switch is done."""

    sig_changed = Signal()
    sig_switched = Signal()

    def __init__(self, session: ShopSession, is_busy: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.is_busy = is_busy
        self.switch_job: Job | None = None
        self.versions: list[versions.LearnedVersion] = []
        self.in_use_label = Note()
        self.versions_model = RowsModel(["Version", "Learned on", "What it changed", "Learned from", "In use"])
        self.versions_table = TableView("learned-versions", sortable=False)
        self.versions_table.setModel(self.versions_model)
        self.versions_table.setMinimumHeight(130)
        self.versions_table.set_widths([70, 140, 360, 290, 70])
        self.versions_table.stretch_column(2)
        self.versions_table.selectionModel().selectionChanged.connect(lambda *_: self.sig_changed.emit())
        self.use_button = QPushButton("&Use this version")
        self.use_button.clicked.connect(self.use_selected)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Remove the chosen version from this computer (not the one in use).")
        self.delete_button.clicked.connect(self.delete_selected)
        self.original_button = QPushButton("Use the &original model")
        self.original_button.clicked.connect(self.use_original)
        self.versions_error = MessageLine()
        self.switch_progress = JobProgress(session.jobs)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.original_button)
        self.layout_.addWidget(heading("Learned versions", 2))
        self.layout_.addWidget(self.in_use_label)
        self.layout_.addWidget(self.versions_table)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.versions_error)
        self.layout_.addWidget(self.switch_progress)

        session.sig_versions_changed.connect(self.load_versions)
        session.sig_text_changed.connect(lambda _s: self.load_versions())

    @property
    def switching(self) -> bool:
        return self.switch_job is not None and self.switch_job.active

    def enable(self) -> None:
        """Enable the buttons that can act now (the page calls this from its own ``_enable``)."""
        busy = self.is_busy() or self.switching
        chosen = self.selected()
        any_active = any(v.active for v in self.versions)
        self.use_button.setEnabled(not busy and chosen is not None and not chosen.active)
        self.delete_button.setEnabled(not busy and chosen is not None and not chosen.active)
        self.original_button.setEnabled(self.session.is_open and not busy and any_active)

    def load_versions(self, *_: object) -> None:
        self.versions = self.session.versions()
        rows = []
        for v in self.versions:
            rows.append(
                [
                    v.name,
                    formatting.date_time(v.created),
                    (learned_words(v.before, v.after) or "").capitalize(),
                    training_words(v.training),
                    "✓ in use" if v.active else "",
                ]
            )
        self.versions_model.set_rows(rows)
        active = [v for v in self.versions if v.active]
        if not self.session.is_open:
            self.in_use_label.setText("")
        elif active:
            self.in_use_label.setText(f"In use now: version {active[-1].name}, learned from your sales.")
        elif self.versions:
            self.in_use_label.setText("In use now: the original text model (nothing learned from your sales).")
        else:
            self.in_use_label.setText(
                "Nothing learned yet. Each run adds a version here, so you can switch between them at any time."
            )
        status = self.session.text_status
        chosen = (formatting.model_words(status.chosen) if status is not None and not active
                  else "the text model chosen in Settings")
        self.original_button.setToolTip(
            f"Go back to {chosen}, without what was learned from your sales. Learned versions stay in the list."
        )
        self.sig_changed.emit()

    def selected(self) -> versions.LearnedVersion | None:
        rows = self.versions_table.selectionModel().selectedRows() if self.versions_table.selectionModel() else []
        if not rows:
            return None
        r = rows[0].row()
        return self.versions[r] if 0 <= r < len(self.versions) else None

    def select(self, name: str) -> None:
        for r, v in enumerate(self.versions):
            if v.name == name:
                self.versions_table.selectRow(r)

    def use_selected(self) -> Job | None:
        chosen = self.selected()
        if chosen is None:
            self.versions_error.show_message("Choose a version in the list first.")
            return None
        return self.switch_to(chosen.dir, f"version {chosen.name}")

    def use_original(self) -> Job | None:
        return self.switch_to(None, "the original text model")

    def switch_to(self, model_dir: str | None, words: str) -> Job | None:
        """Make ``model_dir`` (a learned version's folder; None = the model chosen in Settings) the text model."""
        s = self.session
        if s.path is None or self.is_busy():
            return None
        if self.switch_job is not None and self.switch_job.active:
            return self.switch_job
        self.versions_error.clear_message()

        def done(_folder: str | None) -> None:
            self.sig_switched.emit()
            self.versions_error.show_message(f"Now using {words}. The recommendations are loaded again.", "ok")
            s.text_model_switched()
            self.sig_changed.emit()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.versions_error.show_message(str(exc))
            else:
                self.versions_error.show_message("The text model could not be switched (see Jobs).")
            self.sig_changed.emit()

        def cancelled() -> None:
            self.versions_error.show_message("Cancelled; the text model in use did not change.", "muted")
            self.sig_changed.emit()

        self.switch_job = s.submit(
            f"Switch the text model to {words}",
            versions.use_text_model,
            s.path,
            model_dir,
            on_done=done,
            on_error=failed,
            on_cancel=cancelled,
        )
        self.switch_progress.follow(self.switch_job)
        self.sig_changed.emit()
        return self.switch_job

    def delete_selected(self, *, confirm: bool = True) -> bool:
        """Delete the chosen version (a write job: its folder and its entry); True when it was asked for."""
        chosen = self.selected()
        s = self.session
        if chosen is None or s.path is None:
            self.versions_error.show_message("Choose a version in the list first.")
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                "Delete a learned version",
                f"Delete version {chosen.name} from this computer? This can't be undone.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        name = chosen.name

        def done(_none: None) -> None:
            self.versions_error.show_message(f"Version {name} was deleted.", "muted")
            self.load_versions()
            s.sig_versions_changed.emit()

        s.submit(f"Delete version {name}", versions.delete_version, s.path, name, write=True, show=False,
                 on_done=done, on_error=lambda exc: self.versions_error.show_message(str(exc)))
        return True
