"""The light install (issue 23 §2): the core validates without pandas, MkDocs, Altair, vl-convert, WeasyPrint or
openpyxl, and a command that needs one of them says, in one line, which extra to install.

The core is simulated here by making the extras' modules unimportable in a fresh interpreter (a real core install
is measured in benchmarks/extras.py); pyproject's lists are held to scorecard/extras.py below."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import PORTFOLIO, ROOT
from scorecard.extras import EXTRA_OF

BLOCK = sorted(EXTRA_OF)
CORE = ("import sys\n"
        f"sys.modules.update(dict.fromkeys({BLOCK!r}))  # None: 'import pandas' raises ModuleNotFoundError\n"
        "from scorecard.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")


def core(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", CORE, *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    shutil.copytree(PORTFOLIO, tmp_path / "initiatives")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins: [scorecard]\n", encoding="utf-8")
    return tmp_path


def test_the_core_validates_and_writes_files(portfolio):
    run = core(portfolio, "validate", "--today", "2026-11")
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.splitlines()[-1].startswith("12 files checked: 0 errors")
    assert core(portfolio, "schema").returncode == 0
    made = core(portfolio, "new", "claims-triage", "--today", "2026-11")
    assert made.returncode == 0 and (portfolio / "initiatives" / "claims-triage.yaml").is_file()


@pytest.mark.parametrize("command,line", [
    (["report"], "scorecard: error: scorecard report needs the report extra (pandas is not installed): pip install 'ai-scorecard[report]'"),
    # the whole of what build needs, at once: not pandas first, then MkDocs
    (["build", "--site-dir", "out"],
     "scorecard: error: scorecard build needs the site extra (pandas is not installed): pip install 'ai-scorecard[site]'"),
])
def test_a_command_of_an_extra_says_which_to_install_in_one_line(portfolio, command, line):
    run = core(portfolio, *command, "--today", "2026-11")
    assert (run.returncode, run.stdout, run.stderr.splitlines()) == (1, "", [line])
    assert not (portfolio / "out").exists()


def test_the_extras_a_command_needs_are_named_together():
    from scorecard.extras import needed

    def missing(name: str) -> ModuleNotFoundError:
        exc = ModuleNotFoundError(f"No module named '{name}'")
        exc.name = name
        return exc

    assert needed(missing("openpyxl"), "export") == "report,xlsx"
    assert needed(missing("openpyxl"), "import") == "xlsx"
    assert needed(missing("weasyprint"), "build") == "pack"
    assert needed(missing("mkdocs.config"), "build") == "site"
    assert needed(missing("requests"), "build") is None  # no extra's module: a real bug, raised as it is


def test_the_extras_of_pyproject_are_the_ones_the_messages_name():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    core_names = {d.split(">")[0].split("=")[0].split("<")[0].lower() for d in project["dependencies"]}
    assert core_names == {"pyyaml", "jinja2", "pydantic"}
    named = {"pandas": "pandas", "numpy": "pandas", "mkdocs": "mkdocs", "material": "mkdocs-material",
             "mike": "mike", "altair": "altair", "vl_convert": "vl-convert-python", "weasyprint": "weasyprint",
             "openpyxl": "openpyxl", "duckdb": "duckdb", "sqlalchemy": "sqlalchemy", "psycopg": "psycopg"}
    for module, extra in EXTRA_OF.items():
        assert any(d.lower().startswith(named[module]) for d in extras[extra]), (module, extra)
    assert extras["all"] == ["ai-scorecard[site,pack,xlsx,pull,sql]"]
