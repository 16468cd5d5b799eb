from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = (FIXTURES / "sample-initiative.yaml").read_text(encoding="utf-8")
PORTFOLIO = FIXTURES / "portfolio"
"""The tests' own portfolio: a frozen copy of the example, so that initiatives/ may change freely."""

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
HOSTILE_EDIT_URL = ("'https://git.example/edit/main/{path}?a=\"><img/src=x/onerror=alert(1)>"
                    "&b=\"onmouseover=\"window.__pwned=''edit''\"'")
"""An edit_url option full of payloads: Material writes page.edit_url into its edit button unescaped."""


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
