"""What the command line prints: progress on stderr, lists of products, one-line messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.app.jobs import CancelToken, ProgressFn
from lrec_desktop.core.printable import one_line

if TYPE_CHECKING:
    from lrec_desktop.core.recommend.service import Recommendation


def stderr_progress(quiet: bool) -> ProgressFn:
    state = {"last": -1.0, "message": ""}

    def report(fraction: float, message: str = "") -> None:
        if quiet:
            return
        if fraction - float(state["last"]) >= 0.05 or fraction >= 1.0 or message != state["message"]:
            state.update(last=fraction, message=message)
            print(f"[{fraction * 100:5.1f}%] {one_line(message)}", file=sys.stderr, flush=True)

    return report


def note(message: str) -> None:
    """A job's note (``log_fn``) on stderr: "Out of memory on cuda: retrying with smaller batches"."""
    print(f"lrec-desktop: {message}", file=sys.stderr)


def say(message: str) -> None:
    """One line on stderr, whatever the message quotes (a file name with a newline in it, a cell's text)."""
    print(f"lrec-desktop: {one_line(message)}", file=sys.stderr)


@dataclass
class Context:
    """What every command gets besides its arguments: the progress report and the cancel token."""

    progress: ProgressFn
    cancel: CancelToken = field(default_factory=CancelToken)


def print_recs(recs: Sequence[Recommendation], as_json: bool, db_path: Path) -> None:
    """A list of products: numbered lines with price and badges, or JSON (rank, id, title, score, reason, ...)."""
    from lrec_desktop.core.app.lookup import format_price, prices_of

    prices = prices_of(db_path, recs)
    if as_json:
        print(json.dumps([{"rank": n, "item_id": r.item_id, "title": r.title, "score": round(r.score, 6),
                           "reason": r.reason, "badges": list(r.badges), "price": prices.by_item.get(r.item_id),
                           "currency": prices.currency or None} for n, r in enumerate(recs, 1)], indent=1))
        return
    for n, r in enumerate(recs, 1):
        badge = f" [{', '.join(r.badges)}]" if r.badges else ""
        price = format_price(prices.by_item.get(r.item_id), prices.currency)
        print(f"{n:>3}. {r.item_id}  {r.title}{f'  {price}' if price else ''}{badge}  — {r.reason}")


def print_json(value: object) -> None:
    print(json.dumps(value, indent=1, ensure_ascii=False))
