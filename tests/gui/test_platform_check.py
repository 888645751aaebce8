"""The start-up check for Qt's X11 plugin (issue 20 item 1): missing system libraries are named with the one
command that installs them, exit 2, instead of Qt's abort with a wrong hint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lrec_desktop.gui import platform_check
from tests.conftest import REPO

# ldd on PySide6 6.x's libqxcb.so on a fresh Debian 12 with libxcb-cursor0 installed (abridged): the two
# missing libraries appear twice, once for the plugin and once for libQt6XcbQpa it pulls in.
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd5c1e9000)
\tlibQt6XcbQpa.so.6 => /venv/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x1)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f0ff09dc000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f0ff09d5000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f0ff09cd000)
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0feec1e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f0ff0b8f000)
"""


def test_missing_libraries_read_from_ldd() -> None:
    assert platform_check.missing_libraries(LDD_OUTPUT) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert platform_check.missing_libraries(LDD_OUTPUT.replace("not found", "/lib/x.so (0x1)")) == []


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libEGL.so.1", "libegl1"),
    ("libglib-2.0.so.0", "libglib2.0-0"),
    ("libdbus-1.so.3", "libdbus-1-3"),
])
def test_debian_package_names(soname: str, package: str) -> None:
    assert platform_check.debian_package(soname) == package


def test_one_sentence_with_the_command() -> None:
    plugin = Path("/x/plugins/platforms/libqxcb.so")
    two = platform_check.message(plugin, ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert "libxcb-icccm.so.4 and libxcb-keysyms.so.1, which are not installed" in two
    assert "`sudo apt-get install libxcb-icccm4 libxcb-keysyms1`" in two and "\n" not in two
    one = platform_check.message(plugin, ["libxcb-cursor.so.0"])
    assert "libxcb-cursor.so.0, which is not installed" in one and "install it with" in one


@pytest.mark.parametrize(("environ", "checked"), [
    ({"DISPLAY": ":0"}, True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"}, False),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False),  # Qt tries Wayland first there
    ({}, False),  # no display: Qt's own message about the display says it better
])
def test_checked_only_where_qt_will_load_xcb(environ: dict[str, str], checked: bool) -> None:
    if not sys.platform.startswith("linux"):
        checked = False
    assert platform_check.will_use_xcb(environ) is checked


def test_startup_problem_asks_the_plugins_own_dependencies(tmp_path: Path) -> None:
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"\x7fELF")
    asked: list[Path] = []

    def fake_ldd(path: Path) -> str:
        asked.append(path)
        return LDD_OUTPUT

    problem = platform_check.startup_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, plugin, fake_ldd)
    if not sys.platform.startswith("linux"):
        assert problem is None
        return
    assert asked == [plugin] and problem is not None and "libxcb-icccm4 libxcb-keysyms1" in problem
    complete = LDD_OUTPUT.replace("not found", "/lib/x.so (0x1)")
    assert platform_check.startup_problem({"DISPLAY": ":0"}, plugin, lambda _p: complete) is None
    assert platform_check.startup_problem({"DISPLAY": ":0"}, plugin, lambda _p: None) is None  # no ldd: Qt speaks
    assert platform_check.startup_problem({"DISPLAY": ":0"}, tmp_path / "absent.so", fake_ldd) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's X11 plugin is Linux's")
def test_lrec_desktop_exits_2_with_the_sentence(tmp_path: Path) -> None:
    """The real quick start command, `lrec-desktop` with no arguments, on a machine whose ldd reports the two
    libraries missing: one sentence and exit 2, no Qt abort (134), no shop made."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "ldd"
    fake.write_text("#!/bin/sh\ncat <<'EOF'\n" + LDD_OUTPUT + "EOF\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", DISPLAY=":97", LREC_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "lrec_desktop.cli"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in lines[0]
    assert not list((tmp_path / "data").glob("*.lrec"))
