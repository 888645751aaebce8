"""Campaigns: what each exported campaign sold, the customers who got it against those held back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.campaigns.uplift import Uplift


def measure_campaigns(db_path: Path, *, progress: ProgressFn = no_progress,
                      cancel: CancelToken | None = None) -> list[Uplift]:
    """A quick job: every campaign of the shop with its measured uplift, newest first."""
    from lrec_desktop.core.campaigns.uplift import measure_all

    with opened(db_path, readonly=True) as db:
        return list(measure_all(db))
