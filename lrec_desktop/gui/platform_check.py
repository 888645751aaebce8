"""Before the window opens on Linux: can Qt's X11 platform plugin load? Qt's own answer is an abort (exit
134) with a hint that is often wrong ("xcb-cursor0 is needed" while another library is the one missing), so
we ask the plugin's own dependencies (``ldd``) and name the missing libraries and the one command that
installs them."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

log = logging.getLogger(__name__)

# Debian package names that don't follow the policy's rule (name + soversion) applied in ``debian_package``.
_PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libzstd.so.1": "libzstd1",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found\s*$")
LddRunner = Callable[[Path], str | None]


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` could not find, each once, in the order it listed them."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        match = _NOT_FOUND.match(line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships ``soname``: by Debian policy 8.1 the library's name and its
    soversion, lower case, with a hyphen between them when the name ends in a digit (libxcb-icccm.so.4 ->
    libxcb-icccm4, libxkbcommon-x11.so.0 -> libxkbcommon-x11-0, libX11.so.6 -> libx11-6)."""
    if soname in _PACKAGES:
        return _PACKAGES[soname]
    match = re.fullmatch(r"(lib.+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if not match:
        return soname.removesuffix(".so").lower()
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def message(plugin: Path, missing: list[str]) -> str:
    """One sentence: what can't open, which libraries are missing, and the command that installs them."""
    packages = list(dict.fromkeys(debian_package(m) for m in missing))
    libraries = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return (f"The window can't open: Qt's X11 plugin ({plugin.name}) needs {libraries}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed; on Debian or Ubuntu install "
            f"{'it' if len(packages) == 1 else 'them'} with "
            f"`sudo apt-get install {' '.join(packages)}` and start lrec-desktop again.")


def xcb_plugin() -> Path:
    """Where the Qt that PySide6 loads keeps its X11 platform plugin (a frozen build's too)."""
    from PySide6.QtCore import QLibraryInfo  # QtCore loads no platform plugin

    override = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    folder = Path(override) if override else Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    return folder / "libqxcb.so"


def _run_ldd(plugin: Path) -> str | None:
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("could not run ldd on %s: %s", plugin, exc)
        return None
    return done.stdout


def will_use_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt is about to load the X11 plugin: on Linux, with a display, QT_QPA_PLATFORM unset or xcb, and
    not a Wayland session (there Qt tries its Wayland plugin first)."""
    if not sys.platform.startswith("linux") or not environ.get("DISPLAY"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "").strip()
    if platform:
        return platform.split(";")[0].split(":")[0] == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland")


def startup_problem(environ: Mapping[str, str] | None = None, plugin: Path | None = None,
                    ldd: LddRunner = _run_ldd) -> str | None:
    """The sentence to stop with when the X11 plugin can't load for missing libraries; None when it can (or
    when we can't tell: no ldd, no plugin file), so Qt gets its say."""
    if not will_use_xcb(os.environ if environ is None else environ):
        return None
    plugin = plugin or xcb_plugin()
    if not plugin.is_file():
        return None
    output = ldd(plugin)
    missing = missing_libraries(output) if output else []
    return message(plugin, missing) if missing else None
