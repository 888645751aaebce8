"""GUI test set-up: a main window on a small shop, screenshots, and a guard against leftover workers."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

pytest.importorskip("PySide6")

from lrec_desktop.gui import workers
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.shopdata import build_shop


@pytest.fixture(autouse=True)
def no_leftover_workers() -> Iterator[None]:
    """Fail a test that leaves a worker running (napari's fixture): stray threads break later tests."""
    yield
    left = workers.live_workers()
    if left:
        for w in left:
            w.cancel()
        pytest.fail(f"{len(left)} worker(s) still running after the test: {[w.fn.__name__ for w in left]}")


@pytest.fixture(autouse=True)
def collect_windows_on_the_gui_thread() -> Iterator[None]:
    """A closed test window left in reference cycles is freed here, on the GUI thread: left to the collector, it
    was freed in whichever thread allocated next, a worker of the next test, and Qt crashed deleting widgets there."""
    yield
    gc.collect()


@pytest.fixture
def shop_path(tmp_path: Path) -> Path:
    return build_shop(tmp_path / "tea-shop.lrec")


@pytest.fixture
def window(qtbot: QtBot, shop_path: Path) -> Iterator[MainWindow]:
    """The main window on a small prepared shop, shown at 1280x800; waits for the recommendations."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == "ready", timeout=20000):
        assert win.open_path(shop_path)
        win.session.prepare_recommendations()
    yield win
    win.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("LREC_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def wait_idle(qtbot: QtBot, win: MainWindow, timeout: int = 20000) -> None:
    """Until every job (heavy and quick) has reported back to the GUI thread."""
    qtbot.waitUntil(lambda: not any(j.active for j in win.jobs.jobs), timeout=timeout)
