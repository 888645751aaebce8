"""What turns a model's token states into one vector: pooling, then Dense layers and Normalize steps.

The same modules sentence-transformers reads from a model folder (Pooling, Dense, Normalize), in its order and
with its arithmetic (tests compare with ``SentenceTransformer.encode``), so that a folder with a Dense layer
(LaBSE, distiluse) or several pooling modes gives the vectors its authors meant. Config parsing needs no torch
(model folders are checked on the GUI's quick-job thread); the torch parts import it when called.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.text.model_files import read_json, safetensors_header, shown

if TYPE_CHECKING:
    import torch

# sentence-transformers' pooling modes, in the order it concatenates them
POOLING_MODES = ("cls", "max", "mean", "mean_sqrt_len_tokens", "weightedmean", "lasttoken")
LEGACY_POOLING_KEYS = {"pooling_mode_cls_token": "cls", "pooling_mode_max_tokens": "max",
                       "pooling_mode_mean_tokens": "mean", "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
                       "pooling_mode_weightedmean_tokens": "weightedmean", "pooling_mode_lasttoken": "lasttoken"}
# Dense activations by the class name its config stores (torch.nn.modules.<file>.<Name>): only plain torch
# modules built without arguments; a config naming any other code is refused rather than imported.
ACTIVATIONS = ("Identity", "Tanh", "ReLU", "GELU", "Sigmoid", "SiLU")


def pooling_modes(config: dict[str, Any], where: str) -> tuple[str, ...]:
    """The Pooling config's modes: sentence-transformers' ``pooling_mode`` (a name or a list), or its older
    ``pooling_mode_*_token(s)`` flags; none set means mean pooling, as sentence-transformers does."""
    mode = config.get("pooling_mode")
    if mode is not None:
        modes = (mode,) if isinstance(mode, str) else tuple(mode) if isinstance(mode, list) else None
        if not modes or not all(isinstance(m, str) for m in modes):
            raise UserError(f"{where}: pooling_mode should be a name or a list of names, not {mode!r}.")
    else:
        modes = tuple(name for key, name in LEGACY_POOLING_KEYS.items() if config.get(key)) or ("mean",)
    unknown = [m for m in modes if m not in POOLING_MODES]
    if unknown:
        raise UserError(f"{where}: unknown pooling mode '{unknown[0]}' (known: {', '.join(POOLING_MODES)}).")
    return modes


@dataclass(frozen=True)
class DenseLayer:
    """A sentence-transformers Dense module: ``activation(linear(x))`` (+ x, or + residual(x), when residual)."""

    path: Path
    weights: Path
    in_features: int
    out_features: int
    bias: bool
    activation: str  # a name in ACTIVATIONS
    residual: bool

    def settings(self) -> dict[str, Any]:
        return {"dense": [self.in_features, self.out_features, self.bias, self.activation, self.residual]}

    def expected(self) -> dict[str, tuple[int, ...]]:
        """Tensor name → shape, as sentence-transformers saves the module."""
        shapes: dict[str, tuple[int, ...]] = {"linear.weight": (self.out_features, self.in_features)}
        if self.bias:
            shapes["linear.bias"] = (self.out_features,)
        if self.residual and self.in_features != self.out_features:
            shapes["residual.weight"] = (self.out_features, self.in_features)
        return shapes


def dense_layer(folder: Path, sub: Path) -> DenseLayer:
    """A Dense module folder read and checked: its config, and safetensors weights that fit it exactly."""
    config_file = sub / "config.json"
    config = read_json(folder, config_file)
    where = shown(folder, config_file)
    sizes = [config.get("in_features"), config.get("out_features")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in sizes):
        raise UserError(f"{where}: in_features and out_features should be positive whole numbers.")
    if config.get("module_input_name", "sentence_embedding") != "sentence_embedding" or \
            config.get("module_output_name") not in (None, "sentence_embedding"):
        raise UserError(f"{where}: a Dense module that reads or writes other than the sentence embedding is not "
                        "supported.")
    activation = str(config.get("activation_function") or "torch.nn.modules.activation.Tanh")
    name = activation.rsplit(".", 1)[-1]
    if not activation.startswith("torch.nn.") or name not in ACTIVATIONS:
        raise UserError(f"{where}: the activation '{activation}' is not one lrec_desktop runs "
                        f"({', '.join(ACTIVATIONS)}).")
    weights = sub / "model.safetensors"
    if not weights.exists() and not weights.is_symlink():
        pickled = any(sub.glob(p) for p in ("*.bin", "*.pt", "*.pth"))
        found = "only PyTorch pickle weights, which can run code when loaded" if pickled else "no model.safetensors"
        raise UserError(f"The Dense module {sub} has {found}; lrec_desktop loads only .safetensors weights. "
                        "Convert the model to safetensors first.")
    layer = DenseLayer(sub, weights, sizes[0], sizes[1], bool(config.get("bias", True)), name,
                       bool(config.get("use_residual", False)))
    shapes = {key: shape for key, (_, shape) in safetensors_header(folder, weights).items()}
    if shapes != layer.expected():
        raise UserError(f"{shown(folder, weights)} does not fit its Dense config ({sizes[0]} to {sizes[1]}): "
                        f"expected {_describe(layer.expected())}, found {_describe(shapes)}.")
    return layer


def _describe(shapes: dict[str, tuple[int, ...]]) -> str:
    return ", ".join(f"{k} {list(v)}" for k, v in sorted(shapes.items())) or "no tensors"


def pool(hidden: torch.Tensor, attention_mask: torch.Tensor, modes: str | tuple[str, ...] = "mean",
         prompt_length: int = 0) -> torch.Tensor:
    """The pooled token states (not yet unit length), as sentence-transformers' Pooling computes them for
    padded batches: each mode in ``modes``, concatenated. ``prompt_length`` leading tokens (a prompt kept out of
    the pooling) are masked first."""
    import torch

    modes = tuple(modes.split("+")) if isinstance(modes, str) else modes
    original = attention_mask
    if prompt_length:
        attention_mask = attention_mask.clone()
        pad = attention_mask.to(torch.int32).argmax(dim=1)  # left padding, if the tokenizer pads on the left
        positions = torch.arange(attention_mask.size(1), device=attention_mask.device).unsqueeze(0)
        attention_mask[positions < (pad + prompt_length).unsqueeze(1)] = 0
    hidden = hidden.float()
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    out = []
    for mode in modes:
        if mode == "cls":
            first = attention_mask.to(torch.int).argmax(dim=1)
            out.append(hidden[torch.arange(hidden.shape[0], device=hidden.device), first])
        elif mode == "max":
            out.append(hidden.masked_fill(mask == 0, float("-inf")).max(dim=1).values)
        elif mode in ("mean", "mean_sqrt_len_tokens"):
            total = (hidden * mask).sum(dim=1)
            count = mask.sum(dim=1).clamp(min=1e-9)
            out.append(total / (count if mode == "mean" else count.sqrt()))
        elif mode == "weightedmean":
            weights = torch.arange(1, hidden.shape[1] + 1, device=hidden.device, dtype=hidden.dtype).view(1, -1, 1)
            weights = weights - original.to(torch.int32).argmax(dim=1).view(-1, 1, 1)
            weighted = mask * weights
            out.append((hidden * weighted).sum(dim=1) / weighted.sum(dim=1).clamp(min=1e-9))
        else:  # lasttoken: the last real token
            values, indices = attention_mask.flip(1).max(1)
            last = torch.where(values == 0, hidden.shape[1] - 1, hidden.shape[1] - indices - 1)
            out.append((hidden * mask)[torch.arange(hidden.shape[0], device=hidden.device), last])
    return torch.cat(out, dim=-1)


def build_head(steps: tuple[DenseLayer | str, ...], device: str) -> torch.nn.Module:
    """The steps after pooling as a torch module (float32, frozen): Dense layers with their weights, and
    Normalize steps; the vectors are made unit length at the end."""
    import torch
    from safetensors.torch import load_file

    class Dense(torch.nn.Module):
        def __init__(self, layer: DenseLayer) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(layer.in_features, layer.out_features, bias=layer.bias)
            self.activation = getattr(torch.nn, layer.activation)()
            self.use_residual = layer.residual
            if layer.residual and layer.in_features != layer.out_features:
                self.residual = torch.nn.Linear(layer.in_features, layer.out_features, bias=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.activation(self.linear(x))
            if self.use_residual:
                y = y + (self.residual(x) if hasattr(self, "residual") else x)
            return y

    class Normalize(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.normalize(x, dim=-1)

    class Head(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            parts: list[torch.nn.Module] = []
            for step in steps:
                if isinstance(step, DenseLayer):
                    dense = Dense(step)
                    dense.load_state_dict(load_file(str(step.weights)), strict=True)
                    parts.append(dense)
                else:
                    parts.append(Normalize())
            self.steps = torch.nn.Sequential(*parts)

        def forward(self, pooled: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.normalize(self.steps(pooled.float()), dim=-1)

    head = Head().to(device=device, dtype=torch.float32)
    head.requires_grad_(False)
    return head.eval()


def prompt_token_count(tokenizer: Any, prompt: str) -> int:
    """How many leading tokens a prompt takes, as sentence-transformers counts them: the prompt tokenised
    alone, less a trailing special token (the [SEP] the tokenizer adds at the end)."""
    if not prompt:
        return 0
    ids = tokenizer([prompt])["input_ids"][0]
    return len(ids) - (1 if ids and ids[-1] in set(tokenizer.all_special_ids) else 0)
