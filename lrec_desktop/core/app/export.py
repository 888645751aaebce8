"""Writing files: recommendations per customer (campaigns), related products for the web shop, an audience."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.csv_safe import SafeCsvWriter
    from lrec_desktop.core.export import ExportPreview, ExportRequest, ExportSummary
    from lrec_desktop.core.export_related import RelatedSummary
    from lrec_desktop.core.recommend.audience import AudienceMember
    from lrec_desktop.core.recommend.service import Recommendation, Recommender


def check_output(out: Path, shop: Path) -> None:
    """UserError at once when ``out`` can't be written (or is a shop's file), before any work."""
    from lrec_desktop.core.output_file import check_output as check

    check(Path(out), shop=Path(shop))


def export_request(out: Path, top: int = 10, customers: list[str] | None = None, layout: str = "long",
                   discovery: float | None = None, *, excel: bool = False, segments: list[str] | None = None,
                   picture_only: bool = False, holdout: float = 0.0, campaign: str = "", seed: int | None = None,
                   buy_again: bool | None = None) -> ExportRequest:
    """What to export: ``excel`` writes UTF-8 with a byte-order mark (the window's exports); ``segments`` keep
    only customers in all of them ("lapsed:90"); ``holdout`` > 0 holds back a control group and records the
    campaign; ``buy_again`` None goes by the shop's setting."""
    from lrec_desktop.core.export import ExportRequest

    return ExportRequest(out=Path(out), top=top, customers=customers, layout=layout, discovery=discovery,
                         excel=excel, segments=list(segments or []), picture_only=picture_only, holdout=holdout,
                         campaign=campaign, seed=seed, buy_again=buy_again)


def export_recommendations(db_path: Path, request: ExportRequest, *, progress: ProgressFn = no_progress,
                           cancel: CancelToken | None = None) -> ExportSummary:
    """The heavy job: every chosen customer's top recommendations as CSV (and the campaign, when held back)."""
    from lrec_desktop.core import export as core_export

    return core_export.export_recommendations(Path(db_path), request, progress=progress, cancel=cancel)


def preview_export(db_path: Path, request: ExportRequest, n_rows: int = 5, *, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> ExportPreview:
    """A quick job: the file's first rows as the export would write them; nothing is written."""
    from lrec_desktop.core import export as core_export

    return core_export.preview_export(Path(db_path), request, n_rows, progress=progress, cancel=cancel)


def csv_writer(stream: TextIO) -> SafeCsvWriter:
    """A CSV writer that leaves no cell a spreadsheet would run as a formula."""
    from lrec_desktop.core.csv_safe import SafeCsvWriter

    return SafeCsvWriter(stream)


def check_segment(spec: str) -> None:
    """UserError naming a segment that can't be read ("lapsed:soon"), before the shop is."""
    from lrec_desktop.core.segments import parse_segment

    parse_segment(spec)


def export_related(db_path: Path, out: Path, *, fmt: str = "generic", top: int = 4,
                   recommender: Recommender | None = None, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> RelatedSummary:
    """The heavy job: every product's related products, for WooCommerce, Shopify or as a plain list."""
    from lrec_desktop.core.export_related import export_related as export

    return export(Path(db_path), Path(out), fmt=fmt, top=top, rec=recommender, progress=progress, cancel=cancel)


def write_audience_csv(members: list[AudienceMember], out: Path, *, shop: Path | None = None,
                       excel: bool = False) -> None:
    from lrec_desktop.core.recommend.audience import write_audience_csv as write

    write(list(members), Path(out), shop=shop, excel=excel)


def write_list_csv(recs: list[Recommendation], out: Path, *, shop: Path | None = None) -> None:
    from lrec_desktop.core.recommend.lists import write_list_csv as write

    write(list(recs), Path(out), shop=shop)


def write_text(out: Path, text: str, *, shop: Path) -> None:
    """A small text file (evaluation figures as JSON), through a temp file beside it; never over a shop's files."""
    from lrec_desktop.core.output_file import open_output

    with open_output(Path(out), shop=Path(shop)) as f:
        f.write(text)


def write_csv(out: Path, rows: list[Sequence[object]], *, shop: Path) -> None:
    """Rows (the header first) as a CSV file, through a temp file beside it; no cell runs as a formula."""
    from lrec_desktop.core.csv_safe import SafeCsvWriter
    from lrec_desktop.core.output_file import open_output

    with open_output(Path(out), shop=Path(shop)) as f:
        writer = SafeCsvWriter(f)
        for row in rows:
            writer.writerow(row)
