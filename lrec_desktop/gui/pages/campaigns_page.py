"""Campaigns (issue 21, item 8): what each campaign exported with a control group sold, in plain words.

One card per campaign, newest first: its name, when, how many got it and how many were held back, and the finding
(core.campaigns.uplift), read on a worker whenever the page is shown or the shop's sales change.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from lrec_desktop.core.app import campaigns
from lrec_desktop.gui import formatting
from lrec_desktop.gui.session import ShopSession
from lrec_desktop.gui.widgets.common import Card, heading, hint

EMPTY = ("No campaigns yet. In Export recommendations, tick “Hold back 10% of them as a control group”: after "
         "your next import this page shows whether the customers who got the e-mail bought more.")


class CampaignCard(Card):
    def __init__(self, uplift: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = uplift.campaign
        when = time.strftime("%Y-%m-%d", time.localtime(c.created_at))
        since = time.strftime("%Y-%m-%d", time.gmtime(c.since_ts))
        self.title = heading(c.name, 2)
        who = f" ({c.segments})" if c.segments else ""
        self.counts = hint(f"Exported {when} to {c.file}: {formatting.plural(c.treated, 'customer')} got it, "
                           f"{formatting.number(c.held_back)} held back{who}. Sales after {since}, the shop's "
                           "latest sale then, count.")
        self.words = QLabel(uplift.words())
        self.words.setWordWrap(True)
        for w in (self.title, self.counts, self.words):
            self.layout_.addWidget(w)


class CampaignsPage(QWidget):
    def __init__(self, session: ShopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.found: list[Any] = []
        self.status = hint("")
        self.list = QWidget()
        self.cards = QVBoxLayout(self.list)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.cards.addWidget(self.status)  # inside the scrolled list: a wrapped line gets its full height there
        self.cards.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading("Campaigns", 6))
        layout.addWidget(hint("For the products each campaign recommended: how often the customers who got it bought "
                              "one since, against the customers held back. 95% interval on the ratio."))
        layout.addWidget(scroll, 1)
        session.sig_data_changed.connect(self.refresh)
        session.sig_lists_sent.connect(self.refresh)  # a campaign exported while this page stays in view

    def reset(self) -> None:
        """A shop was opened (MainWindow calls every page's reset): nothing of the last shop's campaigns."""
        self._show([])
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # a campaign exported meanwhile shows when the page is opened
        super().showEvent(event)
        self.refresh()

    def refresh(self, *_: object) -> None:
        if self.session.path is None:
            self._show([])
            return
        self.status.setText("Reading the campaigns…")
        self.status.show()
        self.session.submit("Read the campaigns", campaigns.measure_campaigns, self.session.path,
                            slot="campaigns.read", heavy=False, show=False, on_done=self._show)

    def _show(self, found: list[Any]) -> None:
        self.found = found
        while self.cards.count() > 2:  # the status line and the stretch stay
            item = self.cards.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        for n, uplift in enumerate(found, 1):
            self.cards.insertWidget(n, CampaignCard(uplift))
        self.status.setText("" if found else EMPTY)
        self.status.setVisible(not found)
