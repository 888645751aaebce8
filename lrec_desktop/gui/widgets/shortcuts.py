"""The window's own shortcuts win over a text box's editing keys that happen to be the same combination.

Under X11's key scheme (KDE, GNOME, any xcb desktop) a line edit takes Ctrl+E as "end of line" (an Emacs
binding), so Ctrl+E, "Export recommendations…", did nothing while the customer search box had the focus, as
it has there by default. A shortcut the window's menus advertise should do what they say wherever the focus
is in the window; the box keeps every key no menu action uses (Ctrl+A, Ctrl+C, Ctrl+V, arrows)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget


class WindowShortcutsFirst(QObject):
    """An application event filter: a ShortcutOverride for one of ``window``'s action shortcuts, asked of a
    widget inside that window, is answered "not yours", so Qt triggers the action."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window

    def _shortcuts(self) -> set[QKeySequence]:
        keys: set[QKeySequence] = set()
        for action in self.window.findChildren(QAction):
            if action.isEnabled():
                keys.update(s for s in action.shortcuts() if not s.isEmpty())
        return keys

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(obj, QWidget) or obj.window() is not self.window:
            return False  # a dialog's own boxes keep their keys; the window's shortcuts don't reach there
        pressed = QKeySequence(event.keyCombination())
        if pressed in self._shortcuts():
            event.ignore()
            return True  # the focus widget never claims it
        return False
