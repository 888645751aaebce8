"""Loading torch and transformers without freezing the window that waits meanwhile.

The first ``import torch`` in a worker thread froze the GUI thread for 1.4-1.6 s on the 2-core development
machine: CPython holds the GIL while an extension module's shared libraries load, and libtorch is hundreds
of megabytes to map and relocate. Here the libraries are loaded first through a plain ``dlopen`` call made
with ctypes, which releases the GIL for the call; the import then finds them loaded. Garbage collection is
paused while the libraries import (each full collection during an import walks everything imported so far,
with the GIL held) and their long-lived objects are then exempted from it (``core.heap``). Measured with
tests/benchmarks/bench_gui_stall.py.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from lrec_desktop.core.heap import freeze_long_lived

log = logging.getLogger(__name__)

# In dependency order; dlopen loads what each needs from the same folder. CUDA builds add libtorch_cuda.
TORCH_LIBRARIES = ("libc10", "libtorch_cpu", "libtorch_cuda", "libtorch", "libtorch_python")
_lock = threading.RLock()
_paused = 0  # nesting depth of collection_paused(), across threads
_was_enabled = True  # whether collection was on when the outermost pause began


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection while the block runs (process-wide; it resumes when the outermost block ends)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


def _preload(package: str, names: tuple[str, ...]) -> None:
    """dlopen the package's shared libraries with the GIL released (POSIX only: on Windows torch loads its
    DLLs through ctypes calls already). Best effort: the import loads whatever this misses."""
    if os.name != "posix":
        return
    spec = importlib.util.find_spec(package)  # finds the folder without importing the package
    if spec is None or spec.origin is None:
        return
    folder = Path(spec.origin).parent / "lib"
    suffix = ".dylib" if sys.platform == "darwin" else ".so"
    try:
        libc = ctypes.CDLL(None)
        dlopen = libc.dlopen
    except (OSError, AttributeError):
        return
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    for name in names:
        path = folder / f"{name}{suffix}"
        if path.exists() and not dlopen(os.fsencode(path), os.RTLD_NOW | os.RTLD_GLOBAL):
            log.debug("could not preload %s; the import will load it", path)


def load_torch() -> ModuleType:
    """``import torch``, done so that other threads keep running meanwhile."""
    with _lock:
        if "torch" not in sys.modules:
            _preload("torch", TORCH_LIBRARIES)
            with collection_paused():
                import torch  # noqa: F401
            freeze_long_lived("importing torch")
    return sys.modules["torch"]


def load_transformers() -> ModuleType:
    """torch, then ``transformers`` with the model classes this app uses, as ``load_torch``."""
    load_torch()
    with _lock:
        if "transformers.models.auto.modeling_auto" not in sys.modules:
            with collection_paused():
                import transformers
                from transformers import AutoModel, AutoTokenizer  # noqa: F401  (lazy submodules load here)

                del transformers
            freeze_long_lived("importing transformers")
    return sys.modules["transformers"]
