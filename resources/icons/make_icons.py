"""Write the app icon: lrec-desktop.svg, PNG renders, a multi-size .ico and an .icns.

The icon is a teal shopping bag with a dark handle and a yellow spark (a recommendation) on its front,
plus a small second spark at the top right. Sizes of 32 px and below use a simplified drawing (no small
spark, thicker handle, edges on the pixel grid) so they stay crisp in a task bar.

Needs PySide6 (QtSvg) only; ICO and ICNS are written by hand with PNG entries::

    python resources/icons/make_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "lrec-desktop"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 32, 48, 64, 128, 256)
# ICNS types with PNG payloads: (type, pixel size).
ICNS_ENTRIES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)

TEAL = "#2A9D8F"
TEAL_DARK = "#21867A"
SLATE = "#264653"
YELLOW = "#E9C46A"


def _spark(cx: float, cy: float, r: float, waist: float) -> str:
    """A four-pointed star as an SVG path: points at distance r, curved waist at distance waist."""
    return (
        f"M {cx} {cy - r} "
        f"Q {cx + waist} {cy - waist} {cx + r} {cy} "
        f"Q {cx + waist} {cy + waist} {cx} {cy + r} "
        f"Q {cx - waist} {cy + waist} {cx - r} {cy} "
        f"Q {cx - waist} {cy - waist} {cx} {cy - r} Z"
    )


def svg() -> str:
    """The full icon, for 48 px and up."""
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <title>lrec desktop</title>
  <path d="M 92 104 V 78 A 36 36 0 0 1 164 78 V 104" fill="none" stroke="{SLATE}"
        stroke-width="15" stroke-linecap="round"/>
  <path d="M 62 88 H 194 Q 209 88 211 103 L 223 214 Q 225 234 205 234 H 51 Q 31 234 33 214 L 45 103 Q 47 88 62 88 Z"
        fill="{TEAL}"/>
  <path d="M 62 88 H 194 Q 209 88 211 103 L 212 112 H 44 L 45 103 Q 47 88 62 88 Z" fill="{TEAL_DARK}"/>
  <circle cx="92" cy="104" r="8" fill="{SLATE}"/>
  <circle cx="164" cy="104" r="8" fill="{SLATE}"/>
  <path d="{_spark(128, 164, 50, 9)}" fill="{YELLOW}"/>
  <path d="{_spark(206, 52, 30, 6)}" fill="{YELLOW}"/>
</svg>
"""


def svg_small() -> str:
    """A simplified drawing for 16 and 32 px: edges on the 16 px grid, a thick handle, one spark."""
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <path d="M 96 112 V 72 A 32 32 0 0 1 160 72 V 112" fill="none" stroke="{SLATE}" stroke-width="32"/>
  <rect x="16" y="96" width="224" height="144" rx="24" fill="{TEAL}"/>
  <path d="{_spark(128, 168, 60, 12)}" fill="{YELLOW}"/>
</svg>
"""


def render(svg_text: str, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg_text.encode("utf-8")))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico(pngs: dict[int, bytes]) -> bytes:
    """ICO with PNG-compressed entries (supported since Windows Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """ICNS with PNG payloads (macOS 10.7+)."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_ENTRIES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(out_dir: Path = HERE) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs one
    full, small = svg(), svg_small()
    (out_dir / f"{NAME}.svg").write_text(full, encoding="utf-8")
    pngs = {size: render(small if size <= 32 else full, size) for size in sorted({*PNG_SIZES, *ICO_SIZES})}
    for size in PNG_SIZES:
        (out_dir / f"{NAME}-{size}.png").write_bytes(pngs[size])
    (out_dir / f"{NAME}.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (out_dir / f"{NAME}.icns").write_bytes(icns(pngs))


if __name__ == "__main__":
    main()
