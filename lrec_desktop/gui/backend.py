"""The GUI's one doorway into the core jobs it runs.

Every core module that may pull in heavy libraries (pandas readers, the recommender, torch) is imported
inside the function that needs it, so the window opens before any of them load. Jobs here take a shop
*path* and open their own connection in the worker thread that runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

# Human words for the canonical field names of ingest.mapping.FIELDS (UX.md: products, customers, ...).
FIELD_LABELS: dict[str, str] = {
    "item_id": "product id",
    "title": "product name",
    "description": "description",
    "category": "category",
    "tags": "tags",
    "price": "price",
    "stock": "stock",
    "customer_id": "customer id",
    "timestamp": "date",
    "quantity": "quantity",
    "event": "kind of sale",
    "rating": "rating",
    "order_id": "order number",
    "email": "customer e-mail",
    "customer_name": "customer name",
    "status": "order status",
    "group": "product (of a variant)",
}
IGNORE = "ignore"


def field_label(name: str | None) -> str:
    if not name or name == IGNORE:
        return "(ignore)"
    return FIELD_LABELS.get(name, name.replace("_", " "))


def fields() -> tuple[str, ...]:
    from lrec_desktop.core.ingest.mapping import FIELDS

    return tuple(FIELDS)


def shop_currency(db: Any) -> str:
    """The open shop's currency code ('' when unknown)."""
    from lrec_desktop.core.money import shop_currency as currency

    return currency(db)


def kind_message(file_name: str, which: str, mapping: dict[str, str]) -> str | None:
    """A warning when a file's mapped columns don't fit it as orders or products (core.ingest.kind)."""
    from lrec_desktop.core.ingest.kind import kind_message as message

    return message(file_name, which, mapping)


# --- shops ---------------------------------------------------------------------------------------


def ensure_demo_shop(*, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Path:
    from lrec_desktop.core.shop import ensure_demo_shop as build

    return Path(build(progress=progress, cancel=cancel))


def is_demo(db_path: Path) -> bool:
    from lrec_desktop.core.shop import is_demo as check

    return bool(check(Path(db_path)))


def create_shop(path: Path) -> Path:
    """An empty shop file (``.lrec`` added when missing); UserError when it already exists."""
    from lrec_desktop.core.shop import create_shop as create

    return Path(create(Path(path)))


@dataclass(frozen=True)
class ShopCounts:
    """What the Overview sums up: queries.ShopStats and when the latest import ran (None: never)."""

    stats: Any
    last_import: int | None


def shop_counts(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> ShopCounts:
    """A quick job: the shop's counts (the distinct-orders count is slow on large shops: off the GUI thread)."""
    from lrec_desktop.core.store import queries
    from lrec_desktop.core.store.db import connect

    db = connect(db_path, readonly=True)
    try:
        history = queries.import_history(db)
        return ShopCounts(queries.shop_stats(db), history[0][3] if history else None)
    finally:
        db.conn.close()


def customer_count(db: Any) -> int:
    """How many customers an open shop has (one indexed count: fine on the GUI thread)."""
    return int(db.execute("SELECT count(*) FROM customers").fetchone()[0])


# --- recommendations -----------------------------------------------------------------------------


def is_prepared(db_path: Path) -> bool:
    from lrec_desktop.core.recommend.service import is_prepared as check

    return bool(check(Path(db_path)))


def load_recommender(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> Any:
    """Prepare recommendations if the sales changed, then load them (a heavy job)."""
    from lrec_desktop.core.recommend.service import Recommender

    return Recommender.load(Path(db_path), progress=progress, cancel=cancel)


# --- import --------------------------------------------------------------------------------------


def read_preview(
    path: Path, db_path: Path | None, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> Any:
    from lrec_desktop.core.ingest.readers import read_preview as read
    from lrec_desktop.core.store.db import connect

    db = connect(db_path) if db_path else None
    try:
        return read(Path(path), db=db)
    finally:
        if db is not None:
            db.conn.close()


@dataclass
class ImportPlan:
    """What the Import page asks for: the files, the chosen mapping, and per file the columns to remember."""

    items: Path | None
    interactions: Path | None
    mapping: dict[str, str]
    remember: list[tuple[list[str], dict[str, str]]] = field(default_factory=list)


def run_import(
    db_path: Path, plan: ImportPlan, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> Any:
    from lrec_desktop.core.ingest.importer import ImportRequest
    from lrec_desktop.core.ingest.importer import run_import as run
    from lrec_desktop.core.ingest.mapping import remember_mapping
    from lrec_desktop.core.store.db import connect

    db = connect(db_path)
    try:
        for columns, mapping in plan.remember:
            remember_mapping(db, columns, mapping)
    finally:
        db.conn.close()
    request = ImportRequest(items=plan.items, interactions=plan.interactions, mapping=dict(plan.mapping))
    return run(Path(db_path), request, progress=progress, cancel=cancel)


# --- export --------------------------------------------------------------------------------------


def export_recommendations(
    db_path: Path,
    out: Path,
    top: int,
    customers: list[str] | None,
    layout: str,
    discovery: float | None = None,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Any:
    from lrec_desktop.core.export import ExportRequest
    from lrec_desktop.core.export import export_recommendations as export

    # From the window a campaign file is opened in Excel: UTF-8 with a byte-order mark, so titles read right.
    request = ExportRequest(out=Path(out), top=top, customers=customers, layout=layout, discovery=discovery,
                            excel=True)
    return export(Path(db_path), request, progress=progress, cancel=cancel)


# --- discovery, rules, the long tail and evaluations ----------------------------------------------

SWEEP_LEVELS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)  # discovery levels the Long tail page measures once
LONGTAIL_SAMPLE = 2000  # core.evaluate.longtail.MAX_CUSTOMERS: above it, a sample of customers is counted


def saved_discovery(db: Any) -> float:
    """The shop's discovery level (0 = bestsellers only … 1 = most hidden gems)."""
    from lrec_desktop.core.recommend.discovery import DEFAULT_DISCOVERY
    from lrec_desktop.core.recommend.service import DISCOVERY_SETTING
    from lrec_desktop.core.store.db import get_setting

    try:
        return min(max(float(get_setting(db, DISCOVERY_SETTING, DEFAULT_DISCOVERY)), 0.0), 1.0)
    except (TypeError, ValueError):
        return DEFAULT_DISCOVERY


def save_discovery(db: Any, level: float) -> None:
    from lrec_desktop.core.recommend.service import DISCOVERY_SETTING
    from lrec_desktop.core.store.db import set_setting

    set_setting(db, DISCOVERY_SETTING, round(float(level), 2))


def gem_slots(n: int, level: float) -> int:
    """How many of ``n`` recommendations go to rarely sold or new products at ``level``."""
    from lrec_desktop.core.recommend.discovery import discovery_slots

    return int(discovery_slots(n, level))


def load_rules(db: Any) -> Any:
    from lrec_desktop.core.recommend.rules import Rules

    return Rules.load(db)


def max_pinned() -> int:
    from lrec_desktop.core.recommend.rules import MAX_PINNED

    return int(MAX_PINNED)


def longtail_reports(
    db_path: Path,
    levels: list[float],
    recommender: Any,
    k: int = 10,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> list[Any]:
    """How sales and the recommendations spread over the catalog, one report per discovery level."""
    from lrec_desktop.core.evaluate.longtail import longtail_reports as reports

    return reports(Path(db_path), list(levels), k=k, recommender=recommender, progress=progress, cancel=cancel)


def evaluate_shop(
    db_path: Path, mode: str, k: int = 20, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> Any:
    """Measure the recommendations on each customer's latest purchases (stored with the shop)."""
    from lrec_desktop.core.evaluate.run import evaluate

    return evaluate(Path(db_path), k=k, mode=mode, save=True, progress=progress, cancel=cancel)


def evaluation_history(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> list:
    from lrec_desktop.core.evaluate.run import evaluation_history as history

    return list(history(Path(db_path)))


# --- the text model (product descriptions) -------------------------------------------------------

TEXT_MODEL_DIR = "text_model_dir"  # shop setting: the chosen model folder, None for the bundled model
TEXT_DEVICE = "text_device"  # shop setting: "auto" | "cpu" | "cuda" | "mps"
# What the window calls the devices and the bundled model: a shop owner's words, not the libraries' (no CUDA,
# MPS or model ids on screen; the CLI and the logs keep those).
DEVICE_WORDS = {
    "auto": "Automatic",
    "cpu": "The processor",
    "cuda": "Graphics card (NVIDIA)",
    "mps": "Apple graphics",
}
BUNDLED_MODEL_WORDS = "The built-in language model (English)"
EMBED_BATCH_SIZE: int | None = None  # None: the encoder's default; tests make it small to cancel between batches
READ_PER_SECOND_CPU = 150  # product descriptions per second on an ordinary processor, for time estimates


@dataclass(frozen=True)
class TextStatus:
    """Whether the product descriptions are understood by the chosen text model, and what is left to read."""

    products: int
    current: bool  # every product's current text is understood by the chosen model
    understood_by: str | None  # the model that read them last (None: never read)
    chosen: str  # the chosen model, in words
    chosen_dir: str | None  # None: the bundled model
    device: str
    model_changed: bool  # a different model was chosen since the descriptions were read
    to_read: int  # products whose current text the chosen model has not read yet
    problem: str = ""  # the chosen model folder can't be used: one sentence

    @property
    def seconds_estimate(self) -> float:
        return self.to_read / READ_PER_SECOND_CPU


def text_settings(db: Any) -> tuple[str | None, str]:
    """(the chosen model folder or None for the bundled model, the device choice) of an open shop."""
    from lrec_desktop.core.store.db import get_setting

    device = get_setting(db, TEXT_DEVICE) or "auto"
    return get_setting(db, TEXT_MODEL_DIR), device if device in DEVICE_WORDS else "auto"


def save_text_settings(db: Any, model_dir: str | None, device: str) -> None:
    from lrec_desktop.core.store.db import set_setting

    set_setting(db, TEXT_MODEL_DIR, model_dir)
    set_setting(db, TEXT_DEVICE, device)


def check_model_folder(path: str | Path | None) -> Any:
    """The folder's ModelFolder; raises UserError with a sentence when it can't be used."""
    from lrec_desktop.core.text.model_folder import inspect_model_folder

    return inspect_model_folder(path)


def model_words(model_dir: str | None) -> str:
    if model_dir is None or _is_bundled(model_dir):
        return "the built-in language model"
    return Path(model_dir).name


def learned_words(name: str) -> str:
    return f"version {name}, learned from your sales"


def _fingerprint(model_dir: str | None) -> str | None:
    from lrec_desktop.core.errors import UserError

    try:
        return check_model_folder(model_dir).fingerprint
    except UserError:
        return None


def learned_version_in_use_at(db_path: Path) -> dict[str, Any] | None:
    from lrec_desktop.core.store.db import connect

    db = connect(db_path, readonly=True)
    try:
        return learned_version_in_use(db)
    finally:
        db.conn.close()


def _is_bundled(model_dir: str) -> bool:
    from lrec_desktop.core.errors import UserError
    from lrec_desktop.core.text.model_folder import bundled_model_dir

    try:
        return Path(model_dir).resolve() == bundled_model_dir().resolve()
    except (UserError, OSError):
        return False


def text_status(db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> TextStatus:
    """A quick job: compare the catalog's texts with what the chosen text model has read."""
    from lrec_desktop.core.errors import UserError
    from lrec_desktop.core.store.db import connect
    from lrec_desktop.core.text.embed_job import index_is_current
    from lrec_desktop.core.text.vector_store import active_text_model, cached_hashes, catalog_texts

    db = connect(db_path, readonly=True)
    try:
        chosen_dir, device = text_settings(db)
        active = active_text_model(db)
        _items, _texts, hashes = catalog_texts(db)
        problem, fingerprint = "", None
        try:
            fingerprint = check_model_folder(chosen_dir).fingerprint
        except UserError as exc:
            problem = str(exc)
        learned = learned_version_in_use(db)
        chosen_words = model_words(chosen_dir)
        if learned is not None and fingerprint is not None and learned.get("base_fingerprint") == fingerprint:
            # a version learned from the chosen model's is in use: it is the one that reads the descriptions
            fingerprint, chosen_words = learned["fingerprint"], learned_words(learned["name"])
        done = cached_hashes(db, fingerprint) if fingerprint else set()
    finally:
        db.conn.close()
    model_changed = bool(active) and fingerprint is not None and active.get("fingerprint") != fingerprint
    current = bool(active) and not model_changed and not problem and index_is_current(Path(db_path))
    understood_by = None
    if active:
        understood_by = learned_words(learned["name"]) if learned is not None else model_words(active.get("dir"))
    return TextStatus(
        products=len(hashes),
        current=current,
        understood_by=understood_by,
        chosen=chosen_words,
        chosen_dir=chosen_dir,
        device=device,
        model_changed=model_changed,
        to_read=sum(h not in done for h in hashes),
        problem=problem,
    )


def read_descriptions(
    db_path: Path,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    log_fn: Any = None,
) -> Any:
    """The heavy job: the chosen text model reads new and changed product descriptions (EmbedSummary)."""
    from lrec_desktop.core.store.db import connect
    from lrec_desktop.core.text.embed_job import embed_catalog
    from lrec_desktop.core.text.model_folder import bundled_model_dir
    from lrec_desktop.core.text.vector_store import active_text_model

    db = connect(db_path, readonly=True)
    try:
        chosen_dir, device = text_settings(db)
        active = active_text_model(db) or {}
    finally:
        db.conn.close()
    model_dir: str | Path | None = chosen_dir
    learned = learned_version_in_use_at(db_path)
    if learned is not None and learned.get("base_fingerprint") == _fingerprint(chosen_dir):
        model_dir = learned["dir"]  # the learned version in use reads new and changed descriptions too
    elif chosen_dir is None and active.get("dir") is not None:
        model_dir = bundled_model_dir()  # embed_catalog(model_dir=None) would keep the folder used last time
    return embed_catalog(
        Path(db_path),
        model_dir=model_dir,
        device=device,
        batch_size=EMBED_BATCH_SIZE,
        progress=progress,
        cancel=cancel,
        log_fn=log_fn,
    )


def automatic_device(*, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> str:
    """Where "Automatic" runs the text model on this computer (loads torch: a worker job only)."""
    from lrec_desktop.core.text.device import pick_device

    return pick_device("auto")


def search_products(
    recommender: Any, query: str, n: int = 30, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> list[Any]:
    """Products whose descriptions match ``query`` by meaning (the first call loads the text model)."""
    return list(recommender.search(query, n))


def find_audience(
    db_path: Path,
    item_id: str,
    recommender: Any,
    n: int = 50,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> list[Any]:
    from lrec_desktop.core.recommend.audience import find_audience as find

    return find(Path(db_path), item_id, n, recommender=recommender, progress=progress, cancel=cancel)


def write_audience_csv(members: list[Any], out: Path) -> None:
    from lrec_desktop.core.recommend.audience import write_audience_csv as write

    write(list(members), Path(out), excel=True)  # opened in Excel: UTF-8 with a byte-order mark


# --- learning from sales (a learned version of the text model) -------------------------------------

VERSIONS_SETTING = "text_model_versions"  # core.text.vector_store.VERSIONS_SETTING: the registry of learned versions
LEARN_CPU_MINUTES = 8.0  # core.text.finetune.job.CPU_TIME_BUDGET: training on a processor stops after this
LEARN_MAX_PAIRS = 20_000  # core.text.finetune.job.MAX_PAIRS
# Training speed, for the estimate. On a processor only the top layers learn (README "Measured": 32-38 pairs/s
# on 2 cores), after the layers below have read each product of the pairs once.
LEARN_PAIRS_PER_SECOND = {"cpu": 30.0, "gpu": 400.0}
LEARN_LOWER_LAYERS_PER_SECOND = 150.0  # products through the frozen layers, once, on a processor
LEARN_READ_PER_SECOND = {"cpu": 100.0, "gpu": 2000.0}  # reading the catalog with the new version
LEARN_COMPARE_SECONDS = 60.0  # comparing the two versions on the latest sales
PAIR_WINDOW = 3  # core.text.finetune.pairs.WINDOW: a purchase pairs with the next three of the same customer


@dataclass(frozen=True)
class LearnEstimate:
    """How long "Learn from my sales" should take on this computer, worked out before it starts."""

    device: str  # where it would run: "cpu", "cuda" or "mps"
    products: int
    pairs: int  # pairs of products bought by the same customer it would learn from (about)
    seconds: float

    @property
    def gpu(self) -> bool:
        return self.device != "cpu"


def learn_time(pairs: int, products: int, device: str) -> float:
    """Seconds: training (at most 8 minutes on a processor) + reading the catalog + comparing."""
    kind = "cpu" if device == "cpu" else "gpu"
    train = pairs / LEARN_PAIRS_PER_SECOND[kind]
    if kind == "cpu":
        train = min(train, LEARN_CPU_MINUTES * 60) + min(products, 2 * pairs) / LEARN_LOWER_LAYERS_PER_SECOND
    return train + products / LEARN_READ_PER_SECOND[kind] + LEARN_COMPARE_SECONDS


def learn_estimate(
    db_path: Path, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
) -> LearnEstimate:
    """A quick job (it asks torch for a graphics card): the pairs there are to learn from, and the time."""
    from lrec_desktop.core.store.db import connect
    from lrec_desktop.core.text.device import pick_device

    db = connect(db_path, readonly=True)
    try:
        _model_dir, preference = text_settings(db)
        products = int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])
        counts = [int(r[0]) for r in db.execute("SELECT COUNT(*) FROM interactions GROUP BY customer_id")]
    finally:
        db.conn.close()
    pairs = 0
    for n in counts:
        n = int(n * 0.8)  # each customer's latest purchases are kept apart for the comparison
        pairs += n * (n - 1) // 2 if n <= PAIR_WINDOW + 1 else PAIR_WINDOW * n - 6
    pairs = int(min(pairs * 0.9, LEARN_MAX_PAIRS))  # a tenth of the customers check the learning as it goes
    device = pick_device(preference)
    return LearnEstimate(device, products, pairs, learn_time(pairs, products, device))


def learn_from_sales(
    db_path: Path,
    *,
    max_pairs: int = LEARN_MAX_PAIRS,
    batch_size: int = 32,
    device: str | None = None,
    force: bool = False,
    on_metrics: Any = None,
    pause: Any = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Any:
    """The heavy job: learn a new version of the text model from the shop's sales (a FinetuneResult). It is
    switched on only when it measures better on each customer's latest purchases (or ``force``)."""
    from lrec_desktop.core.store.db import connect
    from lrec_desktop.core.text.finetune.job import finetune

    if device is None:
        db = connect(db_path, readonly=True)
        try:
            device = text_settings(db)[1]
        finally:
            db.conn.close()
    return finetune(
        Path(db_path),
        device=device,
        max_pairs=max_pairs,
        batch_size=batch_size,
        force=force,
        progress=progress,
        cancel=cancel,
        on_metrics=on_metrics,
        pause=pause,
    )


def learned_versions(db_path: Path) -> list[dict[str, Any]]:
    """Every learned version, oldest first, each with ``active`` (quick: the shop's settings only)."""
    from lrec_desktop.core.text.versions import list_versions

    return list(list_versions(Path(db_path)))


def delete_version(db_path: Path, name: str) -> None:
    from lrec_desktop.core.text.versions import delete_version as delete

    delete(Path(db_path), name)


def use_text_model(
    db_path: Path,
    model_dir: str | None,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> str:
    """Switch the shop's text model to a learned version's folder (None: the model chosen in Settings).
    Instant when the catalog was read with it since it last changed; otherwise it reads what changed first.
    Returns the model's name in words."""
    from lrec_desktop.core.store.db import connect
    from lrec_desktop.core.text.embed_job import index_is_current
    from lrec_desktop.core.text.model_folder import bundled_model_dir
    from lrec_desktop.core.text.versions import activate

    db = connect(db_path, readonly=True)
    try:
        chosen_dir, device = text_settings(db)
    finally:
        db.conn.close()
    target = model_dir if model_dir is not None else chosen_dir
    folder = check_model_folder(target)
    if index_is_current(Path(db_path), folder.fingerprint):
        activate(Path(db_path), target)
    else:
        progress(0.0, "Reading product descriptions with it first (only what changed)")
        embed_catalog_with(db_path, target if target is not None else bundled_model_dir(), device, progress, cancel)
    return model_words(target)


def embed_catalog_with(
    db_path: Path, model_dir: str | Path, device: str, progress: ProgressFn, cancel: CancelToken | None
) -> Any:
    from lrec_desktop.core.text.embed_job import embed_catalog

    return embed_catalog(
        Path(db_path), model_dir=model_dir, device=device, batch_size=EMBED_BATCH_SIZE, progress=progress, cancel=cancel
    )


def learned_version_in_use(db: Any) -> dict[str, Any] | None:
    """The learned version that is the shop's text model now (its registry entry plus ``base_fingerprint``,
    the model it learned from), or None when the text model is not a learned version."""
    import json

    from lrec_desktop.core.store.db import get_setting

    active = get_setting(db, "text_model") or {}
    fingerprint = active.get("fingerprint")
    for entry in get_setting(db, VERSIONS_SETTING, []) or []:
        if fingerprint and entry.get("fingerprint") == fingerprint:
            try:
                training = json.loads((Path(entry["dir"]) / "training.json").read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError):
                training = {}
            return {**entry, "base_fingerprint": training.get("base_fingerprint")}
    return None


# --- interrupted jobs (the journal) ----------------------------------------------------------------


def interrupted_jobs(db_path: Path) -> list[Any]:
    """Jobs on this shop cut short by a crash or a kill, newest first (core.journal.JournalEntry)."""
    from lrec_desktop.core.journal import interrupted

    return interrupted(Path(db_path))


def run_again(db_path: Path, job_id: int, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
              log_fn: Any = None) -> Any:
    from lrec_desktop.core.resume import run_again as again

    return again(Path(db_path), job_id, progress=progress, cancel=cancel, log_fn=log_fn)


def discard_job(db_path: Path, job_id: int, *, progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None) -> Any:
    from lrec_desktop.core.resume import discard

    return discard(Path(db_path), job_id)
