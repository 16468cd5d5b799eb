"""A hostile pull request, end to end, on a real git repository with canary files around it.

The pull request carries, at once: a payload folder name, a symbolic link out of
the repository (to a file holding a secret), a deleted past month, a file moved
into a sub-folder while one of its months is restated, a path git quotes, and a
committed `site` link that points at a folder outside the repository.
`validate` and `diff --strict` flag each one; `build` and `publish` refuse; and
nothing outside the repository is read, written or deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GIT_ENV, SAMPLE, mutate
from sites import project

PAYLOAD = '"><img src=x onerror=alert(1)>'
QUOTED = 'caf\u00e9 "x".yaml'
SECRET = "SECRET-d41d8cd98f00b204"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def scorecard(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (links not followed) with a hash of its bytes and its modification time."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = f"{hashlib.sha256(path.read_bytes()).hexdigest()} {path.stat().st_mtime_ns}"
    return out


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    top = tmp_path_factory.mktemp("pr")
    outside = top / "outside"
    (outside / "victim").mkdir(parents=True)
    (outside / "secret.yaml").write_text(f"name: {SECRET}\napi_key: {SECRET}\n", encoding="utf-8")
    (outside / "victim" / "canary.txt").write_text("do not delete", encoding="utf-8")
    (outside / "victim" / "index.html").write_text("<p>someone else's site</p>", encoding="utf-8")
    repo = top / "repo"
    (repo / "initiatives").mkdir(parents=True)
    project(repo, Path("initiatives"))  # relative, so that a worktree reads its own
    (repo / "initiatives" / "contract-review.yaml").write_text(SAMPLE, encoding="utf-8")
    other = mutate(SAMPLE, "name: Sample initiative", "name: Other initiative")
    (repo / "initiatives" / "other-one.yaml").write_text(other, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the portfolio")
    git(repo, "checkout", "-qb", "hostile")
    # 1. a payload folder name
    (repo / "initiatives" / PAYLOAD).mkdir()
    (repo / "initiatives" / PAYLOAD / "harmless-x.yaml").write_text(SAMPLE, encoding="utf-8")
    # 2. a link out of the repository
    (repo / "initiatives" / "leak.yaml").symlink_to(os.path.relpath(outside / "secret.yaml", repo / "initiatives"))
    # 3. a deleted past month
    path = repo / "initiatives" / "contract-review.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  2026-02:")], encoding="utf-8")
    # 4. a file moved into a sub-folder while a month is restated
    (repo / "initiatives" / "legal").mkdir()
    git(repo, "mv", "initiatives/other-one.yaml", "initiatives/legal/other-one.yaml")
    moved = repo / "initiatives" / "legal" / "other-one.yaml"
    moved.write_text(mutate(moved.read_text(encoding="utf-8"), "benefits: {labor_savings: 20000}",
                            "benefits: {labor_savings: 90000}"), encoding="utf-8")
    # 5. a path git quotes
    (repo / "initiatives" / QUOTED).write_text(SAMPLE, encoding="utf-8")
    # 6. a committed site link to a folder outside
    (repo / "site").symlink_to(outside / "victim", target_is_directory=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a hostile pull request")
    return repo, outside


def test_validate_flags_the_folder_the_link_and_the_quoted_name(pull_request):
    repo, _ = pull_request
    proc = scorecard(repo, "validate", "--today", "2026-11")
    assert proc.returncode == 1
    errors = [line for line in proc.stdout.splitlines() if " error " in line]
    assert errors == [
        f"initiatives/{PAYLOAD}:1:1: error [file-name] folder name '{PAYLOAD}' is not allowed; nothing in it is read; "
        "name folders with lower-case letters, digits and '-'",
        f"initiatives/{QUOTED}:1:1: error [file-name] '{QUOTED}' is not a valid initiative file name; it is not read; "
        "use lower-case letters, digits and '-', 3 to 64 characters, then .yaml, e.g. contract-review.yaml",
        "initiatives/leak.yaml:1:1: error [file] is a symbolic link; it is not read; "
        "commit the file itself: links may point outside the repository",
    ]
    assert SECRET not in proc.stdout + proc.stderr


def test_diff_strict_flags_every_change_to_the_past(pull_request):
    repo, _ = pull_request
    proc = scorecard(repo, "diff", "--base", "main", "--strict", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    paths = {f["path"] for f in result["files"]}
    assert {f"initiatives/{PAYLOAD}/harmless-x.yaml", "initiatives/leak.yaml", f"initiatives/{QUOTED}",
            "initiatives/legal/other-one.yaml"} <= paths
    assert [(r["path"], r["month"]) for r in result["removals"]] == [("initiatives/contract-review.yaml", "2026-02")]
    assert [(r["path"], r["month"], r["field"], r["old"], r["new"], r["reason"]) for r in result["restatements"]] == [
        ("initiatives/legal/other-one.yaml", "2026-01", "benefits.labor_savings", 20000, 90000, None)]
    assert {p["rule"] for p in result["problems"]} >= {"file-name", "file"}
    assert SECRET not in proc.stdout + proc.stderr
    markdown_out = scorecard(repo, "diff", "--base", "main", "--strict").stdout
    assert "<img" not in markdown_out and "onerror=alert" not in markdown_out.replace("&#", "")


def test_build_and_publish_refuse_and_touch_nothing_outside(pull_request):
    repo, outside = pull_request
    before = snapshot(outside)
    build = scorecard(repo, "build")
    assert build.returncode == 1
    assert build.stdout == "" and "Traceback" not in build.stderr
    publish = scorecard(repo, "publish", "--month", "2026-02")
    assert publish.returncode == 1 and "Traceback" not in publish.stderr
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages"], cwd=repo).returncode == 1
    assert snapshot(outside) == before
    assert (outside / "victim" / "canary.txt").read_text(encoding="utf-8") == "do not delete"
    assert SECRET not in build.stderr + publish.stderr


def test_the_site_folder_link_is_refused_even_with_valid_initiatives(pull_request, tmp_path):
    repo, outside = pull_request
    clean = tmp_path / "clean"
    git(repo, "worktree", "add", "-q", str(clean), "main")
    try:
        (clean / "site").symlink_to(outside / "victim", target_is_directory=True)
        before = snapshot(outside)
        proc = scorecard(clean, "build", "--as-of", "2026-02")
        assert proc.returncode == 1
        assert "site" in proc.stderr and "link" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        assert snapshot(outside) == before
    finally:
        git(repo, "worktree", "remove", "--force", str(clean))
