"""Exports from the window open right in Excel: UTF-8 with a byte-order mark; the CLI keeps plain UTF-8, its
contract, unless asked with --excel (issue 20 item 10)."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from lrec_desktop import cli
from lrec_desktop.core.app import export
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.shopdata import build_shop

BOM = b"\xef\xbb\xbf"
TITLES = {"P000": "Thé vert Sencha 绿茶", "P005": "Café crème — Ñandú"}  # what Excel garbled without the BOM


def shop_with_accents(tmp_path: Path) -> Path:
    path = build_shop(tmp_path / "tea-shop.lrec")
    with sqlite3.connect(path) as conn:
        conn.executemany("UPDATE items SET title = ? WHERE item_id = ?", [(t, i) for i, t in TITLES.items()])
    return path


def test_window_export_has_a_bom_and_round_trips(qtbot: QtBot, tmp_path: Path) -> None:
    shop = shop_with_accents(tmp_path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.session.sig_recommender_changed, check_params_cb=lambda s: s == "ready", timeout=20000):
        assert win.open_path(shop)
        win.session.prepare_recommendations()
    dialog = win.export()
    assert dialog is not None
    out = tmp_path / "campaign.csv"
    dialog.out.setText(str(out))
    dialog.top.setValue(10)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    data = out.read_bytes()
    assert data.startswith(BOM) and not data[3:].startswith(BOM)
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "customer_id"
    assert set(TITLES.values()) & {r[3] for r in rows[1:]}  # the accented titles arrive whole
    dialog.close()
    win.close()

    audience = tmp_path / "audience.csv"  # the Catalog's "customers who would want this" export
    export.write_audience_csv([], audience, excel=True)
    assert audience.read_bytes().startswith(BOM + b"rank,customer_id")


def test_cli_export_is_plain_utf8_unless_excel(tmp_path: Path) -> None:
    shop = shop_with_accents(tmp_path)
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert cli.main(["--quiet", "export", "--db", str(shop), "--out", str(plain), "--top", "3"]) == 0
    assert cli.main(["--quiet", "export", "--db", str(shop), "--out", str(excel), "--top", "3", "--excel"]) == 0
    assert plain.read_bytes().startswith(b"customer_id,")
    assert excel.read_bytes() == BOM + plain.read_bytes()
