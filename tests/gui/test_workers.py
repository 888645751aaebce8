"""The generic job runner: signals, cancel, the two pools, shutdown (no window)."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.gui.workers import CANCELLED, DONE, FAILED, JobManager, Worker


def add(a: int, b: int, *, progress, cancel: CancelToken) -> int:
    progress(0.5, "half way")
    return a + b


def wait_for_cancel(started: threading.Event, *, progress, cancel: CancelToken) -> None:
    started.set()
    while not cancel.cancelled:
        cancel._event.wait(0.01)
    cancel.raise_if_cancelled()


def test_worker_reports_progress_and_result(qtbot: QtBot) -> None:
    worker = Worker(add, 2, 3)
    seen: list[tuple[float, str]] = []
    worker.signals.progress.connect(lambda f, m: seen.append((f, m)))
    with qtbot.waitSignal(worker.signals.finished, timeout=5000) as blocker:
        worker.run()  # on this thread: signals are direct
    assert blocker.args == [5]
    assert seen == [(0.5, "half way")]


def test_manager_runs_job_on_pool_and_calls_back(qtbot: QtBot) -> None:
    manager = JobManager()
    results: list[int] = []
    job = manager.submit("Add", add, 1, 2, on_done=results.append)
    # not waitSignal: on a busy machine the worker can emit before the blocker connects
    qtbot.waitUntil(lambda: job.state == DONE, timeout=5000)
    assert results == [3]
    assert job.fraction == 1.0
    manager.shutdown()


def test_user_error_is_kept_on_the_job_without_crash_dialog(qtbot: QtBot) -> None:
    manager = JobManager()
    crashes: list[object] = []
    manager.sig_crash.connect(lambda e, j: crashes.append(e))

    def bad(*, progress, cancel):
        raise UserError("The file has no product column.")

    job = manager.submit("Bad", bad)
    qtbot.waitUntil(lambda: job.state == FAILED)
    assert job.error == "The file has no product column."
    assert crashes == []

    def broken(*, progress, cancel):
        raise RuntimeError("boom")

    job = manager.submit("Broken", broken)
    qtbot.waitUntil(lambda: job.state == FAILED)
    assert len(crashes) == 1 and isinstance(crashes[0], RuntimeError)
    manager.shutdown()


def test_cancel_and_shutdown_wait_for_the_job(qtbot: QtBot) -> None:
    manager = JobManager()
    started = threading.Event()
    errors: list[BaseException] = []
    job = manager.submit("Wait", wait_for_cancel, started, on_error=errors.append)
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: job.state == CANCELLED, timeout=5000)
    assert isinstance(errors[0], Cancelled)

    started.clear()
    job = manager.submit("Wait again", wait_for_cancel, started)
    assert started.wait(5)
    assert manager.shutdown(5000)  # cancels and waits
    assert job.worker.token.cancelled
    with pytest.raises(RuntimeError):
        manager.submit("Too late", add, 1, 1)


def test_log_fn_notes_are_kept_on_the_job(qtbot: QtBot) -> None:
    manager = JobManager()

    def noisy(*, progress, cancel: CancelToken, log_fn) -> str:
        progress(0.5, "250 of 500 product descriptions")
        log_fn("Out of memory on cuda: retrying with batches of 256.")
        return "ok"

    job = manager.submit("Noisy", noisy, with_log=True)
    qtbot.waitUntil(lambda: job.state == DONE, timeout=5000)
    assert job.notes == ["Out of memory on cuda: retrying with batches of 256."]
    assert job.details == "250 of 500 product descriptions (Out of memory on cuda: retrying with batches of 256.)"
    manager.shutdown()
