"""A shop that can't be written still answers every command that only reads; a writing command says why
it can't write: the file, its folder or drive, a -wal/-shm file left read-only beside it, or a full disk
(issue 16, item 14).

Root ignores permission bits, so the real cases run the command line in a private mount namespace
(``unshare -rm``, where available, root or not): the shop's folder bind-mounted read-only, its -shm file
alone bind-mounted read-only, or the shop copied onto a tiny tmpfs that is then filled. The same paths are
also driven in-process by telling store.access that a path can't be written, which runs everywhere: SQLite
then really opens the shop read-only, but the operating system's own refusal is not exercised there.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.recommend.model import prepare
from lrec_desktop.core.store import access
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.failures import storage_error
from tests.core.cli_probe import ORDERS, assert_one_line_refusal, run_cli, snapshot
from tests.core.shopdb import write_shop

READING = {
    "stats": ["stats"],
    "jobs": ["jobs"],
    "settings": ["settings"],
    "recommend": ["recommend", "--customer", "C1"],
    "similar": ["similar", "--item", "P1"],
    "export elsewhere": ["export", "--out", "{out}/recs.csv"],
    "evaluate": ["evaluate", "--top", "3", "--mode", "sales"],
}
WRITING = {
    "settings --discovery": ["settings", "--discovery", "0.3"],
    "import": ["import", "--interactions", "{out}/orders.csv"],
    "prepare": ["prepare"],
}


def _shop(folder: Path, *, prepared: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    items = [{"item_id": f"P{n}", "title": f"Product {n}"} for n in range(8)]
    shop = write_shop(folder / "shop.lrec", items, [(f"C{c}", f"P{(c * k) % 8}", c * 10 + k)
                                                   for c in range(20) for k in range(1, 4)])
    if prepared:
        prepare(shop)
    return shop


def _args(command: list[str], shop: Path, out: Path) -> list[str]:
    name, *rest = (a.format(out=out) for a in command)
    return [name, "--db", str(shop), *rest]


def _outside(tmp_path: Path) -> Path:
    out = tmp_path / "elsewhere"
    out.mkdir(exist_ok=True)
    (out / "orders.csv").write_text(ORDERS)
    return out


# --------------------------------------------------------------------------- in-process: store.access told
@pytest.fixture
def cannot_write(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make store.access see ``path`` (a file or folder) as one this process may not write."""
    refused: set[Path] = set()
    real = access.can_write

    def can_write(path: Path) -> bool:
        return Path(path).resolve() not in refused and real(path)

    monkeypatch.setattr(access, "can_write", can_write)
    return lambda path: refused.add(Path(path).resolve())


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "not prepared"])
@pytest.mark.parametrize("command", list(READING))
def test_reading_commands_work_on_a_read_only_folder(command: str, prepared: bool, tmp_path: Path,
                                                     cannot_write: Callable[[Path], None],
                                                     capsys: pytest.CaptureFixture) -> None:
    shop = _shop(tmp_path / "shop", prepared=prepared)
    out = _outside(tmp_path)
    cannot_write(shop.parent)
    before = snapshot(shop.parent)
    code, stdout, err = run_cli(_args(READING[command], shop, out), capsys)
    assert code == 0, err
    assert stdout and "Traceback" not in err
    assert snapshot(shop.parent) == before  # not even a -wal or -shm, and no models folder made


@pytest.mark.parametrize("command", list(WRITING))
@pytest.mark.parametrize("what", ["file", "folder"])
def test_writing_commands_say_the_shop_is_read_only(what: str, command: str, tmp_path: Path,
                                                    cannot_write: Callable[[Path], None],
                                                    capsys: pytest.CaptureFixture) -> None:
    shop = _shop(tmp_path / "shop")
    out = _outside(tmp_path)
    cannot_write(shop if what == "file" else shop.parent)
    before = snapshot(shop.parent)
    code, _, err = run_cli(_args(WRITING[command], shop, out), capsys)
    assert_one_line_refusal(code, err, shop, "read-only")
    assert ("the file is read-only" if what == "file" else f"its folder {shop.parent} is read-only") in err
    assert "Nothing was changed" in err
    assert snapshot(shop.parent) == before


def test_no_new_shop_in_a_folder_that_cannot_be_written(tmp_path: Path, cannot_write: Callable[[Path], None],
                                                        capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "shops"
    folder.mkdir()
    out = _outside(tmp_path)
    cannot_write(folder)
    code, _, err = run_cli(_args(WRITING["import"], folder / "new.lrec", out), capsys)
    assert_one_line_refusal(code, err, folder / "new.lrec", "its folder can't be written")
    assert list(folder.iterdir()) == []


def test_a_read_only_shop_leaves_no_read_only_wal_or_shm_behind(tmp_path: Path, cannot_write: Callable[[Path], None],
                                                                capsys: pytest.CaptureFixture) -> None:
    """A plain read-only connection to a WAL file creates -wal and -shm with the file's own (read-only)
    permissions and leaves them: once the file is writable again those keep it unwritable. Read immutable,
    nothing is made."""
    shop = _shop(tmp_path / "shop")
    cannot_write(shop)
    assert run_cli(["stats", "--db", str(shop)], capsys)[0] == 0
    assert sorted(p.name for p in shop.parent.iterdir()) == ["shop.lrec", "shop.lrec-models"]


def test_a_stale_read_only_shm_is_named(tmp_path: Path, cannot_write: Callable[[Path], None],
                                        capsys: pytest.CaptureFixture) -> None:
    shop = _shop(tmp_path / "shop")
    _leave_wal_and_shm(shop)
    cannot_write(Path(f"{shop}-shm"))
    assert run_cli(["stats", "--db", str(shop)], capsys)[0] == 0
    code, _, err = run_cli(["settings", "--db", str(shop), "--discovery", "0.3"], capsys)
    assert_one_line_refusal(code, err, shop, "shop.lrec-shm beside it is read-only")
    assert "delete it" in err


def test_an_old_shop_that_cannot_be_written_is_refused_in_words(tmp_path: Path, cannot_write: Callable[[Path], None],
                                                                capsys: pytest.CaptureFixture) -> None:
    shop = _shop(tmp_path / "shop", prepared=False)
    conn = sqlite3.connect(shop)
    conn.execute("PRAGMA user_version = 3")  # v4 only added columns and indexes: a v3 reader sees a v3 shop
    conn.close()
    cannot_write(shop.parent)
    before = snapshot(shop.parent)
    code, _, err = run_cli(["stats", "--db", str(shop)], capsys)
    assert_one_line_refusal(code, err, shop, "older format")
    assert "read-only" in err
    assert snapshot(shop.parent) == before


def test_a_full_disk_is_called_full_not_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite reports a full disk as a disk I/O error when it can't size its -shm file."""
    shop = _shop(tmp_path / "shop", prepared=False)
    error = sqlite3.OperationalError("disk I/O error")
    assert "failing" in str(storage_error(error, shop))
    monkeypatch.setattr(access, "free_bytes", lambda folder: 4096)
    refused = str(storage_error(error, shop))
    assert "is full" in refused and "failing" not in refused


# --------------------------------------------------------------------------- the real thing: a mount namespace
def _namespaces() -> bool:
    if sys.platform != "linux":
        return False
    try:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt"], capture_output=True,
                               timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


needs_namespace = pytest.mark.skipif(not _namespaces(), reason="needs unshare -rm (Linux mount namespaces)")


def _in_namespace(setup: str, mount_point: Path, argv: list[str]) -> subprocess.CompletedProcess:
    """Run ``lrec-desktop argv`` after ``setup`` (shell, with $1 = mount_point) in a private mount namespace."""
    script = f'{setup} && shift && exec "$@"'
    command = ["unshare", "-rm", "sh", "-c", script, "sh", str(mount_point), sys.executable, "-m", "lrec_desktop.cli",
               "--quiet", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ})


READ_ONLY_BIND = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1"'


def _leave_wal_and_shm(shop: Path) -> None:
    """A process that wrote to the shop and died without closing it: its -wal and -shm stay."""
    code = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute(\"INSERT INTO settings VALUES ('left', '1')\"); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(shop)], check=True)
    assert Path(f"{shop}-shm").exists() and Path(f"{shop}-wal").exists()


@needs_namespace
def test_read_only_drive_for_real(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop")
    out = _outside(tmp_path)
    before = snapshot(shop.parent)
    for command in ("stats", "recommend", "export elsewhere"):
        done = _in_namespace(READ_ONLY_BIND, shop.parent, _args(READING[command], shop, out))
        assert done.returncode == 0 and done.stdout, done.stderr
    for command in ("settings --discovery", "import"):
        done = _in_namespace(READ_ONLY_BIND, shop.parent, _args(WRITING[command], shop, out))
        assert_one_line_refusal(done.returncode, done.stderr, shop, "on a drive that is mounted read-only")
    done = _in_namespace(READ_ONLY_BIND, shop.parent, _args(WRITING["import"], shop.parent / "new.lrec", out))
    assert_one_line_refusal(done.returncode, done.stderr, shop.parent / "new.lrec", "its folder can't be written")
    assert snapshot(shop.parent) == before
    assert (out / "recs.csv").exists()


@needs_namespace
def test_unprepared_shop_on_a_read_only_drive_recommends_from_memory(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop", prepared=False)
    done = _in_namespace(READ_ONLY_BIND, shop.parent, ["recommend", "--db", str(shop), "--customer", "C1"])
    assert done.returncode == 0 and done.stdout, done.stderr
    assert not models_dir(shop).exists()


@needs_namespace
def test_stale_read_only_shm_for_real(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop")
    _leave_wal_and_shm(shop)
    shm = Path(f"{shop}-shm")
    done = _in_namespace(READ_ONLY_BIND, shm, ["stats", "--db", str(shop)])
    assert done.returncode == 0, done.stderr
    done = _in_namespace(READ_ONLY_BIND, shm, ["settings", "--db", str(shop), "--discovery", "0.3"])
    assert_one_line_refusal(done.returncode, done.stderr, shop, f"{shm} beside it is read-only")
    db = store.connect(shop)
    assert store.get_setting(db, "discovery") is None  # the refused write did not happen
    db.close()


@needs_namespace
def test_full_disk_for_real(tmp_path: Path) -> None:
    """The shop copied onto a 1 MB tmpfs that is then filled: reading works, an import says the disk is full."""
    shop = _shop(tmp_path / "shop", prepared=False)
    mount = tmp_path / "small"
    mount.mkdir()
    out = _outside(tmp_path)
    fill = (f'mount -t tmpfs -o size=1m none "$1" && cp "{shop}" "$1/shop.lrec" '
            '&& (dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null; true)')
    copy = mount / "shop.lrec"
    done = _in_namespace(fill, mount, ["stats", "--db", str(copy)])
    assert done.returncode == 0 and "customers" in done.stdout, done.stderr
    done = _in_namespace(fill, mount, ["import", "--db", str(copy), "--interactions", str(out / "orders.csv")])
    assert_one_line_refusal(done.returncode, done.stderr, copy, "is full")
    assert "failing" not in done.stderr
