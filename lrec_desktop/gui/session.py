"""The open shop, shared by every page: its path, its quick reads (``core.app.shops.OpenShop``), its settings,
the loaded recommendations, and whether the product descriptions are understood by the text model.

Pages run their jobs through ``submit``: the job's result reaches them only while the same shop is open
(the shop-changed guard, once, here), a cancelled job goes to ``on_cancel`` only, and a ``slot`` makes the
newest request win. Every write to the shop is a job on the write pool, never on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from lrec_desktop.core.app import choice, evaluate, jobs, prepare, shops, versions
from lrec_desktop.core.app import settings as shop_settings
from lrec_desktop.gui import formatting
from lrec_desktop.gui.text_states import (
    FAILED,
    NOT_PREPARED,
    PREPARING,
    READY,
    TEXT_CHECKING,
    TEXT_CURRENT,
    TEXT_FAILED,
    TEXT_READING,
    TEXT_TO_READ,
)
from lrec_desktop.gui.workers import Job, JobManager

if TYPE_CHECKING:
    from lrec_desktop.core.app.choice import EmbedSummary, TextStatus
    from lrec_desktop.core.app.evaluate import LongTailReport
    from lrec_desktop.core.app.jobs import JournalEntry
    from lrec_desktop.core.app.prepare import Recommender
    from lrec_desktop.core.app.settings import Rules, ShopSettings

__all__ = ["FAILED", "NOT_PREPARED", "PREPARING", "READY", "TEXT_CHECKING", "TEXT_CURRENT", "TEXT_FAILED",
           "TEXT_READING", "TEXT_TO_READ", "ShopSession"]

log = logging.getLogger(__name__)


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
    sig_lists_sent = Signal()  # recommendation lists went out (an export, a campaign) and were noted in the shop

    def __init__(self, jobs: JobManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.path: Path | None = None
        self.shop: shops.OpenShop | None = None
        self.settings: ShopSettings | None = None  # as saved, or being saved (writes run on the write pool)
        self.demo = False
        self.recommender: Recommender | None = None
        self.rec_state = NOT_PREPARED
        self.rec_error = ""
        self._prepare_job: Job | None = None
        self.text_state = TEXT_CHECKING
        self.text_status: TextStatus | None = None  # the last check
        self.text_error = ""  # why the last reading failed
        self.text_result = ""  # what the last reading did, in words
        self.text_job: Job | None = None
        self.learn_job: Job | None = None  # "Learn from my sales" (started by its page)
        self._text_check: Job | None = None
        self._check_again = False
        self.rules_version = 0  # bumped by every saved rules change: cached reports say which they saw
        self._exposure: LongTailReport | None = None  # at the saved level for the loaded recommendations
        self._exposure_key: tuple[int, int, float] | None = None
        self._exposure_job: Job | None = None
        self._exposure_job_key: tuple[int, int, float] | None = None
        self.exposure_error = ""  # why counting who sees each product failed
        self.interrupted: list[JournalEntry] = []  # jobs cut short, newest first
        self.interrupted_error = ""  # why running one again or discarding it failed
        self.write_error = ""  # why the last change of a setting could not be saved
        self.sig_recommender_changed.connect(lambda _s: self._drop_exposure())

    @property
    def is_open(self) -> bool:
        return self.shop is not None

    def submit(
        self,
        title: str,
        fn: Callable[..., Any],
        *args: Any,
        slot: Hashable | None = None,
        **kwargs: Any,
    ) -> Job:
        """``jobs.submit`` for the open shop: the callbacks run only while this shop is still open."""
        path = self.path
        return self.jobs.submit(title, fn, *args, slot=slot, guard=lambda: self.path == path, **kwargs)

    def open(self, path: Path, *, create: bool = False) -> None:
        """Open (or create) a shop; raises UserError with a sentence for the user when it can't."""
        path = Path(path)
        shop = shops.OpenShop(path, create=create)
        self.close()
        self.path, self.shop = path, shop
        self.demo = shop.demo
        self.settings = shop.settings()
        formatting.set_currency(self.settings.currency)
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
        if self.shop is not None:
            self.shop.close()
        self.shop = None
        self.settings = None
        self.path = None
        self.interrupted, self.interrupted_error = [], ""
        self._drop_exposure()

    # --- saving settings (on the write pool: an import holding the shop's write lock never freezes the window) ---
    def _save(self, title: str, fn: Callable[..., Any], *args: Any,
              on_done: Callable[[Any], None] | None = None) -> Job | None:
        if self.path is None:
            return None
        self.write_error = ""

        def failed(exc: BaseException) -> None:
            self.write_error = str(exc)
            log.warning("%s failed: %s", title, exc)

        return self.submit(title, fn, self.path, *args, write=True, show=False, on_done=on_done, on_error=failed)

    # --- discovery and rules ----------------------------------------------------------------------
    @property
    def discovery(self) -> float:
        """The shop's discovery level (bestsellers 0 … 1 hidden gems), as saved or being saved."""
        return self.settings.discovery if self.settings is not None else shop_settings.DISCOVERY_DEFAULT

    def set_discovery(self, level: float) -> Job | None:
        """Save the level (a write job); the loaded recommendations use it at once (no preparing again)."""
        if self.settings is None:
            return None
        level = shop_settings.clamp_discovery(level)
        if abs(level - self.discovery) < 1e-9:
            return None
        self.settings = shop_settings.with_discovery(self.settings, level)
        if self.recommender is not None:
            self.recommender.discovery = level
        self._drop_exposure()
        self.sig_discovery_changed.emit(level)
        return self._save("Save the discovery level", shop_settings.save_discovery, level)

    def rules(self) -> Rules:
        if self.shop is None:
            raise RuntimeError("no shop is open")
        return self.shop.rules()

    def set_rules(self, rules: Rules) -> Job | None:
        """Save the rules (a write job), then apply them to the loaded recommendations."""

        def saved(read_back: Rules) -> None:
            if self.recommender is not None:
                # Read back: the saved rules with what the products say (postage and the like stay blocked).
                self.recommender.set_rules(read_back)
            self.rules_version += 1
            self._drop_exposure()
            self.sig_rules_changed.emit()

        return self._save("Save the recommendation rules", shop_settings.save_rules, rules, on_done=saved)

    # --- who sees which product (a long-tail report at the saved level, cached) ---------------------
    def exposure_key(self, level: float | None = None) -> tuple[int, int, float]:
        """What a long-tail report depends on: the loaded recommendations, the rules and the level."""
        level = self.discovery if level is None else level
        return (id(self.recommender), self.rules_version, round(float(level), 2))

    @property
    def exposure(self) -> LongTailReport | None:
        """The cached report at the saved level, or None when there is none for the current set-up."""
        return self._exposure if self._exposure_key == self.exposure_key() else None

    def remember_exposure(self, report: LongTailReport, key: tuple[int, int, float]) -> None:
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
        if self._exposure_job is not None and self._exposure_job.active and self._exposure_job_key == key:
            return self._exposure_job
        self.exposure_error = ""

        def failed(exc: BaseException) -> None:
            if key == self.exposure_key():
                self.exposure_error = str(exc)
                self.sig_exposure_changed.emit()

        self._exposure_job_key = key
        self._exposure_job = self.submit(
            "Count who sees each product",
            evaluate.longtail_reports,
            self.path,
            [key[2]],
            self.recommender,
            slot="session.exposure",
            show=False,
            on_done=lambda reports: self.remember_exposure(reports[0], key),
            on_error=failed,
        )
        return self._exposure_job

    def _prepared(self) -> bool:
        try:
            return prepare.is_prepared(self.path) if self.path else False
        except ImportError:
            return False
        except Exception:
            log.exception("could not tell whether recommendations are prepared")
            return False

    def data_changed(self) -> None:
        """After an import: recommendations no longer match the sales until prepared again."""
        self.recommender = None
        self.rec_state = NOT_PREPARED
        if self.shop is not None:
            self.settings = self.shop.settings()  # the import may have told the currency
            formatting.set_currency(self.settings.currency)
        self.sig_data_changed.emit()
        self.sig_recommender_changed.emit(self.rec_state)
        self.check_text()

    def prepare_recommendations(self) -> Job | None:
        """Prepare (if the data changed) and load the recommendations in the background."""
        if self.path is None:
            return None
        if self._prepare_job is not None and self._prepare_job.active:
            return self._prepare_job
        self.rec_state, self.rec_error = PREPARING, ""
        self.sig_recommender_changed.emit(self.rec_state)

        def done(recommender: Recommender) -> None:
            self.recommender, self.rec_state = recommender, READY
            self.sig_recommender_changed.emit(self.rec_state)

        def failed(exc: BaseException) -> None:
            self.rec_state, self.rec_error = FAILED, str(exc)
            self.sig_recommender_changed.emit(self.rec_state)

        def cancelled() -> None:
            self.rec_state, self.rec_error = NOT_PREPARED, ""
            self.sig_recommender_changed.emit(self.rec_state)

        self._prepare_job = self.submit("Prepare recommendations", prepare.load_recommender, self.path,
                                        on_done=done, on_error=failed, on_cancel=cancelled)
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
        if not self.reading_text:
            self._set_text_state(TEXT_CHECKING)

        def done(status: TextStatus) -> None:
            self.text_status = status
            if self._check_again:
                self._check_again = False
                self.check_text()
            elif not self.reading_text:
                self._set_text_state(TEXT_CURRENT if status.current else TEXT_TO_READ)

        def failed(exc: BaseException) -> None:
            self.text_error = str(exc)
            if not self.reading_text:
                self._set_text_state(TEXT_FAILED)

        self._text_check = self.submit("Check product descriptions", choice.text_status, self.path, heavy=False,
                                       show=False, on_done=done, on_error=failed)
        return self._text_check

    def read_descriptions(self) -> Job | None:
        """The text model reads new and changed product descriptions (a heavy job with progress and Cancel);
        the recommendations are then loaded again so that they use what it read."""
        if self.path is None:
            return None
        if self.reading_text:
            return self.text_job
        self.text_error, self.text_result = "", ""

        def done(summary: EmbedSummary) -> None:
            self.text_result = formatting.reading_words(summary)
            job.message = self.text_result  # the Jobs page says it the same way
            self.jobs.sig_job_changed.emit(job)
            self.check_text()
            if self.rec_state in (READY, FAILED):
                self.prepare_recommendations()  # loads again, with what the text model read

        def failed(exc: BaseException) -> None:
            self.text_error = str(exc)
            self._set_text_state(TEXT_FAILED)

        def cancelled() -> None:
            job.message = "Cancelled; the descriptions read so far are kept, so the next run is shorter."
            self.jobs.sig_job_changed.emit(job)
            self.check_text()

        job = self.submit(
            "Read product descriptions",
            choice.read_descriptions,
            self.path,
            with_log=True,
            on_done=done,
            on_error=failed,
            on_cancel=cancelled,
            on_progress=lambda f, m: self.sig_text_progress.emit(f, m),
        )
        self.text_job = job
        self._set_text_state(TEXT_READING)  # after text_job is set: pages show its progress
        return job

    @property
    def learning(self) -> bool:
        return self.learn_job is not None and self.learn_job.active

    def versions(self) -> list[versions.LearnedVersion]:
        """The learned versions of the text model, oldest first (a quick read of the shop's settings)."""
        if self.shop is None:
            return []
        try:
            return versions.versions_of(self.shop.db)
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

    def save_text_settings(self, model_dir: str | None, device: str) -> Job | None:
        """Store the text model and device for this shop (a write job); the descriptions are checked again
        once it is saved (they need reading again when the model changed)."""
        if self.settings is None:
            return None
        self.settings = shop_settings.with_text_choice(self.settings, model_dir, device)

        def saved(settings: ShopSettings) -> None:
            self.settings = settings
            self.check_text()

        return self._save("Save the text model choice", shop_settings.save_text_choice, model_dir, device,
                          on_done=saved)

    def save_watched_folder(self, folder: str | None) -> Job | None:
        """The folder the Import page watches for export files (None: off), saved by a write job."""
        if self.settings is None:
            return None
        self.settings = shop_settings.with_watched_folder(self.settings, folder)
        return self._save("Save the watched folder", shop_settings.save_watched_folder, folder)

    # --- jobs cut short by a crash or a kill ---------------------------------------------------------
    def refresh_interrupted(self) -> None:
        """Read the journal again (one small query); a crash left nothing to do when the list is empty."""
        try:
            self.interrupted = jobs.interrupted(self.path) if self.path else []
        except Exception:
            log.exception("could not read the job journal")
            self.interrupted = []
        self.sig_interrupted_changed.emit()

    def run_again(self, job_id: int) -> Job | None:
        """Run an interrupted job again with the inputs it had, then refresh what it changes."""
        if self.path is None:
            return None
        entry = next((e for e in self.interrupted if e.job_id == job_id), None)
        kind = entry.kind if entry is not None else ""
        self.interrupted_error = ""

        def done(_result: object) -> None:
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
            self.interrupted_error = str(exc)
            self.refresh_interrupted()

        job = self.submit(entry.title if entry else "Run a job again", jobs.run_again, self.path, job_id,
                          with_log=True, on_done=done, on_error=failed, on_cancel=self.refresh_interrupted)
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
        self.interrupted_error = ""

        def failed(exc: BaseException) -> None:
            self.interrupted_error = str(exc)
            self.refresh_interrupted()

        job = self.submit("Discard an interrupted job", jobs.discard, self.path, job_id, heavy=False, show=False,
                          on_done=lambda _e: self.refresh_interrupted(), on_error=failed)
        self._drop_interrupted(job_id)
        return job
