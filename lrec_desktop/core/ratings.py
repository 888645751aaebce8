"""Which ratings mean "liked", and which are outside the scale a shop rates on, by a rule no single row can move.

Why: "liked" used to be 0.7 x the highest rating in the shop, so one line rating a film 99 made every real
rating (0.5-5) fall below 69.3 and left one product with sales out of 7,363 (ml-latest-small).

The rule reads the distribution of all ratings (value -> count):
- the scale's top is the 99th percentile (a value at least 1% of the rows, and at least two rows, reach) snapped
  up to a common scale (1, 5, 10, 100, then powers of ten), so no single row and no 1% of the rows can stretch
  it, and a 4.5 at the 99th percentile still allows the 5s above it;
- a rating is on the scale when it is finite, not negative and not above that top; import skips the others
  with a reason, and "liked" below is found without them (a shop that stored one before still reads right);
- "liked" is 0.7 x the highest rating on the scale that 0.1% of the rows reach (3.5 of 5 stars):
  with no outlier this is today's rule exactly (ml-latest-small: 3.5, the same 61,716 liked pairs).
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

import numpy as np

from lrec_desktop.core.store.schema import RATING

LIKED_SHARE = 0.7
BULK_QUANTILE = 0.99
TOP_QUANTILE = 0.999
COMMON_TOPS = (1.0, 5.0, 10.0, 100.0)


def _quantile(values: np.ndarray, counts: np.ndarray, q: float, min_rows: float) -> float:
    """The highest value that at least a share 1 - ``q`` of the rows, and never fewer than ``min_rows``, reach
    (values ascending): the upper quantile, except that in a small file a few rows alone never decide it."""
    total = float(counts.sum())
    rows = min(max(min_rows, math.ceil(total * (1.0 - q) - 1e-9)), total)
    reached = np.cumsum(counts[::-1])  # rows at or above each value, from the top down
    return float(values[::-1][int(np.searchsorted(reached, rows, side="left"))])


def _snap(top: float) -> float:
    for common in COMMON_TOPS:
        if top <= common:
            return common
    return float(10 ** math.ceil(math.log10(top)))


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class RatingScale:
    low: float  # the lowest rating on the scale that occurs
    high: float  # the scale's top: ratings above it are out of range
    top: float  # the highest rating the bulk gives (at least 0.1% of rows)

    @property
    def liked_from(self) -> float:
        return LIKED_SHARE * self.top

    def contains(self, ratings: np.ndarray) -> np.ndarray:
        ratings = np.asarray(ratings, dtype=float)
        with np.errstate(invalid="ignore"):
            return np.isfinite(ratings) & (ratings >= 0) & (ratings <= self.high)

    def describe(self) -> str:
        return f"{_number(self.low)}-{_number(self.top)}"


def rating_scale(values: np.ndarray, counts: np.ndarray | None = None) -> RatingScale | None:
    """The scale of these ratings (each value weighted by its count); None when no rating is usable."""
    values = np.asarray(values, dtype=float)
    counts = np.ones(len(values)) if counts is None else np.asarray(counts, dtype=float)
    usable = np.isfinite(values) & (values >= 0) & (counts > 0)
    values, counts = values[usable], counts[usable]
    if not len(values):
        return None
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    high = _snap(_quantile(values, counts, BULK_QUANTILE, min_rows=2))
    on_scale = values <= high
    values, counts = values[on_scale], counts[on_scale]
    # Within the scale one row may be the top in a small shop (five ratings of 1-5: the 5 is the top); the snap
    # bounds how far it can go, and from 1,000 ratings on no single row moves it.
    return RatingScale(low=float(values[0]), high=high, top=_quantile(values, counts, TOP_QUANTILE, min_rows=1))


def merge_counts(*parts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(values, counts) of several distributions added together."""
    values = np.concatenate([np.asarray(v, dtype=float) for v, _ in parts] or [np.zeros(0)])
    counts = np.concatenate([np.asarray(c, dtype=float) for _, c in parts] or [np.zeros(0)])
    if not len(values):
        return values, counts
    unique, inverse = np.unique(values, return_inverse=True)
    return unique, np.bincount(inverse, weights=counts, minlength=len(unique))


def stored_counts(conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
    """(values, counts) of the ratings stored in a shop: one scan, a few distinct values."""
    rows = conn.execute("SELECT rating, count(*) FROM interactions WHERE event = ? AND rating IS NOT NULL "
                        "GROUP BY rating ORDER BY rating", [RATING]).fetchall()
    return np.asarray([r[0] for r in rows], dtype=float), np.asarray([r[1] for r in rows], dtype=float)


def stored_scale(conn: sqlite3.Connection) -> RatingScale | None:
    return rating_scale(*stored_counts(conn))
