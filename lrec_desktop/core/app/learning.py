"""Learning from sales ("Learn from my sales"): the time it should take, worked out before it starts, and the
job itself. The estimate counts pairs as the learning code builds them (its own window, share of customers
kept for checking, cap on pairs and time budget), so the two cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.finetune.job import FinetuneResult

# Training speed, for the estimate. On a processor only the top layers learn (README "Measured": 32-38 pairs/s
# on 2 cores), after the layers below have read each product of the pairs once.
PAIRS_PER_SECOND = {"cpu": 30.0, "gpu": 400.0}
LOWER_LAYERS_PER_SECOND = 150.0  # products through the frozen layers, once, on a processor

MetricsFn = Callable[[str, float, float], None]  # (kind, x, y): "loss" per step, "validation" per check


@dataclass(frozen=True)
class LearnEstimate:
    """How long "Learn from my sales" should take on this computer, worked out before it starts."""

    device: str  # where it would run: "cpu", "cuda" or "mps"
    products: int
    pairs: int  # pairs of products bought by the same customer it would learn from (about)
    seconds: float
    cpu_minutes: float  # on a processor, training stops after this many minutes

    @property
    def gpu(self) -> bool:
        return self.device != "cpu"


def max_pairs() -> int:
    """The most pairs one run learns from (the learning code's own cap)."""
    from lrec_desktop.core.finetune.job import MAX_PAIRS

    return int(MAX_PAIRS)


def pair_count(purchases_per_customer: list[int]) -> int:
    """About how many training pairs the learning code builds from customers with these purchase counts."""
    from lrec_desktop.core.evaluate.split import HOLDOUT_SHARE
    from lrec_desktop.core.finetune.job import MAX_PAIRS
    from lrec_desktop.core.finetune.pairs import VALIDATION_CUSTOMERS, WINDOW

    pairs = 0
    for count in purchases_per_customer:
        n = int(count * (1 - HOLDOUT_SHARE))  # each customer's latest purchases are kept apart for the comparison
        # each purchase pairs with the next WINDOW ones: all pairs for short histories, else WINDOW per purchase
        # less the triangle the last WINDOW purchases miss
        pairs += n * (n - 1) // 2 if n <= WINDOW + 1 else WINDOW * n - WINDOW * (WINDOW + 1) // 2
    return int(min(pairs * (1 - VALIDATION_CUSTOMERS), MAX_PAIRS))  # some customers check the learning instead


def learn_time(pairs: int, products: int, device: str) -> float:
    """Seconds: training (within the time budget on a processor) + reading the catalog + comparing (at the
    learning code's own rates for what follows training)."""
    from lrec_desktop.core.finetune.job import COMPARE_SECONDS, CPU_TIME_BUDGET, READ_PER_SECOND

    kind = "cpu" if device == "cpu" else "gpu"
    train = pairs / PAIRS_PER_SECOND[kind]
    if kind == "cpu":
        train = min(train, CPU_TIME_BUDGET) + min(products, 2 * pairs) / LOWER_LAYERS_PER_SECOND
    return train + products / READ_PER_SECOND[kind] + COMPARE_SECONDS


def learn_estimate(db_path: Path, *, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> LearnEstimate:
    """A quick job (it asks torch for a graphics card): the pairs there are to learn from, and the time."""
    from lrec_desktop.core.app.choice import text_choice
    from lrec_desktop.core.finetune.job import CPU_TIME_BUDGET
    from lrec_desktop.core.store.queries import product_count, purchases_per_customer
    from lrec_desktop.core.text.device import pick_device

    with opened(db_path, readonly=True) as db:
        preference = text_choice(db).device
        products = product_count(db)
        counts = purchases_per_customer(db)
    pairs = pair_count(counts)
    device = pick_device(preference)
    return LearnEstimate(device, products, pairs, learn_time(pairs, products, device), CPU_TIME_BUDGET / 60)


def learn_from_sales(
    db_path: Path,
    *,
    epochs: int = 1,
    max_pairs: int | None = None,
    batch_size: int = 32,
    device: str | None = None,
    max_minutes: float | None = None,
    train_layers: int | None = None,
    force: bool = False,
    on_metrics: MetricsFn | None = None,
    pause: Callable[[], bool] | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> FinetuneResult:
    """The heavy job: learn a new version of the text model from the shop's sales, on the shop's device unless
    ``device`` is given. It is switched on only when it measures better on each customer's latest purchases
    (or with ``force``)."""
    from lrec_desktop.core.app.choice import text_choice
    from lrec_desktop.core.finetune.job import MAX_PAIRS, finetune

    if device is None:
        with opened(db_path, readonly=True) as db:
            device = text_choice(db).device
    return finetune(Path(db_path), epochs=epochs, device=device, max_minutes=max_minutes,
                    max_pairs=MAX_PAIRS if max_pairs is None else max_pairs, batch_size=batch_size, force=force,
                    train_layers=train_layers, progress=progress, cancel=cancel, on_metrics=on_metrics, pause=pause)
