"""The sentence and next step for "are the product descriptions understood by the text model?", shared by the
Overview and the Catalog so both say the same thing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lrec_desktop.gui import formatting
from lrec_desktop.gui.text_states import TEXT_CHECKING, TEXT_CURRENT, TEXT_FAILED, TEXT_READING

if TYPE_CHECKING:
    from lrec_desktop.gui.session import ShopSession

READ, SETTINGS = "read", "settings"  # what the next-step button does


@dataclass(frozen=True)
class TextReadiness:
    ok: bool | None  # True ✓, False ✗, None busy
    text: str
    button: str = ""  # the next step's button text; "" for none
    action: str = READ


def duration(seconds: float) -> str:
    if seconds < 5:
        return "a few seconds"
    if seconds < 90:
        return f"about {formatting.number(round(seconds / 5) * 5)} seconds"
    return f"about {formatting.plural(round(seconds / 60), 'minute')}"


def text_readiness(session: ShopSession) -> TextReadiness:
    state, status = session.text_state, session.text_status
    if not session.is_open:
        return TextReadiness(False, "Product descriptions are not understood by the text model yet.")
    if state == TEXT_READING:
        return TextReadiness(None, "Reading product descriptions… you can keep working meanwhile.")
    if state == TEXT_FAILED:
        return TextReadiness(False, f"Product descriptions could not be read: {session.text_error}", "Try again")
    if status is None or state == TEXT_CHECKING:
        return TextReadiness(None, "Checking the product descriptions…")
    if status.products == 0:
        return TextReadiness(False, "Product descriptions can be read once products are imported.")
    if status.problem:
        return TextReadiness(False, f"The chosen text model can't be used: {status.problem}", "Settings…", SETTINGS)
    chosen = formatting.model_words(status.chosen)
    if state == TEXT_CURRENT:
        return TextReadiness(
            True,
            f"Product descriptions understood by the text model ({chosen}): you can search by meaning, "
            "and new products are recommended before they sell.",
        )
    took = duration(status.seconds_estimate)
    if status.model_changed:
        return TextReadiness(
            False,
            f"You chose a new text model ({chosen}) in Settings: product descriptions are not understood "
            f"by it yet. Reading them takes {took}.",
            "Read product descriptions with the new model",
        )
    if status.understood_by is None:
        return TextReadiness(
            False,
            "Product descriptions are not understood by the text model yet. Reading them lets you search by "
            f"meaning and recommend new products before they sell; it takes {took}.",
            "Read product descriptions",
        )
    if status.to_read:
        n = formatting.plural(status.to_read, "product")
        return TextReadiness(
            False,
            f"{n} {'is' if status.to_read == 1 else 'are'} new or changed since the text model read the "
            f"descriptions. Updating takes {took}.",
            "Update product descriptions",
        )
    return TextReadiness(
        False,
        "The catalog changed since the descriptions were read: update them (a few seconds).",
        "Update product descriptions",
    )


def per_100(value: float) -> str:
    """A share (0..1) as "per 100", with decimals while it is small: 0.0096 → "0.96"."""
    v = 100 * float(value)
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def change_words(before: float, after: float) -> str:
    if before <= 0:
        return ""
    change = (after - before) / before
    return " (no change)" if abs(change) < 0.005 else f" ({change:+.0%})"


def long_tail_share(evaluation: dict[str, Any]) -> float:
    """Of the held-out purchases of rarely sold and new products, the share found, each counted once (as
    core.evaluate.run.Evaluation.long_tail_recall; not imported, to keep the window's start light)."""
    tail, cold = int(evaluation.get("tail_targets", 0)), int(evaluation.get("cold_targets", 0))
    if tail + cold == 0:
        return 0.0
    found = float(evaluation.get("tail_recall", 0)) * tail + float(evaluation.get("cold_recall", 0)) * cold
    return found / (tail + cold)


def learned_words(before: Mapping[str, float], after: Mapping[str, float]) -> str:
    """What a learned version changed (its figures before and after), in one line: rarely sold (and new)
    products found, before → after."""
    if not before or not after:
        return ""
    b, a = long_tail_share(before), long_tail_share(after)
    what = "rarely sold and new products" if before.get("cold_targets") else "rarely sold products"
    targets = int(before.get("tail_targets", 0)) + int(before.get("cold_targets", 0))
    # As the decision (core.finetune.job.FEW_FOUND): 2 -> 1 purchases found is no "-50%".
    few = max(round(b * targets), round(a * targets)) < 10 and abs(a - b) > 0.005 * max(b, 1e-12)
    change = " (too few found to tell a change)" if few else change_words(b, a)
    return f"{what} found: {per_100(b)} → {per_100(a)} per 100{change}"


@dataclass(frozen=True)
class LearnReadiness:
    ok: bool | None
    text: str
    button: str = "Learn from my sales…"


def learn_readiness(session: ShopSession) -> LearnReadiness:
    """The Overview's line "Learned from my sales ✓/✗"."""
    if not session.is_open:
        return LearnReadiness(False, "Not learned from your sales yet.")
    if session.learning:
        return LearnReadiness(None, "Learning from your sales… you can keep working meanwhile.", "Show progress…")
    versions = session.versions()
    active = [v for v in versions if v.active]
    if active:
        v = active[-1]
        changed = learned_words(v.before, v.after)
        return LearnReadiness(
            True,
            f"Learned from your sales on {formatting.date(v.created)}: version {v.name} is in use"
            + (f" ({changed})." if changed else "."),
            "Learn again…",
        )
    if versions:
        return LearnReadiness(
            False,
            f"Learned from your sales on {formatting.date(versions[-1].created)}, but the original text "
            "model is in use.",
            "Versions…",
        )
    return LearnReadiness(
        False,
        "Not learned from your sales yet: the text model can learn which of your products go together, so that "
        "rarely sold and new products are recommended better.",
    )
