"""The window's log: a rotating file in the user's log folder, also when the app is started from a menu (no
console), with ``faulthandler`` writing into it, so a native crash in torch, faiss or Qt leaves its Python
stack in the same file as what led to it."""

from __future__ import annotations

import faulthandler
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from lrec_desktop.core import paths

LOG_NAME = "lrec-desktop.log"
MAX_BYTES = 1_000_000
BACKUPS = 3  # lrec-desktop.log.1 .. .3: a few launches' worth
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

_handler: RotatingFileHandler | None = None


def log_folder() -> Path:
    """The user's log folder (platformdirs); ``LREC_DATA_DIR`` keeps logs in that folder's ``logs``."""
    return paths.user_folder(platformdirs.user_log_dir, paths.log_dir)


class FaultsFollowRotation(RotatingFileHandler):
    """After each rotation faulthandler writes into the new file, not the renamed old one."""

    def doRollover(self) -> None:
        super().doRollover()
        if self.stream is not None:
            faulthandler.enable(file=self.stream, all_threads=True)


def start_log_file(folder: Path | None = None, max_bytes: int = MAX_BYTES) -> Path:
    """Log INFO and above to the rotating file and point faulthandler at it; once per process. The console
    keeps showing what it showed before (warnings and errors for the CLI)."""
    global _handler
    if _handler is not None:
        return Path(_handler.baseFilename)
    path = (folder or log_folder()) / LOG_NAME
    handler = FaultsFollowRotation(path, maxBytes=max_bytes, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    for other in root.handlers:  # what they showed before stays all they show
        if other.level == logging.NOTSET:
            other.setLevel(root.level)
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.INFO))
    if handler.stream is not None:
        faulthandler.enable(file=handler.stream, all_threads=True)
    _handler = handler
    logging.getLogger(__name__).info("lrec_desktop started (pid %d); log %s", os.getpid(), path)
    return path
