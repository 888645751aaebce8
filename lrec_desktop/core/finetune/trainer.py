"""Contrastive fine-tuning of the text model: in-batch negatives plus one hard negative per pair.

A small loop of our own over transformers rather than sentence-transformers' trainer: the trainer needs
the `datasets` package and its callbacks make a clean cancel, a time budget and live figures per step
awkward. The loss is sentence-transformers' MultipleNegativesRankingLoss (cosine similarity, scale 20,
candidates: every positive, then the hard negatives), written out in ``mnrl_loss`` because the installed app
leaves sentence-transformers out (packaging/lrec_desktop.spec); a test checks it against
``MultipleNegativesRankingLoss.compute_loss_from_embeddings``. Batches hold no product twice (batches.py), as
its NoDuplicatesBatchSampler makes them.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lrec_desktop.core.finetune.batches import no_duplicate_batches
from lrec_desktop.core.finetune.lower_cache import (
    CHECK_PRODUCTS,
    CHECK_TOLERANCE,
    LowerLayerCache,
    cut_point,
    layer_list,
    layers_only,
)
from lrec_desktop.core.finetune.pairs import PairSet
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress
from lrec_desktop.core.text.model_folder import ModelFolder, force_offline
from lrec_desktop.core.text.model_head import build_head, pool, prompt_token_count
from lrec_desktop.core.text.model_loading import load_transformer

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

SCALE = 20.0  # inverse temperature of the contrastive loss (sentence-transformers' default)
MAX_LENGTH = 64  # product texts for training are cut here: title and the start of the description say the
# most, and attention cost grows with the square of the length (2-3x faster than 128 on the demo shop)
CPU_CHUNK = 8  # texts per forward pass on a CPU (see ContrastiveTrainer._embed)


@dataclass
class TrainConfig:
    epochs: int = 1
    batch_size: int = 32
    # Higher than the usual 2e-5-3e-5: a CPU run gets only 100-200 steps. Measured with recsys_bench (8 min,
    # 2 cores, time-aware schedule, blend 0.25 / gate 2), tail and cold recall@20 of the hybrid at discovery
    # 0 / 0.2, relative to the untuned model: 5e-5 hetrec-lastfm tail +11% / +4%, cold +35% / +39%;
    # ml-latest-small tail +25% / +8%, cold +15% / 0%. 8e-5 did as well on lastfm but lost ml's cold
    # (-17% / -35%); 3e-5 gained less on lastfm.
    learning_rate: float = 5e-5
    warmup_share: float = 0.1
    max_seconds: float | None = None  # stop early (keeping what was learned) when the time budget is spent
    patience: int = 1  # epochs without validation gain before stopping
    seed: int = 0
    # Train only the top N transformer layers (and what follows them); None = every layer. Frozen layers need
    # no backward pass, which is most of a CPU step's cost.
    train_layers: int | None = None
    # Seconds the job still needs once training ends (reading the catalog with the new version, comparing): added
    # to the time left it reports, so the owner reads when the whole run ends, measured on the steps so far.
    then_seconds: float = 0.0


@dataclass
class TrainReport:
    steps: int = 0
    pairs_seen: int = 0
    seconds: float = 0.0
    losses: list[float] = field(default_factory=list)  # mean loss per logging window
    validation: list[float] = field(default_factory=list)  # validation recall@10 before training, then per epoch
    stopped_early: str = ""  # why training ended before its planned steps, if it did
    # Pairs the planned steps hold: the batches leave out pairs of the few products that are in very many pairs
    # (batches.no_duplicate_batches), so a run that was not stopped learns from exactly these, not all the pairs.
    planned_pairs: int = 0

    @property
    def pairs_per_second(self) -> float:
        return self.pairs_seen / self.seconds if self.seconds else 0.0


# (kind "loss" | "validation" | "seconds_left", step or epoch, value); "seconds_left": the whole run's time left,
# from the speed of the steps so far (the estimate before the run, corrected as it goes)
MetricsFn = Callable[[str, float, float], None]


def lr_factor(done: float, warmup: float) -> float:
    """Share of the full learning rate when ``done`` (0..1) of the run is behind: linear warm-up over the
    first ``warmup``, then linear decay to 0."""
    if done < warmup:
        return max(done / warmup, 1e-3)
    return max(0.0, (1.0 - done) / max(1.0 - warmup, 1e-9))


def mnrl_loss(anchors: torch.Tensor, candidates: torch.Tensor, scale: float = SCALE) -> torch.Tensor:
    """MultipleNegativesRankingLoss on unit vectors: row i of ``candidates`` is anchor i's answer, every other
    row (the other positives, then the hard negatives) a wrong one; cross-entropy over the scaled cosines."""
    import torch

    logits = scale * anchors @ candidates.T
    return torch.nn.functional.cross_entropy(logits, torch.arange(len(anchors), device=anchors.device))


def run_share(steps: int, total: int, elapsed: float, max_seconds: float | None) -> float:
    """How much of a run is behind: its steps, or its time budget where that runs out first."""
    return max(steps / total, min(elapsed / max_seconds, 1.0) if max_seconds else 0.0)


class ContrastiveTrainer:
    def __init__(self, folder: ModelFolder, device: str) -> None:
        force_offline()
        import torch

        self.torch = torch
        self.folder = folder
        self.device = device
        self.tokenizer, model = load_transformer(folder)  # refused unless every weight loads from the file
        self.model = model.to(device)
        # The folder's Dense layers and Normalize steps, frozen: the transformer learns, its head stays as shipped
        # (save() copies the head's module folders unchanged).
        self.head = build_head(folder.head, device)
        self._prompt_tokens = 0 if folder.include_prompt else prompt_token_count(self.tokenizer,
                                                                                 folder.document_prompt)
        self._cache: LowerLayerCache | None = None
        self._check: Callable[[], None] = lambda: None  # the running job's cancel check (train sets it)

    def _vectors(self, texts: Sequence[str], items: np.ndarray) -> torch.Tensor:
        """Unit vectors for products ``items`` (indices into ``texts``): from their cached lower-layer states
        through the top layers while a cache is in use, else through the whole model."""
        cache = self._cache
        if cache is None:
            return self._embed([texts[i] for i in items])

        def run(chunk: list[int]) -> torch.Tensor:
            states, mask = cache.batch([int(items[i]) for i in chunk], self.device)
            return self._head(self.model(inputs_embeds=states, attention_mask=mask).last_hidden_state, mask)

        return self._length_sorted([cache.states[int(i)].shape[0] for i in items], run)

    def _start_cache(self, texts: Sequence[str], items: np.ndarray, train_layers: int | None,
                     cancel: CancelToken, progress: ProgressFn = no_progress) -> None:
        """Read the frozen layers once for every product the run uses (``items``, distinct), if the model allows
        it and it fits; checked against the whole model on a few products before it is trusted."""
        self._cache = None
        cut = cut_point(self.model, train_layers)
        if cut is None or len(items) == 0:
            return
        try:
            cache = LowerLayerCache.build(self.model, self.tokenizer, texts, items, cut, max_length=MAX_LENGTH,
                                          device=self.device, check=cancel.raise_if_cancelled,
                                          progress=lambda done: progress(0.0, f"Getting ready: reading "
                                                                              f"{len(items):,} products once "
                                                                              f"({done:.0%})"))
            if cache is None:
                return
            sample = items[:CHECK_PRODUCTS]
            torch = self.torch
            self.model.eval()
            with torch.inference_mode():
                whole = self._embed([texts[i] for i in sample])
                self._cache = cache
                with layers_only(self.model, cut):
                    cut_model = self._vectors(texts, sample)
            self.model.train()
            gap = float((whole - cut_model).abs().max())
            if gap > CHECK_TOLERANCE:
                log.warning("lower-layer cache off: the cut model differs from the whole one by %.2g", gap)
                self._cache = None
        except ValueError as error:  # the model's layout is not one the cut can follow
            log.warning("lower-layer cache off: %s", error)
            self._cache = None

    def _embed(self, texts: Sequence[str]) -> torch.Tensor:
        """Unit vectors for ``texts``, in their order (see _length_sorted)."""
        encoded = self.tokenizer(list(texts), truncation=True, max_length=MAX_LENGTH)
        return self._length_sorted(
            [len(ids) for ids in encoded["input_ids"]],
            lambda chunk: self._pooled(self.tokenizer.pad({k: [v[i] for i in chunk] for k, v in encoded.items()},
                                                          return_tensors="pt")))

    def _length_sorted(self, lengths: list[int], run: Callable[[list[int]], torch.Tensor]) -> torch.Tensor:
        """``run`` (positions → their vectors) over every position, in order. On a CPU the texts go through the
        model in length-sorted chunks, each padded only to its own longest text: one batch padded to its longest
        text held twice the tokens that were really there (ml-latest-small, hetrec-lastfm), and a CPU step costs
        per token."""
        torch = self.torch
        n = len(lengths)
        if self.device != "cpu" or n <= CPU_CHUNK:
            return run(list(range(n)))
        order = sorted(range(n), key=lambda i: lengths[i])
        parts = []
        for s in range(0, n, CPU_CHUNK):
            self._check()  # a cancel lands within one chunk, not one whole step (3.6 s on a loaded processor)
            parts.append(run(order[s : s + CPU_CHUNK]))
        back = torch.empty(n, dtype=torch.long)
        back[torch.as_tensor(order)] = torch.arange(n)
        return torch.cat(parts)[back.to(self.device)]

    def _pooled(self, batch: dict) -> torch.Tensor:
        batch = {k: v.to(self.device) for k, v in batch.items()}
        return self._head(self.model(**batch).last_hidden_state, batch["attention_mask"])

    def _head(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Unit vectors from token states: the folder's pooling, then its Dense and Normalize steps."""
        return self.head(pool(hidden, mask, self.folder.pooling_modes, self._prompt_tokens))

    def freeze_below(self, train_layers: int | None) -> list[torch.nn.Parameter]:
        """Freeze everything below the top ``train_layers`` transformer layers; returns what still trains.

        The layers are the model's ModuleList as long as its config's layer count (BERT, RoBERTa, MPNet,
        DistilBERT alike); a model without one trains whole."""
        params = list(self.model.named_parameters())
        for _, p in params:
            p.requires_grad_(True)
        found = layer_list(self.model)
        layers = found[2] if found is not None else None
        if train_layers is None or layers is None or train_layers >= len(layers):
            return [p for _, p in params]
        cut = len(layers) - max(train_layers, 1)
        kept = {id(p) for layer in layers[cut:] for p in layer.parameters()}
        below = {id(p) for layer in layers[:cut] for p in layer.parameters()}
        # What is registered before the layers (the embeddings) freezes with them; what follows (pooler) trains.
        past_layers = False
        for _, p in params:
            past_layers = past_layers or id(p) in kept
            if id(p) in below or not past_layers:
                p.requires_grad_(False)
        return [p for _, p in params if p.requires_grad]

    def validation_recall(self, texts: Sequence[str], pairs: PairSet, k: int = 10, batch: int = 128,
                          check: Callable[[], None] | None = None) -> float:
        """Share of validation pairs whose positive is among the anchor's k nearest positives; ``check`` is
        called between batches (a cancel lands within one batch)."""
        if len(pairs) < 2:
            return 0.0
        torch = self.torch
        check = check or (lambda: None)

        def vectors(ids: np.ndarray) -> Any:  # a torch tensor (torch is imported when training starts)
            parts = []
            for s in range(0, len(ids), batch):
                check()
                parts.append(self._vectors(texts, ids[s : s + batch]))
            return torch.cat(parts)

        self.model.eval()
        with torch.inference_mode():
            a, p = vectors(pairs.anchors), vectors(pairs.positives)
        self.model.train()
        sims = a @ p.T
        top = sims.topk(min(k, len(pairs)), dim=1).indices.cpu().numpy()
        return float(np.mean([i in row for i, row in enumerate(top)]))

    def train(self, texts: Sequence[str], train: PairSet, validation: PairSet, config: TrainConfig, *,
              progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
              on_metrics: MetricsFn | None = None, pause: Callable[[], bool] | None = None) -> TrainReport:
        """Train in place; returns what happened. Cancel raises Cancelled (nothing is saved by this method)."""
        cancel = cancel or CancelToken()
        self._check = cancel.raise_if_cancelled  # also between the chunks of one forward pass (_length_sorted)
        texts = self.folder.prepare(list(texts))  # as the encoder reads products: with the document prompt
        used = np.concatenate([train.anchors, train.positives, train.negatives, validation.anchors,
                               validation.positives, validation.negatives])
        self._start_cache(texts, np.unique(used[used >= 0]), config.train_layers, cancel, progress)
        if self._cache is None:
            return self._train(texts, train, validation, config, progress=progress, cancel=cancel,
                               on_metrics=on_metrics, pause=pause)
        try:
            with layers_only(self.model, self._cache.cut):
                return self._train(texts, train, validation, config, progress=progress, cancel=cancel,
                                   on_metrics=on_metrics, pause=pause)
        finally:
            self._cache = None

    def _train(self, texts: Sequence[str], train: PairSet, validation: PairSet, config: TrainConfig, *,
               progress: ProgressFn, cancel: CancelToken, on_metrics: MetricsFn | None,
               pause: Callable[[], bool] | None) -> TrainReport:
        torch = self.torch
        on_metrics = on_metrics or (lambda kind, x, y: None)
        rng = np.random.default_rng(config.seed)
        torch.manual_seed(config.seed)
        epochs = [no_duplicate_batches(train, config.batch_size, rng) for _ in range(config.epochs)]
        total = max(1, sum(len(batches) for batches in epochs))
        trainable = self.freeze_below(config.train_layers)
        optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate)
        use_amp = self.device == "cuda"
        amp_dtype = torch.bfloat16 if use_amp and torch.cuda.is_bf16_supported() else torch.float16
        scaler = torch.amp.GradScaler("cuda", enabled=use_amp and amp_dtype == torch.float16)
        report = TrainReport(planned_pairs=sum(len(b) for batches in epochs for b in batches))
        progress(0.0, "Checking how well it predicts before learning")
        report.validation.append(self.validation_recall(texts, validation, check=cancel.raise_if_cancelled))
        on_metrics("validation", 0, report.validation[-1])
        best, best_state, stale = report.validation[-1], None, 0
        started = time.monotonic()
        window: list[float] = []
        self.model.train()
        for epoch, batches in enumerate(epochs):
            for chosen in batches:
                while pause is not None and pause() and not cancel.cancelled:
                    time.sleep(0.2)
                cancel.raise_if_cancelled()
                batch = train.take(chosen)
                candidates = np.concatenate([batch.positives, batch.negatives[batch.negatives >= 0]])
                with torch.autocast(device_type="cuda", dtype=amp_dtype, enabled=use_amp):
                    loss = mnrl_loss(self._vectors(texts, batch.anchors), self._vectors(texts, candidates))
                optimizer.zero_grad(set_to_none=True)
                cancel.raise_if_cancelled()
                scaler.scale(loss).backward()
                cancel.raise_if_cancelled()  # before the step changes the weights: a cancelled run changes nothing
                # Warm up, then decay to 0 at the end of the run: the end of its steps or of its time budget,
                # whichever comes first. A schedule over steps alone kept a CPU run, stopped by its budget
                # after a quarter of them, at nearly full rate to the end.
                done = run_share(report.steps + 1, total, time.monotonic() - started, config.max_seconds)
                for group in optimizer.param_groups:
                    group["lr"] = config.learning_rate * lr_factor(done, config.warmup_share)
                scaler.step(optimizer)
                scaler.update()
                report.steps += 1
                report.pairs_seen += len(batch)
                window.append(float(loss.detach()))
                elapsed = time.monotonic() - started
                if len(window) == 10 or report.steps in (1, total):  # a first point at once, then every 10
                    report.losses.append(float(np.mean(window)))
                    on_metrics("loss", report.steps, report.losses[-1])
                    window = []
                by_steps = report.steps / total
                left = elapsed / by_steps * (1 - by_steps) if by_steps else 0.0
                if config.max_seconds is not None:
                    left = min(left, max(config.max_seconds - elapsed, 0.0))
                done = run_share(report.steps, total, elapsed, config.max_seconds)
                left += config.then_seconds
                if report.steps in (1, 3) or report.steps % 10 == 0:  # at once, once the speed has settled, then
                    on_metrics("seconds_left", report.steps, left)
                progress(done, f"Learning from sales: step {report.steps:,} of {total:,}, "
                               f"about {max(left / 60, 1):.0f} min left")
                if config.max_seconds is not None and elapsed > config.max_seconds:
                    report.stopped_early = f"time budget of {config.max_seconds / 60:.0f} min reached"
                    break
            score = self.validation_recall(texts, validation, check=cancel.raise_if_cancelled)
            report.validation.append(score)
            on_metrics("validation", epoch + 1, score)
            if score > best:
                best, stale = score, 0
                best_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
            else:
                stale += 1
            if report.stopped_early:
                break
            if stale >= config.patience and epoch + 1 < config.epochs:
                report.stopped_early = "validation stopped improving"
                break
        if best_state is not None:
            self.model.load_state_dict(best_state)
        report.seconds = round(time.monotonic() - started, 1)
        self.model.eval()
        return report

    def save(self, target: Path) -> None:
        """Write the model as safetensors in the base model's layout (pooling config kept)."""
        import shutil

        transformer_dir = target if self.folder.transformer_dir == self.folder.path else (
            target / self.folder.transformer_dir.relative_to(self.folder.path))
        transformer_dir.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(transformer_dir), safe_serialization=True)
        self.tokenizer.save_pretrained(str(transformer_dir))
        for extra in self._extras():
            source = self.folder.path / extra
            if source.is_dir():
                shutil.copytree(source, target / extra, dirs_exist_ok=True)
            elif source.is_file() and not (target / extra).exists():
                shutil.copy2(source, target / extra)

    def _extras(self) -> list[str]:
        """What the version needs beside the transformer: the sentence-transformers configs and every other
        module's folder (Pooling, Dense with its weights, Normalize) as modules.json lists them."""
        extras = ["modules.json", "sentence_bert_config.json", "config_sentence_transformers.json"]
        modules_file = self.folder.path / "modules.json"
        if modules_file.is_file():
            for module in json.loads(modules_file.read_text(encoding="utf-8")):  # checked by inspect_model_folder
                sub = (self.folder.path / module.get("path", "")).resolve()
                if module.get("path") and sub != self.folder.transformer_dir.resolve():
                    extras.append(module["path"])
        return extras
