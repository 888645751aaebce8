"""What the window remembers between launches (issue 20 item 10): its size and splitters, and the shops opened
lately in File → Open recent."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QSplitter
from pytestqt.qtbot import QtBot

from lrec_desktop.gui import habits
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle
from tests.gui.shopdata import build_shop


def new_window(qtbot: QtBot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    QApplication.processEvents()
    return win


def test_size_and_splitters_come_back(qtbot: QtBot, isolated_data_dir: Path) -> None:
    first = new_window(qtbot)
    assert (first.width(), first.height()) == habits.DEFAULT_SIZE  # the first launch
    # The offscreen platform's screen is 800x800 and the window's narrowest is wider: a shorter window, then.
    first.resize(first.minimumSizeHint().width(), 640)
    QApplication.processEvents()
    size = (first.width(), first.height())
    assert size[1] == 640
    splitters = {s.objectName(): s for s in first.findChildren(QSplitter)}
    assert {"customers-split", "catalog-split"} <= set(splitters)
    first.go("Customers")
    QApplication.processEvents()
    splitters["customers-split"].setSizes([300, 700])
    QApplication.processEvents()
    chosen = splitters["customers-split"].sizes()
    first.close()
    # The settings file is in the config folder (here the test's data folder), not beside the shops.
    assert Path(QSettings().fileName()).is_relative_to(isolated_data_dir)

    second = new_window(qtbot)
    assert (second.width(), second.height()) == size
    second.go("Customers")
    QApplication.processEvents()
    restored = next(s for s in second.findChildren(QSplitter) if s.objectName() == "customers-split")
    assert restored.sizes() == chosen
    second.close()


def test_open_recent_lists_the_shops_opened_lately(qtbot: QtBot, tmp_path: Path) -> None:
    shops = [build_shop(tmp_path / f"{name}.lrec", products=20, customers=8, lines=60) for name in ("tea", "garden")]
    win = new_window(qtbot)
    assert not win.recent_menu.isEnabled()  # nothing opened yet
    for shop in shops:
        assert win.open_path(shop)
        wait_idle(qtbot, win)
    win.recent_menu.aboutToShow.emit()
    entries = [a for a in win.recent_menu.actions() if not a.isSeparator()]
    assert [a.toolTip() for a in entries[:2]] == [str(shops[1].resolve()), str(shops[0].resolve())]
    assert entries[0].text().startswith("&1 garden") and entries[-1].text() == "Clear this list"
    entries[1].trigger()  # File → Open recent → tea
    wait_idle(qtbot, win)
    assert win.session.path is not None and win.session.path.resolve() == shops[0].resolve()
    shops[1].unlink()  # a shop deleted since is not offered
    assert habits.recent_shops() == [shops[0].resolve()]
    win.close()
    # and a new window offers the same list
    again = new_window(qtbot)
    again.recent_menu.aboutToShow.emit()
    assert [a.toolTip() for a in again.recent_menu.actions() if a.toolTip()][:1] == [str(shops[0].resolve())]
    again.close()


def test_the_last_shop_is_the_first_recent_one_and_state_json_moves_over_once(
    qtbot: QtBot, tmp_path: Path, isolated_data_dir: Path
) -> None:
    """One place for app settings: the old state.json's last shop is taken over once, then the file is gone,
    and the window opens the shop opened last from the recent list."""
    import json

    from lrec_desktop.core import paths

    shop = build_shop(tmp_path / "tea.lrec", products=20, customers=8, lines=60)
    paths.legacy_state_file().parent.mkdir(parents=True, exist_ok=True)
    paths.legacy_state_file().write_text(json.dumps({"last_shop": str(shop)}), encoding="utf-8")
    habits.forget_recent()
    win = new_window(qtbot)  # its constructor points QSettings at the config folder and moves state.json over
    assert not paths.legacy_state_file().exists()
    assert habits.last_shop() == shop.resolve() and habits.recent_shops() == [shop.resolve()]
    win.start(None)  # what a launch without a shop file does
    wait_idle(qtbot, win)
    assert win.session.path is not None and win.session.path.resolve() == shop.resolve()
    win.close()
    assert not paths.legacy_state_file().exists()  # nothing writes it again
