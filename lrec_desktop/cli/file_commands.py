"""Commands that write files or measure: campaign exports, related products for the web shop, evaluation."""

from __future__ import annotations

import argparse
import json
import sys
import time

from lrec_desktop.cli.args import UsageError, customer_list
from lrec_desktop.cli.output import Context
from lrec_desktop.core.app import campaigns as app_campaigns
from lrec_desktop.core.app import evaluate, export
from lrec_desktop.core.printable import one_line, show_path


def export_recommendations(args: argparse.Namespace, ctx: Context) -> int:
    customers = customer_list(args.customers)
    for spec in args.segment:
        export.check_segment(spec)  # a bad segment is refused before the shop is read
    if args.control_group is not None and not 0 < args.control_group < 1:
        raise UsageError("--control-group: give a share above 0 and below 1, such as 0.1 for 10%.")
    request = export.export_request(args.out, args.top, customers, args.layout, args.discovery, excel=args.excel,
                                    segments=args.segment, picture_only=args.only_with_picture,
                                    holdout=args.control_group or 0.0, campaign=args.campaign, seed=args.seed)
    if args.preview:
        return _preview(args, request, ctx)
    summary = export.export_recommendations(args.db, request, progress=ctx.progress, cancel=ctx.cancel)
    who = f" ({summary.segments})" if summary.segments else ""
    print(f"Wrote {summary.rows:,} rows for {summary.customers:,} customers{who} to {show_path(summary.path)}")
    if summary.campaign_id is not None:
        print(f"Held back {summary.held_back:,} customers as the control group; campaign {summary.campaign_id} saved "
              "(after the next import: lrec-desktop campaigns)")
    return 0


def _preview(args: argparse.Namespace, request: export.ExportRequest, ctx: Context) -> int:
    """export --preview: the first rows on stdout, as the file would hold them; nothing written."""
    found = export.preview_export(args.db, request, args.preview, progress=ctx.progress, cancel=ctx.cancel)
    writer = export.csv_writer(sys.stdout)
    for row in (found.header, *found.rows):
        writer.writerow(row)
    print(f"({found.customers:,} customers{f': {found.segments}' if found.segments else ''}; nothing written)",
          file=sys.stderr)
    return 0


def campaigns(args: argparse.Namespace, ctx: Context) -> int:
    found = app_campaigns.measure_campaigns(args.db)
    if args.json:
        print(json.dumps([u.as_dict() for u in found], indent=1, ensure_ascii=False))
        return 0
    if not found:
        print("No campaigns yet: export with --control-group to hold back some customers and measure what it sold.")
    for u in found:
        c = u.campaign
        when = time.strftime("%Y-%m-%d", time.gmtime(c.created_at))
        print(one_line(f"{c.campaign_id:>4}  {when}  {c.name}: {c.treated:,} got it, {c.held_back:,} held back"
                       f"{f' ({c.segments})' if c.segments else ''}"))
        print(f"      {one_line(u.words())}")
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
