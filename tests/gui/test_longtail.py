"""Long tail (journey 6), discovery elsewhere, rules, exposure in the catalog, export with discovery."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lrec_desktop.core.app import evaluate
from lrec_desktop.core.recommend.rules import Rules
from lrec_desktop.core.store import db as store_db
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.pages.longtail_page import LongTailPage
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import shot


def saved_discovery(path: Path) -> float | None:
    db = store_db.connect(path)
    try:
        value = store_db.get_setting(db, "discovery")
        return None if value is None else float(value)
    finally:
        db.close()


def open_longtail(qtbot: QtBot, window: MainWindow) -> LongTailPage:
    window.go("Long tail")
    page = window.longtail
    qtbot.waitUntil(lambda: len(page.sweep) == len(evaluate.SWEEP_LEVELS), timeout=20000)
    wait_idle(qtbot, window)
    return page


def test_longtail_page_and_discovery_slider(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    page = open_longtail(qtbot, window)
    report = page.sweep[0]
    assert page.charts_built
    # the curve and the head/tail split
    chart = page.curve_chart
    assert len(chart.curve) == 60 and chart.split.value() == report.head_size + 0.5
    assert page.summary.text().startswith("The long tail: ") and "of your 60 products are rarely sold" in (
        page.summary.text()
    )
    # hover read-out under the mouse
    chart._mouse_moved(chart.scene_point(3, 1))
    assert chart.readout.text().startswith("Product no. 3 by sales: bought by ")
    bars = page.bars_chart
    bars._mouse_moved(bars.scene_point(1, 5))
    assert bars.readout.text().startswith("Rarely sold: ")
    # figures in words at the saved level (20%)
    assert page.slider.level() == pytest.approx(0.2)
    assert page.view is not None and page.view["exact"]
    assert "Recommendations reach" in page.reach.text() and "of your catalog" in page.reach.text()
    assert "of the recommendation slots" in page.gem_share.text()
    assert page.gini.text().startswith("How the recommendations are shared out: ")
    assert f"{page.view['gini']:.2f}" in page.gini.toolTip() and "Spread" not in page.gini.text()
    before = page.view["tail_share"]
    shot(window, screenshots, "longtail-20")

    # move the slider to 70%: an estimate at once, then the exact figures; released → saved
    page.slider.slider.setSliderDown(True)
    page.slider.slider.setValue(70)
    assert page.view is not None and not page.view["exact"]  # interpolated from the sweep
    assert "≈" in page.reach.text()
    page.slider.slider.setSliderDown(False)  # emits sliderReleased: saved (a write job)
    assert window.session.discovery == pytest.approx(0.7)  # the window uses it at once
    qtbot.waitUntil(lambda: saved_discovery(window.session.path) == pytest.approx(0.7), timeout=5000)
    assert window.session.recommender.discovery == pytest.approx(0.7)
    qtbot.waitUntil(lambda: page.view is not None and page.view["exact"], timeout=10000)
    wait_idle(qtbot, window)
    assert page.view["discovery"] == pytest.approx(0.7)
    assert page.view["tail_share"] > before
    assert "≈" not in page.reach.text()
    assert page.sweep_chart.marker.value() == pytest.approx(70)
    assert "Saved: 70%" in page.saved_note.text()
    shot(window, screenshots, "longtail-70")

    # save a chart as PNG
    out = screenshots / "chart-popularity.png"
    assert page.curve_chart.save_png(out) and out.stat().st_size > 1000

    # the Customers page shows the level and uses it
    assert "Discovery 70%" in window.customers.discovery_label.text()


def test_evaluation_is_stored_and_listed(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    page = open_longtail(qtbot, window)
    panel = page.evaluation
    assert panel.history_model.rowCount() == 0
    job = panel.measure()
    assert job is not None
    qtbot.waitUntil(lambda: not job.active, timeout=20000)
    wait_idle(qtbot, window)
    assert job.state == "done", job.error
    assert panel.eval_result.kind == "ok"
    assert panel.eval_result.text().startswith("On each customer's latest 20% of purchases, ")
    assert "top-20 recommendations" in panel.eval_result.text()
    assert panel.history_model.rowCount() == 1
    assert panel.history_model.rows[0][1].endswith("of 100")
    assert len(evaluate.evaluation_history(window.session.path)) == 1
    page.scroll.ensureWidgetVisible(panel.history_table)
    shot(window, screenshots, "longtail-evaluation")


def test_discovery_level_changes_customer_list(qtbot: QtBot, window: MainWindow) -> None:
    page = window.customers
    with qtbot.waitSignal(page.recs_model.modelReset, timeout=10000):
        window.show_customer("C007")
    wait_idle(qtbot, window)
    assert "Discovery 20%" in page.discovery_label.text()
    window.session.set_discovery(1.0)
    qtbot.waitUntil(lambda: "Discovery 100%" in page.discovery_label.text(), timeout=3000)
    wait_idle(qtbot, window)
    expected = [r.item_id for r in window.session.recommender.recommend("C007", 10, discovery=1.0)]
    assert [r.item_id for r in page.recommendations] == expected


def test_export_passes_discovery(qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    import lrec_desktop.core.export as core_export

    seen = []
    real = core_export.export_recommendations

    def spy(db_path, request, **kwargs):
        seen.append(request.discovery)
        return real(db_path, request, **kwargs)

    monkeypatch.setattr(core_export, "export_recommendations", spy)
    dialog = window.export()
    assert dialog.discovery.level() == pytest.approx(0.2)  # the saved level
    dialog.discovery.slider.setValue(60)
    dialog.out.setText(str(tmp_path / "gems.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    assert seen == [pytest.approx(0.6)]
    with (tmp_path / "gems.csv").open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == 1 + 40 * 10
    assert saved_discovery_or_default(window) == pytest.approx(0.2)  # an export's level is not saved
    dialog.close()


def saved_discovery_or_default(window: MainWindow) -> float:
    return window.session.discovery


def test_exposure_in_catalog_details(qtbot: QtBot, window: MainWindow) -> None:
    window.go("Catalog")
    page = window.catalog
    page.table.selectRow(0)
    label = page.product.fields["Shown to"]
    qtbot.waitUntil(lambda: "counting" not in label.text() and label.text() != "", timeout=10000)
    wait_idle(qtbot, window)
    report = window.session.exposure
    assert report is not None
    n = report.shown_to(page.product.current_item)
    assert label.text().startswith(f"{n} customer" if n else "no one")


def test_rules_exclude_a_category_at_once(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    page = window.customers
    with qtbot.waitSignal(page.recs_model.modelReset, timeout=10000):
        window.show_customer("C003")  # leans to Mugs (3 % 5)
    wait_idle(qtbot, window)
    db = store_db.connect(window.session.path)
    category = dict(db.execute("SELECT item_id, category FROM items").fetchall())
    db.close()
    assert "Mugs" in {category[r.item_id] for r in page.recommendations}

    window.go("Settings")
    settings = window.settings_page
    assert settings.rules_text.text().startswith("Now: out-of-stock products hidden")
    qtbot.mouseClick(settings.rules_button, Qt.MouseButton.LeftButton)
    dialog = settings.rules_dialog
    assert dialog.isVisible()
    dialog.set_category_excluded("Mugs")
    qtbot.keyClicks(dialog.pinned.edit, "P005")  # an id typed; names complete with "Title — id"
    qtbot.mouseClick(dialog.pinned.add_button, Qt.MouseButton.LeftButton)
    assert dialog.pinned.ids() == ["P005"]
    dialog.boosted.edit.setText("P010")
    dialog.boosted.add_text()
    dialog.excluded.edit.setText("no such thing")
    dialog.excluded.add_text()
    assert dialog.error.isVisible() and "no such thing" in dialog.error.text()
    dialog.min_price.setValue(3.0)
    dialog.resize(1000, 700)
    shot(dialog, screenshots, "rules-editor")
    dialog.max_price.setValue(2.0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "lowest price is above the highest" in dialog.error.text()
    dialog.max_price.setValue(-1.0)  # no upper limit
    with qtbot.waitSignal(window.session.sig_rules_changed, timeout=3000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "never recommend Mugs" in settings.rules_text.text()
    saved = Rules.load(window.session.shop.db)
    assert saved.exclude_categories == ["Mugs"] and saved.pinned_items == ["P005"]
    assert saved.boosted_items == {"P010": 1.5} and saved.min_price == 3.0 and saved.max_price is None
    qtbot.waitUntil(lambda: bool(page.recommendations) and page.recommendations[0].item_id == "P005", timeout=5000)
    wait_idle(qtbot, window)
    assert "Mugs" not in {category[r.item_id] for r in page.recommendations}
    assert page.recommendations[0].reason == "Chosen by you for everyone"


def test_dialog_screenshots(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    dialog = window.export()
    dialog.resize(760, dialog.sizeHint().height())
    shot(dialog, screenshots, "export-dialog")
    dialog.close()


def test_spread_in_words() -> None:
    from lrec_desktop.gui.pages.longtail_page import spread_words

    assert spread_words(0.3).startswith("fairly evenly")
    assert spread_words(0.6).startswith("unevenly")
    assert spread_words(0.85).startswith("very unevenly")
    assert spread_words(0.95) == spread_words(1.0) == "almost all go to a handful of products"
