"""Settings of the open shop: which text model reads the product descriptions, and where it runs.

Both are stored in the shop (settings "text_model_dir" and "text_device"), so each shop keeps its own; the
next reading of the product descriptions uses them. Nothing here loads the text model: a folder is checked
by its files, and "Check this computer" asks torch which graphics card there is in a background job.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lrec_desktop.core.app import choice
from lrec_desktop.core.app import settings as shop_settings
from lrec_desktop.core.app.jobs import UserError
from lrec_desktop.gui import formatting
from lrec_desktop.gui.readiness import READ, text_readiness
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import Card, MessageLine, heading, hint, scroll_page
from lrec_desktop.gui.widgets.job_progress import JobProgress
from lrec_desktop.gui.workers import Job

MULTILINGUAL_HINT = (
    "The built-in language model understands English. For Chinese or other languages, or a catalog in several, choose "
    "a multilingual model folder downloaded from Hugging Face (for example paraphrase-multilingual-MiniLM-L12-v2); "
    "the app says so if a folder can't be used."
)


class SettingsPage(QWidget):
    sig_read_requested = Signal()

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model_dir: str | None = None  # the saved choice; None = the bundled model
        self.device_job: Job | None = None

        self.shop_label = hint("")
        self.bundled_radio = QRadioButton(formatting.BUNDLED_MODEL_WORDS)
        self.folder_radio = QRadioButton("A model folder on this computer…")
        self.group = QButtonGroup(self)
        self.group.addButton(self.bundled_radio)
        self.group.addButton(self.folder_radio)
        self.bundled_radio.toggled.connect(self._bundled_toggled)
        self.folder_radio.clicked.connect(self.choose_folder)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setContentsMargins(24, 0, 0, 0)
        self.choose_button = QPushButton("Choose fol&der…")
        self.choose_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_radio)
        folder_row.addWidget(self.choose_button)
        folder_row.addStretch(1)
        self.model_error = MessageLine()

        model_card = Card()
        model_card.layout_.addWidget(heading("Text model", 2))
        model_card.layout_.addWidget(
            hint(
                "The text model reads your product descriptions, so that you can find products by describing "
                "them and new products are recommended before they sell. It runs on this computer; nothing is "
                "sent anywhere."
            )
        )
        model_card.layout_.addWidget(self.bundled_radio)
        model_card.layout_.addLayout(folder_row)
        model_card.layout_.addWidget(self.folder_label)
        model_card.layout_.addWidget(self.model_error)
        model_card.layout_.addWidget(hint(MULTILINGUAL_HINT))

        self.device = QComboBox()
        for key, words in formatting.DEVICE_WORDS.items():
            self.device.addItem(words, key)
        self.device.activated.connect(self._device_chosen)
        self.check_button = QPushButton("Check this &computer")
        self.check_button.setToolTip("Find out which graphics card “Automatic” would use (takes a few seconds).")
        self.check_button.clicked.connect(self.check_device)
        device_row = QHBoxLayout()
        device_row.addWidget(QLabel("Run the text model on:"))
        device_row.addWidget(self.device)
        device_row.addWidget(self.check_button)
        device_row.addStretch(1)
        self.device_note = MessageLine()
        device_card = Card()
        device_card.layout_.addWidget(heading("Where the text model runs", 2))
        device_card.layout_.addWidget(
            hint(
                "Automatic uses an NVIDIA graphics card when there is one, then Apple graphics (a Mac with an M "
                "chip), else the processor. A graphics card reads descriptions many times faster; the processor "
                "is enough for a few thousand products."
            )
        )
        device_card.layout_.addLayout(device_row)
        device_card.layout_.addWidget(self.device_note)

        self.rules_text = QLabel()
        self.rules_text.setWordWrap(True)
        self.rules_button = QPushButton("Edit &rules…")
        self.rules_button.clicked.connect(self.edit_rules)
        rules_row = QHBoxLayout()
        rules_row.addWidget(self.rules_text, 1)
        rules_row.addWidget(self.rules_button, 0, Qt.AlignmentFlag.AlignTop)
        rules_card = Card()
        rules_card.layout_.addWidget(heading("Recommendation rules", 2))
        rules_card.layout_.addWidget(
            hint(
                "Never recommend some products or categories, show a few to everyone first, recommend some more "
                "often, keep to a price band, hide what is out of stock. Applied at once to every list."
            )
        )
        rules_card.layout_.addLayout(rules_row)
        self.rules_dialog: Any = None

        # Money: the currency every price is shown in (read from the files, or the owner's choice).
        self.currency = QComboBox()
        self.currency.setAccessibleName("Currency of the prices")
        self.currency.activated.connect(lambda _i: self.save_currency(str(self.currency.currentData())))
        self.currency_note = MessageLine()
        self.currency_job: Job | None = None
        currency_row = QHBoxLayout()
        currency_row.addWidget(QLabel("Prices are in:"))
        currency_row.addWidget(self.currency)
        currency_row.addStretch(1)
        money_card = Card()
        money_card.layout_.addWidget(heading("Money", 2))
        money_card.layout_.addWidget(
            hint(
                "The currency of your prices, shown with every price. It is read from the first file that tells "
                "it (a currency column, or € or £ in the prices); what you choose here stays, whatever you import."
            )
        )
        money_card.layout_.addLayout(currency_row)
        money_card.layout_.addWidget(self.currency_note)

        self.next_step = MessageLine()
        self.read_button = QPushButton("Read product descriptions with the new model")
        self.read_button.clicked.connect(self._read)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_step, 1)
        next_row.addWidget(self.read_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.text_progress = JobProgress(session.jobs)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(heading("Settings"))
        layout.addWidget(self.shop_label)
        layout.addWidget(model_card)
        layout.addWidget(device_card)
        layout.addLayout(next_row)
        layout.addWidget(self.text_progress)
        layout.addWidget(rules_card)
        layout.addWidget(money_card)
        layout.addStretch(1)
        scroll_page(self, content)

        session.sig_text_changed.connect(lambda _s: self._show_next_step())
        session.sig_rules_changed.connect(self._show_rules)
        self.load()

    # --- showing the saved choice -------------------------------------------------------------------
    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset): its saved choices."""
        self.load()

    def load(self, *_: object) -> None:
        s = self.session
        enabled = s.is_open
        for w in (self.bundled_radio, self.folder_radio, self.choose_button, self.device, self.rules_button,
                  self.currency):
            w.setEnabled(enabled)
        self._show_rules()
        self._show_currency()
        self.model_error.clear_message()
        if not enabled:
            self.shop_label.setText("Open a shop to change its settings.")
            self.model_dir = None
            self._show_choice("auto")
            self._show_next_step()
            return
        self.shop_label.setText(f"These settings belong to the shop {s.path.name if s.path else ''}.")
        self.model_dir = s.settings.text_model_dir if s.settings else None
        device = s.settings.text_device if s.settings else "auto"
        self._show_choice(device)
        self._show_next_step()

    def _show_choice(self, device: str) -> None:
        for radio in (self.bundled_radio, self.folder_radio):
            radio.blockSignals(True)
        self.bundled_radio.setChecked(self.model_dir is None)
        self.folder_radio.setChecked(self.model_dir is not None)
        for radio in (self.bundled_radio, self.folder_radio):
            radio.blockSignals(False)
        self.folder_label.setText(f"Folder: {self.model_dir}" if self.model_dir else "")
        self.folder_label.setVisible(bool(self.model_dir))
        self.device.setCurrentIndex(max(0, self.device.findData(device)))

    def _show_next_step(self) -> None:
        """After a change: what happens next, with the button that does it."""
        s = self.session
        r = text_readiness(s)
        status = s.text_status
        self.text_progress.follow(s.text_job if s.is_open and s.reading_text else None)
        if not s.is_open or status is None:
            self.next_step.clear_message()
            self.read_button.hide()
            return
        if r.ok is False and r.action == READ and r.button:
            self.next_step.show_message(r.text, "warn" if status.model_changed else "info")
            self.read_button.setText(r.button)
            self.read_button.show()
        else:
            if r.ok is None or r.ok:
                self.next_step.show_message(r.text, "ok" if r.ok else "info")
            else:
                self.next_step.clear_message()
            self.read_button.hide()

    # --- recommendation rules ----------------------------------------------------------------------
    def _show_rules(self) -> None:
        if not self.session.is_open:
            self.rules_text.setText("")
            return
        from lrec_desktop.gui.dialogs.rules_dialog import rules_summary

        self.rules_text.setText(rules_summary(self.session.rules()))

    def edit_rules(self) -> Any:
        if not self.session.is_open:
            return None
        from lrec_desktop.gui.dialogs.rules_dialog import RulesDialog

        dialog = RulesDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.rules_dialog = dialog
        return dialog

    def _show_currency(self) -> None:
        s = self.session
        saved = s.shop.settings() if s.shop is not None else None  # read again: a save may have just landed
        code = saved.currency if saved is not None else ""
        source = saved.currency_from if saved is not None else ""
        self.currency.blockSignals(True)
        self.currency.clear()
        self.currency.addItem("Not known: take it from the next file", "")
        for c in sorted(set(shop_settings.currency_choices()) | ({code} if code else set())):
            self.currency.addItem(c, c)
        self.currency.setCurrentIndex(max(self.currency.findData(code), 0))
        self.currency.blockSignals(False)
        if not code:
            self.currency_note.clear_message()
        elif source == shop_settings.chosen_by_owner():
            self.currency_note.show_message(f"{code}, as you chose.", "muted")
        else:
            self.currency_note.show_message(f"{code}, read from {source}.", "muted")

    def save_currency(self, code: str) -> Job | None:
        """The owner's currency (''= take it from the files again), written on a worker; prices follow."""
        s = self.session
        if s.path is None:
            return None

        def done(saved: str) -> None:
            s.settings = s.shop.settings() if s.shop is not None else None  # the session's copy, as saved
            formatting.set_currency(saved)
            self._show_currency()
            s.sig_data_changed.emit()  # the pages showing prices show them again, in this currency

        def failed(exc: BaseException) -> None:
            self.currency_note.show_message(f"The currency could not be saved: {exc}")
            self._show_currency()

        self.currency_job = s.submit("Save the currency", shop_settings.save_currency, s.path, code, write=True,
                                     show=False, on_done=done, on_error=failed)
        return self.currency_job

    # --- changing it --------------------------------------------------------------------------------
    def _save(self) -> None:
        self.session.save_text_settings(self.model_dir, str(self.device.currentData()))

    def _bundled_toggled(self, checked: bool) -> None:
        if checked and self.model_dir is not None:
            self.model_dir = None
            self.model_error.clear_message()
            self._show_choice(str(self.device.currentData()))
            self._save()

    def choose_folder(self) -> None:
        start = self.model_dir or ""
        name = QFileDialog.getExistingDirectory(self, "Choose a text model folder", start)
        if not name:
            self._show_choice(str(self.device.currentData()))  # back to the saved choice
            return
        self.use_folder(name)

    def use_folder(self, path: str) -> bool:
        """Check the folder; a bad one is explained next to the choice and the saved choice stays."""
        try:
            folder = choice.check_model_folder(path)
        except UserError as exc:
            self.model_error.show_message(str(exc))
            self._show_choice(str(self.device.currentData()))
            return False
        self.model_error.clear_message()
        self.model_dir = str(folder.path)
        self._show_choice(str(self.device.currentData()))
        self._save()
        return True

    def _device_chosen(self, _index: int) -> None:
        self.device_note.clear_message()
        self._save()

    def check_device(self) -> None:
        if self.device_job is not None and self.device_job.active:
            return
        self.device_note.show_message("Checking this computer’s graphics cards…", "muted")
        self.check_button.setEnabled(False)
        self.device_job = self.session.jobs.submit(
            "Check this computer's graphics cards",
            choice.automatic_device,
            heavy=False,
            show=False,
            on_done=self._device_checked,
            on_error=self._device_failed,
        )

    def _device_checked(self, device: Any) -> None:
        self.check_button.setEnabled(True)
        words = {"cuda": "the NVIDIA graphics card", "mps": "Apple graphics", "cpu": "the processor"}
        where = words.get(str(device), str(device))
        self.device_note.show_message(f"On this computer, Automatic runs the text model on {where}.", "info")

    def _device_failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.device_note.show_message(f"The graphics cards could not be checked: {exc}")

    def _read(self) -> None:
        self.session.read_descriptions()
        self.sig_read_requested.emit()
