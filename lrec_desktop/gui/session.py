"""The open shop, shared by every page: its path, a GUI-thread connection for quick reads, the loaded
recommendations, and whether the product descriptions are understood by the text model. Worker jobs get
``path`` and open their own connection."""

from __future__ import annotations

import gc
import logging
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui import backend, formatting
from lrec_desktop.gui.workers import Job, JobManager

log = logging.getLogger(__name__)

NOT_PREPARED, PREPARING, READY, FAILED = "not prepared", "preparing", "ready", "failed"
# Product descriptions and the text model: unknown until checked, then one of the others.
TEXT_CHECKING, TEXT_CURRENT, TEXT_TO_READ, TEXT_READING, TEXT_FAILED = (
    "checking",
    "current",
    "to read",
    "reading",
    "failed",
)


def release_side_files(path: Path | None) -> None:
    """Leave no -wal/-shm beside a shop we are done with. SQLite removes them when the last connection to the
    file closes, but only if that connection may write: when a reader closes last (a job's read-only
    connection, or one dropped without closing and freed later by the collector), both files stay. So
    collect dropped connections, then open and close one writer of our own: as the last, it folds -wal into
    the shop and removes both. With another connection still open it changes nothing, which is right."""
    if path is None:
        return
    side = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not any(p.exists() for p in side) or not store_db.writable(path):
        return
    gc.collect()
    try:
        conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL, so closing folds it
        finally:
            conn.close()
    except sqlite3.Error as exc:  # busy or gone: another program has it, and it will tidy up itself
        log.info("could not fold %s's -wal into the shop: %s", path, exc)


class ShopSession(QObject):
    sig_shop_opened = Signal(object)  # Path
    sig_data_changed = Signal()  # sales or catalog changed (after an import)
    sig_recommender_changed = Signal(str)  # new state
    sig_text_changed = Signal(str)  # new text state (TEXT_*)
    sig_text_progress = Signal(float, str)  # while the text model reads the descriptions
    sig_discovery_changed = Signal(float)  # the shop's discovery level, saved
    sig_rules_changed = Signal()  # the recommendation rules, saved and applied
    sig_exposure_changed = Signal()  # who sees which product: the cached report is new or stale
    sig_versions_changed = Signal()  # learning from sales started or ended, or a learned version was switched
    sig_interrupted_changed = Signal()  # the list of jobs cut short by a crash or a kill changed

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
        self.text_state = TEXT_CHECKING
        self.text_status: Any = None  # backend.TextStatus of the last check
        self.text_error = ""  # why the last reading failed
        self.text_result = ""  # what the last reading did, in words
        self.text_job: Job | None = None
        self.learn_job: Job | None = None  # "Learn from my sales" (started by its page)
        self._text_check: Job | None = None
        self._check_again = False
        self.rules_version = 0  # bumped by every saved rules change: cached reports say which they saw
        self._exposure: Any = None  # LongTailReport at the saved level for the loaded recommendations
        self._exposure_key: tuple | None = None
        self._exposure_job: Job | None = None
        self._exposure_job_key: tuple | None = None
        self.exposure_error = ""  # why counting who sees each product failed
        self.interrupted: list[Any] = []  # core.journal.JournalEntry of jobs cut short, newest first
        self.interrupted_error = ""  # why running one again or discarding it failed
        self.sig_recommender_changed.connect(lambda _s: self._drop_exposure())

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
        formatting.set_currency(backend.shop_currency(db))
        self.recommender, self.rec_state, self.rec_error = None, NOT_PREPARED, ""
        log.info("opened shop %s", path)
        self.text_status, self.text_error, self.text_result = None, "", ""
        self.text_state = TEXT_CHECKING
        self.refresh_interrupted()
        self.sig_shop_opened.emit(path)
        self.sig_recommender_changed.emit(self.rec_state)
        self.check_text()
        if self.demo or self._prepared():
            self.prepare_recommendations()

    def close(self) -> None:
        for job in (self._prepare_job, self.text_job, self._text_check, self._exposure_job, self.learn_job):
            if job is not None and job.active:
                job.cancel()
        self._prepare_job = self.text_job = self._text_check = self._exposure_job = self.learn_job = None
        if self.db is not None:
            self.db.conn.close()
            release_side_files(self.path)
        self.db = None
        self.path = None
        self.interrupted, self.interrupted_error = [], ""
        self._drop_exposure()

    # --- discovery and rules ----------------------------------------------------------------------
    @property
    def discovery(self) -> float:
        """The shop's saved discovery level (bestsellers 0 … 1 hidden gems)."""
        return backend.saved_discovery(self.db) if self.db is not None else 0.2

    def set_discovery(self, level: float) -> None:
        """Save the level; the loaded recommendations use it at once (no preparing again)."""
        if self.db is None:
            return
        level = round(min(max(float(level), 0.0), 1.0), 2)
        if abs(level - self.discovery) < 1e-9:
            return
        backend.save_discovery(self.db, level)
        if self.recommender is not None:
            self.recommender.discovery = level
        self._drop_exposure()
        self.sig_discovery_changed.emit(level)

    def rules(self) -> Any:
        return backend.load_rules(self.db)

    def set_rules(self, rules: Any) -> None:
        """Save the rules and apply them to the loaded recommendations at once."""
        if self.db is None:
            return
        rules.save(self.db)
        if self.recommender is not None:
            # Read back: the saved rules with what the products say (postage and the like stay blocked).
            self.recommender.set_rules(backend.load_rules(self.db))
        self.rules_version += 1
        self._drop_exposure()
        self.sig_rules_changed.emit()

    # --- who sees which product (a long-tail report at the saved level, cached) ---------------------
    def exposure_key(self, level: float | None = None) -> tuple:
        """What a long-tail report depends on: the loaded recommendations, the rules and the level."""
        level = self.discovery if level is None else level
        return (id(self.recommender), self.rules_version, round(float(level), 2))

    @property
    def exposure(self) -> Any:
        """The cached report at the saved level, or None when there is none for the current set-up."""
        return self._exposure if self._exposure_key == self.exposure_key() else None

    def remember_exposure(self, report: Any, key: tuple) -> None:
        """A report computed elsewhere (the Long tail page) for ``key``; kept when it is the current one."""
        if key == self.exposure_key() and self._exposure_key != key:
            self._exposure, self._exposure_key = report, key
            self.sig_exposure_changed.emit()

    def _drop_exposure(self) -> None:
        if self._exposure is not None or self._exposure_key is not None:
            self._exposure, self._exposure_key = None, None
            self.sig_exposure_changed.emit()

    def compute_exposure(self) -> Job | None:
        """Count, in the background, how many customers the current recommendations show each product."""
        if self.path is None or self.recommender is None or self.rec_state != READY:
            return None
        if self.exposure is not None:
            return None
        key = self.exposure_key()
        if self._exposure_job is not None and self._exposure_job.active:
            if self._exposure_job_key == key:
                return self._exposure_job
            self._exposure_job.cancel()
        self.exposure_error = ""

        def failed(exc: BaseException) -> None:
            if not _is_cancel(exc) and key == self.exposure_key():
                self.exposure_error = str(exc)
                self.sig_exposure_changed.emit()

        self._exposure_job_key = key
        self._exposure_job = self.jobs.submit(
            "Count who sees each product",
            backend.longtail_reports,
            self.path,
            [key[2]],
            self.recommender,
            show=False,
            on_done=lambda reports: self.remember_exposure(reports[0], key),
            on_error=failed,
        )
        return self._exposure_job

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
        if self.db is not None:
            formatting.set_currency(backend.shop_currency(self.db))  # the import may have told it
        self.sig_data_changed.emit()
        self.sig_recommender_changed.emit(self.rec_state)
        self.check_text()

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

    # --- product descriptions and the text model ---------------------------------------------------
    @property
    def reading_text(self) -> bool:
        return self.text_job is not None and self.text_job.active

    def _set_text_state(self, state: str) -> None:
        self.text_state = state
        self.sig_text_changed.emit(state)

    def check_text(self) -> Job | None:
        """Find out (a quick job) whether the descriptions are understood by the chosen model."""
        if self.path is None:
            return None
        if self._text_check is not None and self._text_check.active:
            self._check_again = True  # settings changed while checking: check once more afterwards
            return self._text_check
        path = self.path
        if not self.reading_text:
            self._set_text_state(TEXT_CHECKING)

        def done(status: Any) -> None:
            if self.path != path:
                return
            self.text_status = status
            if self._check_again:
                self._check_again = False
                self.check_text()
            elif not self.reading_text:
                self._set_text_state(TEXT_CURRENT if status.current else TEXT_TO_READ)

        def failed(exc: BaseException) -> None:
            if self.path != path or _is_cancel(exc):
                return
            self.text_error = str(exc)
            if not self.reading_text:
                self._set_text_state(TEXT_FAILED)

        self._text_check = self.jobs.submit(
            "Check product descriptions",
            backend.text_status,
            path,
            heavy=False,
            show=False,
            on_done=done,
            on_error=failed,
        )
        return self._text_check

    def read_descriptions(self) -> Job | None:
        """The text model reads new and changed product descriptions (a heavy job with progress and Cancel);
        the recommendations are then loaded again so that they use what it read."""
        if self.path is None:
            return None
        if self.reading_text:
            return self.text_job
        path = self.path
        self.text_error, self.text_result = "", ""

        def done(summary: Any) -> None:
            if self.path != path:
                return
            from lrec_desktop.gui.readiness import reading_words

            self.text_result = reading_words(summary)
            if job is not None:  # the Jobs page says it the same way
                job.message = self.text_result
                self.jobs.sig_job_changed.emit(job)
            self.check_text()
            if self.rec_state in (READY, FAILED):
                self.prepare_recommendations()  # loads again, with what the text model read

        def failed(exc: BaseException) -> None:
            if self.path != path:
                return
            if _is_cancel(exc):
                if job is not None:
                    job.message = "Cancelled; the descriptions read so far are kept, so the next run is shorter."
                    self.jobs.sig_job_changed.emit(job)
                self.check_text()
                return
            self.text_error = str(exc)
            self._set_text_state(TEXT_FAILED)

        job: Job | None = None
        job = self.jobs.submit(
            "Read product descriptions",
            backend.read_descriptions,
            path,
            with_log=True,
            on_done=done,
            on_error=failed,
            on_progress=lambda f, m: self.sig_text_progress.emit(f, m),
        )
        self.text_job = job
        self._set_text_state(TEXT_READING)  # after text_job is set: pages show its progress
        return job

    @property
    def learning(self) -> bool:
        return self.learn_job is not None and self.learn_job.active

    def versions(self) -> list[dict[str, Any]]:
        """The learned versions of the text model, oldest first (a quick read of the shop's settings)."""
        if self.path is None:
            return []
        try:
            return backend.learned_versions(self.path)
        except Exception:
            log.exception("could not list the learned versions")
            return []

    def text_model_switched(self) -> None:
        """After a learned version was switched on or off: check the descriptions again and load the
        recommendations again, so that they use the text model now in use."""
        self.sig_versions_changed.emit()
        self.check_text()
        if self.rec_state in (READY, FAILED):
            self.prepare_recommendations()

    def save_text_settings(self, model_dir: str | None, device: str) -> None:
        """Store the text model and device for this shop; the descriptions then need reading again when
        the model changed."""
        if self.db is None:
            return
        backend.save_text_settings(self.db, model_dir, device)
        self.check_text()


    # --- jobs cut short by a crash or a kill ---------------------------------------------------------
    def refresh_interrupted(self) -> None:
        """Read the journal again (one small query); a crash left nothing to do when the list is empty."""
        try:
            self.interrupted = backend.interrupted_jobs(self.path) if self.path else []
        except Exception:
            log.exception("could not read the job journal")
            self.interrupted = []
        self.sig_interrupted_changed.emit()

    def run_again(self, job_id: int) -> Job | None:
        """Run an interrupted job again with the inputs it had, then refresh what it changes."""
        if self.path is None:
            return None
        path = self.path
        entry = next((e for e in self.interrupted if e.job_id == job_id), None)
        kind = entry.kind if entry is not None else ""
        self.interrupted_error = ""

        def done(_result: Any) -> None:
            if self.path != path:
                return
            self.refresh_interrupted()
            if kind == "import":
                self.data_changed()
                self.prepare_recommendations()
            elif kind == "finetune":
                self.text_model_switched()
            elif kind == "embed":
                self.check_text()
                if self.rec_state in (READY, FAILED):
                    self.prepare_recommendations()
            else:
                self.prepare_recommendations()

        def failed(exc: BaseException) -> None:
            if self.path == path:
                self.interrupted_error = "" if _is_cancel(exc) else str(exc)
                self.refresh_interrupted()

        job = self.jobs.submit(entry.title if entry else "Run a job again", backend.run_again, path, job_id,
                               with_log=True, on_done=done, on_error=failed)
        self._drop_interrupted(job_id)
        return job

    def _drop_interrupted(self, job_id: int) -> None:
        """Off the list at once; the journal is read again when the job behind the click ends."""
        self.interrupted = [e for e in self.interrupted if e.job_id != job_id]
        self.sig_interrupted_changed.emit()

    def discard_interrupted(self, job_id: int) -> Job | None:
        """Forget an interrupted job; its leftover temp folders are removed in the background."""
        if self.path is None:
            return None
        path = self.path
        self.interrupted_error = ""

        def failed(exc: BaseException) -> None:
            if self.path == path and not _is_cancel(exc):
                self.interrupted_error = str(exc)
                self.refresh_interrupted()

        job = self.jobs.submit("Discard an interrupted job", backend.discard_job, path, job_id, heavy=False,
                               show=False, on_done=lambda _e: self.path == path and self.refresh_interrupted(),
                               on_error=failed)
        self._drop_interrupted(job_id)
        return job


def _is_cancel(exc: BaseException) -> bool:
    from lrec_desktop.core.jobs import Cancelled

    return isinstance(exc, Cancelled)
