"""Order lines, ratings and other events: one chunk of text cells → rows for interactions, items and
customers, plus the rows refused and why."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lrec_desktop.core.ingest.cleaning import clean_ids
from lrec_desktop.core.ingest.dates import DateFormat, detect_date_format, failure_reason, parse_dates
from lrec_desktop.core.ingest.frames import (
    FileColumns,
    Problem,
    Rejections,
    bad_line_problems,
    chunk_currency,
    file_hints,
    group_fill,
    in_row_order,
    text,
)
from lrec_desktop.core.ingest.validate import (
    clean_text,
    is_cancel_status,
    normalise_event,
    normalise_id,
    parse_number,
)
from lrec_desktop.core.ratings import RatingScale, merge_counts, rating_scale
from lrec_desktop.core.store.schema import CANCEL, PURCHASE, PURCHASE_EVENTS, RATING, RETURN

ORDER_FILLED = ["customer_id", "timestamp", "status", "email", "customer_name", "_cancelled_at", "_last_name"]
INTERACTION_COLUMNS = ["customer_id", "item_id", "ts", "quantity", "event", "rating", "order_id", "line_key"]


class LineKeys:
    """Stable keys for order lines, so a re-exported line is recognised and not counted twice.

    A key is a hash of what the line says plus its occurrence number among identical lines of the same
    file (two identical lines in one export are two sales; the same line in two exports is one). Seen
    hashes are kept as a sorted uint64 array with counts: 16 bytes a line instead of a Python dict.
    """

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.uint64)
        self._counts = np.empty(0, dtype=np.int64)

    def assign(self, parts: list[pd.Series]) -> list[str]:
        base = parts[0].astype(str)
        for part in parts[1:]:
            base = base + "\x1f" + part.astype(str)
        hashes = np.fromiter(
            (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big") for s in base),
            dtype=np.uint64,
            count=len(base),
        )
        within = pd.Series(hashes).groupby(hashes).cumcount().to_numpy()
        before = np.zeros(len(hashes), dtype=np.int64)
        if len(self._keys):
            pos = np.searchsorted(self._keys, hashes).clip(max=len(self._keys) - 1)
            found = self._keys[pos] == hashes
            before[found] = self._counts[pos[found]]
        unique, counts = np.unique(hashes, return_counts=True)
        merged = np.concatenate([self._keys, unique])
        weights = np.concatenate([self._counts, counts])
        self._keys, inverse = np.unique(merged, return_inverse=True)
        self._counts = np.bincount(inverse, weights=weights, minlength=len(self._keys)).astype(np.int64)
        occurrence = before + within
        return [f"{h:016x}-{n}" for h, n in zip(hashes.tolist(), occurrence.tolist(), strict=True)]


@dataclass
class SalesState:
    """What one file's chunks share: its columns, the date format found in the first dates, keys."""

    columns: FileColumns
    date_format: DateFormat | None = None
    # Ratings already in the shop (value -> count), pooled with the first chunk's to find the scale, so a file
    # of one odd line is judged against the shop's scale, not its own.
    shop_ratings: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
    rating_scale: RatingScale | None = None
    carry: dict[str, pd.Series] | None = None
    keys: LineKeys = field(default_factory=LineKeys)
    currency: str | None = None  # what the first chunk that tells one says (core.money)

    @property
    def ratings_file(self) -> bool:
        f = self.columns.fields
        return "rating" in f and "quantity" not in f and "order_id" not in f


@dataclass
class ChunkResult:
    rows_read: int
    problems: list[Problem]
    interactions: pd.DataFrame | None = None
    items: pd.DataFrame | None = None
    customers: pd.DataFrame | None = None

    @property
    def rejected(self) -> int:
        return len(self.problems)

    @property
    def accepted(self) -> int:
        return self.rows_read - self.rejected


def _customers(raw: pd.DataFrame, columns: FileColumns) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(customer id or None, name, e-mail). An e-mail stands in for a missing id; WooCommerce writes
    customer "0" for guest checkouts, which are told apart by e-mail too."""
    customer = normalise_id(text(raw, "customer_id"))
    email = clean_ids(text(raw, "email")).str.lower()
    if "email" in columns.fields:
        use_email = (email != "") & ((customer == "") | (customer == "0"))
        customer = customer.where(~use_email, email)
    name = clean_text(text(raw, "customer_name") + " " + text(raw, "_last_name"))
    return customer.where(customer != "", None), name, email


def sales_chunk(chunk: pd.DataFrame, state: SalesState) -> ChunkResult:
    cols = state.columns
    raw = cols.extract(chunk)
    bad_lines = bad_line_problems(chunk)
    if raw.empty:
        return ChunkResult(len(bad_lines), bad_lines)
    order = normalise_id(text(raw, "order_id"))
    if "order_id" in cols.fields:
        state.carry = group_fill(raw, order, ORDER_FILLED, state.carry)
    checks = Rejections(raw.index)
    if state.currency is None:
        state.currency = chunk_currency(raw)

    title = clean_text(text(raw, "title"))
    item = normalise_id(text(raw, "item_id"))
    item = item.where(item != "", title)  # a line without a product code is named by its product
    checks.add(item == "", cols.column_of("item_id") or cols.column_of("title"), "no product id or name")

    quantity = pd.Series(1.0, index=raw.index)
    if "quantity" in raw.columns:
        parsed, failed = parse_number(raw["quantity"])
        checks.add(failed, cols.column_of("quantity"), "quantity {} is not a number", raw["quantity"])
        quantity = parsed.fillna(1.0)
    price = pd.Series(np.nan, index=raw.index)
    if "price" in raw.columns:
        price, failed = parse_number(raw["price"])
        checks.add(failed, cols.column_of("price"), "price {} is not a number", raw["price"])
    rating = pd.Series(np.nan, index=raw.index)
    if "rating" in raw.columns:
        rating, failed = parse_number(raw["rating"])
        checks.add(failed, cols.column_of("rating"), "rating {} is not a number", raw["rating"])
        if state.ratings_file:
            checks.add(raw["rating"] == "", cols.column_of("rating"), "no rating")
    ts = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    if "timestamp" in raw.columns:
        if state.date_format is None:
            state.date_format = detect_date_format(raw["timestamp"])
        ts, failed = parse_dates(raw["timestamp"], state.date_format)
        checks.add(failed, cols.column_of("timestamp"), failure_reason(state.date_format), raw["timestamp"])
        if state.date_format is not None:
            # The file has dates, so a line without one cannot be placed in time: skipped and said, not stored
            # silently as "whenever". A column blank from its first lines on is a file without dates.
            checks.add(raw["timestamp"] == "", cols.column_of("timestamp"), "no date")

    if "event" in raw.columns:
        event = normalise_event(raw["event"])
    else:
        event = pd.Series(RATING if state.ratings_file else PURCHASE, index=raw.index, dtype=object)
    event = event.where(~((quantity <= 0) & event.isin(PURCHASE_EVENTS)), RETURN)
    cancelled = order.str.fullmatch(r"[Cc]\d+") | is_cancel_status(text(raw, "status"))
    cancelled |= text(raw, "_cancelled_at") != ""
    event = event.where(~cancelled, CANCEL)

    if "rating" in raw.columns:
        _check_scale(checks, state, rating, event == RATING, raw["rating"])

    customer, name, email = _customers(raw, cols)
    keep = checks.kept
    frame = pd.DataFrame(
        {
            "customer_id": customer[keep],
            "item_id": item[keep],
            "ts": ts[keep],
            "quantity": quantity[keep],
            "event": event[keep],
            "rating": rating[keep],
            "order_id": order[keep].where(order[keep] != "", None),
            "title": title[keep],
            "price": price[keep],
            "name": name[keep],
            "email": email[keep],
            "file_hint": file_hints(raw)[keep],
            # Only where the file has a group column: normalising ids costs ~0.2 s a 50,000-line chunk.
            "group_id": (normalise_id(raw["group"]) if "group" in raw.columns else pd.Series(
                "", index=raw.index, dtype=object))[keep],
        }
    )
    stamp = frame["ts"].astype(object).where(frame["ts"].notna(), "")
    frame["line_key"] = state.keys.assign(
        [
            frame["customer_id"].fillna(""),
            frame["item_id"],
            stamp,
            frame["quantity"],
            frame["event"],
            frame["order_id"].fillna(""),
        ]
    )
    return ChunkResult(
        len(raw) + len(bad_lines),
        in_row_order(bad_lines + checks.problems),
        frame[INTERACTION_COLUMNS],
        _derived_items(frame),
        _derived_customers(frame),
    )


def _check_scale(checks: Rejections, state: SalesState, rating: pd.Series, is_rating: pd.Series,
                 cells: pd.Series) -> None:
    """Skip ratings outside the scale (negative, or far above what the bulk gives): one such line would
    otherwise stand for the shop's top rating, or be counted as liked on any scale."""
    rated = is_rating & rating.notna()
    if state.rating_scale is None and rated.any():
        values, counts = np.unique(rating[rated].to_numpy(dtype=float), return_counts=True)
        state.rating_scale = rating_scale(*merge_counts(state.shop_ratings, (values, counts)))
    scale = state.rating_scale
    if scale is not None:
        outside = rated & ~scale.contains(rating.to_numpy(dtype=float))
        checks.add(outside, state.columns.column_of("rating"),
                   f"rating {{}} is outside the scale the ratings use ({scale.describe()})", cells)


def _first_known(frame: pd.DataFrame, key: str, column: str, blank: object = "") -> pd.Series:
    known = frame[frame[column].notna() & (frame[column] != blank)]
    return known.drop_duplicates(key).set_index(key)[column]


def _derived_items(frame: pd.DataFrame) -> pd.DataFrame:
    """Products named by order lines: title from the line's product name, price from its unit price."""
    items = pd.DataFrame(index=pd.Index(frame["item_id"].unique(), name="item_id"))
    items["title"] = _first_known(frame, "item_id", "title").reindex(items.index).fillna("")
    positive = frame[frame["price"] > 0]
    items["price"] = positive.drop_duplicates("item_id").set_index("item_id")["price"].reindex(items.index)
    # Every price, zero and below too: a product never sold above 0 is a discount or a free gift (nonproducts).
    items["top_price"] = frame.groupby("item_id")["price"].max().reindex(items.index)
    items["file_hint"] = ""
    items["group_id"] = None
    # Both are blank in most files: looked up only where a line has one.
    if (frame["file_hint"] != "").any():
        items["file_hint"] = _first_known(frame, "item_id", "file_hint").reindex(items.index).fillna("")
    if (frame["group_id"] != "").any():  # an orders file's --map group=COLUMN
        group = _first_known(frame, "item_id", "group_id").reindex(items.index)
        items["group_id"] = group.where(group.notna(), None)
    items["first_ts"] = frame.dropna(subset=["ts"]).groupby("item_id")["ts"].min().reindex(items.index)
    return items.reset_index()


def _derived_customers(frame: pd.DataFrame) -> pd.DataFrame:
    known = frame[frame["customer_id"].notna()]
    customers = pd.DataFrame(index=pd.Index(known["customer_id"].unique(), name="customer_id"))
    customers["name"] = _first_known(known, "customer_id", "name").reindex(customers.index).fillna("")
    customers["email"] = _first_known(known, "customer_id", "email").reindex(customers.index).fillna("")
    return customers.reset_index()
