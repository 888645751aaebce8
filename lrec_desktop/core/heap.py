"""Keeping Python's cyclic garbage collector off the long-lived objects of the heavy libraries.

Once torch and transformers are imported and a model is loaded, the heap holds ~400,000 objects (modules,
functions, classes, the model's layers) that live as long as the process. Every full collection walked all
of them while holding the GIL: 0.4-0.7 s at a time on the 2-core development machine, in whichever thread
happened to allocate, so the window froze that long several times while the text model read a catalog
(tests/benchmarks/bench_gui_stall.py --blame names them). ``gc.freeze()`` moves every object alive now into
a permanent generation that collections skip. Reference counting still frees each of them as usual; only a
reference cycle among frozen objects is kept for good. So this runs once per process right after a heavy
library is imported, in a thread of its own (core.text.libraries), when what is alive is what stays alive.
"""

from __future__ import annotations

import gc
import logging
import threading

log = logging.getLogger(__name__)

_frozen: set[str] = set()
_lock = threading.Lock()


def freeze_long_lived(after: str) -> None:
    """Exempt every object alive now from garbage collections, once per ``after`` (what just loaded, a fixed
    phrase: the number of freezes a process makes is bounded by the places that call this)."""
    with _lock:
        if after in _frozen:
            return
        gc.freeze()
        _frozen.add(after)
    log.info("after %s: %d objects exempt from garbage collection", after, gc.get_freeze_count())
