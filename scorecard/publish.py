"""Publish a month of the site with mike: one version per month, `latest` on the newest.

The edges only: git and mike. The portfolio is validated and the scorecard
computed first; only then does mike build (MkDocs, with the scorecard plugin,
as of the month) and commit the version to the pages branch.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scorecard.clock import this_month
from scorecard.config import read_settings
from scorecard.errors import UserError
from scorecard.months import format_month, parse_month
from scorecard.pipeline import validated
from scorecard.sitedir import LOCK_WAIT, exclusive_lock

LATEST = "latest"
MIKE = "import sys; from mike.driver import main; sys.exit(main())"
LOCK_FILE = "scorecard-publish.lock"


@dataclass(frozen=True)
class Published:
    version: str
    latest: bool
    """Whether `latest` now points at this version."""
    compared_with: str | None
    """The published version whose scorecard.json the changes page compared with."""


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True)


def published_versions(root: Path, branch: str) -> list[str]:
    """The month versions (YYYY-MM) on the pages branch, oldest first."""
    shown = git("show", f"{branch}:versions.json", cwd=root, check=False)
    if shown.returncode != 0:
        return []
    try:
        versions = [v["version"] for v in json.loads(shown.stdout)]
    except (ValueError, KeyError, TypeError):
        raise UserError(f"{branch}:versions.json is not mike's list of versions") from None
    return sorted(v for v in versions if parse_month(v) is not None)


def _local_branch(root: Path, branch: str, remote: str) -> None:
    """Make the local pages branch from the remote one when only the remote has it (a fresh CI checkout)."""
    if git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", cwd=root, check=False).returncode == 0:
        return
    if git("rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{branch}", cwd=root, check=False).returncode == 0:
        git("branch", branch, f"{remote}/{branch}", cwd=root)


def _mike(args: list[str], root: Path, env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, "-c", MIKE, *args], cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise UserError(f"mike {args[0]} failed: {(proc.stderr or proc.stdout).strip()[-2000:]}")


def publish_lock(root: Path) -> Path:
    """The file whose lock a publish holds: in the git directory that all worktrees of the repository share."""
    common = git("rev-parse", "--git-common-dir", cwd=root).stdout.strip()
    return root / common / LOCK_FILE  # relative to `root` unless absolute


def publish(config_file: Path, month: int, *, push: bool = False, remote: str = "origin",
            branch: str = "gh-pages", title: str | None = None, lock_wait: float = LOCK_WAIT) -> Published:
    """Validate, then deploy the site as of `month` as version YYYY-MM; move `latest` when it is the newest.

    One publish at a time per repository: the version list is read and the branch committed
    under an exclusive lock; another run waits up to `lock_wait` seconds for it.
    """
    settings = read_settings(config_file)
    root = settings.root
    if git("rev-parse", "--show-toplevel", cwd=root, check=False).returncode != 0:
        raise UserError(f"{root} is not in a git repository; mike publishes to a branch of one")
    settings.policy()  # a bad policy file or an invalid portfolio raises here: nothing is published
    validated(settings, max(this_month(), month))
    lock = publish_lock(root)
    busy = (f"another scorecard publish is still running in this repository after {lock_wait:.0f} s "
            f"(it holds {lock}); try again when it has finished")
    with exclusive_lock(lock, busy, timeout=lock_wait):
        return _deploy(config_file, root, month, push=push, remote=remote, branch=branch, title=title)


def _deploy(config_file: Path, root: Path, month: int, *, push: bool, remote: str, branch: str,
            title: str | None) -> Published:
    """Run mike for the month; the caller holds the publish lock."""
    version = format_month(month)
    _local_branch(root, branch, remote)
    versions = published_versions(root, branch)
    earlier = [v for v in versions if v < version]
    newest = not versions or version >= versions[-1]
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
           "SCORECARD_AS_OF": version, "SCORECARD_VERSIONED": "1"}
    git_args = ["--branch", branch, "--remote", remote] + (["--push"] if push else [])
    with tempfile.TemporaryDirectory() as tmp:
        compared_with = None
        if earlier:
            shown = git("show", f"{branch}:{earlier[-1]}/scorecard.json", cwd=root, check=False)
            if shown.returncode == 0:
                previous = Path(tmp) / "previous.json"
                previous.write_text(shown.stdout, encoding="utf-8")
                env["SCORECARD_PREVIOUS"] = str(previous)
                compared_with = earlier[-1]
        deploy = ["deploy", "--config-file", str(config_file), "--title", title or version, *git_args,
                  "--message", f"Publish the scorecard as of {version}"]
        if newest:
            deploy += ["--update-aliases", version, LATEST]
        else:
            deploy += [version]
        _mike(deploy, root, env)
        if newest:
            _mike(["set-default", "--config-file", str(config_file), *git_args,
                   "--message", f"Default to {LATEST}", LATEST], root, env)
    return Published(version, newest, compared_with)
