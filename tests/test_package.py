"""The installable tool: a wheel that carries everything, used from a folder that holds only a portfolio.

The wheel is built from this clone and installed into a fresh virtual environment
outside it; the environment borrows only the third-party libraries of the test
environment (a path line, no editable install), so `scorecard` is imported from the
wheel. A folder with only `mkdocs.yml` and `initiatives/` builds a whole site; a
file in the portfolio's own `site_templates/` replaces the package's of the same
path, and a page in its docs folder joins the site.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow

MKDOCS_YML = """site_name: Acme AI portfolio
site_url: https://acme.example/ai/
theme:
  name: material
  font: false
plugins:
  - search
  - scorecard:
      initiatives: initiatives
      edit_url: https://git.example/acme/portfolio/edit/main/{path}
"""


def run(env: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(env / "bin" / "scorecard"), *args], cwd=folder, capture_output=True, text=True,
                          env={**clean, "PATH": f"{env / 'bin'}:/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
                          timeout=600)


def portfolio(folder: Path) -> Path:
    (folder / "initiatives").mkdir(parents=True)
    (folder / "initiatives" / "contract-review.yaml").write_text(SAMPLE, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return folder


def test_scorecard_runs_from_the_wheel_not_the_clone(wheel_venv):
    where = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", "import scorecard; print(scorecard.__file__)"],
                           capture_output=True, text=True, check=True, cwd="/").stdout.strip()
    assert where.startswith(str(wheel_venv)) and not where.startswith(str(ROOT))


def test_a_folder_with_only_a_portfolio_builds_a_whole_site(wheel_venv, tmp_path):
    folder = portfolio(tmp_path / "acme")
    proc = run(wheel_venv, folder, "build", "--as-of", "2026-02")
    assert proc.returncode == 0, proc.stderr
    site = folder / "site"
    for page in ("index.html", "initiatives/contract-review/index.html", "contribute/index.html",
                 "methodology/index.html", "assets/scorecard/scorecard.css", "assets/scorecard/scorecard.js",
                 "assets/scorecard/vega.js", "scorecard.csv"):
        assert (site / page).is_file(), page
    page = (site / "initiatives" / "contract-review" / "index.html").read_text(encoding="utf-8")
    assert "<title>Sample initiative - Acme AI portfolio</title>" in page  # the package's Material override
    assert "https://git.example/acme/portfolio/edit/main/initiatives/contract-review.yaml" in page
    assert sorted(p.name for p in folder.iterdir()) == ["initiatives", "mkdocs.yml", "site"]


def test_the_installed_tool_builds_in_a_checkout_of_its_own_source(wheel_venv, tmp_path):
    """The tool's own repository (or any folder with a `scorecard/` source folder) installed with pip, not
    editable: the board pack and the workbook, made by a separate `python -m` process, still use the installed
    package and its templates, not the source folder in the working directory (which holds no templates)."""
    import shutil

    folder = portfolio(tmp_path / "checkout")
    shutil.copytree(ROOT / "scorecard", folder / "scorecard", ignore=shutil.ignore_patterns("__pycache__"))
    proc = run(wheel_venv, folder, "build", "--as-of", "2026-02", "--strict")
    assert proc.returncode == 0, proc.stderr
    assert (folder / "site" / "board-pack.pdf").stat().st_size > 1000
    assert (folder / "site" / "scorecard.xlsx").stat().st_size > 1000


def test_the_portfolios_own_templates_replace_the_packages(wheel_venv, tmp_path):
    folder = portfolio(tmp_path / "acme")
    own = folder / "site_templates"
    (own / "pages").mkdir(parents=True)
    (own / "assets").mkdir()
    (own / "overrides").mkdir()
    (folder / "docs").mkdir()
    package = ROOT / "site_templates"
    page = (package / "pages" / "data.md.j2").read_text(encoding="utf-8")
    (own / "pages" / "data.md.j2").write_text(page + "\n<p>ACME-DATA-PAGE</p>\n", encoding="utf-8")
    (own / "assets" / "scorecard.css").write_text("/* ACME-STYLES */\n", encoding="utf-8")
    (own / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}ACME-ANNOUNCEMENT{% endblock %}\n', encoding="utf-8")
    (folder / "docs" / "about.md").write_text("# About this portfolio\n\nACME-EXTRA-PAGE\n", encoding="utf-8")
    proc = run(wheel_venv, folder, "build", "--as-of", "2026-02")
    assert proc.returncode == 0, proc.stderr
    site = folder / "site"
    assert "ACME-DATA-PAGE" in (site / "data" / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "scorecard" / "scorecard.css").read_text(encoding="utf-8") == "/* ACME-STYLES */\n"
    assert "ACME-ANNOUNCEMENT" in (site / "index.html").read_text(encoding="utf-8")
    assert "ACME-EXTRA-PAGE" in (site / "about" / "index.html").read_text(encoding="utf-8")
    # what the portfolio did not override still comes from the package
    assert "scorecard-block" not in (site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "scorecard" / "scorecard.js").read_text(encoding="utf-8") == \
        (package / "assets" / "scorecard.js").read_text(encoding="utf-8")


def test_serve_runs_from_the_wheel(wheel_venv, tmp_path):
    import time
    import urllib.request

    from sites import free_port

    folder = portfolio(tmp_path / "acme")
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.Popen([str(wheel_venv / "bin" / "scorecard"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=folder,
                            env={**clean, "PATH": f"{wheel_venv / 'bin'}:/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, page = time.monotonic() + 120, ""
        while time.monotonic() < deadline and "Sample initiative" not in page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ai/initiatives/contract-review/", timeout=5) as r:
                    page = r.read().decode("utf-8")
            except OSError:
                time.sleep(0.05)
        assert "Sample initiative" in page
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_wheel_builds_with_zensical_too(wheel_venv, tmp_path):
    folder = portfolio(tmp_path / "acme")
    proc = run(wheel_venv, folder, "build", "--engine", "zensical", "--as-of", "2026-02")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"built {folder / 'site'} as of 2026-02: 1 initiative")
    page = (folder / "site" / "initiatives" / "contract-review" / "index.html").read_text(encoding="utf-8")
    assert "Sample initiative" in page and (folder / "site" / "scorecard.json").is_file()


def test_the_built_in_mapping_ships_in_the_wheel(wheel_venv, tmp_path):
    proc = run(wheel_venv, tmp_path, "import", "--mapping", "omb-2025", "--print-policy")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (ROOT / "scorecard" / "data" / "mappings" / "omb-2025.policy.yml").read_text(encoding="utf-8")


def test_the_tool_is_also_ai_scorecard(wheel_venv, tmp_path):
    """issue 23 §4: OpenSSF Scorecard installs a `scorecard` binary too; `ai-scorecard` is the same tool."""
    both = [subprocess.run([str(wheel_venv / "bin" / name), "rules"], cwd=tmp_path, capture_output=True, text=True)
            for name in ("scorecard", "ai-scorecard")]
    assert [p.returncode for p in both] == [0, 0] and both[0].stdout == both[1].stdout and "Governance gap" in both[0].stdout


def test_the_wheel_lists_every_folder_of_the_package():
    """pyproject.toml lists the packages by hand (the templates live outside scorecard/): a folder it misses would
    be missing from the wheel, as site_templates/markdown once was."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    mapped = {Path(folder): name for name, folder in config["package-dir"].items()} | {Path("scorecard"): "scorecard"}
    found, data_only = set(), set()
    for top, name in mapped.items():
        for folder in [ROOT / top, *sorted((ROOT / top).rglob("*"))]:
            files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
            if folder.name != "__pycache__" and files:
                package = ".".join([name, *folder.relative_to(ROOT / top).parts])
                found.add(package)
                if not any(p.suffix == ".py" for p in files):
                    data_only.add(package)
    assert sorted(config["packages"]) == sorted(found)
    assert sorted(data_only - set(config["package-data"])) == []  # a folder of data only: its files are listed


def test_the_package_index_description_shows_the_screenshots(tmp_path):
    """PyPI renders the README without the repository beside it: every image and link in the wheel's description
    is absolute, on the tool's repository (issue 23 §4), while README.md keeps the relative ones."""
    import email
    import re
    import sys
    import zipfile

    from scorecard.release import TOOL_URL

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        meta = email.message_from_bytes(z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))))
    body = meta.get_payload()
    assert meta["Description-Content-Type"] == "text/markdown"
    images = re.findall(r'<img src="([^"]+)"', body)
    assert images and all(i.startswith(TOOL_URL.replace("github.com", "raw.githubusercontent.com") + "/") for i in images)
    links = re.findall(r"\]\(([^)\s]+)\)", body)
    assert links and all(re.match(r"https?://|#", link) for link in links), [x for x in links if "://" not in x][:3]
    assert '<img src="readme/' in (ROOT / "README.md").read_text(encoding="utf-8")
    assert ("Project-URL", f"Source, {TOOL_URL}") in meta.items()
    assert f'REPOSITORY = "{TOOL_URL}"' in (ROOT / "setup.py").read_text(encoding="utf-8")
    assert any(v.startswith("Framework :: MkDocs") for k, v in meta.items() if k == "Classifier")
