"""The layers, enforced in the test run: the import-linter contracts of pyproject.toml (the core never imports
Qt or the window; the window reaches the core only through core.app; no cycles among the window's, the
command line's and the API's modules), no import cycle between any two modules of the package, and mypy
on the core (strict on core.app). A missing tool fails, as for ruff: a skipped check would pass unchecked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's code, not an installed copy


def test_import_contracts_are_kept() -> None:
    lint_imports = shutil.which("lint-imports")
    assert lint_imports is not None, "import-linter is not installed: pip install -e '.[test]'"
    result = subprocess.run([lint_imports, "--no-cache"], cwd=REPO, env=_env(), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_in_a_circle() -> None:
    """Every import counts, those inside functions too: a cycle there still ties two modules together."""
    import grimp  # comes with import-linter

    graph = grimp.build_graph("lrec_desktop", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported}")
    assert cycles == []


def test_mypy_is_clean_on_the_core(tmp_path: Path) -> None:
    assert shutil.which("mypy") is not None or _has_module("mypy"), "mypy is not installed: pip install -e '.[test]'"
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache")], cwd=REPO,
                            env=_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
