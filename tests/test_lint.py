"""ruff is part of the test command, so a lint error fails CI like a failing test."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff")
    # A missing ruff fails rather than skips: a skipped lint would let a CI without the [test] extra pass unlinted.
    assert ruff is not None, "ruff is not installed: pip install -e '.[test]'"
    result = subprocess.run([ruff, "check", "lrec_desktop", "tests", "resources"], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
