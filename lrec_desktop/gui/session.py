"""The open shop, shared by every page: its path, a GUI-thread connection for quick reads, and the
loaded recommendations. Worker jobs get ``path`` and open their own connection."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from lrec_desktop.core import paths
from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui import backend
from lrec_desktop.gui.workers import Job, JobManager

log = logging.getLogger(__name__)

NOT_PREPARED, PREPARING, READY, FAILED = "not prepared", "preparing", "ready", "failed"


class ShopSession(QObject):
    sig_shop_opened = Signal(object)  # Path
    sig_data_changed = Signal()  # sales or catalog changed (after an import)
    sig_recommender_changed = Signal(str)  # new state

    def __init__(self, jobs: JobManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.path: Path | None = None
        self.db: Any = None
        self.demo = False
        self.recommender: Any = None
        self.rec_state = NOT_PREPARED
        self.rec_error = ""
        self._prepare_job: Job | None = None

    @property
    def is_open(self) -> bool:
        return self.db is not None

    def open(self, path: Path, *, create: bool = False) -> None:
        """Open (or create) a shop; raises UserError with a sentence for the user when it can't."""
        path = Path(path)
        db = store_db.connect(path, create=create)
        self.close()
        self.path, self.db = path, db
        self.demo = backend.is_demo(path)
        paths.remember_shop(path)
        self.recommender, self.rec_state, self.rec_error = None, NOT_PREPARED, ""
        log.info("opened shop %s", path)
        self.sig_shop_opened.emit(path)
        self.sig_recommender_changed.emit(self.rec_state)
        if self.demo or self._prepared():
            self.prepare_recommendations()

    def close(self) -> None:
        if self._prepare_job is not None and self._prepare_job.active:
            self._prepare_job.cancel()
        self._prepare_job = None
        if self.db is not None:
            self.db.conn.close()
        self.db = None
        self.path = None

    def _prepared(self) -> bool:
        try:
            return backend.is_prepared(self.path) if self.path else False
        except ImportError:
            return False
        except Exception:
            log.exception("could not tell whether recommendations are prepared")
            return False

    def data_changed(self) -> None:
        """After an import: recommendations no longer match the sales until prepared again."""
        self.recommender = None
        self.rec_state = NOT_PREPARED
        self.sig_data_changed.emit()
        self.sig_recommender_changed.emit(self.rec_state)

    def prepare_recommendations(self) -> Job | None:
        """Prepare (if the data changed) and load the recommendations in the background."""
        if self.path is None:
            return None
        if self._prepare_job is not None and self._prepare_job.active:
            return self._prepare_job
        path = self.path
        self.rec_state, self.rec_error = PREPARING, ""
        self.sig_recommender_changed.emit(self.rec_state)

        def done(recommender: Any) -> None:
            if self.path == path:
                self.recommender, self.rec_state = recommender, READY
                self.sig_recommender_changed.emit(self.rec_state)

        def failed(exc: BaseException) -> None:
            if self.path == path:
                self.rec_state = FAILED if not _is_cancel(exc) else NOT_PREPARED
                self.rec_error = str(exc) if not _is_cancel(exc) else ""
                self.sig_recommender_changed.emit(self.rec_state)

        self._prepare_job = self.jobs.submit(
            "Prepare recommendations", backend.load_recommender, path, on_done=done, on_error=failed
        )
        return self._prepare_job


def _is_cancel(exc: BaseException) -> bool:
    from lrec_desktop.core.jobs import Cancelled

    return isinstance(exc, Cancelled)
