"""Shared test set-up: offscreen Qt, an isolated app data folder per test, paths to fixtures."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# The test run gets a home folder of its own, set before anything reads HOME (platformdirs, Qt's standard
# paths, the export dialog's documents folder), so nothing a test does can land in the user's real home.
REAL_HOME = Path(os.path.expanduser("~")).resolve()
TEST_HOME = Path(tempfile.mkdtemp(prefix="lrec-test-home-"))
os.environ["HOME"] = str(TEST_HOME)
for _name, _sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                    ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
    os.environ[_name] = str(TEST_HOME / _sub)
(TEST_HOME / "Documents").mkdir()
# Where the real home keeps what a user sees (and the app's own folders): watched for new entries per test.
WATCHED = [REAL_HOME, REAL_HOME / "Documents", REAL_HOME / "Desktop", REAL_HOME / "Downloads",
           *(REAL_HOME / sub / "lrec_desktop" for sub in (".config", ".local/share", ".cache", ".local/state"))]

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SHARED_DATASETS = REPO.parent / "shared" / "datasets"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(TEST_HOME, ignore_errors=True)


def _visible_entries() -> set[Path]:
    """Entries in the watched folders of the real home; hidden ones in the home itself are other tools'."""
    found: set[Path] = set()
    for folder in WATCHED:
        try:
            found |= {p for p in folder.iterdir() if folder != REAL_HOME or not p.name.startswith(".")}
        except OSError:  # not there: nothing in it
            continue
    return found


@pytest.fixture(autouse=True)
def nothing_written_to_real_home() -> Iterator[None]:
    """Fail a test that leaves anything new in the user's real home folder (an export's default path, a
    settings file): tests write only in their temp folders."""
    before = _visible_entries()
    yield
    new = sorted(str(p) for p in _visible_entries() - before)
    if new:
        pytest.fail(f"the test wrote into the real home folder: {new}")


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own app data folder, so no test sees another's shops or settings."""
    path = tmp_path_factory.mktemp("appdata")
    monkeypatch.setenv("LREC_DATA_DIR", str(path))
    return path


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def movielens_dir() -> Path:
    """The real ml-latest-small folder; tests that need it are skipped on a clone without ../shared."""
    path = SHARED_DATASETS / "ml-latest-small"
    if not (path / "ratings.csv").exists():
        pytest.skip("../shared/datasets/ml-latest-small is not present")
    return path
