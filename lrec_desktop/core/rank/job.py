"""The ranker's part of preparing recommendations: train it on the shop's own hold-out, build what it needs
from the whole history, save it beside the shop; or load it when it is current."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core import artifacts
from lrec_desktop.core.cf.data import PurchaseMatrix
from lrec_desktop.core.cf.ease import DEFAULT_LAMBDA
from lrec_desktop.core.cf.ease_text import TextCF, fit_ease_text, usable_vectors
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.rank import saved
from lrec_desktop.core.rank.context import EASE_TEXT, ItemInfo, ShopContext, item_info
from lrec_desktop.core.rank.model import Ranker
from lrec_desktop.core.rank.sources.baskets import OrderLines, basket_weights, order_lines
from lrec_desktop.core.rank.train import context_for, train_ranker
from lrec_desktop.core.recommend.catalog import CatalogInfo
from lrec_desktop.core.recommend.tune import InnerFit, inner_fit
from lrec_desktop.core.vocab import Vocabulary

log = logging.getLogger(__name__)

SAME_BASKET = "same_basket"
FitFn = Callable[[PurchaseMatrix], sp.csr_matrix]


@dataclass
class RankingSide:
    """A trained ranker with the sources and signals of the history it ranks for."""

    ranker: Ranker
    context: ShopContext


def fit_side(purchases: PurchaseMatrix, weights: sp.csr_matrix, knn: sp.csr_matrix | None, half_life: float,
             catalog: CatalogInfo, text: object | None, inner: InnerFit | None, fit: FitFn, *,
             lines: OrderLines | None = None, data_version: int = 0, text_fingerprint: str = "",
             text_cf: TextCF | None = None, lam: float = DEFAULT_LAMBDA,
             progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> RankingSide | None:
    """The ranking side for ``purchases``, or None when the history is too small to learn from. ``lines``: the
    order lines of ``purchases`` (none held out of it), when the shop has order ids. ``text_cf`` (and the
    inner fit's): text-aware EASE weights fitted with the co-purchase weights, used when they were computed
    with ``text_fingerprint``'s vectors; fitted here otherwise."""
    cancel = cancel or CancelToken()
    try:
        import lightgbm  # noqa: F401
    except OSError as exc:  # its wheel needs the system's OpenMP runtime (libgomp1 on Debian/Ubuntu)
        log.warning("the learned ranking can't run on this machine (%s): install libgomp1; using the blend", exc)
        return None
    info = item_info(catalog.categories, catalog.prices, text)
    inner = inner or inner_fit(purchases, fit)
    inner_text = _text_weights(inner.text_cf, inner.split.train, info, text_fingerprint, lam, cancel)
    ranker = train_ranker(purchases, inner.split, inner.weights, info, half_life, data_version=data_version,
                          text_fingerprint=text_fingerprint, with_knn=knn is not None, lines=lines,
                          text_cf=inner_text, progress=progress, cancel=cancel)
    if ranker is None:
        return None
    cancel.raise_if_cancelled()
    uses_baskets = lines is not None and SAME_BASKET in ranker.config.source_names
    baskets = basket_weights(lines, weights.shape[0]) if uses_baskets and lines is not None else None
    full_text = (_text_weights(text_cf, purchases, info, text_fingerprint, lam, cancel)
                 if EASE_TEXT in ranker.config.source_names else None)
    return RankingSide(ranker, context_for(purchases, weights, knn, info, baskets, full_text))


def _text_weights(given: TextCF | None, purchases: PurchaseMatrix, info: ItemInfo, fingerprint: str, lam: float,
                  cancel: CancelToken) -> sp.csr_matrix | None:
    """The text-aware EASE weights of ``purchases``: ``given`` when fitted with these vectors, else fitted now
    (an inverse of its own: the text model changed since the co-purchase fit); None without text vectors."""
    if info.vectors is None or info.present is None:
        return None
    if given is not None and given.fingerprint == fingerprint:
        return given.weights
    return fit_ease_text(purchases.X, usable_vectors(info.vectors, info.present), lam=lam,
                         check=cancel.raise_if_cancelled)


def train_and_save(db_path: Path, side: RankingSide | None, data_version: int, text_fingerprint: str) -> None:
    with artifacts.atomic_folder(saved.rank_folder(db_path)) as tmp:
        if side is None:
            saved.save(tmp, None, None, None, data_version, text_fingerprint, "too few customers with later purchases")
        else:
            saved.save(tmp, side.ranker, side.context.rp3, side.context.signals, data_version, text_fingerprint,
                       baskets=side.context.baskets, text_cf=side.context.text_cf)


def load_current(db_path: Path, weights: sp.csr_matrix, knn: sp.csr_matrix | None, catalog: CatalogInfo,
                 text: object | None, data_version: int, text_fingerprint: str) -> tuple[bool, RankingSide | None]:
    """(is the saved folder current, the ranking side it holds or None when the shop keeps the blend)."""
    folder = saved.rank_folder(db_path)
    if saved.key(folder) != (data_version, text_fingerprint):
        return False, None
    loaded = saved.load(folder)
    if loaded is None:
        return (folder / saved.NO_RANKER).exists(), None
    ranker, rp3, signals, baskets, text_cf = loaded
    if (rp3.shape != weights.shape or len(signals.buyers) != weights.shape[0]
            or (SAME_BASKET in ranker.config.source_names) != (baskets is not None)
            or (EASE_TEXT in ranker.config.source_names) != (text_cf is not None)):
        log.warning("ranker folder %s does not fit the prepared model; training it again", folder)
        return False, None
    info = item_info(catalog.categories, catalog.prices, text)
    return True, RankingSide(ranker, ShopContext.assemble(signals, info, weights, knn, rp3, baskets, text_cf))


def text_key(text_model: dict | None, text: object | None) -> str:
    """What the ranker's text features were computed with ("" without usable text vectors)."""
    return str((text_model or {}).get("fingerprint", "")) if text is not None else ""


class FittedModel(Protocol):
    """What the ranking needs of a fitted co-purchase model (core/recommend/model.CFModel)."""

    items: Vocabulary
    popularity: np.ndarray
    weights: sp.csr_matrix
    neighbours: sp.csr_matrix | None
    inner: InnerFit | None
    text_cf: TextCF | None

    @property
    def config(self) -> Any: ...


@dataclass
class PreparedRanking:
    """A freshly trained ranking (or the decision to keep the blend), ready to be saved beside the shop."""

    side: RankingSide | None
    data_version: int
    text_fingerprint: str

    def save(self, db_path: Path) -> None:
        train_and_save(db_path, self.side, self.data_version, self.text_fingerprint)


def prepare_ranking(db_path: Path, model: FittedModel, purchases: PurchaseMatrix, fit: FitFn, *,
                    progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> PreparedRanking:
    """Train the shop's ranker for a fitted model, with the shop's catalog and active text model."""
    from lrec_desktop.core.recommend.text_side import load_text_side
    from lrec_desktop.core.store import db as store

    cancel = cancel or CancelToken()
    db = store.connect(db_path, readonly=True)
    try:
        catalog = CatalogInfo.load(db, model.items, model.popularity)
        text, text_model, _ = load_text_side(db, db_path, model.items)
        lines = order_lines(db, model.items, purchases.customers)
    finally:
        db.close()
    version = model.config.data_version
    fingerprint = text_key(text_model, text)
    side = fit_side(purchases, model.weights, model.neighbours, model.config.recency_half_life, catalog, text,
                    model.inner, fit, lines=lines, data_version=version, text_fingerprint=fingerprint,
                    text_cf=model.text_cf, lam=model.config.ease_lambda, progress=progress, cancel=cancel)
    cancel.raise_if_cancelled()
    return PreparedRanking(side, version, fingerprint)
