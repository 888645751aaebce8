"""Commands that list products or customers: for a customer, like a product, matching text, a product's
audience, a basket's offer, and the lists that are the same for everyone."""

from __future__ import annotations

import argparse

from lrec_desktop.cli.output import Context, print_json, print_recs
from lrec_desktop.core.app import export, lookup, prepare
from lrec_desktop.core.printable import one_line, show_path


def recommend(args: argparse.Namespace, ctx: Context) -> int:
    rec = prepare.load_recommender(args.db, progress=ctx.progress, cancel=ctx.cancel)
    print_recs(lookup.recommend_customer(rec, args.db, args.customer, args.top, args.discovery), args.json, args.db)
    return 0


def similar(args: argparse.Namespace, ctx: Context) -> int:
    rec = prepare.load_recommender(args.db, progress=ctx.progress, cancel=ctx.cancel)
    print_recs(lookup.similar_to(rec, args.db, args.item, args.top), args.json, args.db)
    return 0


def search(args: argparse.Namespace, ctx: Context) -> int:
    rec = prepare.load_recommender(args.db, progress=ctx.progress, cancel=ctx.cancel)
    print_recs(lookup.search(rec, args.db, " ".join(args.text), args.top), args.json, args.db)
    return 0


def audience(args: argparse.Namespace, ctx: Context) -> int:
    if args.out:
        export.check_output(args.out, shop=args.db)  # before the work: a bad --out is refused at once
    members = lookup.find_audience(args.db, args.item, n=args.top, progress=ctx.progress, cancel=ctx.cancel)
    if args.out:
        export.write_audience_csv(members, args.out, shop=args.db)
        print(f"Wrote {len(members):,} customers to {show_path(args.out)}")
    elif args.json:
        print_json([m.__dict__ for m in members])
    else:
        for n, m in enumerate(members, 1):
            print(f"{n:>3}. {m.customer_id}  {m.name or m.email}  — {m.reason}")
    return 0


def basket(args: argparse.Namespace, ctx: Context) -> int:
    rec = prepare.load_recommender(args.db, progress=ctx.progress, cancel=ctx.cancel)
    offer = lookup.basket_offer(rec, 0, args.items.split(","), args.top, progress=ctx.progress, cancel=ctx.cancel)
    if not offer.recs and not args.json:  # an empty list printed nothing, which read as a failure
        print("Nothing to offer with this basket yet: no product is bought with it, and none sells yet.")
    print_recs(offer.recs, args.json, args.db)
    return 0


def lists(args: argparse.Namespace, ctx: Context) -> int:
    if args.buy_again:
        return buy_again(args, ctx)
    if args.out:
        export.check_output(args.out, shop=args.db)  # before the work: a bad --out is refused at once
    rec = prepare.load_recommender(args.db, progress=ctx.progress, cancel=ctx.cancel)
    recs = (lookup.trending(rec, args.top, args.weeks) if args.trending
            else lookup.new_arrivals(rec, args.top, args.days))
    if args.out:
        export.write_list_csv(recs, args.out, shop=args.db)
        print(f"Wrote {len(recs):,} products to {show_path(args.out)}")
    else:
        print_recs(recs, args.json, args.db)
    return 0


REORDER_HEADER = ("customer_id", "email", "item_id", "title", "reason")


def buy_again(args: argparse.Namespace, ctx: Context) -> int:
    """lists --buy-again: the reorders due, per customer (or one customer's), as lines, JSON or CSV."""
    if args.out:
        export.check_output(args.out, shop=args.db)
    habit, due = lookup.due_reorders(args.db, args.customer)
    rows = [(r.customer_id, r.email, r.item_id, r.title, r.reason) for r in due]
    if args.out:
        export.write_csv(args.out, [REORDER_HEADER, *rows], shop=args.db)
        print(f"Wrote {len(rows):,} reorders due to {show_path(args.out)}. {habit}")
    elif args.json:
        print_json([dict(zip(REORDER_HEADER, r, strict=True)) for r in rows])
    else:
        print(habit)
        for c, _e, item, title, reason in rows[: args.top if args.customer is None else None]:
            print(one_line(f"{c}  {item}  {title}  — {reason}"))
    return 0
