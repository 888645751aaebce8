"""The command line's declaration: every command, its arguments, and the function that runs it
(``set_defaults(func=...)``); the commands themselves are small functions over ``lrec_desktop.core.app``."""

from __future__ import annotations

import argparse

from lrec_desktop import __version__
from lrec_desktop.cli import file_commands, list_commands, shop_commands, text_commands
from lrec_desktop.cli.args import DEVICES, Parser, db_arg, discovery_arg, fraction, path, top


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="lrec-desktop", description="Offline product recommendations for small shops.")
    parser.add_argument("--version", action="version", version=f"lrec_desktop {__version__}")
    parser.add_argument("--db", type=path, help="open the GUI on this shop (no command)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    p = sub.add_parser("import", help="import a catalog and/or order history (CSV or Excel)")
    db_arg(p)
    p.add_argument("--items", type=path, help="catalog file")
    p.add_argument("--interactions", type=path, help="orders, order lines or ratings file")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN", help="name a file's column")
    p.set_defaults(func=shop_commands.import_files)

    p = sub.add_parser("embed", help="let the text model read every product description (new/changed only)")
    db_arg(p)
    p.add_argument("--model", type=path, help="a local Hugging Face model folder, then the shop's text model "
                                              "(default: the shop's chosen model, the bundled one unless another)")
    p.add_argument("--device", choices=DEVICES, help="where it runs (default: the shop's choice, else auto)")
    p.add_argument("--batch-size", type=int)
    p.set_defaults(func=text_commands.embed)

    p = sub.add_parser("finetune", help="learn from this shop's sales: teach the text model what sells together")
    db_arg(p)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--device", choices=DEVICES, help="where it runs (default: the shop's choice, else auto)")
    p.add_argument("--max-minutes", type=float, help="training time budget (default: 8 on a CPU, none on a GPU)")
    p.add_argument("--max-pairs", type=int, default=20_000)
    p.add_argument("--force", action="store_true", help="switch to the new version even if it measures worse")
    p.add_argument("--train-layers", type=int, metavar="N",
                   help="train only the top N layers of the text model (0 = all; default: chosen for the device)")
    p.set_defaults(func=text_commands.finetune)

    p = sub.add_parser("versions", help="list, switch or delete learned text model versions")
    db_arg(p)
    p.add_argument("--activate", metavar="NAME",
                   help="switch to a version (or 'base' for the shop's chosen model, the bundled one unless another)")
    p.add_argument("--delete", metavar="NAME", help="delete a version that is not in use")
    p.set_defaults(func=text_commands.learned_versions)

    p = sub.add_parser("text-model", help="which text model reads the descriptions, what is left to read, and "
                                          "how long learning from sales would take")
    db_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=text_commands.text_model)

    p = sub.add_parser("search", help="products that match free text")
    db_arg(p)
    p.add_argument("text", nargs="+")
    p.add_argument("--top", type=top, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=list_commands.search)

    p = sub.add_parser("audience", help="customers most likely to want a product")
    db_arg(p)
    p.add_argument("--item", required=True)
    p.add_argument("--top", type=top, default=50)
    p.add_argument("--out", type=path, help="write the audience as CSV")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=list_commands.audience)

    p = sub.add_parser("recommend", help="recommendations for one customer")
    db_arg(p)
    p.add_argument("--customer", required=True, help="customer id or e-mail")
    p.add_argument("--top", type=top, default=10)
    p.add_argument("--json", action="store_true")
    discovery_arg(p)
    p.set_defaults(func=list_commands.recommend)

    p = sub.add_parser("similar", help="products bought together with a product")
    db_arg(p)
    p.add_argument("--item", required=True)
    p.add_argument("--top", type=top, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=list_commands.similar)

    p = sub.add_parser("export", help="export recommendations as CSV")
    db_arg(p)
    p.add_argument("--out", type=path, required=True)
    p.add_argument("--top", type=top, default=10)
    p.add_argument("--customers", help="comma-separated ids or e-mails (default: every customer)")
    p.add_argument("--layout", choices=("long", "wide"), default="long")
    discovery_arg(p)
    p.add_argument("--excel", action="store_true",
                   help="UTF-8 with a byte-order mark, so Excel shows accented and Chinese titles right (the "
                        "window's exports do this; plain UTF-8 by default)")
    p.add_argument("--segment", action="append", default=[], metavar="NAME[:VALUE]",
                   help="only customers in this segment (repeatable; all must hold): first-time, repeat, lapsed:DAYS, "
                        "recent:DAYS, big-spenders:PERCENT, category:NAME, product:ID")
    p.add_argument("--only-with-picture", action="store_true",
                   help="leave out products without a picture (e-mail tools skip them); the next ones take their place")
    p.add_argument("--control-group", type=fraction, nargs="?", const=0.1, metavar="SHARE",
                   help="hold back this share of the customers (default 0.1) and save the campaign, to measure later "
                        "with 'lrec-desktop campaigns'")
    p.add_argument("--campaign", metavar="NAME", default="", help="the campaign's name (default: the file's name)")
    p.add_argument("--seed", type=int, help="draws the held-back customers (default: the time of the export)")
    p.add_argument("--preview", type=top, metavar="ROWS", help="print the first ROWS rows and write nothing")
    p.set_defaults(func=file_commands.export_recommendations)

    p = sub.add_parser("basket", help="what to offer with a basket (the till prompt, the cart's cross-sell)")
    db_arg(p)
    p.add_argument("--items", required=True, help="the basket's product ids or names, separated by commas")
    p.add_argument("--top", type=top, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=list_commands.basket)

    p = sub.add_parser("lists", help="the same for every customer: selling faster lately, or new products")
    db_arg(p)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--trending", action="store_true", help="sales rising most in the last weeks")
    which.add_argument("--new-arrivals", action="store_true", help="products first seen in the last days")
    which.add_argument("--buy-again", action="store_true",
                       help="per customer: products they reorder at a steady interval, now due (most overdue first)")
    p.add_argument("--customer", help="--buy-again: only this customer (id or e-mail)")
    p.add_argument("--weeks", type=top, default=4, help="--trending: how many weeks count as lately (default 4)")
    p.add_argument("--days", type=top, default=30, help="--new-arrivals: how many days count as new (default 30)")
    p.add_argument("--top", type=top, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", type=path, help="write the list as CSV (rank,item_id,title,reason)")
    p.set_defaults(func=list_commands.lists)

    p = sub.add_parser("campaigns", help="what each campaign sold: customers who got it against those held back")
    db_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=file_commands.campaigns)

    p = sub.add_parser("export-related", help="related products of every product, for the web shop (CSV)")
    db_arg(p)
    p.add_argument("--out", type=path, required=True)
    p.add_argument("--format", choices=("woocommerce", "shopify", "generic"), default="generic")
    p.add_argument("--top", type=top, default=4, help="related products per product (default 4)")
    p.set_defaults(func=file_commands.export_related)

    p = sub.add_parser("evaluate", help="measure recommendations on each customer's latest purchases")
    db_arg(p)
    p.add_argument("--top", type=top, default=20)
    p.add_argument("--json", type=path, metavar="FILE", help="also write the figures to FILE")
    p.add_argument("--mode", choices=("hybrid", "sales", "text"), default="hybrid",
                   help="what to measure: the blend, sales alone, or the text model alone")
    p.add_argument("--text-weight", type=float, help="weight of text similarity in the blend (for tuning)")
    p.add_argument("--gate-buyers", type=float, help="buyers at which text and sales weigh alike (for tuning)")
    discovery_arg(p)
    p.set_defaults(func=file_commands.evaluate_shop)

    p = sub.add_parser("settings", help="show or change this shop's settings")
    db_arg(p)
    p.add_argument("--discovery", type=fraction, help="save the shop's discovery level (0 = bestsellers only)")
    p.add_argument("--currency", metavar="CODE",
                   help="the shop's currency (EUR, USD, GBP ...; '' to take it from the next file again)")
    p.add_argument("--buy-again", choices=("auto", "on", "off"),
                   help="remind customers of products they reorder, in recommendations and exports (auto: on where "
                        "this shop's history shows steady reorders)")
    p.set_defaults(func=shop_commands.shop_settings)

    p = sub.add_parser("prepare", help="prepare recommendations after an import (done on demand otherwise)")
    db_arg(p)
    p.set_defaults(func=shop_commands.prepare_recommendations)

    p = sub.add_parser("refresh", help="import new export files dropped in a folder, then refresh recommendations")
    db_arg(p)
    p.add_argument("--watch", type=path, required=True, metavar="DIR", help="the folder to look into")
    p.add_argument("--once", action="store_true", help="look once and stop (for cron or Task Scheduler)")
    p.add_argument("--interval", type=top, default=60, metavar="SECONDS", help="how often to look (default 60)")
    p.set_defaults(func=shop_commands.refresh)

    p = sub.add_parser("jobs", help="long jobs of this shop: interrupted ones to run again or discard")
    db_arg(p)
    p.add_argument("--resume", type=int, metavar="ID", help="run an interrupted job again")
    p.add_argument("--discard", type=int, metavar="ID", help="forget an interrupted job and tidy what it left")
    p.add_argument("--all", action="store_true", help="list every recorded job, not only interrupted ones")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=shop_commands.job_journal)

    p = sub.add_parser("products", help="non-products (postage, fees, gift cards): list them, or say what is what")
    db_arg(p)
    p.add_argument("--not-a-product", action="append", default=[], metavar="ID",
                   help="never recommend this product, nor count it as one (repeatable)")
    p.add_argument("--is-a-product", action="append", default=[], metavar="ID",
                   help="a product after all, though it looked like postage or a fee (repeatable)")
    p.add_argument("--auto", action="append", default=[], metavar="ID", help="go by what the import found again")
    p.add_argument("--variants", action="store_true", help="list the products that have sizes or colours instead")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=shop_commands.product_roles)

    p = sub.add_parser("stats", help="what the shop holds")
    db_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=shop_commands.stats)
    return parser
