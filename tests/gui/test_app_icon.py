"""The window carries the app's icon in every size shipped (title bar, task bar, dock)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from lrec_desktop.gui.app import app_icon


def test_app_icon_has_every_shipped_size(qtbot: QtBot) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == [16, 32, 48, 64, 128, 256, 512]
