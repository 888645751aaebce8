"""Everything ranking needs about one shop at one moment: candidate sources and product signals.

Built twice from the same code: on the inner hold-out's earlier purchases to train the ranker, and on the
whole history to recommend, so the features mean the same in both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.rank.signals import ProductSignals
from lrec_desktop.core.rank.sources.base import Source
from lrec_desktop.core.rank.sources.co_purchase import ItemItem
from lrec_desktop.core.rank.sources.popular import Fixed
from lrec_desktop.core.rank.sources.text import NewArrivals, TextProfile

EASE_TEXT = "ease_text"  # EASE with the descriptions (core/cf/ease_text.py): saved with the ranker when used
# Candidates taken from each source per customer (a few hundred in all, fewer after overlaps).
TAKE = {"co_purchase": 100, EASE_TEXT: 100, "item_knn": 50, "rp3beta": 100, "same_basket": 50, "text_neighbours": 40,
        "text_profile": 40, "new_arrivals": 30, "trending": 20, "popular": 20}


@dataclass
class ItemInfo:
    """Products' text and catalog facts, in the recommendation model's order."""

    vectors: np.ndarray | None  # unit-length description vectors (None without a text model)
    present: np.ndarray | None
    text_neighbours: sp.csr_matrix | None
    category: np.ndarray  # int code per product, -1 when none
    price: np.ndarray  # NaN when unknown


@dataclass
class ShopContext:
    sources: list[Source]
    signals: ProductSignals
    info: ItemInfo
    rp3: sp.csr_matrix  # the random walk's weights: fitted here, saved with the ranker (the other weights are not)
    baskets: sp.csr_matrix | None = None  # same-basket associations, when the shop's ranker uses them (saved too)
    text_cf: sp.csr_matrix | None = None  # the EASE_TEXT source's weights, when the ranker uses it (saved too)

    @classmethod
    def assemble(cls, signals: ProductSignals, info: ItemInfo, co_purchase: sp.csr_matrix,
                 knn: sp.csr_matrix | None, rp3: sp.csr_matrix,
                 baskets: sp.csr_matrix | None = None, text_cf: sp.csr_matrix | None = None) -> ShopContext:
        sources: list[Source] = [ItemItem("co_purchase", co_purchase, TAKE["co_purchase"])]
        if text_cf is not None:
            sources.append(ItemItem(EASE_TEXT, text_cf, TAKE[EASE_TEXT], binary=True))
        if knn is not None:
            sources.append(ItemItem("item_knn", knn, TAKE["item_knn"]))
        sources.append(ItemItem("rp3beta", rp3, TAKE["rp3beta"], binary=True))
        if baskets is not None:  # from what the customer bought, each purchase counted once
            sources.append(ItemItem("same_basket", baskets, TAKE["same_basket"], binary=True))
        if info.vectors is not None and info.present is not None:
            profile = TextProfile(info.vectors, info.present, TAKE["text_profile"])
            sources.append(profile)
            sources.append(NewArrivals(profile, signals.is_new, TAKE["new_arrivals"]))
            if info.text_neighbours is not None:
                sources.append(ItemItem("text_neighbours", info.text_neighbours, TAKE["text_neighbours"]))
        sources.append(Fixed("trending", signals.recent * signals.trend, TAKE["trending"]))
        sources.append(Fixed("popular", signals.buyers, TAKE["popular"]))
        return cls(sources, signals, info, rp3, baskets, text_cf)

    @property
    def source_names(self) -> list[str]:
        return [s.name for s in self.sources]


def item_info(categories: np.ndarray, prices: np.ndarray, text: object | None) -> ItemInfo:
    """ItemInfo from the catalog's categories and prices and a TextSide (core/recommend/text_side.py)."""
    _, codes = np.unique(np.asarray(categories, dtype=str), return_inverse=True)
    codes = np.where(np.asarray(categories, dtype=str) == "", -1, codes)
    if text is None:
        return ItemInfo(None, None, None, codes, np.asarray(prices, dtype=np.float64))
    return ItemInfo(text.vectors, text.present, text.neighbours(), codes,  # type: ignore[attr-defined]
                    np.asarray(prices, dtype=np.float64))
