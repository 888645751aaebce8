"""The window carries the app's icon in every size shipped (title bar, task bar, dock)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from lrec_desktop.gui.app import app_icon


def test_app_icon_has_every_shipped_size(qtbot: QtBot) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == [16, 32, 48, 64, 128, 256, 512]


def test_the_desktop_knows_the_window_by_the_desktop_entrys_names(qtbot: QtBot) -> None:
    """setDesktopFileName is the entry's reverse-DNS id; the application name is the X11 window class, which
    the entry's StartupWMClass names."""
    from PySide6.QtWidgets import QApplication

    from lrec_desktop import APP_ID
    from lrec_desktop.gui.app import name_application
    from tests.test_desktop_entry import _desktop_entry

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = (app.applicationName(), app.organizationName(), app.applicationDisplayName(), app.desktopFileName())
    try:
        name_application(app)
        assert app.desktopFileName() == APP_ID
        assert app.applicationName() == _desktop_entry()["StartupWMClass"]
    finally:  # the other tests' QSettings keep their names
        app.setApplicationName(before[0])
        app.setOrganizationName(before[1])
        app.setApplicationDisplayName(before[2])
        app.setDesktopFileName(before[3])
