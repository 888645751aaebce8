"""A kill (SIGKILL, no cleanup) right after an import's transaction commits and before anything else runs: the
journal must not call the import interrupted with "nothing of that import was saved" while every line is in
the shop. The end of the journal entry commits with the import, so the entry reads as done."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from lrec_desktop.core import journal
from tests.core.test_crash_safety import cli, integrity, killed, small_shop

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")


def lines(shop: Path) -> int:
    conn = sqlite3.connect(shop)
    try:
        return int(conn.execute("SELECT count(*) FROM interactions").fetchone()[0])
    finally:
        conn.close()


def orders_file(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n")
        for k in range(n):
            f.write(f"{k // 3},S{k % 97},Thing {k % 97},1,12/1/2010 8:{k % 60:02d},1.5,{k % 400}\n")
    return path


def test_kill_after_commit_leaves_a_true_journal(tmp_path: Path) -> None:
    shop = small_shop(tmp_path / "shop.lrec")
    before = lines(shop)
    orders = orders_file(tmp_path / "orders.csv", 3000)
    assert killed(cli("import", "--db", str(shop), "--interactions", str(orders), fault="import-committed"))
    assert integrity(shop) == "ok"
    assert lines(shop) == before + 3000  # the import was saved ...
    assert journal.interrupted(shop) == []  # ... and the journal does not say otherwise
    (entry,) = [e for e in journal.history(shop) if e.kind == journal.IMPORT]
    assert entry.state == journal.DONE and entry.finished_at is not None
    listed = cli("jobs", "--db", str(shop))
    assert listed.returncode == 0 and "No interrupted jobs" in listed.stdout
    again = cli("import", "--db", str(shop), "--interactions", str(orders))
    assert again.returncode == 0 and "imported before" in again.stdout
    assert lines(shop) == before + 3000


def test_kill_before_commit_still_reads_as_nothing_saved(tmp_path: Path) -> None:
    """The other side of the same line: killed inside the transaction, the entry is interrupted and says so."""
    shop = small_shop(tmp_path / "shop.lrec")
    before = lines(shop)
    orders = orders_file(tmp_path / "orders.csv", 3000)
    assert killed(cli("import", "--db", str(shop), "--interactions", str(orders), fault="import-chunk"))
    assert lines(shop) == before
    (entry,) = journal.interrupted(shop)
    assert "nothing of that import was saved" in entry.describe()


def test_refused_import_does_not_mark_the_journal_done(tmp_path: Path) -> None:
    """The journal update inside the transaction rolls back with a refused file: the entry reads as failed."""
    shop = small_shop(tmp_path / "shop.lrec")
    bad = tmp_path / "bad.csv"
    bad.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID\n1,A,x,nonsense,1\n2,B,y,nonsense,2\n",
                   encoding="utf-8")
    refused = cli("import", "--db", str(shop), "--interactions", str(bad))
    assert refused.returncode == 2 and "bad.csv" in refused.stderr
    (entry,) = [e for e in journal.history(shop) if e.kind == journal.IMPORT]
    assert entry.state == journal.FAILED
