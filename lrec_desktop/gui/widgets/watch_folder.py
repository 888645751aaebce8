"""The Import page's watched folder (issue 21, item 9; optional, off by default): export files dropped in a folder
are imported and recommendations refreshed, with a line on the Jobs page when something was imported.

The folder is a setting of the shop (saved by a write job). A QTimer looks every INTERVAL_MS: a hidden quick
job lists the files not seen before (core.app.watch.new_files), and only when there are some a visible job imports them
and prepares the recommendations (core.app.watch.refresh_once), so the Jobs page is not filled with empty looks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from lrec_desktop.core.app import watch
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import hint
from lrec_desktop.gui.workers import Job

INTERVAL_MS = 60_000


class WatchFolder(QWidget):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.folder: Path | None = None
        self.job: Job | None = None
        self.last_result: Any = None
        self.enabled = QCheckBox("Watch a folder for new export files and import them")
        self.enabled.toggled.connect(self._toggled)
        self.choose = QPushButton("Choose folder…")
        self.choose.clicked.connect(self._choose)
        self.status = hint("Off. Files dropped in the folder are imported once each, then recommendations refreshed.")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(self.choose)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.look)
        self.reset()

    def reset(self) -> None:
        """A shop was opened: its own folder, if it watches one."""
        saved = self.session.settings.watched_folder if self.session.settings is not None else None
        self.folder = Path(saved) if saved else None
        self.enabled.blockSignals(True)
        self.enabled.setChecked(self.folder is not None)
        self.enabled.blockSignals(False)
        self.enabled.setEnabled(self.session.is_open)
        self._follow()

    def set_folder(self, folder: Path | None) -> None:
        self.folder = folder
        self.session.save_watched_folder(str(folder) if folder else None)
        self.enabled.blockSignals(True)
        self.enabled.setChecked(folder is not None)
        self.enabled.blockSignals(False)
        self._follow()

    def _follow(self) -> None:
        if self.folder is not None and self.session.is_open:
            self.status.setText(f"Watching {self.folder}: new files are imported once each, then recommendations "
                                "are refreshed (see Jobs).")
            self.timer.start()
            self.look()
        else:
            self.timer.stop()
            self.status.setText("Off. Files dropped in the folder are imported once each, then recommendations "
                                "refreshed.")

    def _toggled(self, on: bool) -> None:
        if on and self.folder is None:
            self._choose()
            if self.folder is None:
                self.enabled.setChecked(False)
        elif not on:
            self.set_folder(None)

    def _choose(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Folder to watch for export files")
        if name:
            self.set_folder(Path(name))

    def look(self) -> None:
        """One look into the folder; the import job starts only when there is something new."""
        if self.folder is None or self.session.path is None or (self.job is not None and self.job.active):
            return
        path, folder = self.session.path, self.folder

        def listed(found: tuple[list[Any], list[str]]) -> None:
            if found[0] and path == self.session.path and folder == self.folder:
                self._import(path, folder)

        def failed(exc: BaseException) -> None:
            self.status.setText(f"The watched folder can't be read: {exc}")

        self.job = self.session.submit("Look into the watched folder", watch.new_files, path, folder, heavy=False,
                                       show=False, on_done=listed, on_error=failed)

    def _import(self, path: Path, folder: Path) -> None:
        def done(result: Any) -> None:
            self.last_result = result
            self.status.setText(result.message())
            if result.imported and path == self.session.path:
                self.session.data_changed()
                self.session.prepare_recommendations()  # already prepared by the job: this only loads them

        self.job = self.session.submit("Import new files from the watched folder", watch.refresh_once, path, folder,
                                       on_done=done, on_error=lambda exc: self.status.setText(str(exc)))
