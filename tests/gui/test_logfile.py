"""The window's rotating log file in the user's log folder, with faulthandler writing into it (issue 20
item 10): a native crash leaves its stack in the log, also after the file rotated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from lrec_desktop.gui import logfile
from tests.conftest import REPO

CRASH = """
import logging, faulthandler, sys
from pathlib import Path
from lrec_desktop.gui.logfile import start_log_file
path = start_log_file(max_bytes=int(sys.argv[1]))
for n in range(int(sys.argv[2])):
    logging.getLogger("lrec_desktop.test").info("line %d %s", n, "x" * 200)
logging.getLogger("lrec_desktop.test").info("about to crash")
faulthandler._sigsegv()  # what a native crash in torch, faiss or Qt does
"""


def run_crash(tmp_path: Path, max_bytes: int, lines: int) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LREC_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-c", CRASH, str(max_bytes), str(lines)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGSEGV by faulthandler is a POSIX signal here")
def test_a_native_crash_leaves_its_stack_in_the_log(tmp_path: Path) -> None:
    done = run_crash(tmp_path, logfile.MAX_BYTES, 3)
    assert done.returncode != 0
    text = (tmp_path / "data" / "logs" / logfile.LOG_NAME).read_text(encoding="utf-8")
    assert "about to crash" in text
    assert "Fatal Python error: Segmentation fault" in text and 'File "<string>"' in text


@pytest.mark.skipif(sys.platform == "win32", reason="SIGSEGV by faulthandler is a POSIX signal here")
def test_the_log_rotates_and_the_crash_lands_in_the_new_file(tmp_path: Path) -> None:
    done = run_crash(tmp_path, 4000, 60)  # ~15 KB of lines: rotates a few times, keeps 3 old files
    assert done.returncode != 0
    folder = tmp_path / "data" / "logs"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [logfile.LOG_NAME] + [f"{logfile.LOG_NAME}.{n}" for n in range(1, logfile.BACKUPS + 1)]
    current = (folder / logfile.LOG_NAME).read_text(encoding="utf-8")
    assert "Segmentation fault" in current and "about to crash" in current
    assert all(p.stat().st_size < 4000 + 400 for p in folder.iterdir())


def test_the_log_folder_is_the_users(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LREC_DATA_DIR")
    assert logfile.log_folder() == Path(platformdirs.user_log_dir("lrec_desktop", appauthor=False))
