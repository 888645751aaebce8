"""Build the one-folder installer of lrec_desktop with PyInstaller and say how big it came out.

    python packaging/build.py [--dist DIR] [--work DIR] [--clean] [--archive]

Installs PyInstaller when it is missing (``python -m pip install pyinstaller``), runs
``packaging/lrec_desktop.spec``, links ``lrec-desktop-gui`` to ``lrec-desktop`` outside Windows, and on Linux
adds the desktop entry, the shop file type and icons under ``<app>/share`` in the freedesktop layout
(``share/applications``, ``share/mime/packages``, ``share/icons/hicolor/<size>/apps``; packaging/README.md
says where they go on a machine). Prints the app folder, its size in MB (10^6 bytes), its file count and the
build time; ``--archive`` also packs the folder (.zip on Windows and macOS, .tar.gz on Linux) next to it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "lrec_desktop.spec"
APP_NAME = "lrec-desktop"  # the spec's COLLECT name: dist/lrec-desktop/
APP_ID = "io.github.lrecdesktop.LrecDesktop"  # lrec_desktop.APP_ID (tests/test_packaging.py checks)
GUI_NAME = "lrec-desktop-gui"
MAC_APP = "lrec_desktop.app"
ICONS = REPO / "resources" / "icons"
DESKTOP_FILE = REPO / "resources" / f"{APP_ID}.desktop"
MIME_FILE = REPO / "resources" / f"{APP_ID}.xml"  # the .lrec shop file type, for shared-mime-info
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10"  # 6.10+: the torch hook's symlink suppression, contents folder


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is not None:
        return
    print(f"PyInstaller is not installed; installing {PYINSTALLER_REQUIREMENT} …", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", PYINSTALLER_REQUIREMENT], check=True)


def run_pyinstaller(dist: Path, work: Path, clean: bool) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        command.append("--clean")  # drop PyInstaller's cache of analysed modules and hooks first
    command.append(str(SPEC))
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=REPO)


def link_gui_name(app_dir: Path) -> Path:
    """``lrec-desktop-gui`` → ``lrec-desktop``: the name the desktop entry runs, as with a pip install. (Windows
    gets a windowed twin from the spec instead; links there need rights a build machine may lack.)"""
    link = app_dir / GUI_NAME
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(APP_NAME)
    return link


def install_linux_share(app_dir: Path) -> list[Path]:
    """The desktop entry, the shop file type and the icons, where freedesktop menus and shared-mime-info look
    for them below a prefix (``share/…``; run ``update-mime-database share/mime`` after copying)."""
    share = app_dir / "share"
    written = [share / "applications" / DESKTOP_FILE.name]
    written[0].parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DESKTOP_FILE, written[0])
    mime = share / "mime" / "packages" / MIME_FILE.name
    mime.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(MIME_FILE, mime)
    written.append(mime)
    for size in PNG_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "lrec-desktop.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ICONS / f"lrec-desktop-{size}.png", target)
        written.append(target)
    target = share / "icons" / "hicolor" / "scalable" / "apps" / "lrec-desktop.svg"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ICONS / "lrec-desktop.svg", target)
    written.append(target)
    return written


def folder_stats(folder: Path) -> tuple[int, int]:
    """(bytes, files) under ``folder``, links counted as themselves (the .app bundle links into its Frameworks)."""
    size = files = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            size += path.lstat().st_size
            files += 1
    return size, files


def archive(app_dir: Path) -> Path:
    """A single file to hand out: .tar.gz on Linux (keeps the executable bits and links), .zip elsewhere."""
    with (REPO / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    machine = platform.machine().lower() or "unknown"
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    stem = app_dir.parent / f"{APP_NAME}-{version}-{system}-{machine}"
    if sys.platform.startswith("linux"):
        target = stem.with_name(stem.name + ".tar.gz")
        with tarfile.open(target, "w:gz") as tar:
            tar.add(app_dir, arcname=app_dir.name)
        return target
    return Path(shutil.make_archive(str(stem), "zip", root_dir=app_dir.parent, base_dir=app_dir.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the lrec_desktop one-folder installer with PyInstaller.")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the app folder goes (default dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build", help="PyInstaller's work folder (build/)")
    parser.add_argument("--clean", action="store_true", help="rebuild from scratch (clear PyInstaller's cache)")
    parser.add_argument("--archive", action="store_true", help="also pack the app folder into one .zip/.tar.gz")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()

    started = time.perf_counter()
    ensure_pyinstaller()
    run_pyinstaller(dist, work, args.clean)
    app_dir = dist / APP_NAME
    if sys.platform != "win32":
        link_gui_name(app_dir)
    if sys.platform.startswith("linux"):
        install_linux_share(app_dir)
    seconds = time.perf_counter() - started

    size, files = folder_stats(app_dir)
    print(f"app folder: {app_dir}")
    print(f"size: {size / 1e6:.1f} MB, {files} files; built in {seconds:.0f} s")
    exe = ".exe" if sys.platform == "win32" else ""
    print(f"the app: {app_dir / (GUI_NAME + exe)}; the command line: {app_dir / (APP_NAME + exe)} --help")
    if sys.platform == "darwin" and (dist / MAC_APP).is_dir():
        size, files = folder_stats(dist / MAC_APP)
        print(f"macOS app: {dist / MAC_APP} ({size / 1e6:.1f} MB, {files} files)")
    if args.archive:
        packed = archive(app_dir)
        print(f"archive: {packed} ({packed.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
