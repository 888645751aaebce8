"""Writing an output file (an export, an audience list, figures) without ever destroying something else.

An output is never a shop: not the shop file, its ``-wal``/``-shm``/``-journal`` companions, its
``.lrec-models`` folder or anything inside it, nor any file that already is a SQLite database (an output is
never a database). It is never a device, a pipe, a socket or a folder either: ``--out /dev/full`` once
replaced the device node with a CSV. It is written to a temp file in the same folder, flushed to the disk,
then renamed over the target in one step, so a full disk, a cancel or a crash leaves the previous output as
it was, and a failure is one sentence that names the output file, not the shop.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.printable import show_path

SHOP_SUFFIX = ".lrec"
COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's files beside a database, named after it
MODELS_SUFFIX = ".lrec-models"  # core.paths.models_dir: myshop.lrec -> myshop.lrec-models/
# First bytes of a SQLite database, a WAL file (two byte orders) and a rollback journal.
_SQLITE_MAGIC = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83", b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")


class OutputError(UserError):
    """An output file that must not be written there, or whose writing failed; nothing else was changed."""


def real_path(path: Path | str) -> Path:
    """``path`` with every symbolic link followed (it need not exist); a link loop is a UserError."""
    try:
        return Path(path).resolve()
    except (RuntimeError, OSError) as exc:  # RuntimeError up to Python 3.12, OSError(ELOOP) from 3.13
        raise UserError(f"{show_path(path)} is a symbolic link that leads round in a loop (it points back to "
                        "itself); point it at a real file or use another name.") from exc


def _named(given: Path, real: Path) -> str:
    if str(real) == os.path.normpath(given.absolute()):
        return show_path(given)
    return f"{show_path(given)} (which is {show_path(real)})"


def _fold(path: Path) -> str:
    """Compare names as a case-insensitive disk (Windows, macOS) would."""
    return os.path.normcase(str(path)).casefold()


def _shop_role(real: Path, shop: Path | None) -> str | None:
    """What ``real`` is to a shop (its file, a companion, its model folder), or None."""
    if shop is not None:
        shop_real = real_path(shop)
        with contextlib.suppress(OSError):
            if real.exists() and shop_real.exists() and os.path.samefile(real, shop_real):
                return "the shop file itself"
        if _fold(real) == _fold(shop_real):
            return "the shop file itself"
        if _fold(real) in {_fold(shop_real) + suffix for suffix in COMPANIONS}:
            return f"a file SQLite keeps beside the shop {show_path(shop_real)}"
    name = real.name.casefold()
    if name.endswith(SHOP_SUFFIX):
        return "named as a shop file (.lrec)"
    for suffix in COMPANIONS:
        if name.endswith(suffix) and (name.endswith(SHOP_SUFFIX + suffix)
                                      or _is_database(real.with_name(real.name[:-len(suffix)]))):
            return "a file SQLite keeps beside a database"
    if real.name.casefold().endswith(MODELS_SUFFIX):
        return "a shop's model folder (.lrec-models)"
    if any(part.casefold().endswith(MODELS_SUFFIX) for part in real.parts[:-1]):
        return "inside a shop's model folder (.lrec-models)"
    return None


def _is_database(path: Path) -> bool:
    if not path.is_file():  # only a regular file is opened: reading a pipe would wait for a writer
        return False
    try:
        with path.open("rb") as f:
            return f.read(16).startswith(_SQLITE_MAGIC)
    except OSError:
        return False


def _first_bytes(real: Path, shown: str) -> bytes:
    try:
        with real.open("rb") as f:
            return f.read(16)
    except OSError as exc:
        raise OutputError(f"{shown} can't be read to check that replacing it loses nothing ({exc.strerror}); "
                          "choose another file name.") from exc


def check_output(path: Path | str, *, shop: Path | None = None) -> Path:
    """The file to write for the output ``path``, or an OutputError saying why not.

    A symbolic link is followed: its target is what gets written (and checked), the link stays a link.
    """
    given = Path(path)
    real = real_path(given)
    shown = _named(given, real)
    role = _shop_role(real, shop)
    if role is not None:
        raise OutputError(f"{shown} is {role}; an output never replaces a shop's files: choose another file name.")
    try:
        st = os.stat(real)
    except (FileNotFoundError, NotADirectoryError):  # nothing there yet, or a file where a folder should be
        st = None
    except OSError as exc:
        raise OutputError(f"{shown} can't be checked ({exc.strerror}); choose another file name.") from exc
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{shown} is a folder; give a file name, such as {show_path(real / 'output.csv')}.")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{shown} is not a plain file (a device, pipe or socket); outputs are written only to "
                              "files: choose a file name.")
        if _first_bytes(real, shown).startswith(_SQLITE_MAGIC):
            raise OutputError(f"{shown} is a database (a shop file or another program's); an output never replaces "
                              "one: choose another file name.")
    folder = real.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"The folder {show_path(folder)} {what}; create it, or choose another place for "
                          f"{show_path(real.name)}.")
    return real


def write_failure(exc: OSError, target: Path) -> OutputError:
    """One sentence for a failed write of the output ``target``: it is the output, not the shop, that failed."""
    name = show_path(target)
    kept = "any earlier copy of it is unchanged"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        text = f"The disk is full: the output file {name} could not be written ({kept}); free some space or " \
               "choose another place."
    elif exc.errno == errno.EFBIG:
        text = f"The output file {name} grew past the largest file allowed here ({kept}); choose another place."
    elif exc.errno == errno.EROFS:
        text = f"The output file {name} can't be written: its drive is read-only ({kept}); choose another place."
    elif exc.errno in (errno.EACCES, errno.EPERM):
        text = (f"The output file {name} can't be written: you may not write in {show_path(target.parent)}, or the "
                f"file is open in another program ({kept}); choose another place or close that program.")
    else:
        text = f"Writing the output file {name} failed: {exc.strerror or exc} ({kept})."
    return OutputError(text)


def _new_file_mode() -> int:
    """Read and write for whom the user's umask allows, as ``open()`` would give (mkstemp gives 0600)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    return 0o644


class OutputText:
    """The temp file being written; a failed write becomes an OutputError that names the output."""

    def __init__(self, file: object, target: Path) -> None:
        self._file = file
        self.target = target

    def write(self, text: str) -> int:
        try:
            return self._file.write(text)  # type: ignore[attr-defined]
        except OSError as exc:
            raise write_failure(exc, self.target) from exc


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); where folders can't be opened (Windows) there is nothing to do."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# UTF-8 with a byte-order mark: Excel opens such a CSV as UTF-8 (without it, as the system's code page, so
# accented and Chinese titles come out garbled). The window's exports use it; the CLI only with --excel.
EXCEL_ENCODING = "utf-8-sig"


@contextlib.contextmanager
def open_output(path: Path | str, *, shop: Path | None = None, encoding: str = "utf-8") -> Iterator[OutputText]:
    """A text file to write the output ``path`` into; it replaces ``path`` only when the block ends without error.

    Checked by ``check_output`` (before and again just before the rename). A symbolic link ``path`` is
    resolved and its target replaced, so the link keeps pointing at the new output.
    """
    target = check_output(path, shop=shop)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = _new_file_mode()
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise write_failure(exc, target) from exc
    tmp = Path(tmp_name)
    file = os.fdopen(fd, "w", encoding=encoding, newline="")
    try:
        yield OutputText(file, target)
        try:
            file.flush()
            os.fsync(file.fileno())
            file.close()
            os.chmod(tmp, mode)
        except OSError as exc:
            raise write_failure(exc, target) from exc
        check_output(path, shop=shop)  # it could have become something else while the output was made
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise write_failure(exc, target) from exc
        _sync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            file.close()  # may fail again on a full disk: the temp file goes anyway
        tmp.unlink(missing_ok=True)
        raise
