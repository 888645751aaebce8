"""The text model in the window, with the REAL bundled model on a tiny shop: reading the product
descriptions (progress, Cancel, the Overview's ✓), searching by meaning, who would want a new product,
and the Settings page's model folder and device choice."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from lrec_desktop.core.app import choice
from lrec_desktop.core.store import db as store_db
from lrec_desktop.core.store import queries
from lrec_desktop.gui.main_window import MainWindow
from lrec_desktop.gui.session import READY, TEXT_CURRENT, TEXT_TO_READ
from tests.gui.conftest import wait_idle
from tests.gui.test_journeys import shot as grab


def shot(win: MainWindow, folder: Path, name: str) -> Path:
    """As test_journeys' shot, after the wrapped table rows had a moment to fit their text."""
    QTest.qWait(50)
    return grab(win, folder, name)


pytest.importorskip("torch")
pytest.importorskip("transformers")

GARDEN = [
    ("G01", "Garden trowel", "A sturdy hand trowel with a steel blade for digging and planting in flower beds."),
    ("G02", "Watering can", "Galvanised five litre watering can with a long spout for plants and seedlings."),
    ("G03", "Pruning shears", "Sharp secateurs for cutting back roses, shrubs and small branches."),
    ("G04", "Wildflower seed mix", "Meadow flower seeds that bring bees and butterflies to your garden."),
    ("G05", "Gardening gloves", "Thorn-proof leather gloves for weeding, pruning and planting."),
    ("G06", "Terracotta plant pot", "A classic clay pot for herbs and flowers on the patio."),
    ("G07", "Peat-free compost", "Rich potting compost for seedlings, vegetables and containers."),
    ("G08", "Bird feeder", "A hanging feeder for seeds and nuts that brings garden birds close."),
]
TEA = [
    ("T01", "Porcelain teapot", "A white porcelain teapot that brews four cups of loose leaf tea."),
    ("T02", "Sencha green tea", "Japanese green tea with a fresh, grassy taste; 100 g of loose leaves."),
    ("T03", "Earl Grey tea", "Black tea scented with bergamot, in a tin of loose leaves."),
    ("T04", "Tea cups, set of four", "Fine bone china cups and saucers for afternoon tea."),
    ("T05", "Tea strainer", "A stainless steel strainer that sits on your cup while the tea brews."),
    ("T06", "Chamomile tea", "Calming herbal tea of whole chamomile flowers, for the evening."),
    ("T07", "Wildflower honey", "Runny honey from meadow flowers, lovely in tea."),
    ("T08", "Teaspoons, set of six", "Polished teaspoons for stirring tea and coffee."),
]
OTHER = [
    ("S01", "Lined notebook", "A5 notebook with 120 pages of lined paper and a linen cover."),
    ("S02", "Fountain pen", "A steel nib fountain pen with blue ink cartridges."),
    ("S03", "Desk lamp", "An adjustable reading lamp with a warm LED light."),
    ("S04", "Scented candle", "Soy wax candle with lavender scent, burns for 40 hours."),
    ("S05", "Wool scarf", "A soft merino wool scarf in forest green."),
    ("S06", "Umbrella", "A compact folding umbrella that fits in any bag."),
]
# Never sold: the text model lets the recommendations (and the audience finder) reach them anyway.
NEW = [
    ("G09", "Garden kneeling pad", "A soft foam kneeler that protects your knees while weeding and planting."),
    ("T09", "Glass tea infuser mug", "A double-walled glass mug with an infuser for loose leaf tea."),
]
GARDENERS, TEA_LOVERS, WRITERS = ["C01", "C02", "C03", "C04"], ["C05", "C06", "C07", "C08"], ["C09", "C10"]


def build_text_shop(path: Path) -> Path:
    db = store_db.connect(path, create=True)
    now = int(time.time())
    products = [(i, t, d, "Garden") for i, t, d in GARDEN + NEW[:1]]
    products += [(i, t, d, "Tea") for i, t, d in TEA + NEW[1:]]
    products += [(i, t, d, "Home") for i, t, d in OTHER]
    with store_db.transaction(db) as conn:
        conn.execute(
            "INSERT INTO imports(import_id, file, kind, sha256, imported_at) VALUES (1, 'x.csv', 'interactions', "
            "'x', ?)",
            [now],
        )
        conn.executemany(
            "INSERT INTO items(item_id, title, description, category, price) VALUES (?, ?, ?, ?, 9.5)", products
        )
        names = {"C01": "Ada Gardner", "C02": "Ben Bloom", "C05": "Tess Leaf", "C09": "Will Page"}
        customers = GARDENERS + TEA_LOVERS + WRITERS
        conn.executemany(
            "INSERT INTO customers(customer_id, name, email) VALUES (?, ?, ?)",
            [(c, names.get(c, f"Customer {c}"), f"{c.lower()}@example.com") for c in customers],
        )
        rows, n = [], 0
        for group, items in ((GARDENERS, GARDEN), (TEA_LOVERS, TEA), (WRITERS, OTHER)):
            for k, c in enumerate(group):
                for step in range(5):  # each customer buys 5 of the 6-8 products of their kind
                    item = items[(k + step) % len(items)][0]
                    rows.append((c, item, now - 86400 * (10 + 7 * step + k), f"O{n}", f"k{n}"))
                    n += 1
        conn.executemany(
            "INSERT INTO interactions(customer_id, item_id, ts, quantity, event, order_id, import_id, line_key) "
            "VALUES (?, ?, ?, 1, 'purchase', ?, 1, ?)",
            rows,
        )
        queries.refresh_item_stats(conn)
    store_db.bump_data_version(db)
    db.close()
    return path


@pytest.fixture
def text_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """The window on the tiny shop, recommendations prepared, descriptions not read yet."""
    path = build_text_shop(tmp_path / "garden-and-tea.lrec")
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == READY, timeout=20000):
        assert win.open_path(path)
        win.session.prepare_recommendations()
    qtbot.waitUntil(lambda: win.session.text_state == TEXT_TO_READ, timeout=10000)
    yield win
    win.close()


def read_and_wait(qtbot: QtBot, win: MainWindow, button) -> None:
    """Click a "Read product descriptions" button; wait for the job, the check and the reloaded recommendations."""
    with qtbot.waitSignal(win.session.sig_text_changed, check_params_cb=lambda s: s == TEXT_CURRENT, timeout=60000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.session.rec_state == READY and win.session.recommender.text is not None, timeout=20000)
    wait_idle(qtbot, win)


def test_read_descriptions_then_search_by_meaning(qtbot: QtBot, text_window: MainWindow, screenshots: Path) -> None:
    win = text_window
    overview = win.overview
    assert overview.text_row.mark.text() == "✗"
    assert overview.text_row.button.isVisible() and overview.text_row.button.text() == "Read product descriptions"
    assert "not understood by the text model" in overview.text_row.text.text()

    # Describing what you look for before the descriptions are read: one sentence, the button beside it.
    win.go("Catalog")
    page = win.catalog
    qtbot.keyClicks(page.describe, "a tool for digging holes in the flower bed")
    qtbot.keyClick(page.describe, Qt.Key.Key_Return)
    assert page.text_line.isVisible() and "must first read your product descriptions" in page.text_line.text()
    assert page.text_button.isVisible() and page.text_button.text() == "Read product descriptions"
    shot(win, screenshots, "catalog-describe-not-ready")

    # The catalog's button reads them; the waiting search then runs by itself.
    read_and_wait(qtbot, win, page.text_button)
    qtbot.waitUntil(lambda: page.matches_model.rowCount() > 0, timeout=20000)
    assert page.tables.currentWidget() is page.matches
    assert page.matches_model.rows[0][1] == "G01"  # the garden trowel, first
    assert page.product.current_item == "G01" and page.product.details_title.text() == "Garden trowel"
    assert "Best matches for “a tool for digging holes in the flower bed”" in page.count.text()
    assert not page.text_button.isVisible()

    # The newest request wins: two searches in a row, only the second one is shown.
    page.describe.setText("loose leaf tea for the evening")
    page.search_by_meaning()
    page.describe.setText("something to brew tea in")
    page.search_by_meaning()
    wait_idle(qtbot, win)
    assert page.matched_query == "something to brew tea in"
    assert page.matches_model.rows[0][2] in {"Porcelain teapot", "Glass tea infuser mug"}
    assert all(r[1].startswith("T") for r in page.matches_model.rows[:4])  # tea things before garden things
    assert page.matches_model.rowCount() < 24  # where the matches stop, not the whole catalog
    qtbot.waitUntil(lambda: page.product.similar_model.rowCount() > 0, timeout=10000)
    shot(win, screenshots, "catalog-describe")

    # Chinese with the bundled (English) model: no good match, and where to choose another model.
    page.describe.setText("红色茶杯")
    page.search_by_meaning()
    wait_idle(qtbot, win)
    assert "multilingual model in Settings" in page.count.text()

    # Clearing the box shows every product again; the plain filter still finds ids and names.
    page.describe.clear()
    assert page.tables.currentWidget() is page.table
    qtbot.keyClicks(page.filter, "G0")
    qtbot.waitUntil(lambda: page.model.total == 9, timeout=3000)

    # The Overview says ✓ with what the job did; the Jobs page kept the job and its message.
    win.go("Overview")
    assert overview.text_row.mark.text() == "✓" and not overview.text_row.button.isVisible()
    assert "understood by the text model" in overview.text_row.text.text()
    assert overview.text_result.text().startswith("The text model read 24 product descriptions")
    assert overview.stats["Products"].value.text() == "24"
    shot(win, screenshots, "overview-text-ready")
    job = next(j for j in win.jobs.jobs if j.title == "Read product descriptions")
    assert job.state == "done" and job.details.startswith("The text model read 24 product descriptions")
    win.go("Jobs")
    shot(win, screenshots, "jobs-text")


def test_who_would_want_a_new_product(
    qtbot: QtBot, text_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshots: Path
) -> None:
    win = text_window
    read_and_wait(qtbot, win, win.overview.text_row.button)
    win.go("Catalog")
    page = win.catalog
    qtbot.keyClicks(page.filter, "kneeling")
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=3000)
    page.table.selectRow(0)
    assert page.product.current_item == "G09"
    assert page.product.badge.isVisible() and page.product.badge.text() == "New product"
    page.product.tabs.setCurrentWidget(page.product.audience)
    panel = page.product.audience
    assert not panel.export_button.isEnabled()
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=20000)
    wait_idle(qtbot, win)
    top = panel.members[0]
    assert top.customer_id in GARDENERS, [m.customer_id for m in panel.members]
    assert "described alike" in top.reason
    email = f"{top.customer_id.lower()}@example.com"
    assert panel.model.rows[0][:3] == [1, f"{top.name}\n{email}", email]
    shot(win, screenshots, "catalog-audience")

    out = tmp_path / "kneeling-pad-customers.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["rank", "customer_id", "name", "email", "score", "reason"]
    assert rows[1][1] == top.customer_id and len(rows) == 1 + len(panel.members)
    assert panel.result.isVisible() and str(out) in panel.result.text()

    # Double-click a customer: their page, with their recommendations.
    index = panel.model.index(0, 1)
    rect = panel.table.visualRect(index)
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.stack.currentWidget() is win.customers
    wait_idle(qtbot, win)
    assert win.customers.customer_id == top.customer_id


def test_cancel_reading_keeps_the_previous_state(
    qtbot: QtBot, text_window: MainWindow, monkeypatch: pytest.MonkeyPatch, screenshots: Path
) -> None:
    win = text_window
    monkeypatch.setattr(choice, "EMBED_BATCH_SIZE", 4)  # several batches, so Cancel lands between two
    seen: list[str] = []

    def cancel_on_first_batch(_fraction: float, message: str) -> None:
        seen.append(message)
        if " of " in message and win.session.text_job is not None and win.session.text_job.active:
            if not any(" of " in m for m in seen[:-1]):
                shot(win, screenshots, "overview-reading")
            win.overview.text_progress.cancel_button.click()

    win.session.sig_text_progress.connect(cancel_on_first_batch)
    qtbot.mouseClick(win.overview.text_row.button, Qt.MouseButton.LeftButton)
    job = win.session.text_job
    assert win.overview.text_progress.isVisible()  # bar, message and Cancel on the Overview
    qtbot.waitUntil(lambda: job.state == "cancelled", timeout=60000)
    win.session.sig_text_progress.disconnect(cancel_on_first_batch)
    qtbot.waitUntil(lambda: win.session.text_state == TEXT_TO_READ, timeout=10000)
    wait_idle(qtbot, win)
    assert any(" of 24 product descriptions" in m for m in seen)
    assert "kept" in job.details
    assert win.overview.text_row.mark.text() == "✗" and win.overview.text_row.button.isVisible()
    assert not win.overview.text_progress.isVisible()
    assert win.session.recommender.text is None  # the recommendations are as they were
    assert not choice.text_status(win.session.path).current
    left = win.session.text_status.to_read
    assert 0 < left < 24  # the batches read before Cancel are kept...

    monkeypatch.setattr(choice, "EMBED_BATCH_SIZE", None)
    read_and_wait(qtbot, win, win.overview.text_row.button)
    assert f"{left} product descriptions" in win.session.text_result  # ...and not read again
    assert f"{24 - left} unchanged ones were kept" in win.session.text_result


def make_folder(path: Path, *files: str) -> Path:
    """A folder that passes the model-folder check (parsable configs, a readable safetensors header); whether its
    weights fit the architecture is only found when it loads, which these tests never do."""
    import numpy as np
    from safetensors.numpy import save_file

    path.mkdir()
    (path / "config.json").write_text('{"model_type": "bert", "hidden_size": 8}', encoding="utf-8")
    for name in files:
        if name.endswith(".safetensors"):
            save_file({"embeddings.word_embeddings.weight": np.zeros((4, 8), dtype=np.float32)}, str(path / name))
        elif name.endswith(".json"):
            (path / name).write_text("{}", encoding="utf-8")
        else:
            (path / name).write_bytes(b"\0" * 64)
    return path


def test_settings_model_folder_and_device(
    qtbot: QtBot, text_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshots: Path
) -> None:
    win = text_window
    read_and_wait(qtbot, win, win.overview.text_row.button)
    win.go("Settings")
    page = win.settings_page
    assert page.bundled_radio.isChecked() and page.device.currentData() == "auto"

    pickled = make_folder(tmp_path / "old-model", "vocab.txt", "pytorch_model.bin")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(pickled))
    qtbot.mouseClick(page.folder_radio, Qt.MouseButton.LeftButton)
    assert page.model_error.isVisible()
    assert "pickle" in page.model_error.text() and "\n" not in page.model_error.text()
    assert page.bundled_radio.isChecked()  # the saved choice stays
    wait_idle(qtbot, win)
    assert choice.text_choice(win.session.shop.db).model_dir is None
    shot(win, screenshots, "settings-bad-folder")

    # A usable folder: saved for this shop, and the descriptions are no longer understood by the chosen model.
    other = make_folder(tmp_path / "multilingual-model", "tokenizer.json", "model.safetensors")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(other))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert not page.model_error.isVisible() and page.folder_radio.isChecked()
    page.device.setCurrentIndex(page.device.findData("cpu"))
    page.device.activated.emit(page.device.currentIndex())
    qtbot.waitUntil(lambda: choice.text_choice(win.session.shop.db) == choice.TextChoice(str(other), "cpu"))
    qtbot.waitUntil(lambda: win.session.text_state == TEXT_TO_READ, timeout=10000)
    assert page.read_button.isVisible() and page.read_button.text() == "Read product descriptions with the new model"
    assert "multilingual-model" in page.next_step.text()
    assert win.overview.text_row.mark.text() == "✗"
    assert win.overview.text_row.button.text() == "Read product descriptions with the new model"
    shot(win, screenshots, "settings-new-model")

    # Which device would "Automatic" use? Asked in a background job.
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Automatic runs the text model on" in page.device_note.text(), timeout=20000)

    # Back to the bundled model: what it read is still there.
    # (on the label: a radio button takes clicks on its circle and text, not on the empty row beside them)
    qtbot.mouseClick(page.bundled_radio, Qt.MouseButton.LeftButton, pos=QPoint(10, page.bundled_radio.height() // 2))
    qtbot.waitUntil(lambda: win.session.text_state == TEXT_CURRENT, timeout=10000)
    qtbot.waitUntil(lambda: choice.text_choice(win.session.shop.db) == choice.TextChoice(None, "cpu"))
    assert not page.read_button.isVisible()
    wait_idle(qtbot, win)
