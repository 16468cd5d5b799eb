"""Golden files: what the tool writes for two fixture portfolios, byte for byte.

`tests/fixtures/golden/<portfolio>/` holds, for each portfolio, the content of
every rendered page (the `<article>` a reader sees, without Material's frame),
`scorecard.json`, `scorecard.csv`, the digest and the pull-request comment of
one change. A difference fails with a unified diff; `pytest --update-golden`
rewrites the files from the current output, and their diff is reviewed like
code.

- example: the tests' frozen copy of the example portfolio, as of 2026-10.
- inventory: the first 20 rows of the federal inventory sample, imported with
  the omb-2025 mapping (a portfolio with no figures yet).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, GIT_ENV, PORTFOLIO, mutate
from scorecard.cli import main
from sites import project

GOLDEN = FIXTURES / "golden"
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})


def _capture(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return out


def _example(folder: Path) -> Path:
    shutil.copytree(PORTFOLIO, folder / "initiatives")
    return project(folder, Path("initiatives"), as_of="2026-10")


def _inventory(folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    with open(FIXTURES / "omb-2025-sample.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[:21]
    sheet = folder / "register.csv"
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    sheet.write_text(buf.getvalue(), encoding="utf-8")
    policy = _capture(capsys, "import", "--mapping", "omb-2025", "--print-policy")
    (folder / "policy.yml").write_text(policy, encoding="utf-8")
    config = project(folder, Path("initiatives"), as_of="2026-10", policy="policy.yml")
    assert main(["import", str(sheet), "--mapping", "omb-2025", "--config", str(config)]) == 0
    sheet.unlink()
    return config


def _outputs(folder: Path, config: Path, capsys: pytest.CaptureFixture[str],
             change: tuple[str, str, str]) -> dict[str, str]:
    """Every golden output of the portfolio in `folder`: name -> text; `change` (file, old, new) is the
    pull request whose comment is one of them."""
    site = folder / "site"
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 0
    out: dict[str, str] = {}
    for page in sorted(site.rglob("index.html")):
        found = ARTICLE.search(page.read_text(encoding="utf-8"))
        if found:
            name = page.parent.relative_to(site).as_posix() or "home"
            out[f"pages/{name.replace('/', '--')}.html"] = found.group(1).strip() + "\n"
    for name in ("scorecard.json", "scorecard.csv", "digest.md"):
        out[name] = (site / name).read_text(encoding="utf-8")
    out["report.txt"] = _capture(capsys, "report", "--config", str(config), "--as-of", "2026-10")
    # the pull-request comment of one change
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "initiatives", "mkdocs.yml", *(["policy.yml"] if (folder / "policy.yml").exists() else []))
    _git(folder, "commit", "-q", "-m", "base")
    path, old, new = change
    (folder / path).write_text(mutate((folder / path).read_text(encoding="utf-8"), old, new), encoding="utf-8")
    cwd = Path.cwd()
    try:
        os.chdir(folder)
        out["diff.md"] = _capture(capsys, "diff", "--base", "main", "--config", str(config))
    finally:
        os.chdir(cwd)
    return out


def _compare(name: str, outputs: dict[str, str], update: bool) -> None:
    folder = GOLDEN / name
    if update:
        shutil.rmtree(folder, ignore_errors=True)
        for rel, text in outputs.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8", newline="")
        return
    have = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert have == set(outputs), f"golden {name}: files differ; run pytest --update-golden and review the diff"
    problems = []
    for rel, text in sorted(outputs.items()):
        expected = ""
        if (folder / rel).exists():
            with open(folder / rel, encoding="utf-8", newline="") as f:
                expected = f.read()
        if text != expected:
            problems.append("".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                         f"golden/{name}/{rel}", "now", n=2))[:4000])
    assert not problems, "\n".join(problems) + "\n(pytest --update-golden rewrites them; review the diff)"


def test_the_example_portfolio_writes_its_golden_files(tmp_path, capsys, update_golden):
    config = _example(tmp_path)
    change = ("initiatives/lead-scoring.yaml", "kpis: {conversion: 2.9", "kpis: {conversion: 4.9")  # a restatement
    _compare("example", _outputs(tmp_path, config, capsys, change), update_golden)


def test_an_imported_inventory_writes_its_golden_files(tmp_path, capsys, update_golden):
    config = _inventory(tmp_path, capsys)
    change = ("initiatives/dhs-101.yaml", "\nname: ", "\nname: Renamed ")
    _compare("inventory", _outputs(tmp_path, config, capsys, change), update_golden)


def test_a_golden_difference_fails_with_a_diff(tmp_path):
    """The comparison can fail, and says where."""
    (tmp_path / "x").mkdir()
    global GOLDEN
    saved, GOLDEN = GOLDEN, tmp_path
    try:
        _compare("x", {"a.txt": "one\n"}, update=True)
        with pytest.raises(AssertionError, match=r"(?s)-one.*\+two"):
            _compare("x", {"a.txt": "two\n"}, update=False)
        with pytest.raises(AssertionError, match="files differ"):
            _compare("x", {"b.txt": "one\n"}, update=False)
    finally:
        GOLDEN = saved
