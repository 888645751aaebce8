"""What the ranker knows about each product at one moment ("now"): how much and how lately it sold.

At training time "now" is the inner hold-out's cut, so nothing after it leaks into the features; when
recommending it is the shop's latest purchase.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

DAY = 86_400.0
RECENT_SHARE = 0.1  # "lately" = the latest 10% of the shop's purchases: the same meaning for any shop's pace
MONTH_DAYS = 30.0


@dataclass
class ProductSignals:
    buyers: np.ndarray  # distinct buyers
    recent: np.ndarray  # buyers in the latest RECENT_SHARE of purchases
    last_month: np.ndarray  # buyers in the 30 days before now (NaN when the history spans under 60 days)
    first_sale: np.ndarray  # time of the first sale, NaN when never sold
    now: float
    is_head: np.ndarray

    @classmethod
    def of(cls, X: sp.csr_matrix, ts: np.ndarray, is_head: np.ndarray) -> ProductSignals:
        n = X.shape[1]
        cols = X.indices
        buyers = np.bincount(cols, minlength=n).astype(np.float32)
        known = ts > 0
        now = float(ts.max()) if len(ts) else 0.0
        recent_from = float(np.quantile(ts, 1 - RECENT_SHARE)) if len(ts) else 0.0
        recent = np.bincount(cols[ts >= recent_from], minlength=n).astype(np.float32)
        span = (now - float(ts[known].min())) / DAY if known.any() else 0.0
        if span >= 2 * MONTH_DAYS:
            last_month = np.bincount(cols[ts >= now - MONTH_DAYS * DAY], minlength=n).astype(np.float32)
        else:
            last_month = np.full(n, np.nan, dtype=np.float32)
        first = np.full(n, np.inf)
        np.minimum.at(first, cols, np.where(known, ts, np.inf))
        first[~np.isfinite(first)] = np.nan
        return cls(buyers, recent, last_month, first, now, is_head)

    @property
    def trend(self) -> np.ndarray:
        """Recent sales over what the product's overall rate predicts (1 = steady, > 1 = picking up)."""
        return ((self.recent + 1.0) / (self.buyers * RECENT_SHARE + 1.0)).astype(np.float32)

    @property
    def age_days(self) -> np.ndarray:
        return ((self.now - self.first_sale) / DAY).astype(np.float32)

    @property
    def is_new(self) -> np.ndarray:
        """Never sold, or first sold within the latest share of purchases."""
        return (self.buyers <= 0) | (self.buyers <= self.recent)
