"""One generic runner for core jobs, and the manager that owns the thread pools.

A core job is a plain function ``fn(*args, progress=..., cancel=CancelToken, **kw)``. ``Worker`` wraps it
as a QRunnable whose ``signals`` object carries ``started``, ``progress(float, str)``, ``finished(object)``
and ``failed(object)`` (the exception) back to the GUI thread. Heavy jobs (import, preparing
recommendations, export) share a one-thread pool; quick reads (a customer lookup, a file preview) another.
Workers never receive a database connection: they get the shop's path and open their own. A job submitted
with ``with_log=True`` also gets ``log_fn(str)``: its notes ("Out of memory on cuda: retrying with smaller
batches") are kept on the job and shown on the Jobs page.

``submit`` owns the plumbing every caller needs once: a job given a ``slot`` cancels the job still running in
that slot, whose late result is then dropped (the last request wins, as Orange3's ConcurrentMixin does); a
``guard`` (the session's "is the same shop still open?") drops results nobody wants any more; and a cancelled
job goes to ``on_cancel``, never to ``on_error``, so no caller tells the two apart. Writes to the shop go to
their own one-thread pool, so a write waiting for an import's lock never holds up quick reads.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from lrec_desktop.core.app.jobs import Cancelled, CancelToken, UserError, storage_error, throttled

log = logging.getLogger(__name__)

_LIVE: set[Worker] = set()
_LIVE_LOCK = threading.Lock()


def live_workers() -> list[Worker]:
    """Workers submitted and not yet returned from ``run`` (tests assert none are left behind)."""
    with _LIVE_LOCK:
        return list(_LIVE)


class WorkerSignals(QObject):
    started = Signal()
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    log = Signal(str)


class Worker(QRunnable):
    """Runs ``fn(*args, progress=..., cancel=token, **kwargs)`` on a pool thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_log: bool = False, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; the manager keeps it until it has run.
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.token = CancelToken()
        self.signals = WorkerSignals()
        if with_log:
            self.kwargs["log_fn"] = lambda message: self.signals.log.emit(str(message))
        with _LIVE_LOCK:
            _LIVE.add(self)

    def cancel(self) -> None:
        self.token.cancel()

    def run(self) -> None:
        try:
            if self.token.cancelled:
                self.signals.failed.emit(Cancelled("cancelled before it started"))
                return
            self.signals.started.emit()
            report = throttled(lambda f, m="": self.signals.progress.emit(float(f), str(m)))
            try:
                result = self.fn(*self.args, progress=report, cancel=self.token, **self.kwargs)
            except BaseException as exc:
                if self.token.cancelled and not isinstance(exc, Cancelled | UserError):
                    log.info("job raised %r after it was cancelled", exc)
                # A full disk or a locked file is the user's to fix, not a crash: say so in words.
                self.signals.failed.emit(storage_error(exc) or exc)
                return
            if self.token.cancelled:
                self.signals.failed.emit(Cancelled("cancelled"))
            else:
                self.signals.finished.emit(result)
        finally:
            with _LIVE_LOCK:
                _LIVE.discard(self)


WAITING, RUNNING, DONE, CANCELLED, FAILED = "waiting", "running", "done", "cancelled", "failed"
STATE_WORDS = {WAITING: "Waiting", RUNNING: "Running", DONE: "Done", CANCELLED: "Cancelled", FAILED: "Failed"}


@dataclass(eq=False)
class Job:
    id: int
    title: str
    worker: Worker
    heavy: bool
    show: bool
    slot: Hashable | None = None
    guard: Callable[[], bool] | None = None  # False: the result is no longer wanted (its shop was closed)
    superseded: bool = False  # a newer job took its slot: its result is dropped
    write: bool = False  # saves a change to the shop: never cancelled by closing (it is short, and wanted)
    state: str = WAITING
    fraction: float = 0.0
    message: str = ""
    error: str = ""
    notes: list[str] = field(default_factory=list)  # the job's log_fn messages, oldest first
    exception: BaseException | None = None
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None

    @property
    def active(self) -> bool:
        return self.state in (WAITING, RUNNING)

    @property
    def wanted(self) -> bool:
        """Whether its result still goes to the caller."""
        return not self.superseded and (self.guard is None or self.guard())

    def cancel(self) -> None:
        self.worker.cancel()

    @property
    def details(self) -> str:
        """What the Jobs page shows: the error, else the message with the latest note kept beside it."""
        if self.error:
            return self.error
        if self.notes and self.notes[-1] != self.message:
            return f"{self.message} ({self.notes[-1]})" if self.message else self.notes[-1]
        return self.message


class JobManager(QObject):
    """Owns the two pools and every job's record; the Jobs page and the status bar watch it."""

    sig_job_added = Signal(object)
    sig_job_changed = Signal(object)
    sig_running_changed = Signal(int)
    sig_crash = Signal(object, object)  # (exception, Job): unexpected errors, for the "Copy report" dialog

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.heavy_pool = QThreadPool(self)
        self.heavy_pool.setMaxThreadCount(1)
        self.quick_pool = QThreadPool(self)
        self.quick_pool.setMaxThreadCount(1)
        self.write_pool = QThreadPool(self)  # saving settings and rules: may wait for an import's write lock
        self.write_pool.setMaxThreadCount(1)
        self.jobs: list[Job] = []
        self.slots: dict[Hashable, Job] = {}
        self._ids = itertools.count(1)
        self._closed = False

    def submit(
        self,
        title: str,
        fn: Callable[..., Any],
        *args: Any,
        heavy: bool = True,
        show: bool = True,
        write: bool = False,
        slot: Hashable | None = None,
        guard: Callable[[], bool] | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
        with_log: bool = False,
        **kwargs: Any,
    ) -> Job:
        """Run ``fn(*args, progress=..., cancel=..., **kwargs)`` on a pool: ``write`` on the write pool, else
        ``heavy`` or quick. See the module docstring for ``slot`` and ``guard``."""
        if self._closed:
            raise RuntimeError("the job manager is shut down")
        worker = Worker(fn, *args, with_log=with_log, **kwargs)
        job = Job(next(self._ids), title, worker, heavy and not write, show, slot, guard, write=write)
        if slot is not None:
            previous = self.slots.get(slot)
            if previous is not None and previous.active:
                previous.superseded = True
                previous.cancel()
            self.slots[slot] = job
        s = worker.signals
        s.started.connect(lambda: self._on_started(job))
        s.progress.connect(lambda f, m: self._on_progress(job, f, m, on_progress))
        s.finished.connect(lambda r: self._on_finished(job, r, on_done))
        s.failed.connect(lambda e: self._on_failed(job, e, on_error, on_cancel))
        s.log.connect(lambda m: self._on_log(job, m))
        self.jobs.append(job)
        self.sig_job_added.emit(job)
        self._emit_running()
        (self.write_pool if write else self.heavy_pool if heavy else self.quick_pool).start(worker)
        return job

    def drop_slot(self, slot: Hashable) -> None:
        """The answer of the job in ``slot`` is no longer wanted: cancel it and drop its result."""
        job = self.slots.pop(slot, None)
        if job is not None and job.active:
            job.superseded = True
            job.cancel()

    def in_slot(self, slot: Hashable) -> Job | None:
        """The latest job submitted in ``slot`` while it is active."""
        job = self.slots.get(slot)
        return job if job is not None and job.active else None

    def running(self) -> list[Job]:
        return [j for j in self.jobs if j.active and j.show]

    def _emit_running(self) -> None:
        self.sig_running_changed.emit(len(self.running()))

    def _on_started(self, job: Job) -> None:
        if self._closed:
            return
        job.state = RUNNING
        self.sig_job_changed.emit(job)

    def _on_progress(
        self, job: Job, fraction: float, message: str, callback: Callable[[float, str], None] | None
    ) -> None:
        if self._closed or not job.active:
            return
        job.fraction = fraction
        if message:
            job.message = message
        self.sig_job_changed.emit(job)
        if callback and job.wanted:
            callback(fraction, message)

    def _on_log(self, job: Job, message: str) -> None:
        if self._closed or not message:
            return
        log.info("%s: %s", job.title, message)
        job.notes.append(message)
        self.sig_job_changed.emit(job)

    def _finish(self, job: Job, state: str) -> None:
        if job.slot is not None and self.slots.get(job.slot) is job:
            del self.slots[job.slot]
        job.state = state
        job.finished_at = time.time()
        self.sig_job_changed.emit(job)
        self._emit_running()

    def _on_finished(self, job: Job, result: Any, callback: Callable[[Any], None] | None) -> None:
        if self._closed:
            return
        job.fraction = 1.0
        self._finish(job, DONE)
        if callback and job.wanted:
            callback(result)

    def _on_failed(self, job: Job, exc: BaseException, callback: Callable[[BaseException], None] | None,
                   on_cancel: Callable[[], None] | None = None) -> None:
        if self._closed:
            return
        job.exception = exc
        if isinstance(exc, Cancelled):
            job.message = "Cancelled; nothing was changed."
            self._finish(job, CANCELLED)
            if on_cancel and job.wanted:
                on_cancel()
            return
        job.error = str(exc) if isinstance(exc, UserError) else f"Unexpected error: {exc!r}"
        self._finish(job, FAILED)
        if not isinstance(exc, UserError):
            log.error("job %r failed", job.title, exc_info=exc)
            self.sig_crash.emit(exc, job)
        if callback and job.wanted:
            callback(exc)

    def cancel_all(self) -> None:
        """Cancel every running or waiting job but the writes: a setting saved just before the window closed is
        still saved (shutdown waits for it)."""
        for job in self.jobs:
            if job.active and not job.write:
                job.cancel()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel every job and wait for the pools; later signals are ignored. True when all stopped."""
        self.cancel_all()
        self._closed = True
        ok = self.heavy_pool.waitForDone(timeout_ms)
        ok = self.quick_pool.waitForDone(timeout_ms) and ok
        ok = self.write_pool.waitForDone(timeout_ms) and ok
        for job in self.jobs:
            if job.active:
                job.state = CANCELLED
        return ok
