"""The export dialog's campaign choices (UX journey 4; issue 21 items 4, 6, 7 and 8; issue 20 item 2).

Which customers (segments: bought in the last N days, bought from a category, lapsed, first-time or repeat, big
spenders), products with a picture only, reminders of what they reorder, and a control group held back to measure
what the campaign sells. The choices become core.segments specs and ExportRequest fields; nothing here reads sales.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

WHO = {"Anyone who bought": "", "First-time buyers (one order)": "first-time", "Repeat buyers": "repeat"}


def _days(value: int, suffix: str = " days") -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, 3650)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setMaximumWidth(120)
    return box


class CampaignOptions(QWidget):
    def __init__(self, categories: list[str], buy_again: bool, buy_again_words: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = QComboBox()
        self.who.addItems(list(WHO))
        self.recent = QCheckBox("Bought in the last")
        self.recent_days = _days(30)
        self.lapsed = QCheckBox("No order in the last")
        self.lapsed_days = _days(90)
        self.category = QCheckBox("Bought from the category")
        self.category_name = QComboBox()
        self.category_name.addItems(categories)
        self.category.setEnabled(bool(categories))
        self.big = QCheckBox("Big spenders: the top")
        self.big_share = _days(10, " %")
        self.big_share.setRange(1, 100)
        for box, field in ((self.recent, self.recent_days), (self.lapsed, self.lapsed_days),
                           (self.category, self.category_name), (self.big, self.big_share)):
            field.setEnabled(False)
            box.toggled.connect(field.setEnabled)
        self.picture_only = QCheckBox("Only products with a picture (e-mail tools skip the others)")
        self.buy_again = QCheckBox("Remind them of products they reorder, when due")
        self.buy_again.setChecked(buy_again)
        self.buy_again.setToolTip(buy_again_words)
        self.control = QCheckBox("Hold back")
        self.control.setToolTip("Held-back customers are left out of the file, so the Campaigns page can show what "
                                "the e-mail sold after your next import.")
        self.control_share = _days(10, " %")
        self.control_share.setRange(1, 50)
        self.control_share.setEnabled(False)
        self.control.toggled.connect(self.control_share.setEnabled)
        self.campaign_name = QLineEdit()
        self.campaign_name.setPlaceholderText("Campaign name (default: the file's name)")
        self.campaign_name.setEnabled(False)
        self.control.toggled.connect(self.campaign_name.setEnabled)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.who, 0, 0, 1, 2)
        for row, (box, field) in enumerate(((self.recent, self.recent_days), (self.lapsed, self.lapsed_days),
                                            (self.category, self.category_name), (self.big, self.big_share)), 1):
            grid.addWidget(box, row, 0)
            grid.addWidget(field, row, 1)
        grid.addWidget(self.picture_only, 5, 0, 1, 2)
        grid.addWidget(self.buy_again, 6, 0, 1, 2)
        control = QHBoxLayout()
        control.addWidget(self.control)
        control.addWidget(self.control_share)
        control.addWidget(QLabel("of them as a control group"))
        control.addStretch(1)
        grid.addLayout(control, 7, 0, 1, 2)
        grid.addWidget(self.campaign_name, 8, 0, 1, 2)

        grid.setColumnStretch(1, 1)

    def segments(self) -> list[str]:
        """The chosen segments as core.segments specs ("recent:30", "category:Tea")."""
        specs = [WHO[self.who.currentText()]] if WHO[self.who.currentText()] else []
        if self.recent.isChecked():
            specs.append(f"recent:{self.recent_days.value()}")
        if self.lapsed.isChecked():
            specs.append(f"lapsed:{self.lapsed_days.value()}")
        if self.category.isChecked() and self.category_name.currentText():
            specs.append(f"category:{self.category_name.currentText()}")
        if self.big.isChecked():
            specs.append(f"big-spenders:{self.big_share.value()}")
        return specs

    def holdout(self) -> float:
        return self.control_share.value() / 100 if self.control.isChecked() else 0.0
