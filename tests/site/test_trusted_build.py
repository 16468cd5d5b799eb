"""A pull request's check builds with the base commit's configuration (issue 23 §3): MkDocs runs mkdocs.yml's
hooks, so a change that adds one must not run it in the check; the initiatives are the change's."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
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


def _base_repo(repo: Path, mkdocs: str = "site_name: Acme\nplugins:\n  - scorecard:\n      as_of: 2026-10\n") -> None:
    shutil.copytree(PORTFOLIO, repo / "initiatives")
    (repo / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")


def test_an_empty_base_is_a_usage_error_not_a_build_with_the_change_s_configuration(tmp_path):
    # `--base "$BASE"` with BASE unset must not quietly build with the pull request's own mkdocs.yml
    repo = tmp_path / "repo"
    _base_repo(repo)
    for value in ("", "  "):
        done = build(repo, tmp_path, "--base", value)
        assert done.returncode == 2
        assert done.stderr.splitlines()[-1] == ("scorecard build: error: argument --base: it is empty: give the base "
                                                "branch or commit, e.g. origin/main")
        assert not (repo / "site").exists()
    done = build(repo, tmp_path, "--base=--output=x")  # a ref, never an option of git's
    assert (done.returncode, done.stderr) == (1, "scorecard: error: '--output=x' is not a commit in this repository; "
                                                 "name a branch, tag or commit id, e.g. origin/main\n")


def test_a_change_that_links_the_initiatives_folder_elsewhere_is_refused(tmp_path):
    repo, secret = tmp_path / "repo", tmp_path / "secret"
    _base_repo(repo)
    shutil.copytree(PORTFOLIO, secret)
    (secret / "contract-review.yaml").write_text(
        (secret / "contract-review.yaml").read_text(encoding="utf-8").replace("name: ", "name: SECRET ", 1),
        encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "change")
    shutil.rmtree(repo / "initiatives")
    (repo / "initiatives").symlink_to(secret)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    done = build(repo, tmp_path, "--base", "main")
    assert (done.returncode, done.stderr) == (1, "scorecard: error: initiatives: is a link; the initiatives folder is "
                                                 "read only as a folder in the repository: replace the link with the "
                                                 "folder\n")
    assert not (repo / "site").exists()


def test_the_notice_does_not_name_the_site_the_build_writes(tmp_path):
    repo, tmp = tmp_path / "repo", tmp_path / "tmp"
    tmp.mkdir()
    _base_repo(repo)  # no .gitignore: site/ is an untracked folder after the first build
    assert build(repo, tmp, "--base", "main").stderr == ""
    again = build(repo, tmp, "--base", "main")
    assert (again.returncode, again.stderr) == (0, "")
    assert list(tmp.iterdir()) == []


def test_a_cancelled_check_removes_the_base_s_tree(tmp_path):
    # a runner cancels with SIGTERM; the base's own (trusted) hook holds the build until the test has sent it
    repo, tmp, started = tmp_path / "repo", tmp_path / "tmp", tmp_path / "STARTED"
    tmp.mkdir()
    hook = f"import pathlib, time\n\ndef on_startup(**kw):\n    pathlib.Path({str(started)!r}).write_text('1')\n    time.sleep(60)\n"
    shutil.copytree(PORTFOLIO, repo / "initiatives")
    (repo / "hook.py").write_text(hook, encoding="utf-8")
    _base_repo_files = "site_name: Acme\nhooks: [hook.py]\nplugins:\n  - scorecard:\n      as_of: 2026-10\n"
    (repo / "mkdocs.yml").write_text(_base_repo_files, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "scorecard", "build", "--today", "2026-11", "--base", "main"],
                            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            if started.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists(), proc.communicate()
        assert list(tmp.iterdir())  # the base's tree is there while it builds
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert list(tmp.iterdir()) == []


def test_a_portfolio_in_a_subfolder_builds_its_own_initiatives_from_the_top_or_from_inside(tmp_path):
    repo, tmp = tmp_path / "repo", tmp_path / "tmp"
    tmp.mkdir()
    shutil.copytree(PORTFOLIO, repo / "sc" / "initiatives")
    (repo / "sc" / "mkdocs.yml").write_text("site_name: Acme\nplugins:\n  - scorecard:\n      as_of: 2026-10\n",
                                            encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "change")
    # the change adds an initiatives folder at the top: not the portfolio's, so not built
    (repo / "initiatives").mkdir()
    planted = (PORTFOLIO / "contract-review.yaml").read_text(encoding="utf-8").replace("name: ", "name: PLANTED ", 1)
    (repo / "initiatives" / "planted-copy.yaml").write_text(planted, encoding="utf-8")
    done = build(repo, tmp, "-f", "sc/mkdocs.yml", "--base", "main", "-d", "sc/site")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("scorecard: this change edits initiatives/planted-copy.yaml outside the initiatives; the "
                           "build uses them as they are in main: they take effect once merged\n")
    report = (repo / "sc" / "site" / "scorecard.json").read_text(encoding="utf-8")
    assert "PLANTED" not in report and "contract-review" in report
    shutil.rmtree(repo / "sc" / "site")
    inside = build(repo / "sc", tmp, "--base", "main")
    assert (inside.returncode, inside.stderr) == (0, "")
    assert "PLANTED" not in (repo / "sc" / "site" / "scorecard.json").read_text(encoding="utf-8")
    assert list(tmp.iterdir()) == []
