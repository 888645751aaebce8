"""The learned ranking of a shop read by the real bundled text model: EASE with the descriptions as one of its
sources (its weights from the co-purchase fit's own inverse, saved with the ranker), and each level a bag of
boosters whose scores are averaged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.core.cf.data import load_purchases
from lrec_desktop.core.cf.ease_text import fit_ease_text, usable_vectors
from lrec_desktop.core.rank import job as learned
from lrec_desktop.core.rank import saved
from lrec_desktop.core.rank.train import BAGS
from lrec_desktop.core.recommend.model import prepare
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.recommend.text_side import load_text_side
from lrec_desktop.core.store import db as store
from lrec_desktop.core.text.embed_job import embed_catalog
from tests.core.shopdb import copy_shop, taste_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = taste_shop(tmp_path_factory.mktemp("rank_text") / "taste.lrec")
    embed_catalog(path, device="cpu")
    prepare(path)
    return path


def test_the_ranker_uses_ease_with_the_descriptions_fitted_on_the_co_purchase_inverse(shop: Path) -> None:
    folder = saved.rank_folder(shop)
    config = json.loads((folder / "ranker.json").read_text())
    assert "ease_text" in config["source_names"] and "ease_text_rank" in config["feature_names"]
    assert config["text_fingerprint"]
    rec = Recommender.load(shop)
    assert rec.ranking is not None and "ease_text" in rec.ranking.context.source_names
    db = store.connect(shop)
    try:
        purchases = load_purchases(db, items=rec.model.items)
        text, _, _ = load_text_side(db, shop, rec.model.items)
    finally:
        db.close()
    assert text is not None
    alone = fit_ease_text(purchases.X, usable_vectors(text.vectors, text.present), lam=rec.model.config.ease_lambda)
    kept = rec.ranking.context.text_cf
    assert kept is not None and alone is not None
    # The weights prepare fitted from the co-purchase model's own inverse are the ones a separate fit gives.
    np.testing.assert_allclose(kept.toarray(), alone.toarray(), rtol=0, atol=1e-5 * abs(alone).max())


def test_each_level_is_a_bag_of_boosters_saved_in_lightgbms_text_format(shop: Path) -> None:
    folder = saved.rank_folder(shop)
    config = json.loads((folder / "ranker.json").read_text())
    assert config["bags"] == BAGS > 1
    for n in range(len(config["level_positions"])):
        files = [folder / f"level-{n}.txt"] + [folder / f"level-{n}-bag-{m}.txt" for m in range(1, BAGS)]
        assert all(f.read_text().startswith("tree") for f in files)
    ranker = Recommender.load(shop).ranking.ranker
    features = np.random.default_rng(0).normal(size=(40, len(config["feature_names"])))
    bag = ranker.boosters[0]
    members = [m.predict(features, num_threads=1) for m in bag.members]
    assert not np.allclose(members[0], members[1])  # trained from different samples
    np.testing.assert_allclose(bag.predict(features), np.mean(members, axis=0))


def test_a_ranker_folder_without_its_text_weights_is_not_current(shop: Path, tmp_path: Path) -> None:
    """(Recommender.load then trains it again, as for any damaged folder: test_rank.py.)"""
    copy = copy_shop(shop, tmp_path / "copy.lrec")
    rec = Recommender.load(copy)
    config = rec.ranking.ranker.config
    args = (copy, rec.model.weights, rec.model.neighbours, rec.catalog, rec.text, config.data_version,
            config.text_fingerprint)
    assert learned.load_current(*args)[0]
    (saved.rank_folder(copy) / saved.TEXT_CF).unlink()
    assert learned.load_current(*args) == (False, None)


@pytest.mark.parametrize("discovery", [0.2, 1.0])
def test_together_is_said_only_of_products_bought_together(shop: Path, discovery: float) -> None:
    """Candidates EASE with the descriptions brings in without any co-purchase (a never-sold product, say) are
    explained by the bought product described most alike, never as 'often bought together'."""
    rec = Recommender.load(shop)
    db = store.connect(shop)
    try:
        purchases = load_purchases(db, items=rec.model.items)
    finally:
        db.close()
    by_title = {t: j for j, t in enumerate(rec.catalog.titles)}
    W = rec.model.weights.toarray()
    said = 0
    for row, customer in enumerate(purchases.customers.ids[:80]):
        bought = purchases.X.indices[purchases.X.indptr[row] : purchases.X.indptr[row + 1]]
        for r in rec.recommend(customer, 10, discovery=discovery):
            j = rec.model.items.index(r.item_id)
            if r.reason.startswith("Often bought together with"):
                source = by_title[r.reason.split("“")[1].rstrip("”")]
                assert source in bought and W[source, j] > 0, (customer, r)
                said += 1
            if rec.model.popularity[j] <= 0:
                assert r.reason.startswith("New product, similar to"), (customer, r)
    assert said > 0
