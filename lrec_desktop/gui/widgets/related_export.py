"""The Catalog's "Related products for the web shop…" button: a save dialog whose file type picks the format
(WooCommerce, Shopify or a plain list), then core.export_related as a background job, with a line saying what
was written or why not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from lrec_desktop.core.app import export
from lrec_desktop.gui.session import READY, ShopSession
from lrec_desktop.gui.widgets.common import MessageLine
from lrec_desktop.gui.workers import Job

# The dialog's file types, each a format of the related-products export (core.app.export.export_related).
FILTERS = {
    "WooCommerce product CSV: upsells and cross-sells (*.csv)": "woocommerce",
    "Shopify product CSV: related products metafields (*.csv)": "shopify",
    "List of related products per product (*.csv)": "generic",
}
FOLDER_SETTING = "related/folder"
FILTER_SETTING = "related/filter"
TOP = 4


class RelatedExport(QWidget):
    """A button and its message line; one export at a time."""

    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.button = QPushButton("Related products for the web shop…")
        self.button.setToolTip(
            "Writes every product's related products (bought in the same order, by the same customers, or "
            "described alike) as a file WooCommerce or Shopify imports, following your rules."
        )
        self.button.clicked.connect(self.choose_and_export)
        self.message = MessageLine()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.message, 1)
        self.job: Job | None = None
        self.written: Path | None = None

    def choose_and_export(self) -> Job | None:
        if self.session.path is None or (self.job is not None and self.job.active):
            return None
        settings = QSettings()
        folder = Path(str(settings.value(FOLDER_SETTING) or Path.home()))
        chosen = str(settings.value(FILTER_SETTING) or next(iter(FILTERS)))
        name, used = QFileDialog.getSaveFileName(self, "Save related products as", str(folder / "related-products.csv"),
                                                 ";;".join(FILTERS), chosen if chosen in FILTERS else "")
        if not name:
            return None
        out = Path(name) if Path(name).suffix else Path(name).with_suffix(".csv")
        fmt = FILTERS.get(used, "generic")
        settings.setValue(FOLDER_SETTING, str(out.parent))
        settings.setValue(FILTER_SETTING, used)
        rec = self.session.recommender if self.session.rec_state == READY else None
        self.button.setEnabled(False)
        self.message.show_message(f"Writing related products to {out}…", "muted")
        self.job = self.session.submit(
            "Related products for the web shop", export.export_related, self.session.path, out, fmt=fmt, top=TOP,
            recommender=rec, on_done=self._done, on_error=self._failed, on_cancel=self._cancelled,
        )
        return self.job

    def _done(self, summary: Any) -> None:
        self.button.setEnabled(True)
        self.written = summary.path
        self.message.show_message(summary.message() + ".", "ok")

    def _cancelled(self) -> None:
        self.button.setEnabled(True)
        self.message.show_message("Related products were not written (cancelled); any earlier file is unchanged.")

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.message.show_message(f"Related products could not be written: {exc}")
