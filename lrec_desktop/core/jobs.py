"""The job contract shared by the CLI and the GUI.

A job is a plain function ``fn(inputs, *, progress: ProgressFn, cancel: CancelToken) -> result``.
It reports progress as fractions in [0, 1] with an optional message, checks ``cancel`` between
batches, and writes nothing the previous good state depends on until it succeeds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class ProgressFn(Protocol):
    def __call__(self, fraction: float, message: str = "") -> None: ...


class Cancelled(Exception):
    """Raised inside a job when its cancel token was set; the job has rolled back."""


class CancelToken:
    """Thread-safe flag a job polls between batches."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")


def no_progress(fraction: float, message: str = "") -> None:
    """A ProgressFn that ignores every report."""


def throttled(progress: ProgressFn, min_step: float = 0.001, min_interval: float = 0.05) -> ProgressFn:
    """Forward a report only when it moved by ``min_step`` or ``min_interval`` seconds passed.

    Jobs may report per row; a GUI repainting per row would stall, so reports are thinned here once.
    Reports of 0 and 1 and any new message always pass.
    """
    last = {"fraction": -1.0, "time": 0.0}
    said = {"message": ""}

    def report(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        moved = abs(fraction - last["fraction"]) >= min_step and now - last["time"] >= min_interval
        if fraction in (0.0, 1.0) or message != said["message"] or moved:
            last.update(fraction=fraction, time=now)
            said["message"] = message
            progress(fraction, message)

    return report


def sub_progress(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """Map a sub-step's 0..1 onto ``start..end`` of the parent job (Orange's wrap_callback)."""

    def report(fraction: float, message: str = "") -> None:
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), message)

    return report


JobFn = Callable[..., object]
