"""One BLAS thread for code that does many small vector products (a list's features and reasons).

BLAS threads woken for each small product cost more than they save, and on a loaded 2-core machine far more.
threadpoolctl's ``threadpool_limits`` finds the loaded BLAS libraries anew on every entry by reading the
process's memory map (~18 ms a time on ml-latest-small's shop, two per recommended list: more than the list
itself), so the libraries are found once and the same controller limits them each time."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any

from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context in which numpy's and scipy's BLAS use one thread (the libraries loaded by the first call)."""
    return _controller().limit(limits=1, user_api="blas")
