"""Frequently bought together, from baskets: which products share an order, normalised for popularity.

A basket is one order (``interactions.order_id``), with or without a customer: till receipts teach this too,
though they teach the per-customer model nothing. Lines without an order id fall back to one basket per
customer and day (a ratings file, a shop that exports no order numbers). Returns, cancellations and
non-products (postage, fees, gift cards: in every order, they would go with everything) are left out.

Raw co-occurrence counts put the bestsellers on top of every list (they are in every other order). The
score is pointwise mutual information, ``log(lift)``, lift = P(a and b) / (P(a) P(b)), shrunk towards 0 by
``shared / (shared + SHRINK)`` and counted only from MIN_SUPPORT shared orders: one order holding two rare
products would otherwise give them the largest lift of all. Only positive associations are kept, the
TOP_PER_PRODUCT strongest per product.

The matrix is products × products over the recommendation model's vocabulary (``CFModel.items``): row a,
column b is how much more often b is in a's orders than chance. It is saved beside the shop
(``<shop>.lrec-models/baskets``, written atomically, no pickle) and keyed by the data version and the
vocabulary, so it is worked out once per import.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sqlite_utils

from lrec_desktop.core import artifacts
from lrec_desktop.core.cf.data import positive_rating_threshold
from lrec_desktop.core.cf.sparse_topk import top_per_row
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.schema import PRODUCT_LINES, PURCHASE, RATING
from lrec_desktop.core.vocab import Vocabulary

log = logging.getLogger(__name__)

BASKETS_FOLDER = "baskets"
MIN_SUPPORT = 2  # shared orders before a pair counts at all
SHRINK = 5.0  # shared orders at which a pair's lift counts half: little evidence, little trust
# Orders with more distinct products are left out: a wholesale order or a day of rating films pairs everything
# with everything (and its pairs grow with the square of its size).
MAX_BASKET = 100
TOP_PER_PRODUCT = 50
DAY = 86_400  # without an order id, one customer's day is one basket
FETCH = 200_000  # lines read at a time
BLOCK = 2048  # products whose co-occurrences are worked out at once (cancel is checked between blocks)
ADVICE = "run `lrec-desktop prepare` to work the shop's baskets out again"


@dataclass(frozen=True)
class BasketConfig:
    data_version: int
    items: int
    items_hash: str  # the vocabulary the matrix is over
    orders: int  # baskets counted (of 1 to MAX_BASKET products)
    orders_without_customer: int  # of those, orders with no customer (till receipts)
    pairs: int  # associations kept
    min_support: int
    shrink: float
    max_basket: int
    seconds: float


@dataclass
class Baskets:
    """Orders × products (1 where the order holds the product), and which orders had no customer."""

    X: sp.csr_matrix
    anonymous: np.ndarray  # bool per order


def vocabulary_hash(items: Vocabulary) -> str:
    return hashlib.sha256("\n".join(items.ids).encode("utf-8")).hexdigest()


def load_baskets(db: sqlite_utils.Database, items: Vocabulary, *, until: float | None = None,
                 cancel: CancelToken | None = None) -> Baskets:
    """Every order's distinct products over ``items`` (bought, or rated as liked); ``until``: only lines before
    this time (a hold-out's training side)."""
    threshold = positive_rating_threshold(db)
    time_filter = "" if until is None else "AND coalesce(ts, 0) < ?"
    # 'o' and 'c' keep an order number from ever equalling a customer-day key.
    cursor = db.execute(
        f"""SELECT coalesce('o' || order_id, 'c' || customer_id || ':' || (ts / {DAY})) AS basket, item_id,
                  max(customer_id IS NULL)
           FROM interactions
           WHERE (order_id IS NOT NULL OR (customer_id IS NOT NULL AND ts IS NOT NULL))
             AND (event = ? OR (event = ? AND rating >= ?)) AND {PRODUCT_LINES} {time_filter}
           GROUP BY basket, item_id ORDER BY basket""",
        [PURCHASE, RATING, threshold if threshold is not None else 0.0, *([] if until is None else [until])],
    )
    rows_parts, cols_parts, anon_parts = [], [], []
    last_key: str | None = None
    count = 0
    while chunk := cursor.fetchmany(FETCH):
        if cancel is not None:
            cancel.raise_if_cancelled()
        keys, item_ids, anon = zip(*chunk, strict=True)
        key_array = np.asarray(keys, dtype=object)
        starts = np.ones(len(keys), dtype=bool)
        starts[1:] = key_array[1:] != key_array[:-1]
        starts[0] = keys[0] != last_key
        rows = count - 1 + np.cumsum(starts)
        count += int(starts.sum())
        last_key = keys[-1]
        cols = items.indices(item_ids)
        keep = cols >= 0
        rows_parts.append(rows[keep])
        cols_parts.append(cols[keep])
        anon_parts.append((rows, np.asarray(anon, dtype=bool)))
    anonymous = np.zeros(count, dtype=bool)
    for basket_rows, walk_in in anon_parts:
        anonymous[basket_rows[walk_in]] = True
    r = np.concatenate(rows_parts) if rows_parts else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols_parts) if cols_parts else np.zeros(0, dtype=np.int64)
    X = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(count, len(items)))
    X.sum_duplicates()
    X.data[:] = 1.0
    return Baskets(X, anonymous)


def association(baskets: Baskets, *, min_support: int = MIN_SUPPORT, shrink: float = SHRINK,
                top: int = TOP_PER_PRODUCT, cancel: CancelToken | None = None,
                progress: ProgressFn = no_progress) -> sp.csr_matrix:
    """Products × products shrunk PMI over orders of 1 to MAX_BASKET products (see the module's comment)."""
    sizes = np.diff(baskets.X.indptr)
    X = baskets.X[(sizes >= 1) & (sizes <= MAX_BASKET)]
    n_orders, n_items = X.shape
    support = np.asarray(X.sum(axis=0)).ravel().astype(np.float64)  # orders per product
    pairs = X[np.diff(X.indptr) >= 2]  # only orders of two products or more hold pairs
    Xt = pairs.T.tocsr()
    pairs_csc = pairs.tocsr()
    blocks = []
    for start in range(0, n_items, BLOCK):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(start / max(n_items, 1), "Finding what is bought in the same order")
        end = min(start + BLOCK, n_items)
        shared = (Xt[start:end] @ pairs_csc).tocsr().astype(np.float64)  # orders holding both
        shared.setdiag(0)  # before the support filter: a product with itself is no pair
        shared.data[shared.data < min_support] = 0
        shared.eliminate_zeros()
        rows = np.repeat(np.arange(start, end), np.diff(shared.indptr))
        cols = shared.indices
        c = shared.data
        lift = n_orders * c / (support[rows] * support[cols])
        shared.data = (np.log(lift) * c / (c + shrink)).astype(np.float32)
        shared.data[shared.data <= 0] = 0  # only products that go together more than by chance
        shared.eliminate_zeros()
        blocks.append(top_per_row(shared.astype(np.float32), top))
    progress(1.0, "Finding what is bought in the same order")
    if not blocks:
        return sp.csr_matrix((n_items, n_items), dtype=np.float32)
    matrix = sp.vstack(blocks, format="csr").astype(np.float32)
    matrix.sort_indices()
    return matrix


def fit_basket_matrix(db: sqlite_utils.Database, items: Vocabulary, *, until: float | None = None,
                      cancel: CancelToken | None = None,
                      progress: ProgressFn = no_progress) -> tuple[sp.csr_matrix, Baskets]:
    """(the association matrix, the baskets it came from), worked out now and saved nowhere."""
    baskets = load_baskets(db, items, until=until, cancel=cancel)
    return association(baskets, cancel=cancel, progress=progress), baskets


def baskets_folder(db_path: Path) -> Path:
    return models_dir(db_path) / BASKETS_FOLDER


def _load_saved(folder: Path, version: int, items: Vocabulary) -> sp.csr_matrix | None:
    """The saved matrix when it is of this data version and vocabulary; None when absent, stale or damaged."""
    try:
        with artifacts.reading(folder / "config.json", ADVICE):
            config = artifacts.read_config(folder / "config.json")
        if config.get("data_version") != version or config.get("items_hash") != vocabulary_hash(items):
            return None
        with artifacts.reading(folder / "scores.npz", ADVICE):
            return artifacts.load_sparse(folder / "scores.npz", (len(items), len(items)))
    except artifacts.DamagedArtifact as exc:
        if (folder / "config.json").exists():  # absent is the normal first time, not worth a line
            log.warning("%s; working them out again now", exc)
        return None


def basket_matrix(db_path: Path, items: Vocabulary, *, progress: ProgressFn = no_progress,
                  cancel: CancelToken | None = None) -> sp.csr_matrix:
    """Products × products (``items``' order, float32 CSR): how strongly each column's product goes in the same
    orders as each row's (shrunk PMI, > 0 only, diagonal 0). Read from the shop's models folder when current,
    else worked out (seconds on a large shop; ``cancel`` is honoured) and saved there when the shop can be
    written. Safe to call from any thread; two callers at once each write a complete folder."""
    db_path = Path(db_path)
    folder = baskets_folder(db_path)
    db = store.connect(db_path, readonly=True)
    try:
        version = store.data_version(db)
        saved = _load_saved(folder, version, items)
        if saved is not None:
            return saved
        started = time.monotonic()
        matrix, baskets = fit_basket_matrix(db, items, cancel=cancel, progress=progress)
    finally:
        db.close()
    sizes = np.diff(baskets.X.indptr)
    counted = (sizes >= 1) & (sizes <= MAX_BASKET)
    config = BasketConfig(
        data_version=version, items=len(items), items_hash=vocabulary_hash(items), orders=int(counted.sum()),
        orders_without_customer=int((counted & baskets.anonymous).sum()), pairs=int(matrix.nnz),
        min_support=MIN_SUPPORT, shrink=SHRINK, max_basket=MAX_BASKET,
        seconds=round(time.monotonic() - started, 2),
    )
    log.info("baskets: %s", config)
    if store.writable(db_path):
        if cancel is not None:
            cancel.raise_if_cancelled()  # a cancelled job saves nothing
        with artifacts.atomic_folder(folder) as tmp:
            artifacts.write_json(tmp / "config.json", asdict(config))
            artifacts.save_sparse(tmp / "scores.npz", matrix)
    return matrix


def basket_config(db_path: Path) -> BasketConfig | None:
    """What the saved matrix was worked out from, or None when there is none."""
    try:
        return BasketConfig(**artifacts.read_config(baskets_folder(db_path) / "config.json"))
    except artifacts.LOAD_ERRORS:
        return None
