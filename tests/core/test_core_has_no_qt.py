"""The headless core must import and work with Qt absent (ARCHITECTURE.md: core/ never imports Qt)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import lrec_desktop.core

BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'pyqtgraph'):
            raise ImportError(f'{name} is blocked: lrec_desktop.core must not import Qt')
sys.meta_path.insert(0, BlockQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules)
heavy = [m for m in ('torch', 'transformers', 'faiss') if m in sys.modules]
assert not heavy, f'imported eagerly: {heavy}'
print('ok', len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    names = ["lrec_desktop.core", "lrec_desktop.cli"]
    for info in pkgutil.walk_packages(lrec_desktop.core.__path__, prefix="lrec_desktop.core."):
        names.append(info.name)
    return names


def test_every_core_module_imports_with_qt_blocked() -> None:
    modules = core_modules()
    assert len(modules) > 10
    result = subprocess.run([sys.executable, "-c", BLOCK_QT, *modules], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
