"""A product's sales over time (a bar per week, or per month over a longer span)."""

from __future__ import annotations

from pathlib import Path

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.store.sales_over_time import SalesOverTime  # a small read module: the chart makes empty ones

__all__ = ["SalesOverTime", "sales_over_time"]


def sales_over_time(db_path: Path, item_id: str, *, progress: ProgressFn = no_progress,
                    cancel: CancelToken | None = None) -> SalesOverTime:
    """A quick job: the product's sales per period over the shop's whole span of sales."""
    from lrec_desktop.core.store.sales_over_time import sales_over_time as count

    return count(Path(db_path), item_id, cancel=cancel)
