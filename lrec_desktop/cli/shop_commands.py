"""Commands about the shop itself: import files, prepare recommendations, what it holds, its settings,
what is a product, and its interrupted jobs."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict

from lrec_desktop.cli.args import UsageError, parse_map
from lrec_desktop.cli.output import Context, note, print_json, say
from lrec_desktop.core.app import imports, jobs, prepare, products, settings, shops, watch
from lrec_desktop.core.printable import one_line, show_path


def import_files(args: argparse.Namespace, ctx: Context) -> int:
    if not args.items and not args.interactions:
        raise UsageError("import: give --items FILE and/or --interactions FILE.")
    mapping = parse_map(args.map)  # a contradictory --map is refused before the shop file is created
    plan = imports.ImportPlan(items=args.items, interactions=args.interactions, mapping=mapping)
    summary = imports.run_import(args.db, plan, progress=ctx.progress, cancel=ctx.cancel)
    print(one_line(summary.message()))  # a file name may hold a newline
    return 0


def prepare_recommendations(args: argparse.Namespace, ctx: Context) -> int:
    config = prepare.prepare(args.db, progress=ctx.progress, cancel=ctx.cancel)
    print(f"Recommendations prepared ({config.algorithm}, {config.items_with_sales:,} products with sales, "
          f"{config.seconds:.1f} s)")
    return 0


def stats(args: argparse.Namespace, ctx: Context) -> int:
    found = shops.shop_stats(args.db)
    figures = asdict(found)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    for key, value in figures.items():
        if key.endswith("_ts") and value:
            value = time.strftime("%Y-%m-%d", time.gmtime(value))
        print(f"{key.replace('_', ' ')}: {value:,}" if isinstance(value, int) else f"{key}: {value}")
    if found.lines_read:
        print(found.line_counts.sentence())  # the same figures as the import summary, in words
    return 0


def shop_settings(args: argparse.Namespace, ctx: Context) -> int:
    if args.discovery is not None:
        settings.save_discovery(args.db, args.discovery)
    if args.currency is not None:
        settings.save_currency(args.db, args.currency)
    if args.buy_again is not None:
        settings.save_buy_again(args.db, args.buy_again)
    for key, value in settings.stored_settings(args.db):
        print(f"{key}: {value}")
    return 0


def product_roles(args: argparse.Namespace, ctx: Context) -> int:
    products.set_roles(args.db, {products.NOT_PRODUCT: args.not_a_product, products.PRODUCT: args.is_a_product,
                                 products.AUTO: args.auto})
    if args.variants:
        return _print_variants(args)
    listed = products.non_products(args.db)
    if args.json:
        print_json([asdict(p) for p in listed])
        return 0
    if not listed:
        print("Every product is a product: no postage, fees, discounts or gift cards were found.")
    for p in listed:
        said = "a product after all (marked by you)" if products.marked_a_product(p) else p.reason
        print(one_line(f"{p.item_id}  {p.title}  — {said}"))
    return 0


def _print_variants(args: argparse.Namespace) -> int:
    grouped = products.variants(args.db)
    if args.json:
        print_json([asdict(g) for g in grouped])
        return 0
    if not grouped:
        print("No product has variants: every product is sold in one form.")
    for g in grouped:
        sizes = ", ".join(f"{item} ({options})" if options else item for item, options in g.variants)
        print(one_line(f"{g.product_id}  {g.title}: {sizes}"))
    return 0


def job_journal(args: argparse.Namespace, ctx: Context) -> int:
    if args.resume is not None and args.discard is not None:
        raise UsageError("jobs: give --resume or --discard, not both.")
    if args.discard is not None:
        entry = jobs.discard(args.db, args.discard)
        print(f"Discarded job {entry.job_id}: {entry.title}.")
        return 0
    if args.resume is not None:
        result = jobs.run_again(args.db, args.resume, progress=ctx.progress, cancel=ctx.cancel, log_fn=note)
        message = getattr(result, "message", None)
        print(message() if callable(message) else f"Job {args.resume} ran again and finished.")
        return 0
    entries = jobs.history(args.db) if args.all else jobs.interrupted(args.db)
    if args.json:
        print_json([asdict(e) for e in entries])
        return 0
    if not entries:
        print("No interrupted jobs." if not args.all else "No jobs recorded yet.")
    for e in entries:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(e.started_at))
        print(f"{e.job_id:>5}  {e.state:<11}  {when}  {e.title}")
        if e.state == jobs.interrupted_state():
            print(f"       {e.describe()} Run again: --resume {e.job_id}; forget it: --discard {e.job_id}")
    return 0


def refresh(args: argparse.Namespace, ctx: Context) -> int:
    """Import new export files from a folder (once, or every --interval seconds until Ctrl+C)."""
    watch.check_folder(args.watch)
    shops.ensure_shop(args.db)  # a scheduled task may start a new shop from its first files
    if args.once:
        result = watch.refresh_once(args.db, args.watch, progress=ctx.progress, cancel=ctx.cancel)
        _report_refresh(result)
        if not (result.imported or result.refused):
            print(result.message())
        return 2 if result.refused else 0
    print(f"Watching {show_path(args.watch)} every {args.interval} s; Ctrl+C stops.", flush=True)
    watch.watch(args.db, args.watch, interval=args.interval, report=_report_refresh, cancel=ctx.cancel)
    return 0


def _report_refresh(result: watch.WatchResult) -> None:
    for name, summary in result.imported:
        print(one_line(f"{name}: {summary}"), flush=True)
    for name, why in result.refused:
        say(f"{name} was left in the folder: {why}")
    if result.imported:
        print("Recommendations refreshed." if result.prepared else one_line(result.not_prepared), flush=True)
