"""Learn from my sales (journey 7) with the real bundled model on a tiny shop: live chart, pause, result,
versions, going back to the original model, cancel. Each run is a few training steps (max_pairs=64)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from lrec_desktop.core.app import versions
from lrec_desktop.core.store import db as store_db
from lrec_desktop.core.store import queries
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.pages.learn_page import LearnPage
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import shot

THEMES = {
    "Tea": ["teapot", "tea cups", "loose leaf tea", "tea cosy", "honey jar", "tea strainer", "biscuit tin", "milk jug"],
    "Garden": ["trowel", "gloves", "seed tray", "watering can", "kneeler", "plant labels", "twine", "secateurs"],
    "Baking": ["flour", "whisk", "loaf tin", "mixing bowl", "rolling pin", "cake stand", "piping bags", "apron"],
    "Pets": ["dog lead", "cat toy", "pet bowl", "dog bed", "treat jar", "grooming brush", "collar", "pet blanket"],
}
SMALL = {"max_pairs": 64, "batch_size": 16, "device": "cpu"}
RUN_MS = 120_000


def build_learn_shop(path: Path) -> Path:
    """32 products in 4 themes; 90 customers, each buying 4 products of one theme; read by the text model."""
    from lrec_desktop.core.text.embed_job import embed_catalog

    rng = np.random.default_rng(3)
    items = [
        (f"{theme[:3].upper()}{n}", f"{noun.capitalize()} for the {theme.lower()} lover", theme)
        for theme, nouns in THEMES.items()
        for n, noun in enumerate(nouns)
    ]
    db = store_db.connect(path, create=True)
    with store_db.transaction(db) as conn:
        conn.execute("INSERT INTO imports(import_id, file, kind, sha256, imported_at) VALUES (1, 'f', 'o', 'x', 0)")
        conn.executemany("INSERT INTO items(item_id, title, category) VALUES (?, ?, ?)", items)
        rows = []
        for c in range(90):
            theme = list(THEMES)[c % 4]
            picks = rng.choice([i[0] for i in items if i[2] == theme], 4, replace=False)
            rows += [(f"C{c:02d}", str(p), 1_700_000_000 + 3600 * (100 * c + k)) for k, p in enumerate(picks)]
        conn.executemany(
            "INSERT INTO interactions(customer_id, item_id, ts, event, import_id, line_key) "
            "VALUES (?, ?, ?, 'purchase', 1, ?)",
            [(*r, f"k{n}") for n, r in enumerate(rows)],
        )
        conn.executemany("INSERT INTO customers(customer_id) VALUES (?)", [(f"C{c:02d}",) for c in range(90)])
        queries.refresh_item_stats(conn)
    store_db.bump_data_version(db)
    db.close()
    embed_catalog(path, device="cpu")
    return path


@pytest.fixture
def learn_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    path = build_learn_shop(tmp_path / "learn-shop.lrec")
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == "ready", timeout=30000):
        assert win.open_path(path)
        win.session.prepare_recommendations()
    wait_idle(qtbot, win, 30000)
    yield win
    win.close()


def active_fingerprint(path: Path) -> str:
    db = store_db.connect(path)
    try:
        return (store_db.get_setting(db, "text_model") or {}).get("fingerprint", "")
    finally:
        db.close()


def open_learn(qtbot: QtBot, win: MainWindow) -> LearnPage:
    win.go("Learn from my sales")
    page = win.learn
    assert page.charts is not None  # built on first show
    qtbot.waitUntil(lambda: page.estimate is not None, timeout=30000)
    return page


def test_learn_with_pause_result_versions_and_rollback(qtbot: QtBot, learn_window: MainWindow, screenshots: Path):
    win, page = learn_window, None
    path = win.session.path
    base = active_fingerprint(path)
    assert "Not learned from your sales yet" in win.overview.learn_row.text.text()
    page = open_learn(qtbot, win)
    assert page.estimate_label.text().startswith("It takes ") and "this computer" in page.estimate_label.text()
    assert page.versions_panel.versions_model.rowCount() == 0 and not page.versions_panel.original_button.isEnabled()
    shot(win, screenshots, "learn-before")

    # Pause at once: the run reaches training, measures the starting point, then holds before step 1.
    with qtbot.waitSignal(page.relay.sig_point, check_params_cb=lambda k, x, y: k == "validation", timeout=RUN_MS):
        job = page.start(**SMALL)
        assert job is not None
        page.pause_button.click()
    assert page.paused and page.pause_button.text() == "&Resume"
    assert page.charts.score.xs == [0.0]
    qtbot.wait(2000)
    assert page.step == 0 and page.charts.loss.xs == [] and job.active
    assert "Paused" in page.message.text()
    assert not page.start_button.isEnabled()
    shot(win, screenshots, "learn-paused")

    seen_left: list[str] = []
    page.relay.sig_point.connect(
        lambda kind, x, y: seen_left.append(page.estimate_label.text()) if kind == "seconds_left" else None
    )
    with qtbot.waitSignal(job.worker.signals.finished, timeout=RUN_MS):
        page.pause_button.click()  # Resume
    wait_idle(qtbot, win, 30000)
    assert job.state == "done", job.error
    result = page.result
    assert page.step >= 4 and page.charts.loss.xs  # the chart received the loss points
    assert len(page.charts.score.xs) == 2  # before learning and after the round
    # While it learned, the estimate followed the measured speed, reading and comparing included ...
    assert seen_left and all(text.endswith("left, at the speed measured so far.") for text in seen_left)
    # ... and after the run the estimate before a run is back.
    assert page.estimate_label.text().startswith("It takes ") and page.seconds_left is None
    assert page.result_line.text() == result.decision and result.decision
    assert "found:" in page.figures.text() and "→" in page.figures.text()
    assert [v.name for v in page.versions_panel.versions] == ["v0001"]
    assert page.versions_panel.versions_model.rows[0][0] == "v0001"
    # One set of numbers: the result's first figure is the version list's "What it changed", word for word.
    assert page.figures.text().splitlines()[0] == page.versions_panel.versions_model.rows[0][2]
    # The pairs it really learned from (the steps it ran), not the plan.
    steps, learned = result.training["steps"], result.training["pairs"]
    assert 0 < learned <= steps * SMALL["batch_size"] and learned <= result.training["planned_pairs"]
    if not result.training["stopped_early"]:
        assert learned == result.training["planned_pairs"]
    assert page.versions_panel.versions_model.rows[0][3].startswith(f"{learned} pairs")
    # The step chart's axis has a unit: a share of right picks, never "Mistakes".
    axis = page.charts.loss.plot.getPlotItem().getAxis("left").labelText
    assert axis == "Right partner picked (%)" and all(0 <= y <= 100 for y in page.charts.loss.ys)
    if result.activated:
        assert page.keep_button.isVisible() and page.back_button.isVisible() and not page.anyway_button.isVisible()
    else:
        assert page.anyway_button.isVisible() and not page.back_button.isVisible()
    page.scroll.verticalScrollBar().setValue(0)
    shot(win, screenshots, "learn-after")
    # the hover read-out and Save as PNG
    chart = page.charts.loss
    chart._mouse_moved(chart.scene_point(chart.xs[-1], chart.ys[-1]))
    assert chart.readout.text().startswith("After step ")
    assert chart.save_png(screenshots / "learn-chart.png")

    if not result.activated:
        ready = win.session.sig_recommender_changed
        with qtbot.waitSignal(ready, check_params_cb=lambda s: s == "ready", timeout=RUN_MS):
            page.anyway_button.click()
        wait_idle(qtbot, win, 30000)
    assert active_fingerprint(path) == result.fingerprint != base
    assert page.versions_panel.versions_model.rows[0][4] == "✓ in use"
    assert "version v0001 is in use" in win.overview.learn_row.text.text()
    win.go("Overview")
    shot(win, screenshots, "learn-overview")
    win.go("Learn from my sales")
    assert win.session.text_status is not None and win.session.text_status.current  # the learned version counts
    assert win.session.text_status.chosen.learned == "v0001"

    # Back to the original model: the shop's text model changes and the recommendations are loaded again.
    assert page.versions_panel.original_button.isEnabled()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == "ready", timeout=RUN_MS):
        page.versions_panel.original_button.click()
    wait_idle(qtbot, win, 30000)
    assert active_fingerprint(path) == base
    assert page.versions_panel.versions_model.rows[0][4] == ""
    assert "original text model" in page.versions_panel.in_use_label.text()
    assert "original text model is in use" in win.overview.learn_row.text.text()
    assert win.session.text_status.current

    # Delete the version (it is not in use any more)
    page.versions_panel.select("v0001")
    assert page.versions_panel.delete_selected(confirm=False)
    wait_idle(qtbot, win, 30000)
    assert page.versions_panel.versions == [] and versions.learned_versions(path) == []


def test_cancel_mid_run_leaves_nothing_new(qtbot: QtBot, learn_window: MainWindow) -> None:
    win = learn_window
    path = win.session.path
    base = active_fingerprint(path)
    page = open_learn(qtbot, win)
    with qtbot.waitSignal(page.relay.sig_point, timeout=RUN_MS):
        job = page.start(**SMALL)
        page.pause_button.click()  # hold it in training so that Cancel lands mid-run
    with qtbot.waitSignal(job.worker.signals.failed, timeout=RUN_MS):
        page.cancel_button.click()
    wait_idle(qtbot, win, 30000)
    assert job.state == "cancelled"
    assert page.status.text().startswith("Cancelled. Nothing changed")
    assert (
        page.versions_panel.versions == []
        and versions.learned_versions(path) == []
        and page.versions_panel.versions_model.rowCount() == 0
    )
    assert active_fingerprint(path) == base
    assert page.start_button.isEnabled()
