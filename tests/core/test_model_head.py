"""Model folders with more than mean pooling (Dense layers as in LaBSE and distiluse, several pooling modes,
prompts as in e5 and bge): our vectors must be sentence-transformers' own. Each folder is a tiny random BERT
put together and saved by sentence-transformers itself, so its layout is exactly what that library writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lrec_desktop.core.text.encoder import TextEncoder
from lrec_desktop.core.text.model_folder import inspect_model_folder
from tests.core.test_probe_model_folders import tiny_bert

TEXTS = ["Blue ceramic teapot", "Leather gardening gloves for pruning roses, thorn-proof and washable", "x",
         "Stone-ground spelt flour for bread and cakes, 1 kg. " * 12]  # the last runs past max_seq_length
QUERIES = ["something to brew loose tea", "gift for a gardener"]
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
BGE_PROMPTS = {"query": "Represent this sentence for searching relevant passages: "}


def _modules(tiny: Path, pooling: Any, dense: list[dict] | None = None, *, normalize: str = "end",
             include_prompt: bool = True, do_lower_case: bool = False) -> list:
    import torch

    try:  # sentence-transformers 6
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:
        from sentence_transformers import models  # type: ignore[no-redef]

    transformer = models.Transformer(str(tiny), max_seq_length=24, do_lower_case=do_lower_case)
    parts: list = [transformer, models.Pooling(32, pooling_mode=pooling, include_prompt=include_prompt)]
    if normalize == "before dense":
        parts.append(models.Normalize())
    width = 32 * (1 if isinstance(pooling, str) else len(pooling))
    for spec in dense or []:
        layer = models.Dense(width, spec["out"], bias=spec.get("bias", True),
                             activation_function=spec.get("activation", torch.nn.Tanh()),
                             use_residual=spec.get("residual", False))
        torch.nn.init.normal_(layer.linear.weight, std=0.3)  # away from the default init, so a skipped layer shows
        parts.append(layer)
        width = spec["out"]
    if normalize == "end":
        parts.append(models.Normalize())
    return parts


CASES: dict[str, Callable[[Path], tuple[list, dict]]] = {
    "LaBSE-like: cls pooling, Dense with tanh, Normalize": lambda t: (_modules(t, "cls", [{"out": 16}]), {}),
    "distiluse-like: mean pooling, Dense with tanh, no Normalize": (
        lambda t: (_modules(t, "mean", [{"out": 8}], normalize="none"), {})),
    "cls, max and mean concatenated, two Dense layers": lambda t: (_modules(
        t, ("cls", "max", "mean"), [{"out": 24, "bias": False}, {"out": 8, "activation": None}]), {}),
    "weighted mean, Dense with a residual": lambda t: (_modules(t, "weightedmean", [{"out": 32, "residual": True}]),
                                                       {}),
    "mean over the square root of the length": lambda t: (_modules(t, "mean_sqrt_len_tokens"), {}),
    "last token": lambda t: (_modules(t, "lasttoken"), {}),
    "Normalize before the Dense layer": lambda t: (_modules(t, "max", [{"out": 8}], normalize="before dense"), {}),
    "e5-like prompts": lambda t: (_modules(t, "mean"), {"prompts": E5_PROMPTS}),
    "bge-like query prompt only": lambda t: (_modules(t, "cls"), {"prompts": BGE_PROMPTS}),
    "prompts left out of the pooling": lambda t: (_modules(t, "mean", include_prompt=False), {"prompts": E5_PROMPTS}),
    "a default prompt for everything": lambda t: (_modules(t, "mean", do_lower_case=True),
                                                  {"prompts": {"classification": "Classify: "},
                                                   "default_prompt_name": "classification"}),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_bert(tmp_path_factory.mktemp("models") / "tiny")


@pytest.mark.parametrize("case", list(CASES))
def test_vectors_are_sentence_transformers_own(case: str, tiny: Path, tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    modules, options = CASES[case](tiny)
    folder = tmp_path / "model"
    SentenceTransformer(modules=modules, device="cpu", **options).save(str(folder))
    reference = SentenceTransformer(str(folder), device="cpu")
    ours = TextEncoder(inspect_model_folder(folder), "cpu")
    expected_docs = reference.encode_document(TEXTS, normalize_embeddings=True)
    expected_queries = reference.encode_query(QUERIES, normalize_embeddings=True)
    docs = ours.encode(TEXTS, batch_size=3)
    queries = np.stack([ours.encode_query(q) for q in QUERIES])
    assert docs.shape == expected_docs.shape and ours.dim == expected_docs.shape[1]
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    assert np.abs(docs - expected_docs).max() < 1e-4, case
    assert np.abs(queries - expected_queries).max() < 1e-4, case


def test_without_its_head_the_vectors_would_differ(tiny: Path, tmp_path: Path) -> None:
    """The check above has teeth: the same folder read with its pooling alone (as before) gives other vectors."""
    from sentence_transformers import SentenceTransformer

    from lrec_desktop.core.text.encoder import pool

    folder = tmp_path / "model"
    modules, _ = CASES["LaBSE-like: cls pooling, Dense with tanh, Normalize"](tiny)
    SentenceTransformer(modules=modules, device="cpu").save(str(folder))
    reference = SentenceTransformer(str(folder), device="cpu").encode(TEXTS[:2], normalize_embeddings=True)
    assert reference.shape[1] == 16  # the Dense layer's width, not the transformer's 32
    ours = TextEncoder(inspect_model_folder(folder), "cpu")
    batch = ours.tokenizer(TEXTS[:2], padding=True, return_tensors="pt")
    plain = pool(ours.model(**batch).last_hidden_state, batch["attention_mask"], "cls")
    assert plain.shape[1] == 32 != reference.shape[1]


def test_prompts_and_head_are_part_of_the_fingerprint(tiny: Path, tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    fingerprints = set()
    for n, case in enumerate(["e5-like prompts", "bge-like query prompt only", "prompts left out of the pooling"]):
        modules, options = CASES[case](tiny)
        SentenceTransformer(modules=modules, device="cpu", **options).save(str(tmp_path / f"m{n}"))
        fingerprints.add(inspect_model_folder(tmp_path / f"m{n}").fingerprint)
    assert len(fingerprints) == 3


def test_a_folder_with_a_dense_layer_learns_and_its_version_keeps_the_head(tiny: Path, tmp_path: Path) -> None:
    """Learning from sales trains the transformer through the folder's head (its Dense layer frozen) and saves a
    version that reads as sentence-transformers reads it: Dense folder, prompts and all."""
    from sentence_transformers import SentenceTransformer

    from lrec_desktop.core.finetune.job import training_inputs
    from lrec_desktop.core.finetune.trainer import ContrastiveTrainer, TrainConfig
    from tests.core.shopdb import build_learning_shop

    folder = tmp_path / "model"
    modules, _ = CASES["LaBSE-like: cls pooling, Dense with tanh, Normalize"](tiny)
    SentenceTransformer(modules=modules, device="cpu", prompts=E5_PROMPTS).save(str(folder))
    texts, data = training_inputs(build_learning_shop(tmp_path / "learn.lrec"), max_pairs=64)
    trainer = ContrastiveTrainer(inspect_model_folder(folder), "cpu")
    dense_before = trainer.head.state_dict()["steps.0.linear.weight"].clone()
    report = trainer.train(texts, data.train, data.validation, TrainConfig(batch_size=8, train_layers=1,
                                                                           learning_rate=1e-3))
    assert report.steps >= 3 and np.isfinite(report.losses).all()
    assert np.array_equal(trainer.head.state_dict()["steps.0.linear.weight"].numpy(), dense_before.numpy())
    trainer.save(tmp_path / "v0001")
    version, base = inspect_model_folder(tmp_path / "v0001"), inspect_model_folder(folder)
    assert version.settings == base.settings and version.query_prompt == "query: "  # the same head and prompts
    assert version.head[0].path == tmp_path / "v0001" / "2_Dense" and version.fingerprint != base.fingerprint
    expected = SentenceTransformer(str(tmp_path / "v0001"), device="cpu").encode_document(TEXTS,
                                                                                         normalize_embeddings=True)
    assert np.abs(TextEncoder(version, "cpu").encode(TEXTS) - expected).max() < 1e-4
