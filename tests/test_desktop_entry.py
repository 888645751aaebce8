"""The Linux desktop entry and the shop file type (issue 20 item 10): a freedesktop-conformant .desktop file with a
reverse-DNS name, ``%f``, the ``.lrec`` MIME type and StartupWMClass, and the shared-mime-info XML beside it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lrec_desktop import APP_ID
from lrec_desktop.core import paths

REPO = Path(__file__).resolve().parent.parent


def _desktop_entry() -> dict[str, str]:
    lines = (REPO / "resources" / f"{APP_ID}.desktop").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    entry_keys = dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))
    return entry_keys


def test_desktop_entry_follows_the_freedesktop_rules() -> None:
    """The Desktop Entry Specification 1.5: a reverse-DNS file name, %f for one file, the shop type, the
    WM class Qt gives the window (its application name), and ;-terminated lists."""
    keys = _desktop_entry()
    assert re.fullmatch(r"[A-Za-z][\w]*(\.[A-Za-z][\w]*){2,}", APP_ID)  # a D-Bus well-known name
    assert {"Type", "Name", "Exec", "Icon"} <= set(keys) and keys["Type"] == "Application"
    assert keys["Exec"].split()[-1] == "%f"
    assert keys["MimeType"] == "application/x-lrec-shop;"
    assert keys["StartupWMClass"] == paths.APP_NAME  # gui.app.run sets QApplication's name to it
    for key in ("Categories", "Keywords", "MimeType"):
        assert keys[key].endswith(";")
    assert (REPO / "resources" / "icons" / f"{keys['Icon']}.svg").is_file()


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info is not installed")
def test_shop_file_type_is_read_by_shared_mime_info(tmp_path: Path) -> None:
    mime = tmp_path / "mime"
    (mime / "packages").mkdir(parents=True)
    shutil.copy2(REPO / "resources" / f"{APP_ID}.xml", mime / "packages")
    done = subprocess.run(["update-mime-database", str(mime)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "*.lrec" in (mime / "globs2").read_text(encoding="utf-8")
    assert "application/x-lrec-shop" in (mime / "types").read_text(encoding="utf-8")
