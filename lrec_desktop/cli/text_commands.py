"""Commands about the text model: read the product descriptions, learn from sales, switch learned versions.
They decide as the window does: the shop's chosen model and device unless the command names others."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from lrec_desktop.cli.args import UsageError
from lrec_desktop.cli.output import Context, note, print_json
from lrec_desktop.core.app import choice, learning, versions
from lrec_desktop.core.printable import one_line


def embed(args: argparse.Namespace, ctx: Context) -> int:
    if args.batch_size is not None and args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1.")
    summary = choice.read_descriptions(args.db, model_dir=args.model, device=args.device, batch_size=args.batch_size,
                                       progress=ctx.progress, cancel=ctx.cancel, log_fn=note)
    print(one_line(summary.message()))
    return 0


def finetune(args: argparse.Namespace, ctx: Context) -> int:
    if args.epochs < 1 or args.max_pairs < 50:
        raise UsageError("--epochs must be at least 1 and --max-pairs at least 50.")
    result = learning.learn_from_sales(args.db, epochs=args.epochs, device=args.device, max_minutes=args.max_minutes,
                                       max_pairs=args.max_pairs, force=args.force, train_layers=args.train_layers,
                                       progress=ctx.progress, cancel=ctx.cancel)
    print(one_line(result.message()))
    return 0


BASE = "base"  # versions --activate base: back to the model chosen for the shop (the bundled one unless another)


def learned_versions(args: argparse.Namespace, ctx: Context) -> int:
    if args.activate:
        versions.use_version(args.db, None if args.activate == BASE else args.activate, progress=ctx.progress,
                             cancel=ctx.cancel)
    if args.delete:
        versions.delete_version(args.db, args.delete)
    for v in versions.learned_versions(args.db):
        print(f"{'*' if v.active else ' '} {v.name}  tail recall {v.before.get('tail_recall', 0):.4f} → "
              f"{v.after.get('tail_recall', 0):.4f}, recall {v.before.get('recall', 0):.4f} → "
              f"{v.after.get('recall', 0):.4f}")
    return 0


def text_model(args: argparse.Namespace, ctx: Context) -> int:
    """Which text model reads the descriptions, what is left to read, and how long learning would take."""
    status = choice.text_status(args.db)
    estimate = learning.learn_estimate(args.db)
    if args.json:
        print_json({"status": asdict(status), "learn_estimate": asdict(estimate)})
        return 0
    chosen = status.chosen.learned or status.chosen.dir or "the bundled model"
    print(f"text model: {chosen} on {status.device}" + (f" ({status.problem})" if status.problem else ""))
    print(f"descriptions: {status.products - status.to_read:,} of {status.products:,} read"
          + ("" if status.current else "; run 'lrec-desktop embed' to read the rest"))
    print(f"learning from sales: about {estimate.pairs:,} pairs, {estimate.seconds / 60:.0f} min on {estimate.device}")
    return 0
