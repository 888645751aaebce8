"""Reading the small files of a model folder safely: JSON configs, safetensors headers, full hashes.

Every problem becomes one UserError sentence naming the folder and the file, so a broken or hostile model
folder is refused before torch or transformers read anything from it. Only the ``safetensors`` library's
header reader is used here (no torch import): the GUI calls this on its quick-job thread.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

from lrec_desktop.core.errors import UserError

MAX_CONFIG_BYTES = 20_000_000  # tokenizer.json of large multilingual models is ~17 MB; configs are kilobytes
HASH_CHUNK = 1 << 20

_digests: dict[tuple[str, int, int, int], str] = {}
_digests_lock = threading.Lock()


def shown(folder: Path, file: Path) -> str:
    """How a file is named in a message: its path inside the model folder when it is there."""
    try:
        return f"{folder}/{file.relative_to(folder)}"
    except ValueError:
        return str(file)


def regular_file(folder: Path, file: Path, what: str) -> os.stat_result:
    """``file``'s stat; refused when it is missing, or not a regular file (a device such as /dev/zero, a fifo,
    a folder), which would never end or block when read whole."""
    try:
        info = file.stat()  # follows symlinks: what a reader would open
    except OSError as exc:
        reason = "a symlink loop or broken link" if file.is_symlink() else (exc.strerror or "cannot be read")
        raise UserError(f"The model folder {folder} has {what} {shown(folder, file)} that cannot be read "
                        f"({reason}).") from exc
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"The model folder {folder} has {what} {shown(folder, file)} that is not a regular file "
                        "(a device, pipe or folder); put the real file there.")
    return info


def read_json(folder: Path, file: Path, *, kind: type = dict) -> Any:
    """The parsed JSON of a config file, which must be a ``kind`` (object or list)."""
    info = regular_file(folder, file, "a config file")
    if info.st_size > MAX_CONFIG_BYTES:
        raise UserError(f"{shown(folder, file)} is {info.st_size:,} bytes, far too large for a model config file.")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UserError(f"{shown(folder, file)} is not valid JSON ({_short(exc)}); restore the file from the "
                        "model's original download.") from exc
    if not isinstance(data, kind):
        expected = "an object" if kind is dict else "a list"
        raise UserError(f"{shown(folder, file)} should hold {expected} but holds {type(data).__name__}; restore "
                        "the file from the model's original download.")
    return data


def safetensors_header(folder: Path, file: Path) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Tensor name → (dtype, shape) from a safetensors file, refused when the header or the data is damaged.

    The ``safetensors`` library checks the header's size, that it is JSON, and that the tensors' offsets
    cover the data exactly (a truncated file or offsets past its end are refused); nothing is unpickled."""
    from safetensors import safe_open

    info = regular_file(folder, file, "a weights file")
    if info.st_size < 8:
        raise UserError(f"{shown(folder, file)} is not a safetensors file (only {info.st_size} bytes); "
                        "download the model's weights again.")
    try:
        with safe_open(str(file), framework="np") as reader:
            return {name: (str(sl.get_dtype()), tuple(int(n) for n in sl.get_shape()))
                    for name in reader.keys() for sl in [reader.get_slice(name)]}
    except Exception as exc:  # SafetensorError is not exported under a stable name; any failure here is the file's
        raise UserError(f"{shown(folder, file)} is not a readable safetensors file ({_short(exc)}); download the "
                        "model's weights again.") from exc


def file_digest(file: Path) -> str:
    """sha256 of the whole file, read in 1 MB chunks (about 0.1-0.2 s for 90 MB). Cached per process by
    (path, size, mtime_ns, inode): any rewrite of the file changes one of them, so a stale digest is not reused."""
    info = file.stat()
    key = (str(file.resolve()), info.st_size, info.st_mtime_ns, info.st_ino)
    with _digests_lock:
        cached = _digests.get(key)
    if cached is not None:
        return cached
    h = hashlib.sha256()
    with file.open("rb") as f:
        while chunk := f.read(HASH_CHUNK):
            h.update(chunk)
    digest = h.hexdigest()
    with _digests_lock:
        _digests[key] = digest
    return digest


def inside(folder: Path, relative: str, where: Path) -> Path:
    """``folder / relative``, refused when ``relative`` leads outside the model folder (``..``, an absolute
    path): a module path in modules.json must not make the app read files elsewhere."""
    target = folder / relative
    try:
        target.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError) as exc:
        raise UserError(f"{shown(folder, where)} points outside the model folder ('{relative}').") from exc
    return target


def _short(exc: BaseException) -> str:
    """An exception's text on one line, cut short: messages are one sentence."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
