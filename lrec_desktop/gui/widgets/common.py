"""Small shared widgets: an inline message line, a banner, a titled card."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

# Tints that stay legible in light and dark themes: each colour is set with its own text colour.
COLOURS = {
    "error": ("#fde2e1", "#7a1712"),
    "info": ("#e3effd", "#0d3a6b"),
    "ok": ("#dff3e3", "#14532d"),
    "warn": ("#fff1cc", "#6b4a00"),
    "muted": ("#ececec", "#3c3c3c"),
}


class MessageLine(QLabel):
    """One sentence inside a page: an error the user can fix, or a result. Hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        bg, fg = COLOURS[kind]
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; border-radius: 4px; padding: 6px 10px; }}")
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()


def heading(text: str, size_delta: int = 4, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + size_delta)
    font.setBold(True)
    label.setFont(font)
    return label


def hint(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setForegroundRole(label.foregroundRole())
    label.setStyleSheet("QLabel { color: palette(placeholder-text); }")
    return label


class Note(QLabel):
    """A muted hint line that takes no room while it has nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(14, 12, 14, 12)
        self.layout_.setSpacing(6)


BADGES = {
    "new": ("New product", "info", "New: recently added, or not sold yet; the text model can still recommend it."),
    "rarely sold": (
        "Rarely sold",
        "warn",
        "Rarely sold: few customers have bought it, so it is easy to miss (the “long tail” of the catalog).",
    ),
    "out of stock": ("Out of stock", "muted", "Marked as not in stock in your product file."),
}


class Badge(QLabel):
    """A small tinted word for a product: new, rarely sold; hidden when the product has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hide()

    def set_badges(self, badges: tuple[str, ...] | list[str]) -> None:
        known = [b for b in badges if b in BADGES]
        if not known:
            self.setText("")
            self.hide()
            return
        _word, kind, tip = BADGES[known[0]]
        bg, fg = COLOURS[kind]
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border-radius: 8px; padding: 2px 8px; font-weight: bold; }}"
        )
        self.setText(" · ".join(BADGES[b][0] for b in known))
        self.setToolTip("\n".join(BADGES[b][2] for b in known) if len(known) > 1 else tip)
        self.show()


def scroll_page(page: QWidget, content: QWidget) -> QScrollArea:
    """Fill ``page`` with ``content`` in a frameless scroll area, so tall pages stay usable at 1280x800."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(content)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return scroll
