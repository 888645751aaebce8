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
    job = manager.submit("Wait", wait_for_cancel, started)
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: job.state == CANCELLED, timeout=5000)
    assert isinstance(job.exception, Cancelled)

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


def test_a_new_job_in_the_same_slot_cancels_the_last_and_only_the_newest_answers(qtbot: QtBot) -> None:
    manager = JobManager()
    answers: list[object] = []
    started = threading.Event()
    first = manager.submit("Look up A", wait_for_cancel, started, slot="lookup", heavy=False,
                           on_done=answers.append, on_error=answers.append, on_cancel=lambda: answers.append("x"))
    assert started.wait(5)
    second = manager.submit("Look up B", add, 2, 2, slot="lookup", heavy=False, on_done=answers.append)
    assert first.superseded and manager.in_slot("lookup") is second
    qtbot.waitUntil(lambda: first.state == CANCELLED and second.state == DONE, timeout=5000)
    assert answers == [4]  # the first one's late cancel is dropped: no callback at all
    assert manager.in_slot("lookup") is None
    manager.shutdown()


def test_a_cancelled_job_goes_to_on_cancel_not_on_error(qtbot: QtBot) -> None:
    manager = JobManager()
    errors: list[BaseException] = []
    cancelled: list[bool] = []
    started = threading.Event()
    job = manager.submit("Wait", wait_for_cancel, started, on_error=errors.append,
                         on_cancel=lambda: cancelled.append(True))
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: job.state == CANCELLED, timeout=5000)
    assert cancelled == [True] and errors == []
    manager.shutdown()


def test_a_guard_drops_results_nobody_wants(qtbot: QtBot) -> None:
    manager = JobManager()
    wanted = {"shop": True}
    results: list[int] = []
    started = threading.Event()
    release = threading.Event()

    def slow(*, progress, cancel: CancelToken) -> int:
        started.set()
        release.wait(5)
        return 7

    job = manager.submit("Count", slow, guard=lambda: wanted["shop"], on_done=results.append)
    assert started.wait(5)
    wanted["shop"] = False  # another shop was opened meanwhile
    release.set()
    qtbot.waitUntil(lambda: job.state == DONE, timeout=5000)
    assert results == []
    manager.shutdown()


def test_writes_run_on_their_own_pool(qtbot: QtBot) -> None:
    manager = JobManager()
    started = threading.Event()
    heavy = manager.submit("Hold the heavy pool", wait_for_cancel, started)
    assert started.wait(5)
    write = manager.submit("Save a setting", add, 1, 1, write=True)
    qtbot.waitUntil(lambda: write.state == DONE, timeout=5000)  # not queued behind the heavy job
    heavy.cancel()
    manager.shutdown()


def test_closing_waits_for_a_write_instead_of_cancelling_it(qtbot: QtBot) -> None:
    manager = JobManager()
    started, release, saved = threading.Event(), threading.Event(), threading.Event()

    def save(*, progress, cancel: CancelToken) -> None:
        started.set()
        release.wait(5)
        cancel.raise_if_cancelled()
        saved.set()

    manager.submit("Save a setting", save, write=True, show=False)
    assert started.wait(5)
    threading.Timer(0.2, release.set).start()
    assert manager.shutdown(10000)
    assert saved.is_set()  # the owner's last change reached the shop
