"""The "Learn from my sales" job: pairs from the past, train, save a version, read the catalog with it,
compare it with the current model on each customer's latest purchases, and switch only if it is better."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lrec_desktop.core import artifacts, journal
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.evaluate.run import Evaluation, evaluate
from lrec_desktop.core.evaluate.split import holdout_matrix, temporal_split
from lrec_desktop.core.faults import fault_point
from lrec_desktop.core.finetune.calibrate import calibrate_gem_text_weight
from lrec_desktop.core.finetune.pairs import TrainingData, build_pairs
from lrec_desktop.core.finetune.trainer import ContrastiveTrainer, MetricsFn, TrainConfig
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress, sub_progress, throttled
from lrec_desktop.core.store import db as store
from lrec_desktop.core.text.device import pick_device
from lrec_desktop.core.text.embed_job import embed_catalog, index_is_current
from lrec_desktop.core.text.libraries import load_transformers
from lrec_desktop.core.text.model_folder import inspect_model_folder
from lrec_desktop.core.text.vector_store import GEM_TEXT_WEIGHT, active_text_model, catalog_texts
from lrec_desktop.core.text.versions import next_version_name, register_version, remove_orphans, versions_dir

log = logging.getLogger(__name__)

CPU_TIME_BUDGET = 8 * 60.0  # seconds of training on a CPU, so a whole run ends within ~15 minutes
MAX_PAIRS = 20_000
# On a CPU only the top layers learn (0 = all), read from the frozen layers' token states computed once per
# product (trainer.py, lower_cache.py): 2.5x the pairs per second at 2 layers (ml-latest-small 13.6 -> 33.8,
# hetrec-lastfm 15.5 -> 37.9 in the 8-minute budget), and as good per pair (README "Measured"). One layer trained
# 5x the pairs but learned less (ml-latest-small cold recall +60% at 2 layers, 0% at 1).
CPU_TRAIN_LAYERS = 2
FEW_FOUND = 10  # fewer held-out purchases of rarely sold and new products found, before and after: no % change said
# What comes after training, for the time left (trainer.TrainConfig.then_seconds): reading the catalog with the new
# version (products per second) and comparing the two versions. The window's estimate before a run uses the same
# rates (core.app.learning.learn_time).
READ_PER_SECOND = {"cpu": 100.0, "gpu": 2000.0}
COMPARE_SECONDS = 60.0


def after_training_seconds(products: int, device: str, read_per_second: float | None = None) -> float:
    """Seconds to read ``products`` with the new version and compare; ``read_per_second`` as measured when this
    run read them with the current version, else the usual rate for the device."""
    rate = read_per_second or READ_PER_SECOND["cpu" if device == "cpu" else "gpu"]
    return products / max(rate, 1e-9) + COMPARE_SECONDS


@dataclass
class FinetuneResult:
    version: str
    model_dir: str
    fingerprint: str
    activated: bool
    decision: str  # plain words: why it was or was not switched on
    before: dict[str, Any]
    after: dict[str, Any]
    training: dict[str, Any]

    def message(self) -> str:
        return self.decision


def _better(before: Evaluation, after: Evaluation) -> tuple[bool, str]:
    """Better = more held-out rarely sold and new products found, and overall no lower (1% tolerance)."""
    gain_before, gain_after = before.long_tail_recall, after.long_tail_recall
    change = (gain_after - gain_before) / gain_before if gain_before > 0 else (1.0 if gain_after > 0 else 0.0)
    overall = (after.recall - before.recall) / before.recall if before.recall > 0 else 0.0
    targets = before.tail_targets + before.cold_targets
    found_before, found_after = round(gain_before * targets), round(gain_after * targets)
    # Changes under half a percent are "no change", as the window's figures (readiness.change_words) say them.
    if abs(change) < 0.005:
        verb = "did not change"
    elif max(found_before, found_after) < FEW_FOUND:
        # "got worse by 50%" for 2 -> 1 purchases found (the demo shop) says more than the figures know.
        verb = (f"were found {found_before:,} → {found_after:,} times in {targets:,} purchases, too few to tell a "
                "change,")
    else:
        verb = f"{'improved' if change > 0 else 'got worse'} by {abs(change):.0%}"
    overall_words = "overall no change" if abs(overall) < 0.005 else f"overall {overall:+.0%}"
    words = (f"Recommendations of rarely sold and new products {verb} on your customers' latest purchases "
             f"({overall_words})")
    return change > 0 and overall >= -0.01, words


def training_inputs(
    db_path: Path, max_pairs: int = MAX_PAIRS, cancel: CancelToken | None = None
) -> tuple[list[str], TrainingData]:
    """(every product's text, in the order pair indices address them; the training and validation pairs)."""
    cancel = cancel or CancelToken()
    db = store.connect(db_path)
    try:
        split = temporal_split(db)  # pairs only from each customer's earlier purchases: the rest is the test
        cancel.raise_if_cancelled()
        items, texts, _ = catalog_texts(db)
        assert items.ids == split.train.items.ids  # both ordered by item_id: pair indices address texts
        categories = np.asarray([r[0] or "" for r in db.execute("SELECT category FROM items ORDER BY item_id")],
                                dtype=object)
    finally:
        db.close()
    cancel.raise_if_cancelled()
    # Nor from the earlier purchases' own latest share: the comparison's learned ranking is trained on that inner
    # hold-out (recommend/tune.inner_fit). A version that had learned from those very purchases describes them as
    # close to what came before, and the ranking then trusts its text far more than it earns on purchases no version
    # learned from, which is what the shop's own ranking is trained on. Demo shop with makers, 8-minute CPU runs,
    # 2026-12-04: rarely sold and new purchases found 16 -> 73 of 1,014 but overall recall -20% with that share;
    # 16 -> 28, overall -7% without it.
    return texts, build_pairs(holdout_matrix(split.train).train, categories, max_pairs=max_pairs)


def finetune(
    db_path: Path, *, epochs: int = 1, device: str = "auto", max_minutes: float | None = None,
    max_pairs: int = MAX_PAIRS, batch_size: int = 32, force: bool = False, train_layers: int | None = None,
    progress: ProgressFn = no_progress, cancel: CancelToken | None = None, on_metrics: MetricsFn | None = None,
    pause: Any = None,
) -> FinetuneResult:
    """Job: learn from the shop's sales. Nothing becomes active unless it measures better (or ``force``)."""
    params = {"epochs": epochs, "device": device, "max_minutes": max_minutes, "max_pairs": max_pairs,
              "batch_size": batch_size, "force": force, "train_layers": train_layers}
    with journal.journaled(Path(db_path), journal.FINETUNE, params):
        return _finetune(Path(db_path), epochs=epochs, device=device, max_minutes=max_minutes, max_pairs=max_pairs,
                         batch_size=batch_size, force=force, train_layers=train_layers, progress=throttled(progress),
                         cancel=cancel or CancelToken(), on_metrics=on_metrics, pause=pause)


def _finetune(
    db_path: Path, *, epochs: int, device: str, max_minutes: float | None, max_pairs: int, batch_size: int,
    force: bool, train_layers: int | None, progress: ProgressFn, cancel: CancelToken, on_metrics: MetricsFn | None,
    pause: Any,
) -> FinetuneResult:
    remove_orphans(db_path)
    db = store.connect(db_path)
    try:
        base = active_text_model(db)
    finally:
        db.close()
    read_rate = None  # products per second, when this run reads the catalog first: measured, not guessed
    if base is None or not index_is_current(db_path):
        progress(0.0, "Reading product descriptions with the current model first")
        first = embed_catalog(db_path, model_dir=(base or {}).get("dir"), device=device,
                              progress=sub_progress(progress, 0.0, 0.1), cancel=cancel)
        read_rate = first.embedded / first.encode_seconds if first.encode_seconds > 1 else None
        db = store.connect(db_path)
        try:
            base = active_text_model(db)
        finally:
            db.close()
    assert base is not None
    folder = inspect_model_folder(base.get("dir"))
    # Every step of the preparation checks Cancel (issue 20: Cancel lands within 2 s in every phase).
    cancel.raise_if_cancelled()
    progress(0.1, "Finding pairs of products bought by the same customer")
    texts, data = training_inputs(db_path, max_pairs, cancel)
    if len(data.train) < 50:
        raise UserError("There are too few repeat customers to learn from yet: at least 50 pairs of products "
                        "bought by the same customer are needed.")
    cancel.raise_if_cancelled()
    used_device = pick_device(device)
    budget = (max_minutes * 60) if max_minutes else (CPU_TIME_BUDGET if used_device == "cpu" else None)
    if train_layers is None:
        train_layers = CPU_TRAIN_LAYERS if used_device == "cpu" else 0
    config = TrainConfig(epochs=epochs, batch_size=batch_size, max_seconds=budget, train_layers=train_layers or None,
                         then_seconds=after_training_seconds(len(texts), used_device, read_rate))
    progress(0.1, f"Learning from {len(data.train):,} pairs of products bought together")
    # As TextEncoder: the window keeps running while the libraries load, and a Cancel leaves at once.
    load_transformers(cancel.raise_if_cancelled)
    cancel.raise_if_cancelled()
    trainer = ContrastiveTrainer(folder, used_device)
    cancel.raise_if_cancelled()
    report = trainer.train(texts, data.train, data.validation, config, progress=sub_progress(progress, 0.1, 0.7),
                           cancel=cancel, on_metrics=on_metrics, pause=pause)
    name = next_version_name(db_path)
    target = versions_dir(db_path) / name
    with artifacts.atomic_folder(target) as tmp:
        trainer.save(tmp)
        del trainer
        fault_point("version-save")
    # "pairs": what it really learned from; a run its time budget stopped early saw only part of the plan.
    training = {"pairs": report.pairs_seen, "planned_pairs": report.planned_pairs,
                "validation_pairs": len(data.validation),
                "candidate_pairs": data.candidate_pairs, "customers": data.customers, "device": used_device,
                "base_model": folder.name, "base_fingerprint": folder.fingerprint, **asdict(config),
                "steps": report.steps, "seconds": report.seconds, "pairs_per_second": round(report.pairs_per_second, 1),
                "losses": report.losses, "validation_recall": report.validation, "stopped_early": report.stopped_early}
    artifacts.write_json(target / "training.json", training)
    progress(0.7, "Reading product descriptions with the new version")
    summary = embed_catalog(db_path, model_dir=target, device=device, activate=False,
                            progress=sub_progress(progress, 0.7, 0.9), cancel=cancel)
    candidate = {"dir": str(target), "fingerprint": summary.fingerprint, "dim": base.get("dim", 384), "name": name}
    progress(0.9, "Comparing with the current version on your latest sales")
    before = evaluate(db_path, mode="hybrid", text_model=base, cancel=cancel)
    calibration = calibrate_gem_text_weight(db_path, candidate, progress=sub_progress(progress, 0.92, 1.0),
                                            cancel=cancel)
    after = calibration.evaluation
    better, decision = _better(before, after)
    activate_now = better or force
    artifacts.write_json(target / "evaluation.json", {"before": before.as_dict(), "after": after.as_dict(),
                                                      "calibration": calibration.as_dict()})
    register_version(db_path, {"name": name, **{k: candidate[k] for k in ("dir", "fingerprint", "dim")},
                               GEM_TEXT_WEIGHT: calibration.weight,
                               "base_dir": base.get("dir"), "base_fingerprint": folder.fingerprint,
                               "created": int(time.time()), "training": {k: training[k] for k in
                               ("pairs", "steps", "seconds", "device", "stopped_early")},
                               "before": before.as_dict(), "after": after.as_dict()})
    if activate_now:
        from lrec_desktop.core.text.versions import activate

        activate(db_path, str(target))
    decision += ("; the new version is now in use." if better else
                 "; switched to the new version as you asked." if force else
                 "; the current version stays in use (you can switch in the version list).")
    progress(1.0, decision)
    return FinetuneResult(name, str(target), summary.fingerprint, activate_now, decision, before.as_dict(),
                          after.as_dict(), training)
