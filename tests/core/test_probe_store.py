"""A file is a shop only when its schema says so, checked read-only before anything is written.

Each foreign or broken ``--db`` is run through the real command line (``stats``, ``jobs``, ``settings``,
``recommend``, ``import``): exit 2, one line naming the file, and the folder exactly as it was (bytes,
modification times, no -wal, -shm or .bak beside it). A shop's saved models that can't be read are
rebuilt with a log line or refused in one sentence, never a traceback and never unpickled.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from lrec_desktop.core.paths import models_dir
from lrec_desktop.core.recommend.model import cf_folder, prepare
from lrec_desktop.core.store import db as store
from lrec_desktop.core.store.schema import SCHEMA_VERSION
from lrec_desktop.core.text.embed_job import index_folder
from tests.core.cli_probe import ORDERS, assert_one_line_refusal, run_cli, snapshot
from tests.core.shopdb import build_learning_shop, write_shop


# --------------------------------------------------------------------------- foreign and broken files
def _sqlite(path: Path, *statements: str, wal: bool = False) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    for statement in statements:
        conn.execute(statement)
    conn.close()


PHOTOS = ("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)", "CREATE TABLE albums (id, name)",
          "INSERT INTO photos(path) VALUES ('/home/me/cat.jpg')")


def foreign(version: int, *, wal: bool = False) -> Callable[[Path], None]:
    return lambda path: _sqlite(path, *PHOTOS, f"PRAGMA user_version = {version}", wal=wal)


def shop_then(*statements: str) -> Callable[[Path], None]:
    """A real, current shop file changed afterwards by ``statements`` (run outside lrec_desktop)."""
    def make(path: Path) -> None:
        store.connect(path, create=True).close()
        _sqlite(path, *statements)
    return make


def empty_sqlite(path: Path) -> None:
    _sqlite(path, "CREATE TABLE t(x)", "DROP TABLE t")  # a valid header, no tables, user_version 0


def random_bytes(size: int, prefix: bytes = b"") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(prefix + random.Random(size).randbytes(size))


def make_fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    os.mkfifo(path)


TAKEN = "it has tables albums, photos"
# name: (how to make the file at --db, a phrase the refusal must contain)
BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "foreign v0": (foreign(0), TAKEN),
    "foreign v1": (foreign(1), TAKEN),
    "foreign v3": (foreign(3), TAKEN),
    "foreign v4": (foreign(4), TAKEN),
    "foreign v99": (foreign(99), TAKEN),
    "foreign in WAL mode": (foreign(1, wal=True), TAKEN),
    "shop tables missing": (shop_then("DROP TABLE interactions", "DROP TABLE import_problems"), "lacks"),
    "shop column renamed": (shop_then("ALTER TABLE items RENAME COLUMN title TO name"), "lacks"),
    "newer shop": (shop_then(f"PRAGMA user_version = {SCHEMA_VERSION + 1}"), "newer version of lrec_desktop"),
    "empty SQLite database": (empty_sqlite, "empty SQLite database"),
    "zero bytes": (lambda path: path.write_bytes(b""), "empty file"),
    "random bytes": (random_bytes(8192), "not an SQLite database"),
    "a CSV file": (lambda path: path.write_text(ORDERS), "not an SQLite database"),
    "SQLite header, garbage after": (random_bytes(8192, b"SQLite format 3\x00"), "damaged"),
    "foreign, a table name with a line break": (lambda path: _sqlite(path, 'CREATE TABLE "x\ny" (a)'),
                                                "it has tables x?y"),
    "a folder": (lambda path: path.mkdir(), "is a folder"),
    "a symlink loop": (lambda path: path.symlink_to(path.name), "leads round in a loop"),
    "a link to a missing file": (lambda path: path.symlink_to("gone.lrec"), "link to a missing file"),
    "a named pipe": (make_fifo, "not a regular file"),
}
COMMANDS: dict[str, list[str]] = {
    "stats": ["stats"],
    "jobs": ["jobs"],
    "settings": ["settings", "--discovery", "0.4"],
    "recommend": ["recommend", "--customer", "1"],
    "import": ["import", "--interactions", "{orders}"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(BROKEN))
def test_foreign_or_broken_file_is_refused_and_left_alone(case: str, command: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    make, phrase = BROKEN[case]
    folder = tmp_path / "shops"
    folder.mkdir()
    target = folder / "target.lrec"
    make(target)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "orders.csv").write_text(ORDERS)
    before, inputs_before = snapshot(folder), snapshot(inputs)
    args = [a.format(orders=inputs / "orders.csv") for a in COMMANDS[command]]
    code, out, err = run_cli([args[0], "--db", str(target), *args[1:]], capsys)
    assert_one_line_refusal(code, err, target, phrase)
    assert out == ""
    assert snapshot(folder) == before
    assert snapshot(inputs) == inputs_before


@pytest.mark.parametrize("command", ["stats", "jobs", "settings", "recommend", "prepare"])
def test_reading_commands_never_create_a_shop(command: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "nothing-here.lrec"
    name, *rest = COMMANDS.get(command, [command])
    code, _, err = run_cli([name, "--db", str(target), *rest], capsys)
    assert_one_line_refusal(code, err, target, "No shop file")
    assert list(tmp_path.iterdir()) == []


def test_import_creates_a_new_shop_whole(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "orders.csv").write_text(ORDERS)
    target = tmp_path / "new" / "shop.lrec"
    code, _, err = run_cli(["import", "--db", str(target), "--interactions", str(tmp_path / "orders.csv")], capsys)
    assert code == 0, err
    # Made under a temporary name and renamed whole: nothing of the making is left beside it.
    assert sorted(p.name for p in target.parent.iterdir()) == ["shop.lrec"]
    db = store.connect(target)
    assert db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 40
    db.close()


def test_version_1_shop_is_still_migrated_with_a_backup(tmp_path: Path) -> None:
    """The probe accepts a real old shop: the schema of version 1, rebuilt from the migrations' own start."""
    from lrec_desktop.core.store.probe import v1_statements

    path = tmp_path / "old.lrec"
    _sqlite(path, *v1_statements(), "INSERT INTO items(item_id, title) VALUES ('A', 'Tea')", "PRAGMA user_version = 1")
    db = store.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT title FROM items").fetchall() == [("Tea",)]
    db.close()
    assert (tmp_path / "old.lrec.v1.bak").exists()


# --------------------------------------------------------------------------- damaged saved models
@pytest.fixture(scope="session")
def embedded_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One shop read by the real bundled text model and prepared, copied by each test that damages it."""
    path = tmp_path_factory.mktemp("embedded") / "shop.lrec"
    build_learning_shop(path)
    prepare(path)
    return path


@pytest.fixture
def shop(embedded_shop: Path, tmp_path: Path) -> Path:
    target = tmp_path / "shop" / "shop.lrec"
    target.parent.mkdir()
    shutil.copy2(embedded_shop, target)
    shutil.copytree(models_dir(embedded_shop), models_dir(target))
    return target


class Marker:
    """Unpickling this writes a file: proof that a load ran pickle."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (Path.write_text, (self.path, "pickle ran"))


def _pickled_npz(path: Path) -> None:
    np.savez(path, data=np.array([Marker(path.with_name("PWNED"))], dtype=object))


CF_DAMAGE: dict[str, Callable[[Path], None]] = {
    "weights.npz random bytes": lambda cf: (cf / "weights.npz").write_bytes(random.Random(1).randbytes(4096)),
    "weights.npz truncated": lambda cf: (cf / "weights.npz").write_bytes((cf / "weights.npz").read_bytes()[:300]),
    "weights.npz holds a pickle": lambda cf: _pickled_npz(cf / "weights.npz"),
    "weights.npz of the wrong shape": lambda cf: np.savez(cf / "weights.npz", data=np.ones(1), indices=np.zeros(1),
                                                         indptr=np.array([0, 1]), shape=np.array([1, 1])),
    "items.json missing": lambda cf: (cf / "items.json").unlink(),
    "items.json not a list": lambda cf: (cf / "items.json").write_text('{"a": 1}'),
    "popularity.npy random bytes": lambda cf: (cf / "popularity.npy").write_bytes(b"\x93NUMPY" + bytes(200)),
    "config.json not JSON": lambda cf: (cf / "config.json").write_text("{{{"),
    "config.json unknown keys": lambda cf: (cf / "config.json").write_text(json.dumps({"data_version": 1, "x": 2})),
    "neighbours.npz random bytes": lambda cf: (cf / "neighbours.npz").write_bytes(b"PK\x03\x04" + bytes(100)),
}


@pytest.mark.parametrize("damage", list(CF_DAMAGE))
def test_damaged_recommendation_model_is_rebuilt(damage: str, shop: Path, capsys: pytest.CaptureFixture) -> None:
    code, expected, err = run_cli(["recommend", "--db", str(shop), "--customer", "C01"], capsys)
    assert code == 0, err
    CF_DAMAGE[damage](cf_folder(shop))
    code, out, err = run_cli(["recommend", "--db", str(shop), "--customer", "C01"], capsys)
    assert code == 0, err
    assert out == expected  # rebuilt from the same sales: the same answer
    assert "Traceback" not in err
    assert not (cf_folder(shop) / "PWNED").exists()
    code, out, err = run_cli(["recommend", "--db", str(shop), "--customer", "C01"], capsys)
    assert (code, out, err) == (0, expected, "")  # the rebuilt model was saved: read back without a word


def test_damaged_model_is_logged(shop: Path, caplog: pytest.LogCaptureFixture) -> None:
    from lrec_desktop.core.recommend.service import Recommender

    (cf_folder(shop) / "weights.npz").write_bytes(b"garbage")
    Recommender.load(shop)
    assert any("weights.npz" in r.getMessage() and "again" in r.getMessage() for r in caplog.records)


INDEX_DAMAGE: dict[str, Callable[[Path], None]] = {
    "vectors.npy random bytes": lambda ix: (ix / "vectors.npy").write_bytes(random.Random(2).randbytes(5000)),
    "index.faiss random bytes": lambda ix: (ix / "index.faiss").write_bytes(random.Random(3).randbytes(5000)),
    "index.faiss huge header": lambda ix: (ix / "index.faiss").write_bytes(b"IxFI" + (2**30).to_bytes(4, "little")
                                                                           + (2**40).to_bytes(8, "little")),
    "present.npy missing": lambda ix: (ix / "present.npy").unlink(),
    "items.json missing": lambda ix: (ix / "items.json").unlink(),
    "neighbours.npz holds a pickle": lambda ix: _pickled_npz(ix / "neighbours.npz"),
}


@pytest.mark.parametrize("damage", list(INDEX_DAMAGE))
def test_damaged_text_index_is_named_and_rebuilt_by_embed(damage: str, shop: Path, capsys: pytest.CaptureFixture,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    code, found, err = run_cli(["search", "--db", str(shop), "teapot"], capsys)
    assert code == 0 and found, err
    folder = index_folder(shop)
    INDEX_DAMAGE[damage](folder)
    code, out, err = run_cli(["search", "--db", str(shop), "teapot"], capsys)
    assert_one_line_refusal(code, err, folder, "lrec-desktop embed")
    assert not (folder / "PWNED").exists()
    # Recommendations still come, from sales alone, with a warning that says so (on stderr outside pytest).
    code, out, err = run_cli(["recommend", "--db", str(shop), "--customer", "C01"], capsys)
    assert code == 0 and out and "Traceback" not in err, err
    assert any("lrec-desktop embed" in r.getMessage() and "sales alone" in r.getMessage() for r in caplog.records)
    # Reading again rebuilds the index from the vectors the shop keeps; no product is read twice.
    code, out, err = run_cli(["embed", "--db", str(shop), "--device", "cpu"], capsys)
    assert code == 0, err
    code, out, err = run_cli(["search", "--db", str(shop), "teapot"], capsys)
    assert (code, out) == (0, found), err


def test_models_folder_that_is_a_file_is_refused(shop: Path, capsys: pytest.CaptureFixture) -> None:
    folder = models_dir(shop)
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    before = snapshot(shop.parent)
    for command in (["prepare"], ["recommend", "--customer", "C01"]):
        code, _, err = run_cli([command[0], "--db", str(shop), *command[1:]], capsys)
        assert_one_line_refusal(code, err, folder, "is a file")
    after = snapshot(shop.parent)
    assert after[folder.name] == before[folder.name]


def test_a_file_where_the_recommendation_folder_belongs_is_replaced(shop: Path, capsys: pytest.CaptureFixture) -> None:
    """Inside the shop's own models folder lrec_desktop owns every name: a stray file there is rebuilt over."""
    shutil.rmtree(cf_folder(shop))
    cf_folder(shop).write_text("stray")
    code, out, err = run_cli(["recommend", "--db", str(shop), "--customer", "C01"], capsys)
    assert code == 0 and out, err
    assert cf_folder(shop).is_dir()
    assert sorted(p.name for p in models_dir(shop).iterdir()) == ["cf", "ranker", "text-index"]


def test_small_shop_fixture_is_a_shop(tmp_path: Path) -> None:
    """write_shop (used across the tests) makes files the probe accepts as shops."""
    path = write_shop(tmp_path / "s.lrec", [{"item_id": "A", "title": "a"}], [("C", "A", 1)])
    store.connect(path).close()


@pytest.mark.parametrize("case", ["a symlink loop", "a link to a missing file", "a folder"])
def test_the_core_refuses_them_too(case: str, tmp_path: Path) -> None:
    """The GUI and jobs open shops without the command line's argument checks."""
    from lrec_desktop.core.store.probe import NotAShop

    make, phrase = BROKEN[case]
    target = tmp_path / "target.lrec"
    make(target)
    for create in (False, True):
        with pytest.raises(NotAShop, match=phrase):
            store.connect(target, create=create)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target.lrec"]
