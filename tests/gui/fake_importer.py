"""A stand-in for ``core.ingest.importer.run_import`` used only while the real importer is not in the
checkout: it honours the contract (mapping field → column, summary with problems and ``message()``)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lrec_desktop.core.jobs import no_progress
from lrec_desktop.core.store import db as store_db
from lrec_desktop.core.store import queries

HAVE_IMPORTER = importlib.util.find_spec("lrec_desktop.core.ingest.importer") is not None


@dataclass
class FileSummary:
    file: Path
    kind: str
    rows_read: int
    accepted: int
    rejected: int
    already_imported: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    import_id: int = 0


@dataclass
class ImportSummary:
    files: list[FileSummary]
    new_items: int = 0
    new_customers: int = 0

    def message(self) -> str:
        f = self.files[0]
        return f"{f.accepted:,} order lines imported from {f.file.name}; {f.rejected:,} skipped" + (
            " — show which and why" if f.rejected else ""
        )


def run_import(db_path: Path, request: Any, *, progress: Any = no_progress, cancel: Any = None) -> ImportSummary:
    path = Path(request.interactions)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    m = request.mapping
    db = store_db.connect(db_path)
    problems, rows = [], []
    with store_db.transaction(db) as conn:
        cur = conn.execute(
            "INSERT INTO imports(file, kind, sha256, imported_at) VALUES (?, 'interactions', 'x', 0)", [path.name]
        )
        import_id = cur.lastrowid
        for n, rec in enumerate(frame.to_dict("records"), start=2):
            item, customer = rec.get(m.get("item_id", ""), ""), rec.get(m.get("customer_id", ""), "")
            if not item:
                problems.append((n, m.get("item_id", ""), "the product id is empty"))
                continue
            ts = int(pd.Timestamp(rec[m["timestamp"]]).timestamp()) if "timestamp" in m else None
            conn.execute(
                "INSERT OR IGNORE INTO items(item_id, title) VALUES (?, ?)", [item, rec.get(m.get("title", ""), "")]
            )
            conn.execute("INSERT OR IGNORE INTO customers(customer_id) VALUES (?)", [customer])
            rows.append((customer, item, ts, import_id, f"{path.name}:{n}"))
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(n / (len(frame) + 1), "Importing order lines")
        conn.executemany(
            "INSERT INTO interactions(customer_id, item_id, ts, import_id, line_key) VALUES (?,?,?,?,?)", rows
        )
        for row, column, reason in problems:
            conn.execute("INSERT INTO import_problems VALUES (?, ?, ?, ?)", [import_id, row, column, reason])
        queries.refresh_item_stats(conn)
    store_db.bump_data_version(db)
    db.close()
    return ImportSummary(
        [
            FileSummary(
                path, "interactions", len(frame), len(rows), len(problems), problems=problems, import_id=import_id
            )
        ]
    )
