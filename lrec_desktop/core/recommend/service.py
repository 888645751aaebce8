"""Ranked recommendations for one customer, many customers, or one product (the Recommender API)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.artifacts import DamagedArtifact
from lrec_desktop.core.blas_threads import one_blas_thread
from lrec_desktop.core.cf.data import load_purchases, positive_rating_threshold, recency_weights
from lrec_desktop.core.cf.sparse_topk import top_n
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.rank import job as learned
from lrec_desktop.core.rank.context import EASE_TEXT
from lrec_desktop.core.rank.features import batch_of
from lrec_desktop.core.rank.levels import slot_share
from lrec_desktop.core.rank.serve import Ranked, rank
from lrec_desktop.core.recommend.blend import BlendConfig, blend, gate, scale_rows
from lrec_desktop.core.recommend.catalog import CatalogInfo
from lrec_desktop.core.recommend.discovery import DEFAULT_DISCOVERY, rerank
from lrec_desktop.core.recommend.model import (
    CFModel,
    cf_folder,
    fit_model,
    fit_weights,
    is_prepared,
    prepare,
    prepared_version,
)
from lrec_desktop.core.recommend.rules import CompiledRules, Rules
from lrec_desktop.core.recommend.text_side import TextSide, load_text_side
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.schema import PURCHASE, RATING
from lrec_desktop.core.store.settings import DISCOVERY
from lrec_desktop.core.text.vector_store import GEM_TEXT_WEIGHT

__all__ = ["Recommendation", "Recommender", "is_prepared", "prepare"]

log = logging.getLogger(__name__)

POPULAR_REASON = "Popular with your customers"
TRENDING_REASON = "Selling well lately"
CUSTOMER_INDEPENDENT_SOURCES = ("trending", "popular")
TEXT_SOURCES = ("text_profile", "text_neighbours", "new_arrivals")
PART_TEXT_SOURCES = (EASE_TEXT,)
PINNED_REASON = "Chosen by you for everyone"


@dataclass(frozen=True)
class Recommendation:
    item_id: str
    title: str
    score: float
    reason: str
    badges: tuple[str, ...]


def blend_config(text_model: dict | None) -> BlendConfig:
    """The blend for a text model: the defaults, with the discovery slots' text weight its version chose."""
    weight = (text_model or {}).get(GEM_TEXT_WEIGHT)
    return BlendConfig() if weight is None else BlendConfig(gem_text_weight=float(weight))


def _current_model(db_path: Path, version: int, progress: ProgressFn, cancel: CancelToken | None) -> CFModel:
    """The saved model when it is of this data version and readable; else prepared again (with a log line
    when it was there but damaged), or, on a shop that can't be written, fitted in memory."""
    folder = cf_folder(db_path)
    if prepared_version(db_path) == version:
        try:
            return CFModel.load(folder)
        except DamagedArtifact as exc:
            log.warning("%s; preparing them again now", exc)
    if not store.writable(db_path):
        log.info("%s can't be changed: recommendations are worked out in memory, not saved", db_path)
        return fit_model(db_path, progress=progress, cancel=cancel)
    prepare(db_path, progress=progress, cancel=cancel)
    return CFModel.load(folder)


def _current_ranking(db_path: Path, db: store.sqlite_utils.Database, model: CFModel, catalog: CatalogInfo,
                     text: TextSide | None, text_model: dict | None, progress: ProgressFn,
                     cancel: CancelToken | None) -> learned.RankingSide | None:
    """The shop's learned ranking when it is current for this data and text model; else trained again (kept in
    memory only on a shop that can't be written). None while the shop's history is too small to learn from."""
    version = model.config.data_version
    fingerprint = learned.text_key(text_model, text)
    current, side = learned.load_current(db_path, model.weights, model.neighbours, catalog, text, version,
                                         fingerprint)
    if current:
        return side
    purchases = load_purchases(db, items=model.items)
    lam = model.config.ease_lambda
    fresh = learned.prepare_ranking(db_path, model, purchases, lambda train: fit_weights(train, lam, cancel)[1],
                                    progress=progress, cancel=cancel)
    if store.writable(db_path):
        fresh.save(db_path)
    return fresh.side


class Recommender:
    """Loaded once per data version; lookups are read-only and safe from any thread.

    With a learned ranking (core/rank/) lists come from it; a shop whose history is too small to learn from
    keeps the blend of co-purchases and text below, with discovery slots."""

    def __init__(self, db_path: Path, model: CFModel, catalog: CatalogInfo, text: TextSide | None = None,
                 config: BlendConfig | None = None, rules: Rules | None = None,
                 discovery: float = DEFAULT_DISCOVERY, ranking: learned.RankingSide | None = None) -> None:
        self.db_path = Path(db_path)
        self.ranking = ranking
        self.model = model
        self.catalog = catalog
        self.text = text
        self.config = config or BlendConfig()
        self.discovery = discovery
        self.set_rules(rules or Rules())
        self._popular_scores = model.popularity / max(float(model.popularity.max(initial=0.0)), 1.0)
        self._local = threading.local()
        self._threshold: float | None = None
        self.text_problem: DamagedArtifact | None = None  # why ``text`` is None though a text model is set

    @classmethod
    def load(
        cls, db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
    ) -> Recommender:
        """Open the prepared model, preparing it first when the shop's data changed since or its saved files
        can't be read. A shop that can't be written gets its model worked out in memory, not saved."""
        db_path = Path(db_path)
        db = store.connect(db_path)
        try:
            model = _current_model(db_path, store.data_version(db), progress, cancel)
            catalog = CatalogInfo.load(db, model.items, model.popularity)
            text, text_model, text_problem = load_text_side(db, db_path, model.items)
            side = _current_ranking(db_path, db, model, catalog, text, text_model, progress, cancel)
            rules = Rules.load(db)
            discovery = DISCOVERY.read(db)
        finally:
            db.close()
        rec = cls(db_path, model, catalog, text, blend_config(text_model), rules=rules, discovery=discovery,
                  ranking=side)
        rec.text_problem = text_problem
        return rec

    @property
    def learned_from(self) -> int | None:
        """Customers whose later purchases the shop's learned ranking was trained on; None with the blend."""
        if self.ranking is None:
            return None
        config = self.ranking.ranker.config
        return config.training_customers + config.validation_customers

    def set_rules(self, rules: Rules) -> None:
        self.rules = rules
        c = self.catalog
        self._rules = CompiledRules.compile(rules, self.model.items, c.categories, c.prices, c.in_stock)

    @property
    def half_life(self) -> float:
        """The shop's recency half-life, chosen when the model was prepared."""
        return self.model.config.recency_half_life

    def item_title(self, j: int) -> str:
        return self.catalog.titles[j]

    # ------------------------------------------------------------------ one customer
    def _db(self) -> store.sqlite_utils.Database:
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = self._local.db = store.connect(self.db_path, readonly=True)
        return conn

    def _rating_threshold(self, db: store.sqlite_utils.Database) -> float:
        """The rating that counts as liking, read once: it scans every order line (0.4 s at 5M lines), and a
        Recommender lives for one data version, so it cannot change under it."""
        if self._threshold is None:
            self._threshold = positive_rating_threshold(db) or 0.0
        return self._threshold

    def history(self, customer_id: str) -> tuple[sp.csr_matrix, np.ndarray]:
        """(a 1 × products row of liked products weighted by recency, every product the customer touched)."""
        x, seen, _ = self._history(customer_id)
        return x, seen

    def _history(self, customer_id: str) -> tuple[sp.csr_matrix, np.ndarray, float]:
        """``history`` and the time of the latest liked purchase (0 when none), as the batch path's
        PurchaseMatrix.last_times gives it."""
        db = self._db()
        rows = db.execute(
            "SELECT item_id, event, rating, coalesce(ts, 0) FROM interactions WHERE customer_id = ?", [customer_id]
        ).fetchall()
        n_items = len(self.model.items)
        if not rows:
            return sp.csr_matrix((1, n_items), dtype=np.float32), np.zeros(0, dtype=np.int64), 0.0
        threshold = self._rating_threshold(db)
        idx = self.model.items.indices([r[0] for r in rows])
        liked = np.array(
            [r[1] == PURCHASE or (r[1] == RATING and (r[2] or 0) >= threshold) for r in rows], dtype=bool
        ) & (idx >= 0)
        # Latest time per liked product, then the same recency weights as the batch path.
        latest: dict[int, float] = {}
        for j, ts in zip(idx[liked], np.asarray([r[3] for r in rows], dtype=np.float64)[liked], strict=True):
            latest[int(j)] = max(latest.get(int(j), -np.inf), ts)
        cols = np.fromiter(latest.keys(), dtype=np.int64, count=len(latest))
        weights = recency_weights(np.fromiter(latest.values(), dtype=np.float64, count=len(latest)), self.half_life)
        x = sp.csr_matrix((weights, (np.zeros(len(cols), dtype=np.int64), cols)), shape=(1, n_items))
        x.sort_indices()
        return x, np.unique(idx[idx >= 0]), max(latest.values(), default=0.0)

    def recommend(self, customer_id: str, n: int = 10, discovery: float | None = None) -> list[Recommendation]:
        x, seen, last = self._history(customer_id)
        return next(self._rank_rows(x, [seen], n, discovery, np.array([last])))

    # ------------------------------------------------------------------ many customers
    def recommend_many(
        self, liked: sp.csr_matrix, seen: Sequence[np.ndarray], n: int, batch: int | None = None,
        discovery: float | None = None, last_ts: np.ndarray | None = None,
    ) -> Iterator[list[Recommendation]]:
        """Rank for each row of ``liked`` (customers × products, recency-weighted), excluding ``seen`` products.
        ``last_ts``: each customer's latest purchase time (the learned ranking weighs how long ago that was)."""
        n_items = len(self.model.items)
        batch = batch or max(16, min(2048, (8_000_000 if self.ranking else 25_000_000) // max(n_items, 1)))
        last_ts = np.zeros(liked.shape[0]) if last_ts is None else np.asarray(last_ts, dtype=np.float64)
        for start in range(0, liked.shape[0], batch):
            yield from self._rank_rows(liked[start : start + batch], seen[start : start + batch], n, discovery,
                                       last_ts[start : start + batch])

    def score_rows(self, X: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(blended scores, share from text) for each row of recency-weighted purchases."""
        cf = np.asarray((X @ self.model.weights).todense(), dtype=np.float32)
        text = None
        if self.text is not None and self.config.text_weight > 0:
            text = self.text.similarity(self.text.profiles(X))
        return blend(cf, text, self.model.popularity, self.config)

    def gem_rows(self, X: sp.csr_matrix, blended: np.ndarray) -> np.ndarray:
        """Scores for the discovery slots: item-kNN (which favours rarely sold products over EASE) plus the
        blend, so a hidden gem is both close to what the customer bought and likely for them; plus products
        described like what the customer bought (text neighbours, weighted per text model)."""
        neighbours = self.model.neighbours
        gems = (np.maximum(blended, 0) if neighbours is None else
                scale_rows(np.asarray((X @ neighbours).todense(), dtype=np.float32)) + np.maximum(blended, 0))
        weight = self.config.gem_text_weight
        if self.text is not None and weight > 0:
            gems = gems + weight * scale_rows(np.asarray((X @ self.text.neighbours()).todense(), dtype=np.float32))
        return gems

    def _rank_rows(self, X: sp.csr_matrix, seen: Sequence[np.ndarray], n: int,
                   discovery: float | None = None, last_ts: np.ndarray | None = None) -> Iterator[list[Recommendation]]:
        discovery = self.discovery if discovery is None else discovery
        if self.ranking is not None:
            yield from self._learned_rows(X, seen, n, discovery, last_ts)
            return
        scores, share = self.score_rows(X)
        gems = self.gem_rows(X, scores) * self._rules.multiplier[None, :] if discovery > 0 else None
        scores *= self._rules.multiplier[None, :]
        blocked = ~self._rules.allowed
        long_tail = ~self.catalog.is_head
        for row in range(X.shape[0]):
            s = scores[row]
            s[s <= 0] = -np.inf
            s[blocked] = -np.inf
            s[seen[row]] = -np.inf
            pinned = [int(j) for j in self._rules.pinned if not np.isin(j, seen[row])][:n]
            s[pinned] = -np.inf
            picks = pinned + rerank(s, n - len(pinned), discovery, long_tail, None if gems is None else gems[row])
            a, b = X.indptr[row], X.indptr[row + 1]
            liked, weights = X.indices[a:b], X.data[a:b]
            ranked = [j for j in picks if j not in pinned]
            together = self._bought_with(liked, weights, ranked)
            by_text = self._text_sources([j for j in ranked if float(share[row, j]) > 0.5 or together[j] < 0], liked)
            recs = [self._explain(j, float(scores[row, j]), by_text.get(j), liked, together[j])
                    if j not in pinned else self._pinned(j) for j in picks]
            if len(recs) < n:
                taken = np.concatenate([seen[row], np.asarray(picks, dtype=np.int64)])
                recs += self._popular(n - len(recs), exclude=taken)
            yield recs

    def _learned_rows(self, X: sp.csr_matrix, seen: Sequence[np.ndarray], n: int, discovery: float,
                      last_ts: np.ndarray | None) -> Iterator[list[Recommendation]]:
        """Lists from the shop's learned ranking: pinned products first, then its best candidates, with the
        owner's boosts added on the ranker's scale (a boost of 2 moves a product up by log 2 spreads)."""
        assert self.ranking is not None
        side = self.ranking
        binary = X.copy()
        binary.data[:] = 1.0
        batch = batch_of(binary, X, side.context.info.vectors)
        not_allowed = np.flatnonzero(~self._rules.allowed)
        pinned_all = [int(j) for j in self._rules.pinned]
        blocked = [np.union1d(np.union1d(s, not_allowed), pinned_all).astype(np.int64) for s in seen]
        last = np.zeros(X.shape[0]) if last_ts is None else last_ts
        boost = np.log(np.maximum(self._rules.multiplier, 1e-6))
        discovery = side.ranker.position(discovery)  # what the owner's slider means on this shop
        slots = slot_share(discovery)
        long_tail = ~self.catalog.is_head
        ranked_rows = rank(side.context, side.ranker, batch, last, blocked, discovery)
        # The reasons are many small vector products per list: BLAS threads woken for each cost far more than
        # they save (closest_sources, 160 x 10 products: 24 ms with two threads on a loaded 2-core machine,
        # 0.3 ms with one), so the batch's lists are explained with one thread, then handed out.
        with one_blas_thread():
            lists = list(self._explained(side, X, seen, n, ranked_rows, boost, slots, long_tail, pinned_all))
        yield from lists

    def _explained(self, side: learned.RankingSide, X: sp.csr_matrix, seen: Sequence[np.ndarray], n: int,
                   ranked_rows: list[Ranked], boost: np.ndarray, slots: float, long_tail: np.ndarray,
                   pinned_all: list[int]) -> Iterator[list[Recommendation]]:
        for row, ranked in enumerate(ranked_rows):
            pinned = [j for j in pinned_all if not np.isin(j, seen[row])][:n]
            scores = ranked.scores + boost[ranked.items]
            if ranked.gem_scores is None:
                order = np.argsort(-scores, kind="stable")[: n - len(pinned)]
            else:  # slots past the levels' span; gem scores shifted above 0, as rerank takes only positive gems
                gems = ranked.gem_scores + boost[ranked.items]
                gems = gems - gems.min(initial=0.0) + 1.0
                order = np.asarray(rerank(scores, n - len(pinned), slots, long_tail[ranked.items], gems),
                                   dtype=np.int64)
            a, b = X.indptr[row], X.indptr[row + 1]
            liked, weights = X.indices[a:b], X.data[a:b]
            picks = [int(j) for j in ranked.items[order]]
            together = self._bought_with(liked, weights, picks)
            recs = [self._pinned(j) for j in pinned]
            # The reason follows the source with the strongest evidence for the product; EASE with the descriptions
            # speaks of what sold together where it did, of what is described alike where nothing did.
            strongest = [side.context.source_names[int(np.argmax(ranked.evidence[k]))] for k in order]
            by_text = self._text_sources([j for j, s in zip(picks, strongest, strict=True)
                                          if s in TEXT_SOURCES or (s in PART_TEXT_SOURCES and together[j] < 0)], liked)
            for k, j, source in zip(order, picks, strongest, strict=True):
                shared = source in CUSTOMER_INDEPENDENT_SOURCES
                recs.append(self._explain(j, float(scores[k]), by_text.get(j), liked, -1 if shared else together[j],
                                          TRENDING_REASON if source == "trending" else POPULAR_REASON))
            if len(recs) < n:
                taken = np.concatenate([seen[row], np.asarray([*pinned, *picks], dtype=np.int64)])
                recs += self._popular(n - len(recs), exclude=taken)
            yield recs

    def _pinned(self, j: int) -> Recommendation:
        return Recommendation(self.model.items.ids[j], self.catalog.titles[j], 1.0, PINNED_REASON,
                              self.catalog.badges(j))

    def _bought_with(self, liked: np.ndarray, weights: np.ndarray, picks: list[int]) -> dict[int, int]:
        """For each pick, the liked product that adds most to its co-purchase score (-1 when none adds to it).
        One gather of the liked products' weight rows per customer, not one lookup per recommendation (scipy's
        per-element indexing was half of an export's time), and not scipy's row-then-column slicing either (a
        tenth of the learned lists' time)."""
        if len(liked) == 0 or not picks:
            return dict.fromkeys(picks, -1)
        block = _weight_block(self.model.weights, liked, np.asarray(picks, dtype=np.int64)) * weights[:, None]
        best = np.argmax(block, axis=0)
        # -1 where no purchase adds to it: "often bought together" would be untrue.
        return {j: int(liked[b]) if block[b, k] > 0 else -1 for k, (j, b) in enumerate(zip(picks, best, strict=True))}

    def _text_sources(self, carried: list[int], liked: np.ndarray) -> dict[int, int | None]:
        """For the products text carried, the bought product described most alike (None without text)."""
        if self.text is None or not carried:
            return {}
        return dict(zip(carried, self.text.closest_sources(np.asarray(carried), liked), strict=True))

    def _explain(self, j: int, score: float, source: int | None, liked: np.ndarray, bought_with: int,
                 otherwise: str = POPULAR_REASON) -> Recommendation:
        """One plain sentence: ``source``, the bought product described most alike (when text carried the
        product), else the bought product it goes with most (``bought_with``, -1 for none), else ``otherwise``."""
        titles = self.catalog.titles
        if source is not None:
            new = self.model.popularity[j] <= 0
            reason = (f"New product, similar to “{titles[source]}” they bought" if new
                      else f"Similar to “{titles[source]}” they bought")
        elif bought_with >= 0:
            reason = f"Often bought together with “{titles[bought_with]}”"
        else:
            reason = otherwise
        return Recommendation(self.model.items.ids[j], titles[j], score, reason, self.catalog.badges(j))

    def _popular(self, n: int, exclude: np.ndarray) -> list[Recommendation]:
        s = self._popular_scores.astype(np.float32, copy=True)
        s[s <= 0] = -np.inf
        s[~self._rules.allowed] = -np.inf
        s[exclude.astype(np.int64)] = -np.inf
        return [
            Recommendation(self.model.items.ids[j], self.catalog.titles[j], float(s[j]), POPULAR_REASON,
                           self.catalog.badges(j))
            for j in top_n(s, n)
        ]

    # ------------------------------------------------------------------ one product
    def similar(self, item_id: str, n: int = 10) -> list[Recommendation]:
        """Products bought together with ``item_id`` or described alike; bestsellers when neither is known."""
        j = self.model.items.index(item_id)
        if j is None:
            return []
        x = sp.csr_matrix(([1.0], ([0], [j])), shape=(1, len(self.model.items)), dtype=np.float32)
        scores, share = self.score_rows(x)
        s = scores[0]
        s[s <= 0] = -np.inf
        s[~self._rules.allowed] = -np.inf
        s[j] = -np.inf
        title = self.catalog.titles[j]
        recs = [
            Recommendation(self.model.items.ids[k], self.catalog.titles[k], float(s[k]),
                           f"Described like “{title}”" if share[0, k] > 0.5
                           else f"Customers who bought “{title}” also bought this", self.catalog.badges(k))
            for k in top_n(s, n)
        ]
        if len(recs) < n:
            recs += self._same_category_bestsellers(j, n - len(recs), recs)
        if len(recs) < n:
            taken = np.array([j, *(self.model.items.index(r.item_id) for r in recs)], dtype=np.int64)
            recs += self._popular(n - len(recs), exclude=taken)
        return recs

    def _same_category_bestsellers(self, j: int, n: int, already: list[Recommendation]) -> list[Recommendation]:
        same = self.catalog.categories == self.catalog.categories[j]
        p = np.where(same & self._rules.allowed, self._popular_scores, -np.inf).astype(np.float32)
        p[p <= 0] = -np.inf
        p[np.array([j, *(self.model.items.index(r.item_id) for r in already)], dtype=np.int64)] = -np.inf
        category = self.catalog.categories[j] or "the shop"
        return [
            Recommendation(self.model.items.ids[k], self.catalog.titles[k], float(p[k]),
                           f"A bestseller in {category}", self.catalog.badges(k))
            for k in top_n(p, n)
        ]

    # ------------------------------------------------------------------ free text and audiences
    def search(self, query: str, n: int = 10) -> list[Recommendation]:
        """Products whose descriptions match free text ("gift for a gardener"), in stock first."""
        if self.text is None or not query.strip():
            return []
        q = self.text.encode_query(query.strip())
        rows, sims = self.text.index.search(q[None, :], n * 3)[0]
        ids = [self.text.index.items.ids[r] for r in rows]
        out = []
        for item_id, sim in zip(ids, sims, strict=True):
            j = self.model.items.index(item_id)
            if j is None:
                continue
            out.append((not self.catalog.in_stock[j], -float(sim), j))
        out.sort()
        return [
            Recommendation(self.model.items.ids[j], self.catalog.titles[j], -neg, f"Matches “{query.strip()}”",
                           self.catalog.badges(j) + (() if not sold_out else ("out of stock",)))
            for sold_out, neg, j in out[:n]
        ]

    def audience_scores(self, j: int, liked: sp.csr_matrix) -> np.ndarray:
        """How much each customer (row of ``liked``) would want product ``j``, on the blend's scale."""
        cf = np.asarray(liked @ self.model.weights[:, [j]].toarray()).ravel()
        top = cf.max(initial=0.0)
        score = np.maximum(cf, 0) / top if top > 0 else np.zeros(liked.shape[0], dtype=np.float32)
        if self.text is not None and self.text.present[j] and self.config.text_weight > 0:
            sims = self.text.profiles(liked) @ self.text.vectors[j]
            has = np.asarray(liked.sum(axis=1)).ravel() > 0
            if has.any():
                median, best = np.median(sims[has]), sims[has].max()
                scaled = np.clip((sims - median) / max(best - median, 1e-6), 0, 1) * has
                g = gate(self.model.popularity[[j]], self.config.gate_buyers)[0]
                score = score + self.config.text_weight * g * scaled
        return score.astype(np.float32)


def _weight_block(W: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``W[rows][:, cols]`` as a dense array (``cols`` distinct), gathered straight from the CSR arrays."""
    starts = W.indptr[rows].astype(np.int64)
    lengths = W.indptr[rows + 1].astype(np.int64) - starts
    block = np.zeros((len(rows), len(cols)), dtype=np.float32)
    total = int(lengths.sum())
    if total == 0 or len(cols) == 0:
        return block
    owner = np.repeat(np.arange(len(rows)), lengths)
    flat = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    order = np.argsort(cols, kind="stable")
    ascending = cols[order]
    found = W.indices[flat]
    at = np.minimum(np.searchsorted(ascending, found), len(cols) - 1)
    hit = ascending[at] == found
    block[owner[hit], order[at[hit]]] = W.data[flat[hit]]
    return block
