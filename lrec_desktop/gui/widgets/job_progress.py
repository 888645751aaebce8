"""A job's progress inside a page: a bar, what it is doing, and Cancel (the same job as on the Jobs page)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from lrec_desktop.gui.workers import Job, JobManager


class JobProgress(QWidget):
    """Hidden until ``follow(job)``; hides itself again when that job ends."""

    def __init__(self, manager: JobManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: Job | None = None
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(True)
        self.message = QLabel()
        self.message.setMinimumWidth(120)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.cancel_button)
        manager.sig_job_changed.connect(self._changed)
        self.hide()

    def follow(self, job: Job | None) -> None:
        self.job = job
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        if job is None:
            self.hide()
            return
        self._changed(job)

    def cancel(self) -> None:
        if self.job is not None and self.job.active:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText("Cancelling…")

    def _changed(self, job: Job) -> None:
        if job is not self.job:
            return
        if not job.active:
            self.hide()
            return
        self.bar.setValue(int(job.fraction * 1000))
        self.bar.setFormat(f"{job.fraction:.0%}")
        self.message.setText(job.details or "Waiting for other jobs to finish…")
        self.message.setToolTip("\n".join(job.notes))
        self.show()
