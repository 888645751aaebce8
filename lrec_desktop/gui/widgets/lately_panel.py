"""The Overview's "Lately" card (issue 21, item 5): what sells faster lately, and what is new, five of each.

Read on a worker from the prepared recommendations (core.recommend.lists), after they are ready.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from lrec_desktop.core.app import lookup
from lrec_desktop.gui.session import READY, ShopSession
from lrec_desktop.gui.widgets.common import Card, heading, hint

SHOWN = 5


class LatelyPanel(Card):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.trending: list[Any] = []
        self.new: list[Any] = []
        self.trending_text = QLabel()
        self.new_text = QLabel()
        for label in (self.trending_text, self.new_text):
            label.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(heading("Selling well lately", 2), 0, 0)
        grid.addWidget(heading("New arrivals", 2), 0, 1)
        grid.addWidget(self.trending_text, 1, 0)
        grid.addWidget(self.new_text, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.layout_.addLayout(grid)
        self.layout_.addWidget(hint("Export either list with lrec-desktop lists --trending or --new-arrivals."))
        session.sig_recommender_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_: object) -> None:
        self.session.jobs.drop_slot("overview.lately")  # a list read for the recommendations before is not shown
        if self.session.recommender is None or self.session.rec_state != READY:
            self.trending, self.new = [], []
            self.trending_text.setText("Ready once recommendations are prepared.")
            self.new_text.setText("")
            return
        rec = self.session.recommender
        self.trending_text.setText("Reading…")

        def done(lists: tuple[list[Any], list[Any]]) -> None:
            self.trending, self.new = lists
            self.trending_text.setText(_lines(self.trending, "Nothing is selling faster than before lately."))
            self.new_text.setText(_lines(self.new, "No products new in the last 30 days."))

        self.session.submit("Read what sells lately", lookup.lately, rec, SHOWN, slot="overview.lately", heavy=False,
                            show=False, on_done=done)


def _lines(recs: list[Any], empty: str) -> str:
    if not recs:
        return empty
    return "\n".join(f"{n}. {r.title} — {r.reason}" for n, r in enumerate(recs, 1))
