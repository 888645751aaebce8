"""The window and the command line decide the same way on the same shop, since both call core.app: the
settings each saves the other reads, the text model chosen in the window is the one ``embed`` reads with,
a learned version in use is the one both name, ``versions --activate base`` and the window's "original
text model" go back to the same model, and the learning estimate is the same figure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lrec_desktop.cli import main
from lrec_desktop.core.app import choice, settings, versions
from lrec_desktop.core.store import db as store_db
from lrec_desktop.core.store.settings import TEXT_MODEL, TEXT_VERSIONS
from lrec_desktop.core.text.versions import versions_dir
from lrec_desktop.gui.main_window import MainWindow
from tests.core.test_probe_model_folders import tiny_bert
from tests.gui.conftest import wait_idle


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(["--quiet", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def cli_settings(capsys: pytest.CaptureFixture[str], shop: Path) -> dict[str, object]:
    lines = cli(capsys, "settings", "--db", str(shop)).splitlines()
    return {k: json.loads(v) for k, _, v in (line.partition(": ") for line in lines)}


def in_use(shop: Path) -> str | None:
    db = store_db.connect(shop, readonly=True)
    try:
        return TEXT_MODEL.read(db).get("dir")
    finally:
        db.close()


def test_settings_saved_by_one_are_read_by_the_other(qtbot: QtBot, window: MainWindow,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    s = window.session
    wait_idle(qtbot, window)
    s.set_discovery(0.55)
    wait_idle(qtbot, window)
    assert cli_settings(capsys, s.path)["discovery"] == 0.55
    cli(capsys, "settings", "--db", str(s.path), "--discovery", "0.3", "--currency", "gbp")
    assert settings.shop_settings(s.path) == s.shop.settings()  # the window's own reads see the CLI's changes
    assert s.shop.settings().discovery == 0.3 and s.shop.settings().currency == "GBP"


def test_text_model_versions_and_estimate_agree(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    s, shop = window.session, window.session.path
    wait_idle(qtbot, window)
    base = str(tiny_bert(tmp_path / "tiny-base"))

    # The window chooses a model folder in Settings; the CLI's embed (no --model) reads with that one.
    s.save_text_settings(base, "cpu")
    wait_idle(qtbot, window)
    cli(capsys, "embed", "--db", str(shop))
    assert in_use(shop) == base
    s.check_text()
    wait_idle(qtbot, window, 60000)
    assert s.text_status is not None and s.text_status.current and s.text_status.chosen.dir == base

    # A version learned from it (another tiny model, registered as "Learn from my sales" does), in use.
    learned = versions_dir(shop) / "v0001"
    learned.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(tiny_bert(tmp_path / "tiny-learned"), learned)
    folder = choice.check_model_folder(str(learned))
    db = store_db.connect(shop)
    try:
        TEXT_VERSIONS.write(db, [{"name": "v0001", "dir": str(learned), "fingerprint": folder.fingerprint, "dim": 32,
                                  "base_fingerprint": choice.check_model_folder(base).fingerprint,
                                  "created": 1_700_000_000, "before": {"recall": 0.1}, "after": {"recall": 0.2}}])
    finally:
        db.close()
    cli(capsys, "versions", "--db", str(shop), "--activate", "v0001")
    assert in_use(shop) == str(learned)
    s.text_model_switched()
    wait_idle(qtbot, window, 60000)
    assert [v.name for v in s.versions() if v.active] == ["v0001"]
    assert cli(capsys, "versions", "--db", str(shop)).startswith("* v0001")
    assert s.text_status.chosen.learned == "v0001"  # the learned version reads new descriptions, for both
    status = json.loads(cli(capsys, "text-model", "--db", str(shop), "--json"))["status"]
    assert status["chosen"] == {"dir": str(learned), "learned": "v0001"} and status["current"]

    # "base" on the command line and the window's original model: the model chosen in Settings, not the bundled.
    cli(capsys, "versions", "--db", str(shop), "--activate", "base")
    assert in_use(shop) == base
    cli(capsys, "versions", "--db", str(shop), "--activate", "v0001")
    window.go("Learn from my sales")
    window.learn.versions_panel.load_versions()
    assert window.learn.versions_panel.use_original() is not None
    wait_idle(qtbot, window, 60000)
    assert in_use(shop) == base
    assert [v.active for v in versions.learned_versions(shop)] == [False]

    # The learning estimate: the Learn page's figure is the CLI's.
    window.learn.estimate_time()
    wait_idle(qtbot, window, 60000)
    estimate = json.loads(cli(capsys, "text-model", "--db", str(shop), "--json"))["learn_estimate"]
    assert window.learn.estimate is not None
    assert estimate == {**window.learn.estimate.__dict__}
