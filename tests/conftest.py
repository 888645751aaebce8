"""Shared test set-up: offscreen Qt, an isolated app data folder per test, paths to fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SHARED_DATASETS = REPO.parent / "shared" / "datasets"


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
