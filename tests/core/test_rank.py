"""The ranking learned per shop (core/rank/): trained on the shop's own latest purchases, saved without
pickle, current while data and text model are unchanged, and honoured by every list the shop gets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.core.evaluate.longtail import longtail_reports
from lrec_desktop.core.evaluate.run import evaluate
from lrec_desktop.core.export import ExportRequest, export_recommendations
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.rank import saved
from lrec_desktop.core.rank.levels import LEVELS_SPAN, mix, slot_share, standardise
from lrec_desktop.core.rank.sources.rp3beta import fit_rp3beta
from lrec_desktop.core.rank.train import MIN_CUSTOMERS
from lrec_desktop.core.recommend.discovery import DEFAULT_DISCOVERY
from lrec_desktop.core.recommend.model import prepare
from lrec_desktop.core.recommend.rules import Rules
from lrec_desktop.core.recommend.service import PINNED_REASON, Recommender
from lrec_desktop.core.store import db as store
from tests.core.shopdb import copy_shop, taste_shop


@pytest.fixture
def shop(prepared_taste_shop: Path) -> Path:
    return prepared_taste_shop


def test_prepare_saves_a_ranker_in_lightgbms_text_format_keyed_by_the_data(shop: Path) -> None:
    folder = saved.rank_folder(shop)
    config = json.loads((folder / "ranker.json").read_text())
    db = store.connect(shop)
    version = store.data_version(db)
    db.close()
    assert config["data_version"] == version and config["text_fingerprint"] == ""
    assert config["training_customers"] + config["validation_customers"] >= MIN_CUSTOMERS
    levels = len(config["level_positions"])
    assert len(config["rounds"]) == len(config["tail_gains"]) == len(config["cold_gains"]) == levels
    # The three trained levels, and the default's own level when the default falls between two of them.
    assert levels == (3 if config["default_position"] in (0.0, 0.25) or config["default_position"] >= 0.5 else 4)
    assert config["default_position"] in config["level_positions"] or config["default_position"] > 0.5
    for n in range(levels):
        assert (folder / f"level-{n}.txt").read_text().startswith("tree")  # LightGBM's own text, no pickle
    assert not list(folder.glob("*.pkl")) and not list(folder.glob("*.pickle"))
    assert "co_purchase_score" in config["feature_names"] and "rp3beta_rank" in config["feature_names"]
    assert Recommender.load(shop).ranking is not None


def test_the_learned_ranking_finds_more_of_the_shops_later_purchases_than_the_blend(shop: Path) -> None:
    learned = evaluate(shop, discovery=0.0, save=False, mode="sales")
    blend = evaluate(shop, discovery=0.0, save=False, mode="sales", config=Recommender.load(shop).config)
    assert "learned ranking" in learned.algorithm and "learned" not in blend.algorithm
    assert learned.recall > blend.recall


def test_lists_never_hold_what_was_bought_blocked_or_sold_out_and_pins_come_first(shop: Path) -> None:
    rec = Recommender.load(shop)
    db = store.connect(shop)
    bought = {r[0] for r in db.execute("SELECT item_id FROM interactions WHERE customer_id = 'C001'")}
    db.close()
    plain = [r.item_id for r in rec.recommend("C001", n=10)]
    assert len(plain) == 10 and not set(plain) & bought and len(set(plain)) == 10
    rec.set_rules(Rules(exclude_items=[plain[0]], pinned_items=["CAN24"]))
    ruled = rec.recommend("C001", n=10)
    assert ruled[0].item_id == "CAN24" and ruled[0].reason == PINNED_REASON
    assert plain[0] not in [r.item_id for r in ruled]
    assert all(r.reason and "\n" not in r.reason for r in ruled)


def test_reasons_name_a_product_the_customer_bought(shop: Path) -> None:
    rec = Recommender.load(shop)
    db = store.connect(shop)
    titles = {r[0] for r in db.execute(
        "SELECT title FROM items JOIN interactions USING (item_id) WHERE customer_id = 'C002'")}
    db.close()
    named = [r.reason for r in rec.recommend("C002", n=10) if "“" in r.reason]
    assert named and all(r.split("“")[1].split("”")[0] in titles for r in named)


def test_more_discovery_gives_rarely_sold_products_more_of_the_lists(shop: Path) -> None:
    low, high = longtail_reports(shop, [0.0, 1.0], k=10)
    assert high.tail_share > low.tail_share
    assert high.coverage >= low.coverage


def test_export_and_recommend_give_the_same_lists(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "recs.csv"
    export_recommendations(shop, ExportRequest(out, top=5, customers=["C003", "C004"]))
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    rec = Recommender.load(shop)
    for customer in ("C003", "C004"):
        exported = [r.split(",")[2] for r in rows if r.startswith(customer + ",")]
        assert exported == [r.item_id for r in rec.recommend(customer, n=5)]


def test_a_data_change_retrains_and_a_cancelled_training_keeps_the_last_good_ranker(shop: Path,
                                                                                      tmp_path: Path) -> None:
    path = copy_shop(shop, tmp_path / "t.lrec")
    folder = saved.rank_folder(path)
    before = (folder / "ranker.json").read_bytes()
    db = store.connect(path)
    store.bump_data_version(db)
    db.close()
    token = CancelToken()

    def cancel_in_training(fraction: float, message: str = "") -> None:
        if "ranking" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        prepare(path, progress=cancel_in_training, cancel=token)
    assert (folder / "ranker.json").read_bytes() == before
    prepare(path)
    assert saved.key(folder)[0] == json.loads(before)["data_version"] + 1


def test_a_shop_with_few_customers_keeps_the_blend_and_says_so(tmp_path: Path) -> None:
    path = taste_shop(tmp_path / "small.lrec", customers=60)
    prepare(path)
    folder = saved.rank_folder(path)
    assert (folder / saved.NO_RANKER).exists() and not (folder / "ranker.json").exists()
    rec = Recommender.load(path)
    assert rec.ranking is None and len(rec.recommend("C001", n=5)) == 5


def test_a_damaged_ranker_folder_is_trained_again(shop: Path, tmp_path: Path) -> None:
    copy = copy_shop(shop, tmp_path / "copy.lrec")
    level = saved.rank_folder(copy) / "level-1.txt"
    level.write_text("not a model")
    assert Recommender.load(copy).ranking is not None
    assert level.read_text().startswith("tree")


def test_levels_mix_monotonely_and_standardise_per_customer() -> None:
    scores = np.array([1.0, 2.0, 3.0, 10.0, 20.0], dtype=np.float32)
    z = standardise(scores, np.array([3, 2]))
    assert np.allclose(z[:3].mean(), 0) and np.allclose(z[3:], [-1, 1])
    a, b, c = np.zeros(2), np.ones(2), 2 * np.ones(2)
    assert np.allclose(mix([a, b, c], 0.0), a) and np.allclose(mix([a, b, c], LEVELS_SPAN), c)
    assert np.allclose(mix([a, b, c], LEVELS_SPAN / 4), 0.5 * b) and np.allclose(mix([a, b, c], 1.0), c)
    assert slot_share(LEVELS_SPAN) == 0 and slot_share(1.0) == 1 and 0 < slot_share((1 + LEVELS_SPAN) / 2) < 1


def test_rp3beta_divides_by_popularity() -> None:
    import scipy.sparse as sp

    # Everyone buys product 0; customers 0-1 also buy 1, customer 2 also buys 2 (a rarely sold product).
    X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=np.float32))
    W = fit_rp3beta(X, beta=0.5).toarray()
    assert W[0, 0] == 0 and W[2, 0] > 0
    plain = fit_rp3beta(X, beta=0.0).toarray()
    assert W[0, 2] / W[0, 1] > plain[0, 2] / plain[0, 1]  # the less bought product gains from the division


def test_a_new_shop_where_a_deleted_one_was_never_uses_its_saved_models(shop: Path, tmp_path: Path) -> None:
    first = copy_shop(shop, tmp_path / "same.lrec")
    before = json.loads((saved.rank_folder(first) / "ranker.json").read_text())
    first.unlink()
    second = taste_shop(tmp_path / "same.lrec", customers=60, seed=2)  # same path, same data version, other data
    rec = Recommender.load(second)
    assert rec.ranking is None  # 60 customers: the blend, not the deleted shop's ranker
    assert [p.name for p in tmp_path.glob("same.lrec-models.former-*")]
    assert before["training_customers"] > 0


def test_the_default_lists_need_one_booster_and_its_level_ranks_between_its_neighbours(shop: Path) -> None:
    ranker = Recommender.load(shop).ranking.ranker
    positions = ranker.config.positions()
    assert positions == sorted(positions) and len(positions) == len(ranker.boosters)
    calls: list[int] = []

    class Counting:
        def __init__(self, n: int, booster: object) -> None:
            self.n, self.booster = n, booster

        def predict(self, *args: object, **kwargs: object) -> np.ndarray:
            calls.append(self.n)
            return self.booster.predict(*args, **kwargs)

    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, len(ranker.config.feature_names)))
    sizes = np.array([30, 30])
    real = ranker.boosters
    ranker.boosters = [Counting(n, b) for n, b in enumerate(real)]
    try:
        ranker.scores_at(features, sizes, ranker.position(DEFAULT_DISCOVERY))
    finally:
        ranker.boosters = real
    assert len(calls) == 1  # the default's own level (or a trained one it falls on), never a mix of two
    gains = ranker.config.tail_gains
    assert gains == sorted(gains) and ranker.config.cold_gains == sorted(ranker.config.cold_gains)
