"""The adversarial probe's output cases (issue 16 items 1, 12, 14, 15): an output never replaces a shop's
files, a database, a device, a pipe or a folder; it is written through a temp file and a rename, so a failed
write leaves the previous output and names the output, not the shop; bad arguments exit 2 with one line.

Every refusal is checked from the real command line: exit code 2, one line on stderr naming the thing,
and the shop's bytes, mtime, companions and model files unchanged.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core import output_file
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.export import ExportRequest, export_recommendations
from lrec_desktop.core.recommend.audience import AudienceMember, write_audience_csv
from tests.core import probe_shop
from tests.core.shopdb import write_shop


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return probe_shop.build(tmp_path_factory.mktemp("probe"))


@pytest.fixture
def shop(built: Path, tmp_path: Path) -> Path:
    """A fresh copy per test (with its prepared model folder), so one test's files never meet another's."""
    import shutil

    copy = tmp_path / "shop.lrec"
    shutil.copy2(built, copy)
    shutil.copytree(built.with_name(built.name + "-models"), copy.with_name(copy.name + "-models"))
    return copy


# Each command that writes a file, with the argument that names it.
WRITERS = {
    "export": lambda shop, out: ["export", "--db", str(shop), "--out", out],
    "audience": lambda shop, out: ["audience", "--db", str(shop), "--item", "P6", "--out", out],
    "evaluate": lambda shop, out: ["evaluate", "--db", str(shop), "--mode", "sales", "--json", out],
}


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock.csv"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
    except OSError:  # the path is longer than a socket address may be
        pytest.skip("the temp folder's path is too long for a socket")
    sock.close()
    return path


def _device(folder: Path) -> Path:
    """A character device (the null device's numbers) in the temp folder: never a real /dev node, which a
    regression would replace with a CSV for the whole machine."""
    path = folder / "null.csv"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (OSError, AttributeError):
        pytest.skip("device nodes can't be made here (needs root, POSIX)")
    return path


def _database(folder: Path) -> Path:
    import sqlite3

    path = folder / "figures.json"  # another program's database under an innocent name
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    return path


def _link(folder: Path, to: str) -> Path:
    path = folder / "link.csv"
    path.symlink_to(to)
    return path


# name: (make the --out path from the shop, what the one-line message must say)
TARGETS: dict[str, tuple[Callable[[Path], Path | str], str]] = {
    "the shop itself": (lambda shop: shop, "shop file itself"),
    "the shop by a relative path": (lambda shop: os.path.relpath(shop), "shop file itself"),
    "the shop's -wal": (lambda shop: shop.with_name(shop.name + "-wal"), "beside the shop"),
    "the shop's -shm": (lambda shop: shop.with_name(shop.name + "-shm"), "beside the shop"),
    "the shop's -journal": (lambda shop: shop.with_name(shop.name + "-journal"), "beside the shop"),
    "the models folder": (lambda shop: shop.with_name(shop.name + "-models"), "model folder"),
    "a file in the models folder": (lambda shop: shop.with_name(shop.name + "-models") / "cf" / "config.json",
                                    "model folder"),
    "another shop": (lambda shop: shop.with_name("other.lrec"), "shop file"),
    "a link to the shop": (lambda shop: _link(shop.parent, shop.name), "shop file itself"),
    "a SQLite file by another name": (lambda shop: _database(shop.parent), "is a database"),
    "a device": (lambda shop: _device(shop.parent), "not a plain file"),
    "a fifo": (lambda shop: _fifo(shop.parent), "not a plain file"),
    "a socket": (lambda shop: _socket(shop.parent), "not a plain file"),
    "a folder": (lambda shop: shop.parent, "is a folder"),
    "a missing folder": (lambda shop: shop.parent / "no-such-folder" / "out.csv", "does not exist"),
    "a file as the folder": (lambda shop: shop / "out.csv", "is not a folder"),
    "a link loop": (lambda shop: _link(shop.parent, "link.csv"), "loop"),
    "a newline in the folder name": (lambda shop: shop.parent / "two\nlines" / "out.csv", "two\\nlines"),
}


def snapshot(path: Path) -> object:
    """What is at ``path`` now, to compare after a refusal (a link is not followed)."""
    if not os.path.lexists(path):
        return None
    st = os.lstat(path)
    if stat.S_ISREG(st.st_mode):
        return "file", Path(path).read_bytes()
    if stat.S_ISDIR(st.st_mode):
        return "folder", sorted(p.name for p in Path(path).iterdir())
    return stat.S_IFMT(st.st_mode), st.st_ino, st.st_rdev  # a device's mtime moves when others write to it


@pytest.mark.parametrize("command", list(WRITERS))
@pytest.mark.parametrize("target", list(TARGETS))
def test_an_output_never_replaces_what_it_must_not(command: str, target: str, shop: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    make, says = TARGETS[target]
    (shop.parent / "other.lrec").write_bytes(shop.read_bytes())
    out = make(shop)
    before, there = probe_shop.fingerprint(shop), snapshot(Path(out))
    assert main(["--quiet", *WRITERS[command](shop, str(out))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "unexpected" not in err, err
    assert probe_shop.fingerprint(shop) == before
    assert snapshot(Path(out)) == there
    assert not [p for p in shop.parent.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_link_is_followed_and_stays_a_link(command: str, shop: Path) -> None:
    target = shop.parent / "real.csv"
    target.write_text("old")
    link = _link(shop.parent, "real.csv")
    assert main(["--quiet", *WRITERS[command](shop, str(link))]) == 0
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert target.read_text() != "old"


def test_the_old_output_keeps_its_permissions(shop: Path) -> None:
    out = shop.parent / "recs.csv"
    out.write_text("old")
    out.chmod(0o640)
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text().startswith("customer_id,")


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_full_disk_blames_the_output_and_keeps_the_old_one(command: str, shop: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture) -> None:
    out = shop.parent / "out.csv"
    out.write_text("the previous output")
    before = probe_shop.fingerprint(shop)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output_file.os, "fsync", full)
    assert main(["--quiet", *WRITERS[command](shop, str(out))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "disk is full" in err and "output file" in err and str(out) in err, err
    assert "shop" not in err
    assert out.read_text() == "the previous output"
    assert not [p for p in shop.parent.iterdir() if p.name.endswith(".part")]
    if command != "evaluate":  # evaluate records its run in the shop before it writes the figures
        assert probe_shop.fingerprint(shop) == before


def test_a_folder_one_may_not_write_in(shop: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture) -> None:
    def denied(**kwargs: object) -> None:  # root may write anywhere, so the refusal is the OS's, simulated
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output_file.tempfile, "mkstemp", denied)
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(shop.parent / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "output file" in err and "may not write in" in err and "shop" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX only")
def test_a_write_the_system_refuses_midway(tmp_path: Path) -> None:
    """A real failure from the kernel in the middle of the output: the file-size limit (EFBIG), set above
    what the shop's own files need (SQLite's 32 KiB -shm) and below the export's size."""
    items = [{"item_id": f"P{n}", "title": f"A product with a longer title, number {n}"} for n in range(40)]
    shop = write_shop(tmp_path / "big.lrec", items, [(f"C{c:04d}", f"P{(c * 7 + k) % 40}", c * 10 + k)
                                                     for c in range(600) for k in range(3)])
    assert main(["--quiet", "prepare", "--db", str(shop)]) == 0
    out = tmp_path / "out.csv"
    out.write_text("the previous output")
    before = probe_shop.fingerprint(shop)
    limit = 256 * 1024
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); from lrec_desktop.cli import main; "
            f"sys.exit(main(['--quiet', 'export', '--db', {str(shop)!r}, '--out', {str(out)!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "LREC_DATA_DIR": str(tmp_path / "appdata")})
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "output file" in result.stderr and "shop" not in result.stderr
    assert out.read_text() == "the previous output"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert probe_shop.fingerprint(shop) == before
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(out)]) == 0
    assert out.stat().st_size > limit  # the export really is bigger than the limit


def test_the_gui_path_is_protected_without_naming_the_shop(shop: Path) -> None:
    """The audience panel and export dialog call the core directly: the rules hold there too."""
    members = [AudienceMember("C1", "Ann", "ann@example.com", 1.0, "why")]
    for out in (shop, shop.with_name(shop.name + "-wal"), shop.parent):
        with pytest.raises(UserError):
            write_audience_csv(members, out)
    with pytest.raises(UserError, match="shop file itself"):
        export_recommendations(shop, ExportRequest(shop))
    with pytest.raises(UserError, match="is empty"):
        export_recommendations(shop, ExportRequest(shop.parent / "x.csv", customers=[" ", ""]))
    assert not (shop.parent / "x.csv").exists()


TOPS = {
    "recommend --top 0": ["recommend", "--customer", "C1", "--top", "0"],
    "similar --top -5": ["similar", "--item", "P6", "--top", "-5"],
    "audience --top -1": ["audience", "--item", "P6", "--top", "-1"],
    "search --top 0": ["search", "tea", "--top", "0"],
    "export --top 0": ["export", "--out", "x.csv", "--top", "0"],
    "evaluate --top 0": ["evaluate", "--top", "0"],
    "recommend --top x": ["recommend", "--customer", "C1", "--top", "x"],
}


@pytest.mark.parametrize("case", list(TOPS))
def test_no_silent_empty_lists(case: str, shop: Path, capsys: pytest.CaptureFixture) -> None:
    command, *rest = TOPS[case]
    before = probe_shop.fingerprint(shop)
    assert main(["--quiet", command, "--db", str(shop), *rest]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "--top" in captured.err and "whole number of 1 or more" in captured.err
    assert probe_shop.fingerprint(shop) == before


@pytest.mark.parametrize("customers", ["", " ", ",", " , ,"])
def test_an_empty_customer_list_is_not_everyone(customers: str, shop: Path, capsys: pytest.CaptureFixture) -> None:
    out = shop.parent / "x.csv"
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(out), "--customers", customers]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--customers is empty" in err
    assert not out.exists()


INPUTS = {
    "--items a loop": lambda folder: ["import", "--items", str(_link(folder, "link.csv"))],
    "--interactions a loop": lambda folder: ["import", "--interactions", str(_link(folder, "link.csv"))],
    "--model a loop": lambda folder: ["embed", "--model", str(_link(folder, "link.csv"))],
    "--items with a newline": lambda folder: ["import", "--items", str(folder / "new\nline.csv")],
}


@pytest.mark.parametrize("case", list(INPUTS))
def test_awkward_input_paths_get_one_line(case: str, shop: Path, capsys: pytest.CaptureFixture,
                                          shop_hash: Callable[[Path], str]) -> None:
    args = INPUTS[case](shop.parent)
    before = shop_hash(shop)  # the data: a refused import may still note the attempt in the job journal
    assert main(["--quiet", args[0], "--db", str(shop), *args[1:]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected" not in err, err
    assert ("loop" in err and "link.csv" in err) if "loop" in case else "new\\nline.csv" in err
    assert shop_hash(shop) == before


def test_a_closed_pipe_ends_quietly(shop: Path) -> None:
    """``lrec-desktop recommend ... | head -1``: the reader leaves; no traceback, SIGPIPE's exit status."""
    proc = subprocess.Popen([sys.executable, "-m", "lrec_desktop.cli", "--quiet", "stats", "--db", str(shop)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "LREC_DATA_DIR": str(shop.parent / "appdata")})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the first line is printed
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141
    assert err == ""


def test_a_newline_in_a_file_name_stays_on_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Progress lines and the summary each stay one line when the imported file's name holds a newline."""
    catalog, _orders = probe_shop.write_inputs(tmp_path)
    odd = catalog.rename(tmp_path / "new\nline.csv")
    assert main(["import", "--db", str(tmp_path / "s.lrec"), "--items", str(odd)]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 1 and "new\\nline.csv" in captured.out
    assert all(line.startswith("[") for line in captured.err.splitlines()), captured.err
