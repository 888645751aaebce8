""""Prepare everything" (UX journey 2, issue 20): import the chosen files, let the text model read the product
descriptions, then prepare the recommendations, as one chain of background jobs with one progress bar and one
Cancel.

Each step is the very job its own button runs (the Import page's import, the session's reading and preparing),
so a cancel or a failure leaves the last good state: an import that committed stays, and the later steps can be
run by their own buttons, or by this chain again, which then skips the import. The descriptions are read before
the recommendations are prepared, so that they are loaded once, with what the text model read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.workers import CANCELLED, DONE, FAILED, Job

StartFn = Callable[[], Job | None]


@dataclass(frozen=True)
class Step:
    name: str  # what the progress line says while it runs ("Importing your files")
    start: StartFn  # submits the step's job; None when there is nothing to do
    needed: bool = True  # False: its failure does not stop the steps after it


@dataclass
class Outcome:
    """How the chain ended: DONE, CANCELLED or FAILED, the step it ended in, and the errors of steps it went past."""

    state: str
    step: str = ""
    error: str = ""
    skipped_errors: list[str] = field(default_factory=list)
    between: bool = False  # cancelled after ``step``'s predecessor ended, before ``step`` itself began


class PrepareEverything(QObject):
    sig_progress = Signal(float, str)  # the whole chain's fraction, and the step's words
    sig_finished = Signal(object)  # Outcome

    def __init__(self, session: ShopSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.steps: list[Step] = []
        self.done_steps = 0
        self.total = 0
        self.job: Job | None = None
        self.step: Step | None = None
        self.errors: list[str] = []
        self.cancelled = False
        self.after = ""
        session.jobs.sig_job_changed.connect(self._changed)

    @property
    def running(self) -> bool:
        return self.step is not None

    def start(self, steps: list[Step]) -> None:
        if self.running:
            return
        self.steps, self.total, self.done_steps = list(steps), len(steps), 0
        self.errors, self.cancelled = [], False
        self._next()

    def cancel(self) -> None:
        """Stop the step running now; the steps before it stay done, the ones after it are not started."""
        if not self.running:
            return
        self.cancelled = True
        # The step that would run next: a Cancel that lands while one step's job has just ended (its callbacks
        # still to run) stops the chain before that one, and says so.
        self.after = self.steps[0].name if self.steps else ""
        self.steps = []
        if self.job is not None and self.job.active:
            self.job.cancel()

    def _next(self) -> None:
        while self.steps:
            self.step = self.steps.pop(0)
            self.sig_progress.emit(self.done_steps / self.total, self._words(""))
            job = self.step.start()
            if job is not None and job.active:
                self.job = job
                return
            self.done_steps += 1  # nothing to do for this step (the shop closed, or no files)
        self._finish(Outcome(DONE, skipped_errors=self.errors))

    def _words(self, message: str) -> str:
        step = self.step.name if self.step is not None else ""
        head = f"Step {self.done_steps + 1} of {self.total}: {step}"
        return f"{head} — {message}" if message else head

    def _changed(self, job: Job) -> None:
        if job is not self.job or self.step is None:
            return
        if job.active:
            self.sig_progress.emit((self.done_steps + job.fraction) / self.total, self._words(job.message))
            return
        # The job's own callbacks (the import summary, the recommendations' state) run right after this
        # signal: the next step starts once they have.
        QTimer.singleShot(0, lambda: self._ended(job))

    def _ended(self, job: Job) -> None:
        if job is not self.job or self.step is None:
            return
        step, self.job = self.step, None
        if job.state == DONE and not self.cancelled:
            self.done_steps += 1
            self._next()
        elif job.state == DONE and self.after:
            self.done_steps += 1
            self._finish(Outcome(CANCELLED, self.after, skipped_errors=self.errors, between=True))
        elif job.state == DONE:  # cancelled as the last step finished: everything is done
            self.done_steps += 1
            self._finish(Outcome(DONE, skipped_errors=self.errors))
        elif job.state == CANCELLED or self.cancelled:
            self._finish(Outcome(CANCELLED, step.name, skipped_errors=self.errors))
        elif job.state == FAILED and not step.needed and not self.cancelled:
            self.errors.append(job.error)
            self.done_steps += 1
            self._next()
        else:
            self._finish(Outcome(FAILED, step.name, job.error, self.errors))

    def _finish(self, outcome: Outcome) -> None:
        self.step, self.job, self.steps = None, None, []
        if outcome.state == DONE:
            self.sig_progress.emit(1.0, "Done")
        self.sig_finished.emit(outcome)


def outcome_words(outcome: Outcome, imported: str) -> tuple[str, str]:
    """The Import page's line once the chain ended after an import (``imported``: its summary), and its kind."""
    unread = (" The product descriptions could not be read (" + "; ".join(outcome.skipped_errors) + "): the "
              "recommendations go by the sales alone.") if outcome.skipped_errors else ""
    if outcome.state == DONE:
        return (f"{imported} Everything is ready.{unread} Next: export the recommendations for your e-mail tool, "
                "or look up a customer.", "ok")
    stopped = "Stopped" if outcome.state == CANCELLED else f"Stopped: {outcome.error}"
    step = outcome.step[:1].lower() + outcome.step[1:]
    when = "before" if outcome.between else "while"
    return (f"{imported} {stopped} {when} {step}. The import is kept: click “Import and prepare everything” "
            "again to finish, or prepare the recommendations below.", "muted" if outcome.state == CANCELLED
            else "error")
