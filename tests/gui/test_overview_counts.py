"""The Overview explains its sales figure with the same counts as the import summary and ``stats`` (issue 18)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from lrec_desktop.cli import main
from lrec_desktop.gui import formatting
from lrec_desktop.gui.main_window import MainWindow
from tests.gui.conftest import wait_idle

TILL = Path(__file__).parent.parent / "fixtures" / "real" / "kasse_de.csv"


def test_overview_says_where_the_lines_went(qtbot: QtBot, tmp_path: Path) -> None:
    shop = tmp_path / "kasse.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--interactions", str(TILL)]) == 0
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(shop)
    page = win.overview
    qtbot.waitUntil(lambda: page.counts is not None, timeout=20000)
    stats = page.counts.stats
    text = page.sales_row.text.text()
    assert f"Sales imported: {formatting.plural(stats.sales_lines, 'order line')}" in text
    assert f"{stats.sales_without_customer:,} sales without a customer (counted for popularity only)" in text
    assert f"{stats.non_product_lines:,} postage, fees" in text and "1 skipped" in text
    assert page.sales_row.text.toolTip() == stats.line_counts.sentence()
    assert stats.line_counts.adds_up
    wait_idle(qtbot, win)
    win.close()
