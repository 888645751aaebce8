"""Training benchmark: how many training pairs per second "Learn from my sales" gets through, on the CPU
or a GPU, and (with --full) the wall time of the whole job on a shop.

    python tests/benchmarks/bench_finetune.py --db SHOP.lrec [--device cpu|cuda|auto] [--steps 20]
                                              [--batch 32] [--train-layers N] [--full] [--max-minutes M]

SHOP.lrec is any shop with sales whose descriptions have been read (`lrec-desktop import` + `embed`; the
peer benchmark leaves one per dataset as .bench/<dataset>/bench-project.lrec). The shop file itself is not
changed by the throughput part; --full runs the real job on a copy (it writes a version and switches).
--train-layers defaults to the job's choice for the device (0 = every layer). Prints one JSON line per
measurement.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from lrec_desktop.core.finetune.job import CPU_TRAIN_LAYERS, finetune, training_inputs
from lrec_desktop.core.finetune.trainer import ContrastiveTrainer, TrainConfig
from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.migrations import backup
from lrec_desktop.core.text.device import pick_device
from lrec_desktop.core.text.libraries import load_transformers
from lrec_desktop.core.text.model_folder import inspect_model_folder
from lrec_desktop.core.text.vector_store import active_text_model


def throughput(db_path: Path, device: str, steps: int, batch: int, train_layers: int | None) -> dict:
    db = store.connect(db_path)
    try:
        base = active_text_model(db) or {}
    finally:
        db.close()
    texts, data = training_inputs(db_path, max_pairs=steps * batch)
    load_transformers()
    used = pick_device(device)
    trainer = ContrastiveTrainer(inspect_model_folder(base.get("dir")), used)
    if train_layers is None:
        train_layers = CPU_TRAIN_LAYERS if used == "cpu" else 0
    config = TrainConfig(batch_size=batch, train_layers=train_layers or None)
    started = time.monotonic()
    report = trainer.train(texts, data.train, data.validation, config)  # its seconds: the steps (first included)
    negatives = int((data.train.negatives >= 0).sum())
    return {"measure": "training pairs per second", "device": used, "model": trainer.folder.name,
            "batch": batch, "train_layers": train_layers or "all", "steps": report.steps, "pairs": report.pairs_seen,
            "hard_negatives": negatives, "pairs_per_second": round(report.pairs_per_second, 1),
            "seconds_training": report.seconds,
            # with reading the frozen layers once (when only the top layers learn) and the validation passes
            "seconds_in_all": round(time.monotonic() - started, 1)}


def full_run(db_path: Path, device: str, max_minutes: float | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-finetune-") as tmp:
        copy = Path(tmp) / db_path.name
        source = sqlite3.connect(db_path)
        try:
            backup(source, copy)  # a consistent copy, whatever the write-ahead log still holds
        finally:
            source.close()
        if models_dir(db_path).is_dir():
            shutil.copytree(models_dir(db_path), models_dir(copy))
        started = time.monotonic()
        result = finetune(copy, device=device, max_minutes=max_minutes)
        return {"measure": "whole learning job", "device": result.training["device"],
                "wall_seconds": round(time.monotonic() - started, 1), "steps": result.training["steps"],
                "pairs_per_second": result.training["pairs_per_second"],
                "stopped_early": result.training["stopped_early"], "decision": result.decision}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--train-layers", type=int, default=None)
    parser.add_argument("--full", action="store_true", help="also time the whole job on a copy of the shop")
    parser.add_argument("--max-minutes", type=float, default=None)
    args = parser.parse_args()
    print(json.dumps(throughput(args.db, args.device, args.steps, args.batch, args.train_layers)), flush=True)
    if args.full:
        print(json.dumps(full_run(args.db, args.device, args.max_minutes)), flush=True)


if __name__ == "__main__":
    main()
