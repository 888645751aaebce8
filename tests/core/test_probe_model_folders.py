"""Broken and hostile model folders, as an adversarial probe built them (issue 16 items 7 and 12): each is refused by
the real CLI (`embed --model DIR`) with exit 2 and one line naming the folder, and the shop keeps its text model,
its vectors and its data. Also: a complete folder is accepted, and the fingerprint covers every byte of the weights."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.settings import TEXT_MODEL
from lrec_desktop.core.text.embed_job import embed_catalog
from lrec_desktop.core.text.model_folder import bundled_model_dir, inspect_model_folder
from tests.core.conftest import content_hash
from tests.core.test_text import build_text_shop

TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json")


def tiny_bert(target: Path, *, layers: int = 2, hidden: int = 32) -> Path:
    """A complete, small BERT folder (random weights, the bundled tokenizer) in plain transformers layout."""
    from transformers import BertConfig, BertModel

    config = BertConfig(vocab_size=30522, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=128)
    BertModel(config).save_pretrained(target, safe_serialization=True)
    for name in TOKENIZER_FILES:
        shutil.copy2(bundled_model_dir() / name, target / name)
    return target


def _header(weights: Path) -> tuple[dict, bytes]:
    raw = weights.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    return json.loads(raw[8 : 8 + size]), raw[8 + size :]


def _write(weights: Path, header: dict, data: bytes) -> None:
    encoded = json.dumps(header).encode()
    weights.write_bytes(struct.pack("<Q", len(encoded)) + encoded + data)


def renamed_weights(d: Path) -> None:
    """Every tensor under a name the model does not have: transformers would load it and warn."""
    from safetensors.torch import load_file, save_file

    tensors = load_file(d / "model.safetensors")
    save_file({f"other.{k}": v for k, v in tensors.items()}, d / "model.safetensors")


def decoy_beside_pickle(d: Path) -> None:
    import torch
    from safetensors.torch import save_file

    (d / "pytorch_model.bin").write_bytes(b"\x80\x04\x95 pickled weights, never to be loaded")
    save_file({"decoy": torch.zeros(4)}, d / "model.safetensors")


def huge_header(d: Path) -> None:
    raw = (d / "model.safetensors").read_bytes()
    (d / "model.safetensors").write_bytes(struct.pack("<Q", 2**62) + raw[8:])


def non_json_header(d: Path) -> None:
    raw = (d / "model.safetensors").read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    (d / "model.safetensors").write_bytes(raw[:8] + b"\x00not json" + b" " * (size - 9) + raw[8 + size :])


def offsets_past_the_end(d: Path) -> None:
    header, data = _header(d / "model.safetensors")
    name = next(k for k in header if k != "__metadata__")
    start, _ = header[name]["data_offsets"]
    header[name]["data_offsets"] = [start, start + 10**12]
    _write(d / "model.safetensors", header, data)


def truncated(d: Path) -> None:
    raw = (d / "model.safetensors").read_bytes()
    (d / "model.safetensors").write_bytes(raw[: len(raw) * 2 // 3])


def dev_zero(d: Path) -> None:
    (d / "model.safetensors").unlink()
    (d / "model.safetensors").symlink_to("/dev/zero")


def empty_weights(d: Path) -> None:
    (d / "model.safetensors").write_bytes(b"")


def symlink_loop(d: Path) -> None:
    (d / "model.safetensors").unlink()
    (d / "model.safetensors").symlink_to(d / "model.safetensors")


def _edit_json(name: str, change: Callable[[dict], object]) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        data = json.loads((d / name).read_text()) if (d / name).exists() else {}
        change(data)
        (d / name).write_text(json.dumps(data))
    return edit


def _text(name: str, text: str) -> Callable[[Path], None]:
    def write(d: Path) -> None:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(text)
    return write


def unknown_architecture(d: Path) -> None:
    _edit_json("config.json", lambda c: c.update(model_type="no-such-architecture", architectures=["NoSuchModel"]))(d)


def other_width(d: Path) -> None:
    _edit_json("config.json", lambda c: c.update(hidden_size=64, intermediate_size=64))(d)


def more_layers_than_config(d: Path) -> None:
    from safetensors.torch import load_file, save_file

    tensors = load_file(d / "model.safetensors")
    extra = {k.replace("layer.1.", "layer.2."): v.clone() for k, v in tensors.items() if "layer.1." in k}
    save_file({**tensors, **extra}, d / "model.safetensors")


def sharded_index_to_nowhere(d: Path) -> None:
    (d / "model.safetensors").unlink()
    index = {"weight_map": {"x": "model-00001-of-00002.safetensors"}}
    (d / "model.safetensors.index.json").write_text(json.dumps(index))


ST_MODULES = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
              {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]


def with_modules(modules: list[dict], extra: Callable[[Path], None] | None = None) -> Callable[[Path], None]:
    def write(d: Path) -> None:
        (d / "modules.json").write_text(json.dumps(modules))
        (d / "1_Pooling").mkdir(exist_ok=True)
        (d / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 32,
                                                                 "pooling_mode_mean_tokens": True}))
        if extra is not None:
            extra(d)
    return write


DENSE = {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}

# case: (how to break a complete tiny folder, what the one-line message must say)
CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "weights matching no tensor of the model": (renamed_weights, "lacks"),
    "decoy safetensors beside pytorch_model.bin": (decoy_beside_pickle, "lacks"),
    "huge safetensors header": (huge_header, "model.safetensors is not a readable safetensors file"),
    "non-JSON safetensors header": (non_json_header, "model.safetensors is not a readable safetensors file"),
    "offsets past the end": (offsets_past_the_end, "model.safetensors is not a readable safetensors file"),
    "truncated weights": (truncated, "model.safetensors is not a readable safetensors file"),
    "empty weights file": (empty_weights, "model.safetensors is not a safetensors file"),
    "/dev/zero as the weights": (dev_zero, "not a regular file"),
    "weights a symlink loop": (symlink_loop, "cannot be read"),
    "config.json not JSON": (_text("config.json", "{'model_type': bert"), "config.json is not valid JSON"),
    "config.json a list": (_text("config.json", "[1, 2]"), "config.json should hold an object"),
    "config.json without model_type": (_edit_json("config.json", lambda c: c.pop("model_type")), "model_type"),
    "unknown architecture": (unknown_architecture, "could not be loaded"),
    "weights of another width": (other_width, "wrong shape"),
    "more layers in the weights than in config.json": (more_layers_than_config, "no place for"),
    "tokenizer.json not JSON": (_text("tokenizer.json", "{truncated"), "tokenizer.json is not valid JSON"),
    "shard index naming a missing file": (sharded_index_to_nowhere, "cannot be read"),
    "modules.json not JSON": (_text("modules.json", "[{"), "modules.json is not valid JSON"),
    "modules.json entries not objects": (_text("modules.json", '["Transformer"]'), "entry 1"),
    "modules.json pointing outside the folder": (
        with_modules([ST_MODULES[0], {**ST_MODULES[1], "path": "../../etc"}]), "points outside the model folder"),
    "modules.json with an unknown module": (
        with_modules([*ST_MODULES, {"idx": 2, "name": "2", "path": "2_X", "type": "my_package.EvilModule"}]),
        "EvilModule"),
    "modules.json without pooling": (with_modules(ST_MODULES[:1]), "no Transformer and Pooling"),
    "pooling config with an unknown mode": (
        with_modules(ST_MODULES, _text("1_Pooling/config.json", '{"pooling_mode": "median"}')), "median"),
    "sentence_bert_config.json not JSON": (_text("sentence_bert_config.json", "max_seq_length=256"),
                                           "sentence_bert_config.json is not valid JSON"),
    "sentence_bert_config.json with a bad length": (_text("sentence_bert_config.json", '{"max_seq_length": -3}'),
                                                    "max_seq_length"),
    "config_sentence_transformers.json prompts not texts": (
        _text("config_sentence_transformers.json", '{"prompts": {"query": 5}}'), "prompts"),
    "Dense module with pickled weights only": (
        with_modules([*ST_MODULES, DENSE], lambda d: (
            _text("2_Dense/config.json", json.dumps({"in_features": 32, "out_features": 8}))(d),
            (d / "2_Dense" / "pytorch_model.bin").write_bytes(b"\x80\x04"))), "pickle"),
    "Dense module running arbitrary code": (
        with_modules([*ST_MODULES, DENSE], _text("2_Dense/config.json", json.dumps(
            {"in_features": 32, "out_features": 8, "activation_function": "os.system"}))), "os.system"),
}


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_bert(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="module")
def read_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small shop whose descriptions the bundled model has read: it has a text model to keep."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LREC_DATA_DIR", str(tmp_path_factory.mktemp("appdata")))
        shop = build_text_shop(tmp_path_factory.mktemp("shop") / "shop.lrec")
        embed_catalog(shop, device="cpu")
    return shop


def copy_shop(shop: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    copy = target / shop.name
    shutil.copy2(shop, copy)
    shutil.copytree(models_dir(shop), models_dir(copy))
    return copy


def state(shop: Path) -> tuple[str, str, dict]:
    """(content hash of the data, hash of the cached vectors, the text model in use)."""
    conn = sqlite3.connect(shop)
    try:
        vectors = hashlib.sha256(repr(conn.execute("SELECT * FROM item_vectors ORDER BY 1, 2").fetchall()).encode())
    finally:
        conn.close()
    db = store.connect(shop)
    try:
        model = store.get_setting(db, TEXT_MODEL.key)
    finally:
        db.close()
    return content_hash(shop), vectors.hexdigest(), model


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_model_folder_is_refused_with_one_sentence_and_changes_nothing(
        case: str, tiny_folder: Path, read_shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    breaks, expected = CASES[case]
    folder = tmp_path / "model"
    shutil.copytree(tiny_folder, folder)
    breaks(folder)
    shop = copy_shop(read_shop, tmp_path / "shop")
    before = state(shop)
    capsys.readouterr()
    code = main(["--quiet", "embed", "--db", str(shop), "--model", str(folder), "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("lrec-desktop: ") and "Traceback" not in err
    assert str(folder) in lines[0] and expected in lines[0], lines[0]
    assert state(shop) == before


def test_a_complete_folder_is_accepted_and_becomes_the_shops_model(tiny_folder: Path, read_shop: Path,
                                                                   tmp_path: Path) -> None:
    shop = copy_shop(read_shop, tmp_path / "shop")
    assert main(["--quiet", "embed", "--db", str(shop), "--model", str(tiny_folder), "--device", "cpu"]) == 0
    model = state(shop)[2]
    assert model["dir"] == str(tiny_folder) and model["dim"] == 32
    assert model["fingerprint"] == inspect_model_folder(tiny_folder).fingerprint


def test_an_empty_catalog_still_loads_a_new_model_before_taking_it(tiny_folder: Path, tmp_path: Path) -> None:
    """Nothing to read is no reason to skip the check: the broken folder would become the shop's model unread."""
    shop = tmp_path / "empty.lrec"
    store.connect(shop, create=True).close()
    folder = tmp_path / "model"
    shutil.copytree(tiny_folder, folder)
    renamed_weights(folder)
    assert main(["--quiet", "embed", "--db", str(shop), "--model", str(folder), "--device", "cpu"]) == 2
    assert state(shop)[2] is None


def test_the_fingerprint_covers_every_byte_of_the_weights(tiny_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(tiny_folder, folder)
    weights = folder / "model.safetensors"
    first = inspect_model_folder(folder).fingerprint
    assert inspect_model_folder(folder).fingerprint == first  # the same bytes, the same fingerprint
    raw = bytearray(weights.read_bytes())
    size = len(raw)
    assert size > 2 << 20  # well past the first and the last megabyte, which alone were hashed before
    middle = size // 2
    raw[middle : middle + 4] = bytes(b ^ 0xFF for b in raw[middle : middle + 4])
    weights.write_bytes(bytes(raw))  # same size; a new mtime
    assert inspect_model_folder(folder).fingerprint != first


def _retensor(change: Callable[[dict], dict]) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        from safetensors.torch import load_file, save_file

        save_file(change(load_file(d / "model.safetensors")), d / "model.safetensors")
    return edit


def _with_position_ids(t: dict) -> dict:
    import torch

    return {**t, "embeddings.position_ids": torch.arange(128).unsqueeze(0)}


def _as_masked_lm(t: dict) -> dict:
    import torch

    return {**{f"bert.{k}": v for k, v in t.items()}, "cls.predictions.bias": torch.zeros(30522)}


# Ordinary variations of real checkpoints: none of them leaves a weight of the encoder unloaded.
ACCEPTED: dict[str, Callable[[Path], None]] = {
    "an old checkpoint's position_ids buffer": _retensor(_with_position_ids),
    "a masked-LM checkpoint (bert. prefix and its task head)": _retensor(_as_masked_lm),
    "no pooler weights (the pooler feeds nothing we read)": _retensor(
        lambda t: {k: v for k, v in t.items() if not k.startswith("pooler.")}),
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_ordinary_checkpoint_variations_are_accepted(case: str, tiny_folder: Path, tmp_path: Path) -> None:
    from lrec_desktop.core.text.encoder import TextEncoder

    folder = tmp_path / "model"
    shutil.copytree(tiny_folder, folder)
    ACCEPTED[case](folder)
    vectors = TextEncoder(inspect_model_folder(folder), "cpu").encode(["Blue ceramic teapot"])
    assert vectors.shape == (1, 32)
