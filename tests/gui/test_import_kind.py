"""The import page says when a file's kind can't be told from its columns, and stops saying it as soon as the
mapping makes sense (issue 18, item 3)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from lrec_desktop.gui.main_window import MainWindow


def _preview(qtbot: QtBot, window: MainWindow, path: Path) -> object:
    window.go("Import")
    page = window.import_page
    page.set_file("orders", path)
    qtbot.waitUntil(lambda: "orders" in page.previews, timeout=10000)
    return page.previews["orders"]


def test_a_german_till_export_is_read_as_orders(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    till = tmp_path / "kasse.csv"
    till.write_text("Datum;Kundennr;Artikel;Menge;Einzelpreis\n01.03.2024;K17;Earl Grey;2;4,50\n", encoding="utf-8")
    preview = _preview(qtbot, window, till)
    assert preview.mapping() == {"timestamp": "Datum", "customer_id": "Kundennr", "title": "Artikel",
                                 "quantity": "Menge", "price": "Einzelpreis"}
    assert window.import_page.error.kind == ""


def test_the_warning_goes_once_the_mapping_makes_sense(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("Zt,Kd,Ware,Anz\n2024-03-01,K17,Earl Grey,2\n", encoding="utf-8")
    preview = _preview(qtbot, window, odd)
    error = window.import_page.error
    assert error.kind == "warn" and "odd.csv" in error.text() and "could not be told" in error.text()
    preview.set_meaning("Ware", "title")
    assert error.kind == "warn" and "customer, the date or the order" in error.text()
    preview.set_meaning("Kd", "customer_id")
    assert error.kind == "" and not error.text()
    preview.set_meaning("Kd", "ignore")
    preview.set_meaning("Ware", "ignore")
    preview.set_meaning("Anz", "price")
    assert error.kind == "warn" and "names the product" in error.text()
