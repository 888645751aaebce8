"""The ``lrec-desktop`` command line: the same core jobs as the GUI, for scripts and power users.

Exit codes: 0 success; 2 bad input or usage (one line on stderr); 1 unexpected error (with a log path);
141 when the reader of stdout went away (``| head``), as for a tool stopped by SIGPIPE.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from lrec_desktop import __version__
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn
from lrec_desktop.core.printable import one_line, show_path

log = logging.getLogger("lrec_desktop.cli")

MAP_FIELDS = ("item_id title description category tags price stock customer_id timestamp quantity event rating "
              "order_id customer_name email status group").split()


class UsageError(UserError):
    """Wrong arguments; argparse's own errors are routed here so every bad input exits with 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _stderr_progress(quiet: bool) -> ProgressFn:
    state = {"last": -1.0, "message": ""}

    def report(fraction: float, message: str = "") -> None:
        if quiet:
            return
        if fraction - state["last"] >= 0.05 or fraction >= 1.0 or message != state["message"]:
            state.update(last=fraction, message=message)
            print(f"[{fraction * 100:5.1f}%] {one_line(message)}", file=sys.stderr, flush=True)

    return report


def _parse_map(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not column:
            raise UsageError(f"--map expects FIELD=COLUMN, got '{pair}'.")
        if field not in MAP_FIELDS:
            raise UsageError(f"--map: unknown field '{field}'. Fields: {', '.join(MAP_FIELDS)}.")
        if mapping.get(field, column) != column:  # a dict would keep the last silently
            raise UsageError(f"--map gives {field} twice ('{mapping[field]}' and '{column}'); give it once.")
        mapping[field] = column
    from lrec_desktop.core.ingest.plan import check_mapping

    check_mapping(mapping)  # one column named for two fields: refused before the shop file is opened
    return mapping


def _path(text: str) -> Path:
    """A path argument; a symbolic link loop is refused here, before any command opens it."""
    from lrec_desktop.core.output_file import real_path

    try:
        real_path(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return Path(text)


def _top(text: str) -> int:
    """--top: 0 or a negative number printed nothing and exited 0, which looked like "no recommendations"."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not '{text}'")
    return value


def _db_arg(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--db", type=_path, required=required, help="the shop file (.lrec)")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got '{text}'")
    return value


def _discovery_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--discovery", type=_fraction, metavar="0..1",
                   help="bestsellers (0) ↔ hidden gems (1); default: the shop's saved level")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lrec-desktop", description="Offline product recommendations for small shops.")
    parser.add_argument("--version", action="version", version=f"lrec_desktop {__version__}")
    parser.add_argument("--db", type=_path, help="open the GUI on this shop (no command)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("import", help="import a catalog and/or order history (CSV or Excel)")
    _db_arg(p)
    p.add_argument("--items", type=_path, help="catalog file")
    p.add_argument("--interactions", type=_path, help="orders, order lines or ratings file")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN", help="name a file's column")

    p = sub.add_parser("embed", help="let the text model read every product description (new/changed only)")
    _db_arg(p)
    p.add_argument("--model", type=_path, help="a local Hugging Face model folder (default: the bundled model)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="auto")
    p.add_argument("--batch-size", type=int)

    p = sub.add_parser("finetune", help="learn from this shop's sales: teach the text model what sells together")
    _db_arg(p)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="auto")
    p.add_argument("--max-minutes", type=float, help="training time budget (default: 8 on a CPU, none on a GPU)")
    p.add_argument("--max-pairs", type=int, default=20_000)
    p.add_argument("--force", action="store_true", help="switch to the new version even if it measures worse")
    p.add_argument("--train-layers", type=int, metavar="N",
                   help="train only the top N layers of the text model (0 = all; default: chosen for the device)")

    p = sub.add_parser("versions", help="list, switch or delete learned text model versions")
    _db_arg(p)
    p.add_argument("--activate", metavar="NAME", help="switch to a version (or 'base' for the bundled model)")
    p.add_argument("--delete", metavar="NAME", help="delete a version that is not in use")

    p = sub.add_parser("search", help="products that match free text")
    _db_arg(p)
    p.add_argument("text", nargs="+")
    p.add_argument("--top", type=_top, default=10)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("audience", help="customers most likely to want a product")
    _db_arg(p)
    p.add_argument("--item", required=True)
    p.add_argument("--top", type=_top, default=50)
    p.add_argument("--out", type=_path, help="write the audience as CSV")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("recommend", help="recommendations for one customer")
    _db_arg(p)
    p.add_argument("--customer", required=True, help="customer id or e-mail")
    p.add_argument("--top", type=_top, default=10)
    p.add_argument("--json", action="store_true")
    _discovery_arg(p)

    p = sub.add_parser("similar", help="products bought together with a product")
    _db_arg(p)
    p.add_argument("--item", required=True)
    p.add_argument("--top", type=_top, default=10)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="export recommendations as CSV")
    _db_arg(p)
    p.add_argument("--out", type=_path, required=True)
    p.add_argument("--top", type=_top, default=10)
    p.add_argument("--customers", help="comma-separated ids or e-mails (default: every customer)")
    p.add_argument("--layout", choices=("long", "wide"), default="long")
    _discovery_arg(p)
    p.add_argument("--excel", action="store_true",
                   help="UTF-8 with a byte-order mark, so Excel shows accented and Chinese titles right (the "
                        "window's exports do this; plain UTF-8 by default)")
    _export_campaign_args(p)

    p = sub.add_parser("basket", help="what to offer with a basket (the till prompt, the cart's cross-sell)")
    _db_arg(p)
    p.add_argument("--items", required=True, help="the basket's product ids or names, separated by commas")
    p.add_argument("--top", type=_top, default=5)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("lists", help="the same for every customer: selling faster lately, or new products")
    _db_arg(p)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--trending", action="store_true", help="sales rising most in the last weeks")
    which.add_argument("--new-arrivals", action="store_true", help="products first seen in the last days")
    which.add_argument("--buy-again", action="store_true",
                       help="per customer: products they reorder at a steady interval, now due (most overdue first)")
    p.add_argument("--customer", help="--buy-again: only this customer (id or e-mail)")
    p.add_argument("--weeks", type=_top, default=4, help="--trending: how many weeks count as lately (default 4)")
    p.add_argument("--days", type=_top, default=30, help="--new-arrivals: how many days count as new (default 30)")
    p.add_argument("--top", type=_top, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", type=_path, help="write the list as CSV (rank,item_id,title,reason)")

    p = sub.add_parser("campaigns", help="what each campaign sold: customers who got it against those held back")
    _db_arg(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export-related", help="related products of every product, for the web shop (CSV)")
    _db_arg(p)
    p.add_argument("--out", type=_path, required=True)
    p.add_argument("--format", choices=("woocommerce", "shopify", "generic"), default="generic")
    p.add_argument("--top", type=_top, default=4, help="related products per product (default 4)")

    p = sub.add_parser("evaluate", help="measure recommendations on each customer's latest purchases")
    _db_arg(p)
    p.add_argument("--top", type=_top, default=20)
    p.add_argument("--json", type=_path, metavar="FILE", help="also write the figures to FILE")
    p.add_argument("--mode", choices=("hybrid", "sales", "text"), default="hybrid",
                   help="what to measure: the blend, sales alone, or the text model alone")
    p.add_argument("--text-weight", type=float, help="weight of text similarity in the blend (for tuning)")
    p.add_argument("--gate-buyers", type=float, help="buyers at which text and sales weigh alike (for tuning)")
    _discovery_arg(p)

    p = sub.add_parser("settings", help="show or change this shop's settings")
    _db_arg(p)
    p.add_argument("--discovery", type=_fraction, help="save the shop's discovery level (0 = bestsellers only)")
    p.add_argument("--currency", metavar="CODE",
                   help="the shop's currency (EUR, USD, GBP ...; '' to take it from the next file again)")
    p.add_argument("--buy-again", choices=("auto", "on", "off"),
                   help="remind customers of products they reorder, in recommendations and exports (auto: on where "
                        "this shop's history shows steady reorders)")

    p = sub.add_parser("prepare", help="prepare recommendations after an import (done on demand otherwise)")
    _db_arg(p)

    p = sub.add_parser("refresh", help="import new export files dropped in a folder, then refresh recommendations")
    _db_arg(p)
    p.add_argument("--watch", type=_path, required=True, metavar="DIR", help="the folder to look into")
    p.add_argument("--once", action="store_true", help="look once and stop (for cron or Task Scheduler)")
    p.add_argument("--interval", type=_top, default=60, metavar="SECONDS", help="how often to look (default 60)")

    p = sub.add_parser("jobs", help="long jobs of this shop: interrupted ones to run again or discard")
    _db_arg(p)
    p.add_argument("--resume", type=int, metavar="ID", help="run an interrupted job again")
    p.add_argument("--discard", type=int, metavar="ID", help="forget an interrupted job and tidy what it left")
    p.add_argument("--all", action="store_true", help="list every recorded job, not only interrupted ones")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("products", help="non-products (postage, fees, gift cards): list them, or say what is what")
    _db_arg(p)
    p.add_argument("--not-a-product", action="append", default=[], metavar="ID",
                   help="never recommend this product, nor count it as one (repeatable)")
    p.add_argument("--is-a-product", action="append", default=[], metavar="ID",
                   help="a product after all, though it looked like postage or a fee (repeatable)")
    p.add_argument("--auto", action="append", default=[], metavar="ID", help="go by what the import found again")
    p.add_argument("--variants", action="store_true", help="list the products that have sizes or colours instead")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("stats", help="what the shop holds")
    _db_arg(p)
    p.add_argument("--json", action="store_true")
    return parser


def _prices(db_path: Path, recs: list) -> tuple[dict[str, float | None], str]:
    """Each recommended product's price, and the shop's currency (core.money), for the lists printed."""
    from lrec_desktop.core.money import shop_currency
    from lrec_desktop.core.store import db as store

    db = store.connect(db_path, readonly=True)
    try:
        ids = [r.item_id for r in recs]
        prices: dict[str, float | None] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            prices.update(db.execute(f"SELECT item_id, price FROM items WHERE item_id IN ({marks})", chunk).fetchall())
        return prices, shop_currency(db)
    finally:
        db.close()


def _print_recs(recs: list, as_json: bool, db_path: Path | None = None) -> None:
    from lrec_desktop.core.money import format_price

    prices, currency = _prices(db_path, recs) if db_path is not None else ({}, "")
    if as_json:
        print(json.dumps([{"rank": n, "item_id": r.item_id, "title": r.title, "score": round(r.score, 6),
                           "reason": r.reason, "badges": list(r.badges), "price": prices.get(r.item_id),
                           "currency": currency or None} for n, r in enumerate(recs, 1)], indent=1))
        return
    for n, r in enumerate(recs, 1):
        badge = f" [{', '.join(r.badges)}]" if r.badges else ""
        price = format_price(prices.get(r.item_id), currency)
        print(f"{n:>3}. {r.item_id}  {r.title}{f'  {price}' if price else ''}{badge}  — {r.reason}")


def _run(args: argparse.Namespace, progress: ProgressFn, cancel: CancelToken) -> int:
    if args.command == "import":
        from lrec_desktop.core.ingest.importer import ImportRequest, run_import
        from lrec_desktop.core.store import db as store

        if not args.items and not args.interactions:
            raise UsageError("import: give --items FILE and/or --interactions FILE.")
        mapping = _parse_map(args.map)  # a contradictory --map is refused before the shop file is created
        store.connect(args.db, create=True).close()
        request = ImportRequest(items=args.items, interactions=args.interactions, mapping=mapping)
        summary = run_import(args.db, request, progress=progress, cancel=cancel)
        print(one_line(summary.message()))  # a file name may hold a newline
        return 0
    if args.command == "embed":
        from lrec_desktop.core.text.embed_job import embed_catalog

        if args.batch_size is not None and args.batch_size < 1:
            raise UsageError("--batch-size must be at least 1.")
        summary = embed_catalog(args.db, model_dir=args.model, device=args.device, batch_size=args.batch_size,
                                progress=progress, cancel=cancel,
                                log_fn=lambda message: print(f"lrec-desktop: {message}", file=sys.stderr))
        print(one_line(summary.message()))
        return 0
    if args.command == "finetune":
        from lrec_desktop.core.text.finetune.job import finetune

        if args.epochs < 1 or args.max_pairs < 50:
            raise UsageError("--epochs must be at least 1 and --max-pairs at least 50.")
        result = finetune(args.db, epochs=args.epochs, device=args.device, max_minutes=args.max_minutes,
                          max_pairs=args.max_pairs, force=args.force, train_layers=args.train_layers,
                          progress=progress, cancel=cancel)
        print(one_line(result.message()))
        return 0
    if args.command == "versions":
        from lrec_desktop.core.text import versions

        if args.activate:
            target = None if args.activate == "base" else str(versions.versions_dir(args.db) / args.activate)
            if target is not None and not (versions.versions_dir(args.db) / args.activate).is_dir():
                raise UserError(f"No learned version {args.activate} in this shop.")
            versions.activate(args.db, target)
        if args.delete:
            versions.delete_version(args.db, args.delete)
        for v in versions.list_versions(args.db):
            after, before = v.get("after", {}), v.get("before", {})
            print(f"{'*' if v['active'] else ' '} {v['name']}  tail recall {before.get('tail_recall', 0):.4f} → "
                  f"{after.get('tail_recall', 0):.4f}, recall {before.get('recall', 0):.4f} → "
                  f"{after.get('recall', 0):.4f}")
        return 0
    if args.command == "search":
        from lrec_desktop.core.recommend.service import Recommender

        rec = Recommender.load(args.db, progress=progress, cancel=cancel)
        if rec.text is None:  # a damaged index says so; else none was built yet
            raise rec.text_problem or UserError(
                "The text model has not read the product descriptions yet: run 'lrec-desktop embed'.")
        from lrec_desktop.core.products import one_per_product
        from lrec_desktop.core.store import db as store

        db = store.connect(args.db, readonly=True)
        try:  # with variants more are asked for, since the sizes of one product come back as one
            def badges(item: str) -> tuple[str, ...]:  # as search gives them: sold out is said
                j = rec.model.items.index(item)
                return rec.catalog.badges(j) + (() if rec.catalog.in_stock[j] else ("out of stock",))

            sizes = db.execute("SELECT 1 FROM items WHERE product_id != item_id LIMIT 1").fetchone() is not None
            wanted = args.top * 3 if sizes else args.top  # without variants, exactly the list asked for
            found = one_per_product(db, rec.search(" ".join(args.text), wanted), badges)[: args.top]
        finally:
            db.close()
        _print_recs(found, args.json, args.db)
        return 0
    if args.command == "audience":
        from lrec_desktop.core.output_file import check_output
        from lrec_desktop.core.recommend.audience import find_audience, write_audience_csv

        if args.out:
            check_output(args.out, shop=args.db)  # before the work: a bad --out is refused at once
        members = find_audience(args.db, args.item, args.top, progress=progress, cancel=cancel)
        if args.out:
            write_audience_csv(members, args.out, shop=args.db)
            print(f"Wrote {len(members):,} customers to {show_path(args.out)}")
        elif args.json:
            print(json.dumps([m.__dict__ for m in members], indent=1, ensure_ascii=False))
        else:
            for n, m in enumerate(members, 1):
                print(f"{n:>3}. {m.customer_id}  {m.name or m.email}  — {m.reason}")
        return 0
    if args.command in ("recommend", "similar"):
        from lrec_desktop.core.recommend.service import Recommender
        from lrec_desktop.core.store import db as store
        from lrec_desktop.core.store.queries import find_customer, get_item

        rec = Recommender.load(args.db, progress=progress, cancel=cancel)
        db = store.connect(args.db)
        try:
            if args.command == "recommend":
                customer = find_customer(db, args.customer)
                if customer is None:
                    raise UserError(f"No customer '{args.customer}' in {args.db.name}.")
                recs = _with_buy_again(db, customer, rec.recommend(customer, args.top, args.discovery), args.top)
            else:
                item = get_item(db, args.item)
                if item is None:
                    raise UserError(f"No product '{args.item}' in {args.db.name}.")
                recs = rec.similar(item["product_id"], args.top)  # a size stands for its product
        finally:
            db.close()
        _print_recs(recs, args.json, args.db)
        return 0
    if args.command == "export":
        return _export(args, progress, cancel)
    if args.command == "basket":
        from lrec_desktop.core.recommend.cross_sell import CrossSell
        from lrec_desktop.core.recommend.service import Recommender

        cs = CrossSell.load(Recommender.load(args.db, progress=progress, cancel=cancel), progress=progress,
                            cancel=cancel)
        recs = cs.for_basket(cs.resolve(args.items.split(",")), args.top)
        if not recs and not args.json:  # an empty list printed nothing, which read as a failure
            print("Nothing to offer with this basket yet: no product is bought with it, and none sells yet.")
        _print_recs(recs, args.json, args.db)
        return 0
    if args.command == "lists":
        from lrec_desktop.core.output_file import check_output
        from lrec_desktop.core.recommend.lists import new_arrivals, trending, write_list_csv
        from lrec_desktop.core.recommend.service import Recommender

        if args.buy_again:
            return _buy_again(args)
        if args.out:
            check_output(args.out, shop=args.db)  # before the work: a bad --out is refused at once
        rec = Recommender.load(args.db, progress=progress, cancel=cancel)
        recs = trending(rec, args.top, args.weeks) if args.trending else new_arrivals(rec, args.top, args.days)
        if args.out:
            write_list_csv(recs, args.out, shop=args.db)
            print(f"Wrote {len(recs):,} products to {show_path(args.out)}")
        else:
            _print_recs(recs, args.json, args.db)
        return 0
    if args.command == "campaigns":
        return _campaigns(args)
    if args.command == "export-related":
        from lrec_desktop.core.export_related import export_related

        summary = export_related(args.db, args.out, fmt=args.format, top=args.top, progress=progress, cancel=cancel)
        print(one_line(summary.message()))
        return 0
    if args.command == "evaluate":
        from dataclasses import replace

        from lrec_desktop.core.evaluate.run import evaluate
        from lrec_desktop.core.output_file import check_output, open_output
        from lrec_desktop.core.recommend.service import blend_config
        from lrec_desktop.core.store import db as store
        from lrec_desktop.core.text.vector_store import active_text_model

        if args.json:
            check_output(args.json, shop=args.db)  # before a run of minutes, not after it
        db = store.connect(args.db)
        try:
            config = blend_config(active_text_model(db))  # the active version's own discovery-slot weight
        finally:
            db.close()
        if args.text_weight is not None:
            config = replace(config, text_weight=args.text_weight)
        if args.gate_buyers is not None:
            config = replace(config, gate_buyers=args.gate_buyers)
        result = evaluate(args.db, k=args.top, mode=args.mode, config=config, discovery=args.discovery,
                          progress=progress, cancel=cancel)
        figures = result.as_dict()
        if args.json:
            with open_output(args.json, shop=args.db) as f:
                f.write(json.dumps(figures, indent=1))
        for key, value in figures.items():
            print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
        return 0
    if args.command == "settings":
        from lrec_desktop.core.recommend.service import DISCOVERY_SETTING
        from lrec_desktop.core.store import db as store

        db = store.connect(args.db)
        try:
            if args.discovery is not None:
                store.set_setting(db, DISCOVERY_SETTING, args.discovery)
            if args.currency is not None:
                from lrec_desktop.core.money import set_currency

                set_currency(db, args.currency)
            if args.buy_again is not None:
                from lrec_desktop.core.recommend.buy_again import set_choice

                set_choice(db, args.buy_again)
            rows = db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
        finally:
            db.close()
        for key, value in rows:
            print(f"{key}: {value}")
        return 0
    if args.command == "prepare":
        from lrec_desktop.core.recommend.model import prepare

        config = prepare(args.db, progress=progress, cancel=cancel)
        print(f"Recommendations prepared ({config.algorithm}, {config.items_with_sales:,} products with sales, "
              f"{config.seconds:.1f} s)")
        return 0
    if args.command == "refresh":
        return _refresh(args, progress, cancel)
    if args.command == "jobs":
        return _jobs(args, progress, cancel)
    if args.command == "products":
        return _products(args)
    if args.command == "stats":
        from dataclasses import asdict

        from lrec_desktop.core.store import db as store
        from lrec_desktop.core.store.queries import shop_stats

        db = store.connect(args.db)
        try:
            found = shop_stats(db)
        finally:
            db.close()
        stats = asdict(found)
        if args.json:
            print(json.dumps(stats, indent=1))
        else:
            for key, value in stats.items():
                if key.endswith("_ts") and value:
                    value = time.strftime("%Y-%m-%d", time.gmtime(value))
                print(f"{key.replace('_', ' ')}: {value:,}" if isinstance(value, int) else f"{key}: {value}")
            if found.lines_read:
                print(found.line_counts.sentence())  # the same figures as the import summary, in words
        return 0
    raise UsageError(f"unknown command {args.command}")


def _export_campaign_args(p: argparse.ArgumentParser) -> None:
    """export's choices for an e-mail campaign (issue 21, items 4, 7 and 8)."""
    p.add_argument("--segment", action="append", default=[], metavar="NAME[:VALUE]",
                   help="only customers in this segment (repeatable; all must hold): first-time, repeat, lapsed:DAYS, "
                        "recent:DAYS, big-spenders:PERCENT, category:NAME, product:ID")
    p.add_argument("--only-with-picture", action="store_true",
                   help="leave out products without a picture (e-mail tools skip them); the next ones take their place")
    p.add_argument("--control-group", type=_fraction, nargs="?", const=0.1, metavar="SHARE",
                   help="hold back this share of the customers (default 0.1) and save the campaign, to measure later "
                        "with 'lrec-desktop campaigns'")
    p.add_argument("--campaign", metavar="NAME", default="", help="the campaign's name (default: the file's name)")
    p.add_argument("--seed", type=int, help="draws the held-back customers (default: the time of the export)")
    p.add_argument("--preview", type=_top, metavar="ROWS", help="print the first ROWS rows and write nothing")


def _export(args: argparse.Namespace, progress: ProgressFn, cancel: CancelToken) -> int:
    from lrec_desktop.core.csv_safe import SafeCsvWriter
    from lrec_desktop.core.export import ExportRequest, export_recommendations, preview_export
    from lrec_desktop.core.segments import parse_segment

    customers = None if args.customers is None else args.customers.split(",")
    if customers is not None and not any(c.strip() for c in customers):
        raise UsageError("--customers is empty: give customer ids or e-mails separated by commas, or leave "
                         "--customers out to export every customer.")
    for spec in args.segment:
        parse_segment(spec)  # a bad segment is refused before the shop is read
    if args.control_group is not None and not 0 < args.control_group < 1:
        raise UsageError("--control-group: give a share above 0 and below 1, such as 0.1 for 10%.")
    request = ExportRequest(args.out, args.top, customers, args.layout, args.discovery, excel=args.excel,
                            segments=args.segment, picture_only=args.only_with_picture,
                            holdout=args.control_group or 0.0, campaign=args.campaign, seed=args.seed)
    if args.preview:
        found = preview_export(args.db, request, args.preview, progress=progress, cancel=cancel)
        writer = SafeCsvWriter(sys.stdout)
        for row in (found.header, *found.rows):
            writer.writerow(row)
        print(f"({found.customers:,} customers{f': {found.segments}' if found.segments else ''}; nothing written)",
              file=sys.stderr)
        return 0
    summary = export_recommendations(args.db, request, progress=progress, cancel=cancel)
    who = f" ({summary.segments})" if summary.segments else ""
    print(f"Wrote {summary.rows:,} rows for {summary.customers:,} customers{who} to {show_path(summary.path)}")
    if summary.campaign_id is not None:
        print(f"Held back {summary.held_back:,} customers as the control group; campaign {summary.campaign_id} saved "
              "(after the next import: lrec-desktop campaigns)")
    return 0


def _campaigns(args: argparse.Namespace) -> int:
    from lrec_desktop.core.campaigns.uplift import measure_all
    from lrec_desktop.core.store import db as store

    db = store.connect(args.db, readonly=True)
    try:
        found = measure_all(db)
    finally:
        db.close()
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


def _with_buy_again(db: object, customer: str, recs: list, top: int) -> list:
    """A customer's recommendations with their due reorders first, where buy-again is on for this shop."""
    from lrec_desktop.core.recommend.buy_again import detect, merge, reorders

    if not detect(db).enabled:
        return recs
    due = reorders(db, [customer])
    return merge(recs, due, top) if due else recs


def _buy_again(args: argparse.Namespace) -> int:
    from lrec_desktop.core.csv_safe import SafeCsvWriter
    from lrec_desktop.core.output_file import check_output, open_output
    from lrec_desktop.core.recommend.buy_again import detect, reorders
    from lrec_desktop.core.store import db as store
    from lrec_desktop.core.store.queries import find_customer

    if args.out:
        check_output(args.out, shop=args.db)
    db = store.connect(args.db, readonly=True)
    try:
        customer = None if args.customer is None else find_customer(db, args.customer)
        if args.customer is not None and customer is None:
            raise UserError(f"No customer '{args.customer}' in {args.db.name}.")
        habit, due = detect(db), reorders(db, None if customer is None else [customer])
        emails = dict(db.execute("SELECT customer_id, email FROM customers"))
    finally:
        db.close()
    rows = [(r.customer_id, emails.get(r.customer_id, ""), r.item_id, r.title, r.reason()) for r in due]
    if args.out:
        with open_output(args.out, shop=args.db) as f:
            writer = SafeCsvWriter(f)
            for row in (("customer_id", "email", "item_id", "title", "reason"), *rows):
                writer.writerow(row)
        print(f"Wrote {len(rows):,} reorders due to {show_path(args.out)}. {habit.words()}")
    elif args.json:
        print(json.dumps([dict(zip(("customer_id", "email", "item_id", "title", "reason"), r, strict=True))
                          for r in rows], indent=1, ensure_ascii=False))
    else:
        print(habit.words())
        for c, _e, item, title, reason in rows[: args.top if customer is None else None]:
            print(one_line(f"{c}  {item}  {title}  — {reason}"))
    return 0


def _refresh(args: argparse.Namespace, progress: ProgressFn, cancel: CancelToken) -> int:
    from lrec_desktop.core import watch
    from lrec_desktop.core.store import db as store

    watch.check_folder(args.watch)
    store.connect(args.db, create=True).close()  # a scheduled task may start a new shop from its first files

    def report(result: watch.WatchResult) -> None:
        for name, summary in result.imported:
            print(one_line(f"{name}: {summary}"), flush=True)
        for name, why in result.refused:
            _say(f"{name} was left in the folder: {why}")
        if result.imported:
            print("Recommendations refreshed." if result.prepared else one_line(result.not_prepared), flush=True)

    if args.once:
        result = watch.refresh_once(args.db, args.watch, progress=progress, cancel=cancel)
        report(result)
        if not (result.imported or result.refused):
            print(result.message())
        return 2 if result.refused else 0
    print(f"Watching {show_path(args.watch)} every {args.interval} s; Ctrl+C stops.", flush=True)
    watch.watch(args.db, args.watch, interval=args.interval, report=report, cancel=cancel)
    return 0


def _products(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from lrec_desktop.core import products
    from lrec_desktop.core.store import db as store

    wanted = [(products.NOT_PRODUCT, args.not_a_product), (products.PRODUCT, args.is_a_product),
              (products.AUTO, args.auto)]
    ids = [i for _, given in wanted for i in given]
    if len(ids) != len(set(ids)):
        raise UsageError("products: a product is named twice; say once what it is.")
    for role, given in wanted:
        if given:
            products.set_product_role(args.db, given, role)
    db = store.connect(args.db)
    try:
        listed = products.list_non_products(db)
        grouped = products.list_variants(db) if args.variants else []
    finally:
        db.close()
    if args.variants:
        if args.json:
            print(json.dumps([asdict(g) for g in grouped], indent=1, ensure_ascii=False))
            return 0
        if not grouped:
            print("No product has variants: every product is sold in one form.")
        for g in grouped:
            sizes = ", ".join(f"{item} ({options})" if options else item for item, options in g.variants)
            print(one_line(f"{g.product_id}  {g.title}: {sizes}"))
        return 0
    if args.json:
        print(json.dumps([asdict(p) for p in listed], indent=1, ensure_ascii=False))
        return 0
    if not listed:
        print("Every product is a product: no postage, fees, discounts or gift cards were found.")
    for p in listed:
        said = "a product after all (marked by you)" if p.owner == products.PRODUCT else p.reason
        print(one_line(f"{p.item_id}  {p.title}  — {said}"))
    return 0


def _jobs(args: argparse.Namespace, progress: ProgressFn, cancel: CancelToken) -> int:
    from dataclasses import asdict

    from lrec_desktop.core import journal, resume

    if args.resume is not None and args.discard is not None:
        raise UsageError("jobs: give --resume or --discard, not both.")
    if args.discard is not None:
        entry = resume.discard(args.db, args.discard)
        print(f"Discarded job {entry.job_id}: {entry.title}.")
        return 0
    if args.resume is not None:
        result = resume.run_again(args.db, args.resume, progress=progress, cancel=cancel,
                                  log_fn=lambda message: print(f"lrec-desktop: {message}", file=sys.stderr))
        message = getattr(result, "message", None)
        print(message() if callable(message) else f"Job {args.resume} ran again and finished.")
        return 0
    entries = journal.history(args.db) if args.all else journal.interrupted(args.db)
    if args.json:
        print(json.dumps([asdict(e) for e in entries], indent=1, ensure_ascii=False))
        return 0
    if not entries:
        print("No interrupted jobs." if not args.all else "No jobs recorded yet.")
    for e in entries:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(e.started_at))
        print(f"{e.job_id:>5}  {e.state:<11}  {when}  {e.title}")
        if e.state == journal.INTERRUPTED:
            print(f"       {e.describe()} Run again: --resume {e.job_id}; forget it: --discard {e.job_id}")
    return 0


def _log_unexpected() -> Path:
    from lrec_desktop.core.paths import log_dir

    path = log_dir() / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.log"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path


def _say(message: str) -> None:
    """One line on stderr, whatever the message quotes (a file name with a newline in it, a cell's text)."""
    print(f"lrec-desktop: {one_line(message)}", file=sys.stderr)


def _reader_gone() -> int:
    """stdout's reader closed it (``| head``): stop quietly, as the Python docs advise for SIGPIPE.

    stdout is pointed at devnull so the interpreter's own flush at exit does not fail a second time.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is no real file (a test's capture): nothing to flush
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            from lrec_desktop.gui.app import run

            return run(args.db)
        from lrec_desktop.core.jobs import Cancelled

        try:
            code = _run(args, _stderr_progress(args.quiet), CancelToken())
            sys.stdout.flush()  # a closed pipe shows here, inside the handler below, not at interpreter exit
            return code
        except Cancelled:
            _say("cancelled")
            return 1
    except BrokenPipeError:
        return _reader_gone()
    except UserError as exc:
        _say(str(exc))
        return 2
    except KeyboardInterrupt:
        _say("interrupted")
        return 1
    except Exception as exc:
        from lrec_desktop.core.store.failures import storage_error

        refused = storage_error(exc, getattr(args, "db", None))
        if refused is not None:
            _say(str(refused))
            return 2
        path = _log_unexpected()
        _say(f"unexpected error: {exc!r} (details in {show_path(path)})")
        return 1


if __name__ == "__main__":
    sys.exit(main())
