"""Learning from sales without a product as its own negative: batches hold no product twice, the loss is
sentence-transformers' MultipleNegativesRankingLoss, and a few steps on the real bundled model still run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrec_desktop.core.finetune import trainer as trainer_module
from lrec_desktop.core.finetune.batches import duplicate_share, has_duplicate, no_duplicate_batches, pair_products
from lrec_desktop.core.finetune.job import training_inputs
from lrec_desktop.core.finetune.pairs import PairSet
from lrec_desktop.core.finetune.trainer import ContrastiveTrainer, TrainConfig, mnrl_loss
from lrec_desktop.core.text.model_folder import inspect_model_folder
from tests.core.shopdb import build_learning_shop


def pair_sets(max_products: int = 40) -> st.SearchStrategy[PairSet]:
    """Random pairs over a few products (so duplicates are likely), hard negatives present or not (-1)."""
    def build(draw: st.DrawFn) -> PairSet:
        products = draw(st.integers(3, max_products))
        n = draw(st.integers(1, 120))
        anchors, positives, negatives = [], [], []
        for _ in range(n):
            a, p = draw(st.lists(st.integers(0, products - 1), min_size=2, max_size=2, unique=True))
            options = [c for c in range(products) if c not in (a, p)]
            negative = draw(st.sampled_from([-1, *options]))
            anchors.append(a)
            positives.append(p)
            negatives.append(negative)
        return PairSet(np.asarray(anchors), np.asarray(positives), np.asarray(negatives))
    return st.composite(build)()


@settings(max_examples=200, deadline=None)
@given(pairs=pair_sets(), batch_size=st.integers(1, 40), seed=st.integers(0, 2**16))
def test_no_batch_holds_a_product_twice(pairs: PairSet, batch_size: int, seed: int) -> None:
    batches = no_duplicate_batches(pairs, batch_size, np.random.default_rng(seed))
    assert batches, "there is always a first batch"
    used = np.concatenate(batches)
    assert len(used) == len(set(used.tolist()))  # no pair twice
    assert all(1 <= len(b) <= batch_size for b in batches)
    assert not any(has_duplicate(pairs, b) for b in batches)
    assert duplicate_share(pairs, batches) == 0.0
    # A pair is left out only when it shares a product with a pair that was trained on.
    seen = {p for i in used for p in pair_products(pairs, int(i))}
    for left in set(range(len(pairs))) - set(used.tolist()):
        assert seen & set(pair_products(pairs, left))


def test_pairs_without_shared_products_are_all_used_in_full_batches() -> None:
    pairs = PairSet(np.arange(0, 300, 3), np.arange(1, 300, 3), np.arange(2, 300, 3))  # 100 disjoint pairs
    batches = no_duplicate_batches(pairs, 32, np.random.default_rng(0))
    assert [len(b) for b in batches] == [32, 32, 32, 4]


def test_plain_permutation_batches_did_hold_duplicates_on_a_small_shop(tmp_path: Path) -> None:
    """What the trainer did before: on a small shop nearly every batch put some product against itself."""
    _, data = training_inputs(build_learning_shop(tmp_path / "learn.lrec"), max_pairs=400)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(data.train))
    plain = [order[s : s + 32] for s in range(0, len(order), 32)]
    assert duplicate_share(data.train, plain) >= 0.5
    assert duplicate_share(data.train, no_duplicate_batches(data.train, 32, rng)) == 0.0


def test_the_loss_is_sentence_transformers_multiple_negatives_ranking_loss() -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    try:  # sentence-transformers 6
        from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    except ImportError:
        from sentence_transformers.losses import MultipleNegativesRankingLoss  # type: ignore[no-redef]

    from lrec_desktop.core.text.model_folder import bundled_model_dir

    gen = torch.Generator().manual_seed(0)
    anchors, positives, negatives = (torch.nn.functional.normalize(torch.randn(6, 16, generator=gen), dim=-1)
                                     for _ in range(3))
    reference = MultipleNegativesRankingLoss(SentenceTransformer(str(bundled_model_dir()), device="cpu"), scale=20.0)
    expected = reference.compute_loss_from_embeddings([anchors, positives, negatives], labels=None)
    ours = mnrl_loss(anchors, torch.cat([positives, negatives]))
    assert float(ours) == pytest.approx(float(expected), rel=1e-5)
    without_negatives = reference.compute_loss_from_embeddings([anchors, positives], labels=None)
    assert float(mnrl_loss(anchors, positives)) == pytest.approx(float(without_negatives), rel=1e-5)


def test_a_few_steps_on_the_bundled_model_run_on_batches_without_duplicates(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    texts, data = training_inputs(build_learning_shop(tmp_path / "learn.lrec"), max_pairs=96)
    made: list[list[np.ndarray]] = []

    def recorded(pairs: PairSet, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
        made.append(no_duplicate_batches(pairs, batch_size, rng))
        return made[-1]

    monkeypatch.setattr(trainer_module, "no_duplicate_batches", recorded)
    trainer = ContrastiveTrainer(inspect_model_folder(None), "cpu")
    before = {k: v.clone() for k, v in trainer.model.state_dict().items() if "layer.5." in k}
    report = trainer.train(texts, data.train, data.validation, TrainConfig(batch_size=16, train_layers=2))
    batches = made[0]
    assert report.steps == len(batches) >= 3 and report.pairs_seen == sum(len(b) for b in batches)
    assert not any(has_duplicate(data.train, b) for b in batches)
    assert all(np.isfinite(report.losses)) and report.losses[0] > 0
    after = trainer.model.state_dict()
    assert any(not np.allclose(before[k].numpy(), after[k].numpy()) for k in before)  # the top layer learned
