"""Model folders beside the shop file, written atomically: a temp folder renamed on success.

A crashed or cancelled job leaves the previous folder in place, so the last good model keeps working.
Arrays are stored as .npy/.npz loaded with ``allow_pickle=False`` and configs as JSON: nothing is unpickled.
A saved file that can't be read (damaged, truncated, missing, of the wrong shape) raises DamagedArtifact
naming it, which callers turn into a rebuild with a log line or a sentence saying what to run.
"""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from lrec_desktop.core.errors import UserError

# What reading a damaged file raises: numpy (ValueError, EOFError; a pickle refused is a ValueError), zipfile,
# json (ValueError), a dataclass given the wrong keys (TypeError), faiss (RuntimeError), a size read from
# garbage (MemoryError), the disk (OSError: missing, unreadable).
LOAD_ERRORS = (OSError, ValueError, TypeError, KeyError, IndexError, EOFError, RuntimeError, MemoryError,
               zipfile.BadZipFile)
MAX_DETAIL = 160


class DamagedArtifact(UserError):
    """A saved model file that can't be read. ``path`` is the file, ``advice`` what to do about it."""

    def __init__(self, path: Path, detail: str, advice: str) -> None:
        self.path = path
        self.detail = detail
        self.advice = advice
        super().__init__(f"{path} can't be read ({detail}): {advice}")


def _detail(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "it is missing"
    if "allow_pickle" in str(exc):  # numpy's advice to unpickle is not one to pass on
        return "it is not an array lrec_desktop saved, and reading it would mean running pickle, which is never done"
    text = " ".join(str(exc).split()) or type(exc).__name__  # faiss's messages run over several lines
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


@contextmanager
def reading(path: Path, advice: str) -> Iterator[None]:
    """Turn any failure to read ``path`` inside the block into DamagedArtifact(path, ..., advice)."""
    try:
        yield
    except DamagedArtifact:
        raise
    except LOAD_ERRORS as exc:
        raise DamagedArtifact(path, _detail(exc), advice) from exc


def expect(condition: bool, what: str) -> None:
    """A check of a loaded file's shape; failing, it reads as damage of that file (inside ``reading``)."""
    if not condition:
        raise ValueError(what)


def _ensure_folder(folder: Path) -> None:
    """``mkdir -p folder``, refused in words when a file stands where a folder of it belongs."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise UserError(f"{blocker} is a file where lrec_desktop keeps a folder of this shop's models: move it "
                        "away or delete it, then try again.") from exc


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temp folder; on success it replaces ``target`` in one rename."""
    _ensure_folder(target.parent)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if target.exists() or target.is_symlink():
        target.rename(old)
    tmp.rename(target)
    _remove(old)  # a stray file where the folder belongs is replaced too: the models folder is ours


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_config(path: Path) -> dict[str, Any]:
    data = read_json(path)
    expect(isinstance(data, dict), "not a JSON object")
    return data


def save_sparse(path: Path, matrix: sp.csr_matrix) -> None:
    m = matrix.tocsr()
    np.savez(path, data=m.data, indices=m.indices, indptr=m.indptr, shape=np.asarray(m.shape))


def load_sparse(path: Path, shape: tuple[int, int] | None = None) -> sp.csr_matrix:
    """A matrix saved by save_sparse, checked whole (indices in range, rows in order), and of ``shape`` when
    given: sparse products in C read out of bounds on a damaged index array instead of failing."""
    with np.load(path, allow_pickle=False) as f:
        matrix = sp.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(int(n) for n in f["shape"]))
    matrix.check_format(full_check=True)
    if shape is not None:
        expect(matrix.shape == shape, f"a matrix of shape {matrix.shape} where {shape} was expected")
    return matrix


def load_array(path: Path, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A .npy array, never unpickled, of ``shape`` when given."""
    array = np.load(path, allow_pickle=False)
    expect(isinstance(array, np.ndarray), "not a single array")
    if shape is not None:
        expect(array.shape == shape, f"an array of shape {array.shape} where {shape} was expected")
    return array


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
                _remove(leftover)
                done.append(f"removed {leftover.name}")
            else:
                leftover.rename(target)
                done.append(f"restored {target.name}")
        for leftover in sorted(parent.glob(".*.tmp-*")):
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"removed {leftover.name}")
    return done
