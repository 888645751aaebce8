"""Training only the top layers of the text model, from token states of the frozen layers read once.

When only the top N layers learn, the layers below give the same token states for a product at every step:
reading them once per product and feeding them straight into the top layers saves their forward pass at
every step as well as their backward pass (which freezing alone saves). On a 2-core CPU that is most of a
step's cost (README "Measured").

The model is run with its embeddings swapped for a pass-through and its layer list cut to the top layers, so
the model's own code still builds the attention mask and runs the layers. A model whose code does not fit
this (it adds something to the embeddings output elsewhere, say) is caught by a check of the cut model
against the whole one on real products before training; the trainer then reads every layer at every step.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

MAX_CACHE_BYTES = 1_500_000_000  # token states kept in memory; a catalog needing more reads every layer
CHECK_PRODUCTS = 16
CHECK_TOLERANCE = 1e-3  # largest difference allowed between the cut model's and the whole model's vectors


def layer_list(model: Any) -> tuple[Any, str, Any] | None:
    """(parent module, attribute name, ModuleList) of the model's transformer layers, or None."""
    import torch

    count = getattr(model.config, "num_hidden_layers", None) or getattr(model.config, "n_layers", None)
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.ModuleList) and len(module) == count and name:
            parent_name, _, attr = name.rpartition(".")
            return model.get_submodule(parent_name) if parent_name else model, attr, module
    return None


def _pass_through() -> torch.nn.Module:
    import torch

    class PassThrough(torch.nn.Module):
        """Stands in for the embeddings: the states given as ``inputs_embeds`` are already past them."""

        def forward(self, *args: Any, **kwargs: Any) -> torch.Tensor:
            states = kwargs.get("inputs_embeds", kwargs.get("input_embeds"))  # DistilBERT names it input_embeds
            if states is None:
                raise ValueError("the model does not hand its embeddings the states by name")
            return states

    return PassThrough()


@contextlib.contextmanager
def layers_only(model: Any, start: int, stop: int | None = None) -> Iterator[None]:
    """Within the block the model runs only its layers ``start:stop``. From ``start`` > 0 its embeddings are a
    pass-through: ``model(inputs_embeds=states, attention_mask=mask)`` takes states from the layer below."""
    import torch

    found = layer_list(model)
    if found is None or not hasattr(model, "embeddings"):
        raise ValueError("model layout not recognised")
    parent, attr, layers = found
    embeddings = model.embeddings
    try:
        setattr(parent, attr, torch.nn.ModuleList(list(layers)[start:stop]))
        if start > 0:
            model.embeddings = _pass_through()
        yield
    finally:
        setattr(parent, attr, layers)
        model.embeddings = embeddings


def cut_point(model: Any, train_layers: int | None) -> int | None:
    """How many layers stay frozen below the trained ones, or None when the whole model trains."""
    found = layer_list(model)
    if train_layers is None or found is None or train_layers >= len(found[2]):
        return None
    return len(found[2]) - max(train_layers, 1)


class LowerLayerCache:
    """Per product, its token states after the frozen layers (half precision, only its real tokens)."""

    def __init__(self, states: dict[int, torch.Tensor], cut: int) -> None:
        self.states = states
        self.cut = cut

    @classmethod
    def build(cls, model: Any, tokenizer: Any, texts: Sequence[str], items: np.ndarray, cut: int, *,
              max_length: int, device: str, check: Any = None, progress: Any = None,
              batch: int = 64) -> LowerLayerCache | None:
        """Read ``items`` (distinct) through the model's first ``cut`` layers; None when they would not fit in
        memory. ``check`` is called between batches (cancel), ``progress`` with the share done."""
        import torch

        width = int(model.config.hidden_size)
        lengths = np.asarray([len(ids) for ids in tokenizer([texts[i] for i in items], truncation=True,
                                                             max_length=max_length)["input_ids"]])
        if int(lengths.sum()) * width * 2 > MAX_CACHE_BYTES:
            log.info("lower-layer cache skipped: %d tokens would not fit", int(lengths.sum()))
            return None
        order = items[np.argsort(lengths, kind="stable")]
        states: dict[int, torch.Tensor] = {}
        was_training = model.training
        model.eval()
        try:
            with torch.inference_mode():
                for start in range(0, len(order), batch):
                    if check is not None:
                        check()
                    if progress is not None:
                        progress(start / len(order))
                    chunk = order[start : start + batch]
                    encoded = tokenizer([texts[i] for i in chunk], truncation=True, max_length=max_length,
                                        padding=True, return_tensors="pt").to(device)
                    with layers_only(model, 0, cut):
                        hidden = model(**encoded).last_hidden_state
                    real = encoded["attention_mask"].sum(dim=1).tolist()
                    for n, item in enumerate(chunk):
                        states[int(item)] = hidden[n, : real[n]].to("cpu", torch.float16).clone()
        finally:
            model.train(was_training)
        return cls(states, cut)

    def batch(self, items: Sequence[int], device: str) -> tuple[torch.Tensor, torch.Tensor]:
        """(states padded to the longest, attention mask) for ``items``, in their order."""
        import torch

        parts = [self.states[int(i)] for i in items]
        longest = max(p.shape[0] for p in parts)
        width = parts[0].shape[1]
        states = torch.zeros(len(parts), longest, width, dtype=torch.float32)
        mask = torch.zeros(len(parts), longest, dtype=torch.long)
        for n, p in enumerate(parts):
            states[n, : p.shape[0]] = p.float()
            mask[n, : p.shape[0]] = 1
        return states.to(device), mask.to(device)
