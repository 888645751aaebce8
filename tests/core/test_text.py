"""The text model with the real bundled all-MiniLM-L6-v2: vectors, the cache, cancel, OOM fallback, search,
cold products in recommendations, and the audience finder."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.recommend.audience import find_audience
from lrec_desktop.core.recommend.service import Recommender
from lrec_desktop.core.store import db as store
from lrec_desktop.core.text.embed_job import embed_catalog, index_folder, index_is_current
from lrec_desktop.core.text.encoder import TextEncoder
from lrec_desktop.core.text.model_folder import bundled_model_dir, inspect_model_folder
from tests.core.shopdb import write_shop

PRODUCTS = {
    "TEA-POT": ("Blue ceramic teapot", "A round stoneware teapot for loose leaf tea, 1 litre.", "Tea"),
    "TEA-CUP": ("Set of four tea cups", "Porcelain cups for tea time, dishwasher safe.", "Tea"),
    "TEA-EARL": ("Earl Grey loose leaf tea", "Black tea with bergamot, 250 g tin.", "Tea"),
    "GAR-TROWEL": ("Stainless steel garden trowel", "Hand trowel for planting bulbs and seedlings.", "Garden"),
    "GAR-GLOVES": ("Leather gardening gloves", "Thorn-proof gloves for pruning roses.", "Garden"),
    "GAR-SEEDS": ("Wildflower seed mix", "Native meadow flower seeds for bees and butterflies.", "Garden"),
    "BAK-FLOUR": ("Organic spelt flour", "Stone-ground flour for bread and cakes, 1 kg.", "Baking"),
    "BAK-WHISK": ("Balloon whisk", "Stainless steel whisk for cream, eggs and batters.", "Baking"),
    "BAK-TIN": ("Non-stick loaf tin", "A 2 lb tin for sandwich loaves and banana bread.", "Baking"),
    # Never sold: only its description can bring it to anyone.
    "NEW-INFUSER": ("Tea infuser for loose leaf tea", "A fine mesh infuser for brewing loose tea in a cup or pot.",
                    "Tea"),
    "NEW-KNEEL": ("Garden kneeler pad", "A soft foam kneeling pad for weeding and planting in the garden.", "Garden"),
}
BASKETS = [("TEA-POT", "TEA-CUP"), ("GAR-TROWEL", "GAR-GLOVES"), ("BAK-FLOUR", "BAK-WHISK")]


def build_text_shop(path: Path) -> Path:
    items = [{"item_id": item_id, "title": title, "description": description, "category": category}
             for item_id, (title, description, category) in PRODUCTS.items()]
    sales = [(f"C{n:02d}", item, 100 * n + k) for n in range(24) for k, item in enumerate(BASKETS[n % 3])]
    sales += [("TEA-FAN", "TEA-EARL", 9000), ("GARDENER", "GAR-SEEDS", 9001)]
    return write_shop(path, items, sales, emails=True)


@pytest.fixture(scope="session")
def encoder() -> TextEncoder:
    return TextEncoder.load(None, "cpu")


@pytest.fixture
def text_shop(tmp_path: Path) -> Path:
    return build_text_shop(tmp_path / "text.lrec")


def test_vectors_match_sentence_transformers(encoder: TextEncoder) -> None:
    from sentence_transformers import SentenceTransformer

    texts = ["Blue ceramic teapot", "Leather gardening gloves for roses", "红色茶杯", "x"]
    reference = SentenceTransformer(str(bundled_model_dir()), device="cpu").encode(texts, normalize_embeddings=True)
    ours = encoder.encode(texts, batch_size=2)
    assert ours.shape == (4, 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(ours * reference, axis=1)) > 0.9999


def test_embedding_is_cached_and_only_changes_are_read(text_shop: Path) -> None:
    first = embed_catalog(text_shop, device="cpu")
    assert (first.embedded, first.cached) == (len(PRODUCTS), 0)
    assert index_is_current(text_shop)
    again = embed_catalog(text_shop, device="cpu")
    assert (again.embedded, again.cached) == (0, len(PRODUCTS))
    db = store.connect(text_shop)
    db.execute("UPDATE items SET description = 'Hand-thrown teapot, glazed blue.' WHERE item_id = 'TEA-POT'")
    db.execute("INSERT INTO items(item_id, title) VALUES ('NEW-MUG', 'Enamel camping mug')")
    db.close()
    assert not index_is_current(text_shop)
    changed = embed_catalog(text_shop, device="cpu")
    assert changed.embedded == 2 and changed.cached == len(PRODUCTS) - 1
    assert index_is_current(text_shop)


def test_cancel_keeps_finished_batches_and_the_old_index(text_shop: Path) -> None:
    embed_catalog(text_shop, device="cpu")
    before = (index_folder(text_shop) / "config.json").read_bytes()
    db = store.connect(text_shop)
    db.execute("UPDATE items SET description = description || ' Gift boxed.'")
    db.close()
    token = CancelToken()
    seen: list[float] = []

    def cancel_after_first_batch(fraction: float, message: str = "") -> None:
        seen.append(fraction)
        if 0.05 < fraction < 0.9:
            token.cancel()

    with pytest.raises(Cancelled):
        embed_catalog(text_shop, device="cpu", batch_size=4, progress=cancel_after_first_batch, cancel=token)
    assert (index_folder(text_shop) / "config.json").read_bytes() == before
    assert not index_is_current(text_shop)
    resumed = embed_catalog(text_shop, device="cpu", batch_size=4)
    assert 0 < resumed.embedded < len(PRODUCTS)  # the batch finished before the cancel was kept


def test_out_of_memory_halves_the_batch_then_falls_back_to_cpu(encoder: TextEncoder,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    messages: list[str] = []
    real = encoder._encode_batch
    sizes: list[int] = []

    def flaky(texts: list[str], query: bool = False) -> np.ndarray:
        sizes.append(len(texts))
        if len(texts) > 2:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(texts, query)

    monkeypatch.setattr(encoder, "_encode_batch", flaky)
    monkeypatch.setattr(encoder, "_log", messages.append)
    out = encoder.encode([f"product {n}" for n in range(7)], batch_size=8)
    assert sizes[:3] == [7, 4, 2] and out.shape == (7, 384)
    assert any("batches of 4" in m for m in messages)

    moved: list[str] = []
    monkeypatch.setattr(encoder, "device", "cuda")
    monkeypatch.setattr(encoder, "_to", moved.append)
    assert encoder._recover_from_oom(1) > 1 and moved == ["cpu"]


def test_cold_product_reaches_a_customer_by_its_description(text_shop: Path) -> None:
    embed_catalog(text_shop, device="cpu")
    rec = Recommender.load(text_shop)
    assert rec.text is not None
    recs = rec.recommend("TEA-FAN", 5)
    ids = [r.item_id for r in recs]
    assert "NEW-INFUSER" in ids
    infuser = recs[ids.index("NEW-INFUSER")]
    assert infuser.badges == ("new",) and "similar to" in infuser.reason
    assert "NEW-KNEEL" in [r.item_id for r in rec.recommend("GARDENER", 5)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("something to brew loose tea", {"NEW-INFUSER", "TEA-POT", "TEA-EARL"}),
     ("tools for planting in the garden", {"GAR-TROWEL", "NEW-KNEEL"}),
     ("bake a loaf of bread", {"BAK-TIN", "BAK-FLOUR"}),
     ("gift for a gardener who loves bees", {"GAR-SEEDS", "GAR-GLOVES", "GAR-TROWEL", "NEW-KNEEL"})],
)
def test_search_finds_products_by_meaning(text_shop: Path, query: str, expected: set[str]) -> None:
    embed_catalog(text_shop, device="cpu")
    results = Recommender.load(text_shop).search(query, 3)
    assert results[0].item_id in expected, [r.item_id for r in results]


def test_similar_uses_descriptions_for_a_new_product(text_shop: Path) -> None:
    embed_catalog(text_shop, device="cpu")
    similar = [r.item_id for r in Recommender.load(text_shop).similar("NEW-KNEEL", 3)]
    assert similar[0].startswith("GAR-")


def test_audience_for_a_new_product(text_shop: Path) -> None:
    embed_catalog(text_shop, device="cpu")
    members = find_audience(text_shop, "NEW-INFUSER", 5)
    assert members, "a never-sold product still has an audience"
    assert members[0].customer_id in {"TEA-FAN"} | {f"C{n:02d}" for n in range(0, 24, 3)}
    assert all(not m.customer_id.startswith("GARDENER") for m in members[:3])
    with pytest.raises(UserError):
        find_audience(text_shop, "NO-SUCH-PRODUCT")


def test_model_folders_are_checked(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        inspect_model_folder(tmp_path / "missing")
    pickled = tmp_path / "pickled"
    pickled.mkdir()
    (pickled / "config.json").write_text("{}")
    (pickled / "pytorch_model.bin").write_bytes(b"\x80\x04")
    with pytest.raises(UserError, match="safetensors"):
        inspect_model_folder(pickled)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError, match=r"config\.json"):
        inspect_model_folder(empty)


def test_a_plain_transformers_folder_loads_with_mean_pooling(tmp_path: Path, encoder: TextEncoder) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(bundled_model_dir(), plain, ignore=shutil.ignore_patterns("modules.json", "1_Pooling",
                                                                              "sentence_bert_config.json"))
    folder = inspect_model_folder(plain)
    # Without sentence_bert_config.json the tokenizer's limit applies (512 tokens), as sentence-transformers reads
    # such a folder: long texts are read further than the bundled model's 256, so it is another fingerprint.
    assert folder.pooling == "mean" and folder.max_length == 512 and folder.fingerprint != encoder.fingerprint
    other = TextEncoder(folder, "cpu")
    a, b = other.encode(["Leather gardening gloves"]), encoder.encode(["Leather gardening gloves"])
    assert float(a[0] @ b[0]) > 0.999


def test_text_neighbours_are_the_closest_descriptions_and_are_saved_with_the_index(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from lrec_desktop.core.index import vectors as vector_module
    from lrec_desktop.core.index.vectors import VectorIndex
    from lrec_desktop.core.vocab import Vocabulary

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    present = np.ones(300, dtype=bool)
    present[7] = False  # a product without a description is nobody's neighbour and has none
    vectors[7] = 0
    index = VectorIndex.build(Vocabulary(f"P{k}" for k in range(300)), vectors, present)
    T = index.neighbours(5)
    S = vectors @ vectors.T
    np.fill_diagonal(S, -np.inf)
    S[:, 7] = -np.inf
    for row in (0, 1, 150, 299):
        expected = set(np.argsort(-S[row])[:5]) - set(np.flatnonzero(S[row] <= 0))
        assert set(T[row].indices) == expected
        assert np.allclose(np.sort(T[row].data), np.sort(S[row, list(expected)]), atol=1e-5)
    assert T[7].nnz == 0 and T[:, 7].nnz == 0 and T.diagonal().sum() == 0
    # A large catalog on a flat index finds its neighbours through a throwaway HNSW graph: nearly the same.
    monkeypatch.setattr(vector_module, "EXACT_NEIGHBOURS_MAX", 100)
    approx = VectorIndex.build(index.items, vectors, present).neighbours(5)
    agree = np.mean([len(set(approx[r].indices) & set(T[r].indices)) / max(T[r].nnz, 1) for r in range(300)])
    assert agree > 0.95 and approx[7].nnz == 0


def test_a_product_is_close_to_the_products_among_its_own_closest_descriptions() -> None:
    """A rarely sold product is seldom among a bestseller's closest descriptions, though the bestseller is among
    its own: the discovery slots count closeness both ways, so it still reaches the bestseller's buyers."""
    import scipy.sparse as sp

    from lrec_desktop.core.index.vectors import VectorIndex
    from lrec_desktop.core.recommend.text_side import TextSide
    from lrec_desktop.core.vocab import Vocabulary

    degrees = {"A": 0, "B": 5, "C": -5, "LONELY": 20, "FAR": 180}
    vectors = np.array([[np.cos(np.radians(d)), np.sin(np.radians(d))] for d in degrees.values()], dtype=np.float32)
    index = VectorIndex.build(Vocabulary(degrees), vectors, np.ones(len(degrees), dtype=bool))
    one_way = index.neighbours(2)  # computed once per index: the text side reads these 2 per product
    a, lonely = 0, 3
    assert set(one_way[a].indices) == {1, 2} and one_way[:, lonely].nnz == 0 and set(one_way[lonely].indices) == {0, 1}
    side = TextSide(index, vectors, np.ones(len(degrees), dtype=bool), None, np.arange(len(degrees)))
    T = side.neighbours()
    assert abs(T - T.T).max() < 1e-6
    bought_a = sp.csr_matrix(([1.0], ([0], [a])), shape=(1, len(degrees)), dtype=np.float32)
    scores = np.asarray((bought_a @ T).todense()).ravel()
    assert scores[lonely] > 0 and scores[4] == 0  # the far product stays out
    assert scores[1] > scores[lonely] and scores[2] > scores[lonely]  # the closer ones still come first


def test_the_discovery_slots_can_lean_on_text_neighbours(text_shop: Path) -> None:
    from dataclasses import replace

    from lrec_desktop.core import artifacts

    embed_catalog(text_shop, device="cpu")
    assert (index_folder(text_shop) / "neighbours.npz").exists()
    saved = artifacts.load_sparse(index_folder(text_shop) / "neighbours.npz")
    rec = Recommender.load(text_shop)
    assert rec.text is not None and saved.shape == (len(PRODUCTS),) * 2
    items = rec.model.items
    T = rec.text.neighbours()  # in the recommendation model's product order
    infuser = items.index("NEW-INFUSER")
    closest = items.ids[int(T[infuser].indices[np.argmax(T[infuser].data)])]
    assert closest.startswith("TEA-"), closest
    x, _ = rec.history("TEA-FAN")
    blended, _ = rec.score_rows(x)
    plain = rec.gem_rows(x, blended.copy())[0]
    rec.config = replace(rec.config, gem_text_weight=2.0)
    leaning = rec.gem_rows(x, blended.copy())[0]
    lift = leaning - plain
    assert np.all(lift >= 0)
    tea = [items.index(i) for i in PRODUCTS if i.startswith("TEA-") and i != "TEA-EARL"] + [infuser]
    garden = [items.index(i) for i in PRODUCTS if i.startswith("GAR-")] + [items.index("NEW-KNEEL")]
    assert lift[tea].max() > lift[garden].max()
