"""Model folders beside the shop file, written atomically: a temp folder renamed on success.

A crashed or cancelled job leaves the previous folder in place, so the last good model keeps working.
Arrays are stored as .npy/.npz loaded with ``allow_pickle=False`` and configs as JSON: nothing is unpickled.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temp folder; on success it replaces ``target`` in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def save_sparse(path: Path, matrix: sp.csr_matrix) -> None:
    m = matrix.tocsr()
    np.savez(path, data=m.data, indices=m.indices, indptr=m.indptr, shape=np.asarray(m.shape))


def load_sparse(path: Path) -> sp.csr_matrix:
    with np.load(path, allow_pickle=False) as f:
        return sp.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(f["shape"]))


def recover_folders(root: Path) -> list[str]:
    """Tidy what a job killed inside ``atomic_folder`` left under ``root`` (two levels deep); returns what
    was done. A temp folder is unfinished work and goes; a kept-aside ``.old`` folder whose target is
    missing (killed between the two renames) is the last good one and is put back. Only call this while
    no job of the shop is running: a live job's temp folder looks the same."""
    done: list[str] = []
    if not root.is_dir():
        return done
    parents = [root, *(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))]
    for parent in parents:
        for leftover in sorted(parent.glob(".*.old-*")):
            target = parent / leftover.name[1:].rsplit(".old-", 1)[0]
            if target.exists():
                shutil.rmtree(leftover, ignore_errors=True)
                done.append(f"removed {leftover.name}")
            else:
                leftover.rename(target)
                done.append(f"restored {target.name}")
        for leftover in sorted(parent.glob(".*.tmp-*")):
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"removed {leftover.name}")
    return done
