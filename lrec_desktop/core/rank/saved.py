"""The ranker's folder beside the shop (models/ranker): the boosters, the random-walk weights and the product
signals of the whole history, written atomically; current while the data and the text model are unchanged."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core import artifacts
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.rank.model import Ranker
from lrec_desktop.core.rank.signals import ProductSignals

log = logging.getLogger(__name__)

RANK_FOLDER = "ranker"
NO_RANKER = "none.json"
BASKETS = "baskets.npz"
TEXT_CF = "ease_text.npz"


def rank_folder(db_path: Path) -> Path:
    return models_dir(db_path) / RANK_FOLDER


def save(folder: Path, ranker: Ranker | None, rp3: sp.csr_matrix | None, signals: ProductSignals | None,
         data_version: int, text_fingerprint: str, reason: str = "", baskets: sp.csr_matrix | None = None,
         text_cf: sp.csr_matrix | None = None) -> None:
    if ranker is None or rp3 is None or signals is None:
        artifacts.write_json(folder / NO_RANKER, {"data_version": data_version, "text_fingerprint": text_fingerprint,
                                                  "reason": reason})
        return
    ranker.save(folder)
    artifacts.save_sparse(folder / "rp3beta.npz", rp3)
    if baskets is not None:  # the same-basket source the ranker was trained with, over every order
        artifacts.save_sparse(folder / BASKETS, baskets)
    if text_cf is not None:
        artifacts.save_sparse(folder / TEXT_CF, text_cf)
    np.savez(folder / "signals.npz", buyers=signals.buyers, recent=signals.recent, last_month=signals.last_month,
             first_sale=signals.first_sale, now=np.asarray(signals.now), is_head=signals.is_head)


def key(folder: Path) -> tuple[int, str] | None:
    """(data version, text fingerprint) the folder was built for, or None when there is no readable folder."""
    for name in ("ranker.json", NO_RANKER):
        try:
            data = artifacts.read_json(folder / name)
            return int(data["data_version"]), str(data["text_fingerprint"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def load(folder: Path) -> tuple[Ranker, sp.csr_matrix, ProductSignals, sp.csr_matrix | None,
                                sp.csr_matrix | None] | None:
    """The saved ranker, or None when the shop keeps the blend (or the folder cannot be read: rebuilt later)."""
    if not (folder / "ranker.json").exists():
        return None
    try:
        ranker = Ranker.load(folder)
        rp3 = artifacts.load_sparse(folder / "rp3beta.npz")
        baskets = artifacts.load_sparse(folder / BASKETS) if (folder / BASKETS).exists() else None
        text_cf = artifacts.load_sparse(folder / TEXT_CF) if (folder / TEXT_CF).exists() else None
        with np.load(folder / "signals.npz", allow_pickle=False) as f:
            signals = ProductSignals(f["buyers"], f["recent"], f["last_month"], f["first_sale"], float(f["now"]),
                                     f["is_head"])
    except Exception as exc:  # a damaged folder is stale, not fatal: the blend serves until it is rebuilt
        log.warning("ranker folder %s unreadable (%s); using the blend", folder, exc)
        return None
    return ranker, rp3, signals, baskets, text_cf
