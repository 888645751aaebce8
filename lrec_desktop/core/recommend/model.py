"""Preparing recommendations after the data changed: fit collaborative filtering, save it beside the shop."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core import artifacts, journal
from lrec_desktop.core.cf.data import RECENCY_HALF_LIFE, PurchaseMatrix, load_purchases
from lrec_desktop.core.cf.ease import DEFAULT_LAMBDA, MAX_ACTIVE_ITEMS, fit_ease
from lrec_desktop.core.cf.ease_text import TextCF, TextVectors, weights_from_inverse
from lrec_desktop.core.cf.knn import fit_item_knn
from lrec_desktop.core.evaluate.split import holdout_matrix
from lrec_desktop.core.faults import fault_point
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.recommend.text_side import text_vectors
from lrec_desktop.core.recommend.tune import InnerFit, tune_half_life
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import EASE_LAMBDA
from lrec_desktop.core.vocab import Vocabulary

log = logging.getLogger(__name__)

CF_FOLDER = "cf"
REBUILD_ADVICE = "run `lrec-desktop prepare` to make the recommendations again from the shop's sales"


@dataclass(frozen=True)
class CFConfig:
    algorithm: str  # "ease" | "item-knn" | "popularity"
    data_version: int
    customers: int
    items: int
    items_with_sales: int
    purchases: int
    ease_lambda: float
    seconds: float
    built_at: int
    recency_half_life: float = RECENCY_HALF_LIFE
    tuning: dict[str, float] | None = None  # recall@20 per half-life tried, on the shop's own hold-out


@dataclass
class CFModel:
    """What recommendations need at lookup time: item-item weights and popularity over one vocabulary."""

    config: CFConfig
    items: Vocabulary
    weights: sp.csr_matrix  # row = a product bought, column = a candidate product
    popularity: np.ndarray  # distinct buyers per product
    # Cosine item-kNN: it normalises away popularity, so it ranks rarely sold products better than EASE does;
    # used for the discovery slots (on hetrec-lastfm: tail recall@20 at discovery 0.2 rose 0.020 → 0.027).
    neighbours: sp.csr_matrix | None = None
    # Not saved: the inner hold-out fit of this run, kept so the learned ranker trains without fitting again.
    inner: InnerFit | None = None
    # Not saved either: EASE with the descriptions (core/cf/ease_text.py) from the same inverse as ``weights``,
    # for the learned ranker (which saves its own copy); None without text vectors or past EASE's size.
    text_cf: TextCF | None = None

    def save(self, folder: Path) -> None:
        artifacts.write_json(folder / "config.json", asdict(self.config))
        self.items.save(folder / "items.json")
        artifacts.save_sparse(folder / "weights.npz", self.weights)
        np.save(folder / "popularity.npy", self.popularity)
        if self.neighbours is not None:
            artifacts.save_sparse(folder / "neighbours.npz", self.neighbours)

    @classmethod
    def load(cls, folder: Path) -> CFModel:
        """The saved model; DamagedArtifact (naming the file) when any part can't be read or does not fit the
        others (a matrix over another number of products)."""
        advice = REBUILD_ADVICE
        with artifacts.reading(folder / "config.json", advice):
            config = CFConfig(**artifacts.read_config(folder / "config.json"))
        with artifacts.reading(folder / "items.json", advice):
            items = Vocabulary.load(folder / "items.json")
        n = len(items)
        with artifacts.reading(folder / "weights.npz", advice):
            weights = artifacts.load_sparse(folder / "weights.npz", (n, n))
        with artifacts.reading(folder / "popularity.npy", advice):
            popularity = artifacts.load_array(folder / "popularity.npy", (n,))
        neighbours = None
        if (folder / "neighbours.npz").exists():
            with artifacts.reading(folder / "neighbours.npz", advice):
                neighbours = artifacts.load_sparse(folder / "neighbours.npz", (n, n))
        return cls(config, items, weights, popularity, neighbours)


def cf_folder(db_path: Path) -> Path:
    return models_dir(db_path) / CF_FOLDER


def prepared_version(db_path: Path) -> int | None:
    """The data version the saved model was built on, or None when there is none."""
    try:
        return int(artifacts.read_config(cf_folder(db_path) / "config.json")["data_version"])
    except artifacts.LOAD_ERRORS:  # damaged or absent: not prepared
        return None


def is_prepared(db_path: Path) -> bool:
    db = store.connect(db_path)
    try:
        return prepared_version(db_path) == store.data_version(db)
    finally:
        db.close()


def fit_weights(purchases: PurchaseMatrix, lam: float = DEFAULT_LAMBDA,
                cancel: CancelToken | None = None) -> tuple[str, sp.csr_matrix]:
    """(algorithm, item-item weights): EASE up to MAX_ACTIVE_ITEMS products with sales, item-kNN beyond.
    ``cancel`` is checked between blocks of EASE's inverse (seconds each on a large catalog)."""
    algorithm, W, _ = fit_weights_and_text(purchases, lam, cancel)
    return algorithm, W


def fit_weights_and_text(purchases: PurchaseMatrix, lam: float = DEFAULT_LAMBDA, cancel: CancelToken | None = None,
                         text: TextVectors | None = None) -> tuple[str, sp.csr_matrix, TextCF | None]:
    """fit_weights, and with ``text`` the text-aware EASE weights from the same inverse (None with item-kNN)."""
    X = purchases.X
    if X.nnz == 0:
        return "popularity", sp.csr_matrix((len(purchases.items),) * 2, dtype=np.float32), None
    if int((purchases.popularity > 0).sum()) > MAX_ACTIVE_ITEMS:
        return "item-knn", fit_item_knn(X), None
    check = cancel.raise_if_cancelled if cancel is not None else None
    found: list[TextCF] = []

    def with_text(P: np.ndarray, active: np.ndarray) -> None:
        if text is not None:
            found.append(TextCF(weights_from_inverse(P, active, text.vectors, lam=lam, check=check), text.fingerprint))

    W = fit_ease(X, lam=lam, check=check, with_inverse=with_text)
    return "ease", W, found[0] if found else None


def fit_purchases(purchases: PurchaseMatrix, *, data_version: int = 0, lam: float = DEFAULT_LAMBDA,
                  tune: bool = True, cancel: CancelToken | None = None, text: TextVectors | None = None) -> CFModel:
    """Fit collaborative filtering on a purchase matrix, with the shop's recency half-life chosen first. With
    ``text``, each EASE fit also gives the text-aware weights the learned ranking uses, from its own inverse."""
    started = time.monotonic()
    half_life, tuning, inner = RECENCY_HALF_LIFE, None, None
    if tune:
        split = holdout_matrix(purchases)
        _, inner_weights, inner_text = fit_weights_and_text(split.train, lam, cancel, text)
        inner = InnerFit(split, inner_weights, inner_text)
        half_life, results = tune_half_life(purchases, lambda train: inner_weights, inner=inner)
        tuning = {str(k): round(v, 5) for k, v in results.items()} or None
    algorithm, W, text_cf = fit_weights_and_text(purchases, lam, cancel, text)
    config = CFConfig(
        algorithm=algorithm, data_version=data_version, customers=len(purchases.customers),
        items=len(purchases.items), items_with_sales=int((purchases.popularity > 0).sum()),
        purchases=int(purchases.X.nnz), ease_lambda=lam, seconds=round(time.monotonic() - started, 2),
        built_at=int(time.time()), recency_half_life=half_life, tuning=tuning,
    )
    neighbours = W if algorithm == "item-knn" else fit_item_knn(purchases.X) if purchases.X.nnz else None
    log.info("fitted %s", config)
    return CFModel(config, purchases.items, W, purchases.popularity.astype(np.float32), neighbours, inner, text_cf)


def fit_model(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> CFModel:
    """Fit collaborative filtering on the shop's current purchases."""
    return _fit_model(db_path, progress, cancel)[0]


def _fit_model(db_path: Path, progress: ProgressFn,
               cancel: CancelToken | None) -> tuple[CFModel, PurchaseMatrix, float]:
    cancel = cancel or CancelToken()
    db = store.connect(db_path)
    try:
        version = store.data_version(db)
        lam = EASE_LAMBDA.read(db)
        progress(0.05, "Reading sales")
        purchases = load_purchases(db)
        # Only EASE shares its inverse with the text-aware weights: an item-kNN shop does not need the vectors here.
        uses_ease = 0 < int((purchases.popularity > 0).sum()) <= MAX_ACTIVE_ITEMS
        text = text_vectors(db, db_path, purchases.items) if uses_ease else None
    finally:
        db.close()
    cancel.raise_if_cancelled()
    progress(0.2, "Learning which products are bought together")
    model = fit_purchases(purchases, data_version=version, lam=lam, cancel=cancel, text=text)
    cancel.raise_if_cancelled()
    return model, purchases, lam


def prepare(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> CFConfig:
    """Job: fit and save the model and the shop's learned ranking, replacing the previous ones only on success."""
    from lrec_desktop.core.rank import job as ranking  # the ranking builds on this module's fit

    cancel = cancel or CancelToken()
    with journal.journaled(db_path, journal.PREPARE, {}):
        model, purchases, lam = _fit_model(db_path, sub_progress(progress, 0.0, 0.5), cancel)
        progress(0.5, "Learning this shop's ranking")
        learned = ranking.prepare_ranking(db_path, model, purchases, lambda train: fit_weights(train, lam, cancel)[1],
                                          progress=sub_progress(progress, 0.5, 0.9), cancel=cancel)
        progress(0.9, "Saving")
        with artifacts.atomic_folder(cf_folder(db_path)) as tmp:
            model.save(tmp)
            fault_point("prepare-save")
        # After the co-purchase model: a crash in between leaves a stale ranking, which is trained again.
        learned.save(db_path)
        progress(1.0, "Recommendations are ready")
        return model.config
