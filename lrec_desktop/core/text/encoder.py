"""Turning product text into vectors with a local transformers model.

Plain transformers with our own length-sorted batching and pooling, rather than SentenceTransformer.encode:
same vectors (checked in tests), fewer layers per batch, and control over devices, half precision, the
out-of-memory fallback and cancelling between batches.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.text.device import is_out_of_memory, pick_device
from lrec_desktop.core.text.libraries import load_torch, load_transformers
from lrec_desktop.core.text.model_folder import ModelFolder, force_offline, inspect_model_folder
from lrec_desktop.core.text.model_head import build_head, prompt_token_count
from lrec_desktop.core.text.model_head import pool as pool_states
from lrec_desktop.core.text.model_loading import load_transformer

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

_CACHE: dict[tuple[str, str], TextEncoder] = {}
_CACHE_LOCK = threading.Lock()

CPU_BATCH = 64
GPU_BATCH = 512


def pool(hidden: torch.Tensor, attention_mask: torch.Tensor, pooling: str) -> torch.Tensor:
    """One unit-length vector per text from the model's token states by the pooling modes alone (no Dense
    layers): kept for callers that need only that; the encoder runs the folder's whole head."""
    import torch

    return torch.nn.functional.normalize(pool_states(hidden, attention_mask, pooling), dim=-1)


class TextEncoder:
    def __init__(self, folder: ModelFolder, device: str, log_fn: Callable[[str], None] | None = None) -> None:
        force_offline()
        torch = load_torch()  # the GIL stays free while libtorch loads (see core.text.libraries)
        load_transformers()

        self.folder = folder
        self.device = device
        self._log = log_fn or log.info
        self.tokenizer, self.model = load_transformer(folder)  # refused unless every weight loads from the file
        self.head = build_head(folder.head, "cpu")
        self._check_head()
        # Tokens of each prompt left out of the pooling, where the folder asks (sentence-transformers' include_prompt)
        self._prompt_tokens = {query: 0 if folder.include_prompt else prompt_token_count(self.tokenizer,
                                                                                         folder.prompt(query))
                               for query in (False, True)}
        self._half = False
        self._to(device)
        self._torch = torch

    @classmethod
    def load(cls, model_dir: str | Path | None = None, device: str = "auto",
             log_fn: Callable[[str], None] | None = None) -> TextEncoder:
        """The encoder for a folder and device, loaded once per process and then shared (a load takes ~1 s)."""
        folder = inspect_model_folder(model_dir)
        key = (folder.fingerprint, pick_device(device))
        with _CACHE_LOCK:
            encoder = _CACHE.get(key)
            if encoder is None:
                _CACHE.clear()  # one model in memory at a time
                encoder = _CACHE[key] = cls(folder, key[1], log_fn)
        encoder._log = log_fn or log.info
        return encoder

    def _check_head(self) -> None:
        """The pooled width must be what the first Dense layer takes: a folder whose Dense config belongs to
        another model is refused here rather than failing on the first batch."""
        from lrec_desktop.core.errors import UserError
        from lrec_desktop.core.text.model_head import DenseLayer

        width = int(self.model.config.hidden_size) * len(self.folder.pooling_modes)
        for step in self.folder.head:
            if isinstance(step, DenseLayer):
                if step.in_features != width:
                    raise UserError(f"The Dense module {step.path} takes vectors of {step.in_features} numbers but "
                                    f"the model's pooling gives {width}; its folder belongs to another model.")
                width = step.out_features
        self._dim = width

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def fingerprint(self) -> str:
        return self.folder.fingerprint

    def _to(self, device: str) -> None:
        import torch

        self.device = device
        # Half precision on a GPU: about twice the speed, and pooled vectors differ by ~1e-3, which no ranking
        # notices. Never on the CPU, where float16 matmuls are slow.
        self._half = device == "cuda"
        self.model = self.model.to(device=device, dtype=torch.float16 if self._half else torch.float32)
        self.head = self.head.to(device=device)  # float32 always: a few small matmuls after the pooling

    def default_batch_size(self) -> int:
        return GPU_BATCH if self.device != "cpu" else CPU_BATCH

    def _encode_batch(self, texts: list[str], query: bool = False) -> np.ndarray:
        torch = self._torch
        batch = self.tokenizer(self.folder.prepare(texts, query), padding=True, truncation=True,
                               max_length=self.folder.max_length, return_tensors="pt").to(self.device)
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
            pooled = pool_states(hidden, batch["attention_mask"], self.folder.pooling_modes,
                                 self._prompt_tokens[query])
            vectors = self.head(pooled)
        return vectors.cpu().numpy().astype(np.float32)

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None, progress: ProgressFn = no_progress,
               cancel: CancelToken | None = None, query: bool = False) -> np.ndarray:
        """Unit vectors for ``texts`` (product texts; with ``query``, free-text searches, which get the folder's
        query prompt) in their order. Batches are sorted by length to waste little padding."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, vectors in self.iter_encode(texts, batch_size=batch_size, progress=progress, cancel=cancel,
                                             query=query):
            out[idx] = vectors
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """The vector of one free-text search, read with the folder's query prompt (e5, bge)."""
        return self.encode([text], query=True)[0]

    def iter_encode(self, texts: Sequence[str], *, batch_size: int | None = None, progress: ProgressFn = no_progress,
                    cancel: CancelToken | None = None,
                    query: bool = False) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield (indices, vectors) per batch, so a caller can save each batch as soon as it is done."""
        size = batch_size or self.default_batch_size()
        order = np.argsort([len(t) for t in texts], kind="stable")
        done = 0
        while done < len(order):
            if cancel is not None:
                cancel.raise_if_cancelled()
            idx = order[done : done + size]
            try:
                vectors = self._encode_batch([texts[i] for i in idx], query)
            except Exception as exc:
                if not is_out_of_memory(exc):
                    raise
                size = self._recover_from_oom(size)
                continue
            done += len(idx)
            progress(done / len(order), f"{done:,} of {len(order):,} product descriptions")
            yield idx, vectors

    def _recover_from_oom(self, size: int) -> int:
        """The batch size to retry with: half of ``size``, or the CPU's default once on the CPU."""
        if self.device == "cuda":
            self._torch.cuda.empty_cache()
        if size > 1:
            self._log(f"Out of memory on {self.device}: retrying with batches of {size // 2}.")
            return size // 2
        if self.device == "cpu":
            raise MemoryError("Out of memory on the CPU while reading one product description.")
        self._log(f"Out of memory on {self.device} even one text at a time: continuing on the CPU.")
        self._to("cpu")
        return CPU_BATCH
