"""Commands that write files or measure: campaign exports, related products for the web shop, evaluation."""

from __future__ import annotations

import argparse
import json

from lrec_desktop.cli.args import customer_list
from lrec_desktop.cli.output import Context
from lrec_desktop.core.app import evaluate, export
from lrec_desktop.core.printable import one_line, show_path


def export_recommendations(args: argparse.Namespace, ctx: Context) -> int:
    customers = customer_list(args.customers)
    summary = export.export_recommendations(args.db, args.out, args.top, customers, args.layout, args.discovery,
                                            excel=args.excel, progress=ctx.progress, cancel=ctx.cancel)
    print(f"Wrote {summary.rows:,} rows for {summary.customers:,} customers to {show_path(summary.path)}")
    return 0


def export_related(args: argparse.Namespace, ctx: Context) -> int:
    summary = export.export_related(args.db, args.out, fmt=args.format, top=args.top, progress=ctx.progress,
                                    cancel=ctx.cancel)
    print(one_line(summary.message()))
    return 0


def evaluate_shop(args: argparse.Namespace, ctx: Context) -> int:
    if args.json:
        export.check_output(args.json, shop=args.db)  # before a run of minutes, not after it
    result = evaluate.evaluate_shop(args.db, args.mode, args.top, discovery=args.discovery,
                                    text_weight=args.text_weight, gate_buyers=args.gate_buyers,
                                    progress=ctx.progress, cancel=ctx.cancel)
    figures = result.as_dict()
    if args.json:
        export.write_text(args.json, json.dumps(figures, indent=1), shop=args.db)
    for key, value in figures.items():
        print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    return 0
