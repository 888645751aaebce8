"""Helpers for the probe tests: run the real command line, and prove a folder was left as it was."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from lrec_desktop.cli import main

ORDERS = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n" + "".join(
    f"{n},S{n % 7},Product number {n % 7},1,2010-12-01 08:{n:02d},1.5,{n % 5}\n" for n in range(40))


# --------------------------------------------------------------------------- what changed in a folder
def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder`` (and the folder itself) with its kind, content hash and mtime: a file
    written and then deleted again still shows in the folder's mtime."""
    entries: dict[str, tuple] = {".": ("dir", folder.stat().st_mtime_ns)}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        name = str(path.relative_to(folder))
        if stat.S_ISREG(info.st_mode):
            entries[name] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mtime_ns)
        else:  # a folder, a pipe: never read (reading a pipe would block)
            entries[name] = (stat.S_IFMT(info.st_mode), info.st_mtime_ns)
    return entries


def run_cli(argv: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    code = main(["--quiet", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_refusal(code: int, err: str, target: Path, phrase: str) -> None:
    assert code == 2, err
    assert err.startswith("lrec-desktop: ") and err.count("\n") == 1, err
    assert str(target) in err and phrase in err, err
    assert "Traceback" not in err and "unexpected" not in err, err
