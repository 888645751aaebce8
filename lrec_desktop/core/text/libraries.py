"""Loading torch and transformers without freezing the window that waits meanwhile.

The first ``import torch`` in a worker thread froze the GUI thread for 1.4-1.6 s on the 2-core development
machine: CPython holds the GIL while an extension module's shared libraries load, and libtorch is hundreds
of megabytes to map and relocate. Here the libraries are loaded first through a plain ``dlopen`` call made
with ctypes, which releases the GIL for the call; the import then finds them loaded. Garbage collection is
paused while the packages import (a full collection during the import walked everything imported so far,
with the GIL held), and their objects are then exempted from it (``core.heap``).

The imports run in a short-lived thread of their own: whatever reference cycles they leave behind (an
ImportError caught deep inside keeps its traceback, whose frames keep their locals) can then only hold that
thread's frames. Made in a job's thread, they would hold the job's frames, and once frozen, the job's
objects for good. Measured with tests/benchmarks/bench_gui_stall.py.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from lrec_desktop.core.heap import freeze_long_lived

log = logging.getLogger(__name__)

# In dependency order; dlopen loads what each needs from the same folder. CUDA builds add libtorch_cuda.
TORCH_LIBRARIES = ("libc10", "libtorch_cpu", "libtorch_cuda", "libtorch", "libtorch_python")
# Loading a model imports modeling_utils, which brings in sympy, torch.distributed and torch._dynamo (1,500
# modules, ~160,000 objects): imported here, they are frozen with the rest.
TRANSFORMERS_MODULES = ("transformers", "transformers.models.auto.modeling_auto",
                        "transformers.models.auto.tokenization_auto", "transformers.modeling_utils",
                        "transformers.generation")
_lock = threading.Lock()


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
        dlopen = ctypes.CDLL(None).dlopen
    except (OSError, AttributeError):
        return
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    for name in names:
        path = folder / f"{name}{suffix}"
        if path.exists() and not dlopen(os.fsencode(path), os.RTLD_NOW | os.RTLD_GLOBAL):
            log.debug("could not preload %s; the import will load it", path)


_pending: dict[tuple[str, ...], tuple[threading.Thread, list[BaseException]]] = {}  # imports begun, by modules


def _import_apart(modules: tuple[str, ...], after: str, check: Callable[[], None] | None = None) -> None:
    """Import ``modules`` in a thread of their own with collection paused, then freeze what is alive. ``check``
    (a job's cancel check) is called while it waits: a cancelled job leaves at once, and the import goes on in its
    thread to the end, for the next caller, who waits for that same thread (a module half imported is in
    sys.modules already, so sys.modules can't tell that it is ready)."""
    with _lock:
        begun = _pending.get(modules)
        if begun is None:
            if all(name in sys.modules for name in modules):
                return
            failure: list[BaseException] = []

            def run() -> None:
                enabled = gc.isenabled()
                gc.collect()  # garbage made before is not frozen below (the heap is still small: tens of ms)
                gc.disable()
                try:
                    for name in modules:
                        importlib.import_module(name)
                    freeze_long_lived(after)
                except BaseException as exc:
                    failure.append(exc)
                finally:
                    if enabled:
                        gc.enable()

            thread = threading.Thread(target=run, name=f"import {modules[0]}", daemon=True)
            thread.start()
            begun = _pending[modules] = (thread, failure)
    thread, failure = begun
    while thread.is_alive():
        thread.join(0.1)  # waits with the GIL released
        if check is not None and thread.is_alive():
            check()
    if failure:
        with _lock:
            _pending.pop(modules, None)  # the next caller tries again
        raise failure[0]


def load_torch(check: Callable[[], None] | None = None) -> ModuleType:
    """``import torch``, done so that other threads keep running meanwhile; ``check`` as in ``_import_apart``."""
    if "torch" not in sys.modules or ("torch",) in _pending:
        with _lock:
            begun = ("torch",) in _pending or "torch" in sys.modules
            if not begun:
                _preload("torch", TORCH_LIBRARIES)
        _import_apart(("torch",), "importing torch", check)
    return sys.modules["torch"]


def load_transformers(check: Callable[[], None] | None = None) -> ModuleType:
    """torch, then ``transformers`` with the Auto classes this app uses, as ``load_torch``; ``check`` as in
    ``_import_apart`` (a job that is cancelled meanwhile leaves within 0.1 s)."""
    load_torch(check)
    _import_apart(TRANSFORMERS_MODULES, "importing transformers", check)
    return sys.modules["transformers"]
