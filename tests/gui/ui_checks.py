"""What the screenshot tests check on a rendered page: no text cut off, and none of the technical words that
UX.md keeps out of sight (tooltips may be technical, so they are not read)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QStyle,
    QTabBar,
    QWidget,
)

# UX.md's "not" column: the words a shop owner never has to read.
FORBIDDEN = re.compile(
    r"\b(items?|users?|interactions?|embeddings?|embedding|vectors?|fine-?tun\w*|cold[ -]start|tail items?|"
    r"logits?|contrastive|LLM|popularity penalty|λ)\b",
    re.IGNORECASE,
)
TABLE_ROWS_READ = 30  # cells of the first rows of each visible table are read too


def _label_text(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    ):
        text = re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ")
    return text


def clipped(root: QWidget) -> list[str]:
    """Visible labels and buttons too small for their text: a single-line one narrower than its size hint,
    a wrapping label shorter than the height its text needs at its width."""
    problems = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0:
            continue
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            if w.wordWrap():
                needed = w.heightForWidth(w.width())
                if needed > w.height() + 1:
                    problems.append(f"label {_label_text(w)[:60]!r}: {w.height()} px high, needs {needed}")
            elif w.sizeHint().width() > w.width() + 1:
                problems.append(f"label {_label_text(w)[:60]!r}: {w.width()} px wide, needs {w.sizeHint().width()}")
        elif isinstance(w, QAbstractButton) and w.text() and w.sizeHint().width() > w.width() + 1:
            problems.append(f"button {w.text()!r}: {w.width()} px wide, needs {w.sizeHint().width()}")
        elif isinstance(w, QComboBox) and w.currentText() and w.minimumSizeHint().width() > w.width() + 1:
            problems.append(f"drop-down {w.currentText()!r}: {w.width()} px wide")
        elif isinstance(w, QHeaderView) and w.orientation() == Qt.Orientation.Horizontal and w.model() is not None:
            problems += _clipped_sections(w)
    return problems


def _clipped_sections(header: QHeaderView) -> list[str]:
    """Column titles cut off: narrower than the title, its margins and (where shown) the sort arrow."""
    style, metrics = header.style(), header.fontMetrics()
    margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin // 2
    out = []
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) == 0:
            continue
        title = str(header.model().headerData(section, Qt.Orientation.Horizontal) or "")
        needed = metrics.horizontalAdvance(title) + margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            needed += arrow
        if title and needed > header.sectionSize(section) + 1:
            out.append(f"column {title!r}: {header.sectionSize(section)} px wide, needs {needed}")
    return out


def visible_texts(root: QWidget) -> list[str]:
    """Every piece of text on screen under ``root``: labels, buttons, tabs, drop-downs, placeholders, group
    titles, list entries, table headers and the first rows of tables."""
    texts = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel):
            texts.append(_label_text(w))
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QLineEdit | QPlainTextEdit):
            texts += [w.placeholderText(), w.text() if isinstance(w, QLineEdit) else w.toPlainText()]
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QListWidget):
            texts += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]
            for r in range(min(model.rowCount(), TABLE_ROWS_READ)):
                texts += [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
    return [t for t in texts if t]


def forbidden_words(root: QWidget) -> list[str]:
    return sorted({f"{m.group(0)!r} in {t[:80]!r}" for t in visible_texts(root) for m in FORBIDDEN.finditer(t)})
