"""Writing files: recommendations per customer (campaigns), related products for the web shop, an audience."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

if TYPE_CHECKING:
    from lrec_desktop.core.export import ExportSummary
    from lrec_desktop.core.export_related import RelatedSummary
    from lrec_desktop.core.recommend.audience import AudienceMember
    from lrec_desktop.core.recommend.service import Recommendation, Recommender


def check_output(out: Path, shop: Path) -> None:
    """UserError at once when ``out`` can't be written (or is a shop's file), before any work."""
    from lrec_desktop.core.output_file import check_output as check

    check(Path(out), shop=Path(shop))


def export_recommendations(
    db_path: Path, out: Path, top: int = 10, customers: list[str] | None = None, layout: str = "long",
    discovery: float | None = None, *, excel: bool = False, progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ExportSummary:
    """The heavy job: every customer's (or the named customers') top recommendations as CSV. ``excel``: UTF-8
    with a byte-order mark, so Excel shows accented titles right (the window's exports do this)."""
    from lrec_desktop.core.export import ExportRequest
    from lrec_desktop.core.export import export_recommendations as export

    request = ExportRequest(out=Path(out), top=top, customers=customers, layout=layout, discovery=discovery,
                            excel=excel)
    return export(Path(db_path), request, progress=progress, cancel=cancel)


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
