"""The export dialog's campaign choices (issue 20 item 2; issue 21 items 4, 7, 8), the Campaigns page, the
Overview's lists lately (item 5) and the watched folder (item 9), driven in the real window."""

from __future__ import annotations

import csv
import os
import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lrec_desktop.core.recommend.lists import new_arrivals, trending
from lrec_desktop.core.segments import choose_customers
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle

REAL = Path(__file__).parents[1] / "fixtures" / "real"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_segments_preview_and_a_control_group(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = window.export()
    options = dialog.options
    options.recent.setChecked(True)
    options.recent_days.setValue(60)
    options.category.setChecked(True)
    options.category_name.setCurrentText("Tea")
    assert options.segments() == ["recent:60", "category:Tea"]
    wanted = set(choose_customers(window.session.shop.db, ["recent:60", "category:Tea"]).customers)
    assert 0 < len(wanted) < 40
    out = tmp_path / "spring.csv"
    dialog.out.setText(str(out))
    dialog.top.setValue(3)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.preview.isVisible, timeout=20000)
    table = dialog.preview.table
    assert table.rowCount() == 5 and table.horizontalHeaderItem(0).text() == "customer_id"
    assert {table.item(r, 0).text() for r in range(5)} <= wanted
    assert f"{len(wanted)} customers (bought in the last 60 days and bought from the category Tea)" in \
        dialog.preview.caption.text()
    assert not out.exists()  # a preview writes nothing

    options.control.setChecked(True)
    options.campaign_name.setText("Spring teas")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    summary = dialog.summary
    in_file = {r["customer_id"] for r in _rows(out)}
    assert summary.held_back == round(len(wanted) * 0.1) and in_file | set() <= wanted
    assert len(in_file) == len(wanted) - summary.held_back and "held back" in dialog.result.text()
    dialog.close()

    window.go("Campaigns")
    page = window.pages["Campaigns"]
    qtbot.waitUntil(lambda: len(page.found) == 1, timeout=10000)
    card = page.cards.itemAt(1).widget()  # after the status line
    assert card.title.text() == "Spring teas" and f"{len(in_file)} customers got it" in card.counts.text()
    assert card.words.text() == page.found[0].words()
    wait_idle(qtbot, window)


def test_the_campaigns_page_in_view_shows_a_campaign_as_soon_as_it_is_exported(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.go("Campaigns")
    page = window.pages["Campaigns"]
    qtbot.waitUntil(lambda: page.status.text() != "Reading the campaigns…", timeout=10000)
    assert page.found == [] and "No campaigns yet" in page.status.text()
    dialog = window.export()  # over the page, which stays shown: no show event when the dialog closes
    dialog.options.control.setChecked(True)
    dialog.options.campaign_name.setText("Autumn")
    dialog.out.setText(str(tmp_path / "autumn.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    dialog.close()
    qtbot.waitUntil(lambda: len(page.found) == 1, timeout=10000)
    assert page.cards.itemAt(1).widget().title.text() == "Autumn" and not page.status.isVisible()
    wait_idle(qtbot, window)


def test_wide_export_with_pictures_only(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    db = window.session.shop.db
    db.execute("UPDATE items SET image_url = 'https://img.example.com/' || item_id || '.jpg', "
               "product_url = 'https://shop.example.com/' || item_id WHERE CAST(substr(item_id, 2) AS INT) % 2 = 0")
    dialog = window.export()
    dialog.wide_radio.setChecked(True)
    dialog.options.picture_only.setChecked(True)
    out = tmp_path / "mail.csv"
    dialog.out.setText(str(out))
    dialog.top.setValue(4)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    rows = _rows(out)
    assert len(rows) == 40
    for row in rows:
        for k in range(1, 5):
            item = row[f"product_{k}_id"]
            assert row[f"product_{k}_image"] == f"https://img.example.com/{item}.jpg"
            assert row[f"product_{k}_url"] == f"https://shop.example.com/{item}" and row[f"product_{k}_price"]
    dialog.close()
    wait_idle(qtbot, window)


def test_overview_shows_trending_and_new(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.overview.lately
    rec = window.session.recommender
    qtbot.waitUntil(lambda: panel.trending_text.text() not in ("Reading…", ""), timeout=10000)
    assert [r.item_id for r in panel.trending] == [r.item_id for r in trending(rec, 5)]
    assert [r.item_id for r in panel.new] == [r.item_id for r in new_arrivals(rec, 5)]
    if panel.trending:
        assert panel.trending[0].title in panel.trending_text.text()
    wait_idle(qtbot, window)


def test_watched_folder_imports_and_says_so_on_jobs(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    dropped = folder / "tea_shopify_products.csv"
    shutil.copy(REAL / "tea_shopify_products.csv", dropped)
    old = time.time() - 120
    os.utime(dropped, (old, old))
    watch = window.import_page.watch_folder
    assert not watch.enabled.isChecked()  # off by default
    watch.set_folder(folder)
    qtbot.waitUntil(lambda: watch.last_result is not None, timeout=30000)
    assert [name for name, _ in watch.last_result.imported] == ["tea_shopify_products.csv"]
    jobs = window.jobs_page.model.jobs
    line = next(j for j in jobs if j.title == "Import new files from the watched folder")
    assert line.message.startswith("Imported tea_shopify_products.csv from the watched folder")
    wait_idle(qtbot, window)
    watch.look()  # the same file again: nothing new, no new line on the Jobs page
    wait_idle(qtbot, window)
    assert sum(j.title == "Import new files from the watched folder" for j in window.jobs_page.model.jobs) == 1
    watch.set_folder(None)
    assert not watch.timer.isActive()
