"""A pull request's check builds with the base commit's configuration (issue 23 §3): MkDocs runs mkdocs.yml's
hooks, so a change that adds one must not run it in the check; the initiatives are the change's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import GIT_ENV, PORTFOLIO

HOOK = "import pathlib\n\ndef on_startup(**kw):\n    pathlib.Path({marker!r}).write_text('ran')\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def build(repo: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
    return subprocess.run([sys.executable, "-m", "scorecard", "build", "--today", "2026-11", *args], cwd=repo,
                          capture_output=True, text=True, env=env)


def test_a_pull_request_that_adds_a_hook_does_not_run_it_in_the_check(tmp_path):
    repo, tmp, marker = tmp_path / "repo", tmp_path / "tmp", tmp_path / "RAN"
    tmp.mkdir()
    shutil.copytree(PORTFOLIO, repo / "initiatives")
    (repo / "mkdocs.yml").write_text("site_name: Acme\nplugins:\n  - scorecard:\n      as_of: 2026-10\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "change")
    (repo / "hook.py").write_text(HOOK.format(marker=str(marker)), encoding="utf-8")
    with open(repo / "mkdocs.yml", "a", encoding="utf-8") as f:
        f.write("hooks: [hook.py]\n")
    page = repo / "initiatives" / "contract-review.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "change")
    git(repo, "add", "hook.py")
    git(repo, "commit", "-q", "-m", "hook")

    done = build(repo, tmp, "--base", "main")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "scorecard: this change edits hook.py, mkdocs.yml outside the initiatives; the build uses them as they are "
        "in main: they take effect once merged"]
    assert not marker.exists()  # the hook did not run
    html = (repo / "site" / "initiatives" / "contract-review" / "index.html").read_text(encoding="utf-8")
    assert "Renamed " in html  # the change's initiatives
    assert "initiatives/contract-review.yaml" in html and str(repo) not in html  # paths as in the repository
    assert list(tmp.iterdir()) == []  # the base's tree is removed
    # the same build without --base runs the change's hook: what the check is kept from
    assert build(repo, tmp).returncode == 0 and marker.read_text() == "ran"


def test_a_base_that_names_no_commit_is_one_line(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(PORTFOLIO, repo / "initiatives")
    (repo / "mkdocs.yml").write_text("site_name: Acme\nplugins: [scorecard]\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    done = build(repo, tmp_path, "--base", "origin/main")
    assert (done.returncode, done.stderr) == (1, "scorecard: error: 'origin/main' is not a commit in this repository; "
                                                 "fetch it first (git fetch origin main)\n")
