"""Every ``lrec-desktop`` command through ``cli.main`` on one small shop: its exit code on good input (0) and on
bad input or usage (2, one line on stderr, the shop unchanged), and that the table of commands covers the
contract of ARCHITECTURE.md."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from lrec_desktop.cli import MAP_FIELDS, build_parser, main
from lrec_desktop.core.ingest.mapping import FIELDS
from tests.core.conftest import content_hash
from tests.gui.shopdata import build_shop

CONTRACT = {"import", "embed", "finetune", "recommend", "similar", "search", "audience", "export", "evaluate",
            "stats", "basket", "export-related", "campaigns", "refresh"}


@pytest.fixture(scope="module")
def read_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A shop whose descriptions were read and recommendations prepared (built once: the model loads once)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LREC_DATA_DIR", str(tmp_path_factory.mktemp("appdata")))
        path = build_shop(tmp_path_factory.mktemp("cli") / "shop.lrec")
        assert main(["--quiet", "embed", "--db", str(path), "--device", "cpu"]) == 0
        assert main(["--quiet", "prepare", "--db", str(path)]) == 0
    yield path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--quiet", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def refused(argv: list[str], capsys: pytest.CaptureFixture[str], shop: Path) -> str:
    """Run a bad command line: exit 2, one line on stderr, nothing changed in the shop."""
    before = content_hash(shop)
    code, _out, err = run(argv, capsys)
    assert code == 2, err
    assert err.startswith("lrec-desktop: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert content_hash(shop) == before
    return err


def test_every_command_has_its_function_and_the_contract_is_there() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert CONTRACT <= set(commands)
    for name, sub in commands.items():
        assert callable(sub.get_default("func")), name
    assert MAP_FIELDS == tuple(FIELDS)


def test_the_package_runs_as_a_module() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "lrec_desktop.cli", "--version"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("lrec_desktop ")


def test_usage_errors_exit_2(read_shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(read_shop)]
    assert "import: give --items" in refused(["import", *db], capsys, read_shop)
    assert "--map expects FIELD=COLUMN" in refused(["import", *db, "--items", "x.csv", "--map", "title"], capsys,
                                                   read_shop)
    assert "unknown field 'colour'" in refused(["import", *db, "--items", "x.csv", "--map", "colour=C"], capsys,
                                               read_shop)
    assert "--batch-size" in refused(["embed", *db, "--batch-size", "0"], capsys, read_shop)
    assert "--epochs" in refused(["finetune", *db, "--epochs", "0"], capsys, read_shop)
    assert "must be a whole number" in refused(["recommend", *db, "--customer", "C001", "--top", "0"], capsys,
                                               read_shop)
    assert "from 0 to 1" in refused(["settings", *db, "--discovery", "2"], capsys, read_shop)
    assert "--customers is empty" in refused(["export", *db, "--out", str(tmp_path / "x.csv"), "--customers", ","],
                                             capsys, read_shop)
    assert "not both" in refused(["jobs", *db, "--resume", "1", "--discard", "1"], capsys, read_shop)
    assert "named twice" in refused(["products", *db, "--not-a-product", "P001", "--auto", "P001"], capsys,
                                    read_shop)
    refused(["lists", *db], capsys, read_shop)  # --trending or --new-arrivals is required
    refused(["nonsense", *db], capsys, read_shop)


def test_unknown_names_exit_2(read_shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(read_shop)]
    assert "No customer 'nobody'" in refused(["recommend", *db, "--customer", "nobody"], capsys, read_shop)
    assert "No product 'P999'" in refused(["similar", *db, "--item", "P999"], capsys, read_shop)
    assert "No learned version v0042" in refused(["versions", *db, "--activate", "v0042"], capsys, read_shop)
    assert "No learned version v0042" in refused(["versions", *db, "--delete", "v0042"], capsys, read_shop)
    refused(["basket", *db, "--items", "no such product"], capsys, read_shop)
    refused(["jobs", *db, "--discard", "4242"], capsys, read_shop)
    refused(["settings", *db, "--currency", "euros"], capsys, read_shop)


def test_reading_commands_answer(read_shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(read_shop)]
    code, out, err = run(["recommend", *db, "--customer", "C001", "--top", "3", "--json"], capsys)
    assert code == 0, err
    assert [r["rank"] for r in json.loads(out)] == [1, 2, 3]
    code, out, _ = run(["recommend", *db, "--customer", "customer1@example.com", "--top", "3"], capsys)
    assert code == 0 and out.count("\n") == 3 and out.lstrip().startswith("1. P")
    code, out, _ = run(["similar", *db, "--item", "P005", "--top", "4", "--json"], capsys)
    assert code == 0 and len(json.loads(out)) == 4 and all(r["item_id"] != "P005" for r in json.loads(out))
    code, out, _ = run(["search", *db, "fine", "tea", "--top", "3", "--json"], capsys)
    assert code == 0 and len(json.loads(out)) == 3
    code, out, _ = run(["audience", *db, "--item", "P005", "--top", "5", "--json"], capsys)
    assert code == 0 and 0 < len(json.loads(out)) <= 5
    code, out, _ = run(["basket", *db, "--items", "P005,P010", "--json"], capsys)
    assert code == 0 and {"P005", "P010"}.isdisjoint(r["item_id"] for r in json.loads(out))
    code, out, _ = run(["lists", *db, "--new-arrivals", "--json"], capsys)
    assert code == 0 and isinstance(json.loads(out), list)
    code, out, _ = run(["stats", *db, "--json"], capsys)
    assert code == 0 and json.loads(out)["products"] == 60 and json.loads(out)["customers"] == 40
    code, out, _ = run(["versions", *db], capsys)
    assert code == 0 and out == ""  # nothing learned yet
    code, out, _ = run(["jobs", *db, "--all", "--json"], capsys)
    assert code == 0 and {e["kind"] for e in json.loads(out)} >= {"embed"}
    code, out, _ = run(["products", *db], capsys)
    assert code == 0 and out.startswith("Every product is a product")
    code, out, _ = run(["products", *db, "--variants"], capsys)
    assert code == 0 and out.startswith("No product has variants")
    code, out, _ = run(["lists", *db, "--buy-again", "--json"], capsys)
    assert code == 0 and isinstance(json.loads(out), list)
    code, out, _ = run(["campaigns", *db, "--json"], capsys)
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(["text-model", *db, "--json"], capsys)
    assert code == 0 and json.loads(out)["status"]["current"] and json.loads(out)["learn_estimate"]["products"] == 60


def test_writing_commands(read_shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(read_shop)]
    out_csv = tmp_path / "campaign.csv"
    code, out, err = run(["export", *db, "--out", str(out_csv), "--top", "2", "--customers", "C001,C002"], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert [r["customer_id"] for r in rows] == ["C001", "C001", "C002", "C002"] and out.startswith("Wrote 4 rows")
    related = tmp_path / "related.csv"
    code, out, _ = run(["export-related", *db, "--out", str(related), "--format", "woocommerce"], capsys)
    assert code == 0 and related.exists()
    figures = tmp_path / "figures.json"
    code, out, _ = run(["evaluate", *db, "--top", "5", "--mode", "sales", "--json", str(figures)], capsys)
    assert code == 0 and json.loads(figures.read_text())["k"] == 5 and "recall:" in out
    code, out, _ = run(["settings", *db, "--discovery", "0.4", "--currency", "eur"], capsys)
    assert code == 0 and "discovery: 0.4" in out and '"code": "EUR"' in out
    code, out, _ = run(["products", *db, "--not-a-product", "P059", "--json"], capsys)
    assert code == 0 and [p["item_id"] for p in json.loads(out)] == ["P059"]
    unwritten = tmp_path / "not-written.csv"
    code, out, _ = run(["export", *db, "--out", str(unwritten), "--top", "2", "--preview", "3"], capsys)
    assert code == 0 and out.startswith("customer_id,rank,item_id") and not unwritten.exists()
    code, out, _ = run(["settings", *db, "--buy-again", "off"], capsys)
    assert code == 0 and 'buy_again: "off"' in out
    folder = tmp_path / "drop"
    folder.mkdir()
    code, out, _ = run(["refresh", *db, "--watch", str(folder), "--once"], capsys)
    assert code == 0 and out.strip()


def test_import_into_a_new_shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("Invoice,StockCode,Description,Quantity,InvoiceDate,CustomerID\n"
                      "1,A1,Green tea,1,2024-05-01 10:00,C1\n1,B2,Teapot,1,2024-05-01 10:00,C1\n"
                      "2,A1,Green tea,2,2024-05-03 11:00,C2\n", encoding="utf-8")
    shop = tmp_path / "new.lrec"
    code, out, err = run(["import", "--db", str(shop), "--interactions", str(orders), "--map", "item_id=StockCode"],
                         capsys)
    assert code == 0, err
    assert "3" in out
    code, out, _ = run(["stats", "--db", str(shop), "--json"], capsys)
    assert code == 0 and json.loads(out)["customers"] == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("just one column\nx\n", encoding="utf-8")
    refused(["import", "--db", str(shop), "--interactions", str(bad)], capsys, shop)


def test_each_command_is_a_small_function() -> None:
    """A table of small functions, not one long branch: none over 40 lines but the parser's declaration."""
    import ast

    folder = Path(__file__).resolve().parent.parent / "lrec_desktop" / "cli"
    long = []
    for source in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "build_parser":
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 40:
                    long.append(f"{source.name}:{node.name} ({length} lines)")
    assert long == []
