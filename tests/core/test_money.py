"""The shop's currency (issue 18, item 5): read from its files or set by the owner, and shown with prices."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.money import currency_in, format_price

ORDERS = ("Order,SKU,Product,Qty,Date,Price,Customer\n"
          "1,A,Earl Grey,1,2024-01-01,{p},C1\n1,B,Sencha,1,2024-01-01,{p},C1\n"
          "2,A,Earl Grey,1,2024-01-02,{p},C2\n2,C,Assam,1,2024-01-02,{p},C2\n"
          "3,B,Sencha,1,2024-01-03,{p},C3\n")


@pytest.mark.parametrize(("cells", "code"), [
    (["4,50 €", "3,20 €"], "EUR"), (["£3.20"], "GBP"), (["$4.50", "R$ 9,90", "R$ 5,00"], "BRL"),
    (["1.200円"], "JPY"), (["CHF 4.50"], "CHF"), (["4.50 SEK"], "SEK"), (["4.50", "3"], None),
])
def test_symbols_and_codes_in_prices(cells: list[str], code: str | None) -> None:
    assert currency_in(None, pd.Series(cells, dtype=object)) == code


def test_a_currency_column_wins() -> None:
    assert currency_in(pd.Series(["EUR", "", "EUR", "usd"]), pd.Series(["$4.50"] * 4)) == "EUR"


def test_format_price() -> None:
    assert format_price(1234.5, "EUR") == "1,234.50 EUR"
    assert format_price(1200.0, "JPY") == "1,200 JPY"
    assert format_price(4.5) == "4.50" and format_price(None, "EUR") == "" and format_price(float("nan")) == ""


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_shopify_currency_shown_with_every_price(tmp_path: Path, fixtures: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.lrec"
    assert main(["--quiet", "import", "--db", str(db), "--interactions", str(fixtures / "shopify_orders.csv")]) == 0
    assert _json(capsys, ["stats", "--db", str(db), "--json"])["currency"] == "EUR"
    recs = _json(capsys, ["--quiet", "recommend", "--db", str(db), "--customer", "grace@example.org", "--json"])
    assert recs and all(r["currency"] == "EUR" and r["price"] > 0 for r in recs)
    assert main(["--quiet", "recommend", "--db", str(db), "--customer", "grace@example.org"]) == 0
    assert f"{recs[0]['price']:.2f} EUR" in capsys.readouterr().out


def test_the_owner_decides_and_an_import_never_overrules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.lrec"
    euros = tmp_path / "euros.csv"
    euros.write_text(ORDERS.format(p='"4,50 €"'), encoding="utf-8")
    assert main(["--quiet", "import", "--db", str(db), "--interactions", str(euros)]) == 0
    assert _json(capsys, ["stats", "--db", str(db), "--json"])["currency"] == "EUR"
    assert main(["settings", "--db", str(db), "--currency", "chf"]) == 0
    pounds = tmp_path / "pounds.csv"
    pounds.write_text(ORDERS.format(p="£3.20").replace("2024-01", "2024-02"), encoding="utf-8")
    assert main(["--quiet", "import", "--db", str(db), "--interactions", str(pounds)]) == 0
    assert _json(capsys, ["stats", "--db", str(db), "--json"])["currency"] == "CHF"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    capsys.readouterr()
    assert main(["settings", "--db", str(db), "--currency", "euros"]) == 2
    assert capsys.readouterr().err.strip() == ("lrec-desktop: 'euros' is not a currency: give its three-letter code, "
                                               "such as EUR, USD or GBP.")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert main(["settings", "--db", str(db), "--currency", ""]) == 0  # cleared: the next file tells it again
    assert _json(capsys, ["stats", "--db", str(db), "--json"])["currency"] == ""
