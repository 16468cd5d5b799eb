"""Publish a month of the site with mike: one version per month, `latest` on the newest.

The edges only: git and mike. Under a lock, the portfolio is validated and
the scorecard computed once (with the previous published month's scorecard
to compare with); the site is built in this process from those inputs, and
mike's Python API commits it as a version to the pages branch. No
subprocess runs MkDocs again, and no environment variable carries data.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scorecard.report.model import Report
from scorecard.report.read import parse_report
from scorecard.context import RunContext
from scorecard.errors import UsageError, UserError
from scorecard.gitrepo import Repo
from scorecard.months import format_month, parse_month
from scorecard.problem import shown
from scorecard.site.build import build_site, site_inputs
from scorecard.site.folder import LOCK_WAIT, exclusive_lock

LATEST = "latest"
BRANCH = "gh-pages"
PUBLIC_BRANCH = "gh-pages-public"
LOCK_FILE = "scorecard-publish.lock"


@dataclass(frozen=True)
class Published:
    version: str
    latest: bool
    """Whether `latest` now points at this version."""
    compared_with: str | None
    """The published version whose scorecard.json the changes page compared with."""
    branch: str = BRANCH
    """The pages branch it was committed to."""


def published_versions(repo: Repo, branch: str) -> list[str]:
    """The month versions (YYYY-MM) on the pages branch, oldest first."""
    shown = repo.show(f"{branch}:versions.json")
    if shown is None:
        return []
    try:
        versions = [v["version"] for v in json.loads(shown)]
    except (ValueError, KeyError, TypeError):
        raise UserError(f"{branch}:versions.json is not mike's list of versions") from None
    return sorted(v for v in versions if parse_month(v) is not None)


def _local_branch(repo: Repo, branch: str, remote: str) -> None:
    """Make the local pages branch from the remote one when only the remote has it (a fresh CI checkout)."""
    if repo.ok("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"):
        return
    if repo.ok("rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{branch}"):
        repo.run("branch", "--end-of-options", branch, f"{remote}/{branch}")


def _previous(repo: Repo, branch: str, version: str) -> Report | None:
    """The scorecard.json of a published version, when it is one this tool can compare with."""
    shown = repo.show(f"{branch}:{version}/scorecard.json")
    try:
        doc = json.loads(shown) if shown is not None else None
    except ValueError:
        return None
    return parse_report(doc)


def publish_lock(repo: Repo) -> Path:
    """The file whose lock a publish holds: in the git directory that all worktrees of the repository share."""
    common = repo.run("rev-parse", "--git-common-dir").decode().strip()
    return repo.cwd / common / LOCK_FILE  # relative to the root unless absolute


def publish(ctx: RunContext, *, push: bool = False, remote: str = "origin", branch: str | None = None,
            title: str | None = None, lock_wait: float = LOCK_WAIT) -> Published:
    """Validate and compute once, then deploy the site as of `month` as version YYYY-MM with mike's Python API;
    move `latest` when it is the newest. The month is the context's as-of month (`RunContext.as_of`).
    No branch: gh-pages, or gh-pages-public for a public configuration (the public record never shares a
    branch with the internal scorecard).

    One publish at a time per repository: the version list is read and the branch committed
    under an exclusive lock; another run waits up to `lock_wait` seconds for it.
    """
    branch = branch or (PUBLIC_BRANCH if ctx.public else BRANCH)
    _check_name("--remote", remote, "a remote such as origin")
    _check_name("--branch", branch, "a branch such as gh-pages")
    settings = ctx.settings
    # a month asked for is checked after validation (site_inputs), so that a file's errors come first
    month = ctx.as_of_asked if ctx.as_of_asked is not None else ctx.as_of
    repo = Repo(settings.root)
    if not repo.ok("rev-parse", "--show-toplevel"):
        raise UserError(f"{settings.root} is not in a git repository; mike publishes to a branch of one")
    lock = publish_lock(repo)
    busy = (f"another scorecard publish is still running in this repository after {lock_wait:.0f} s "
            f"(it holds {lock}); try again when it has finished")
    with exclusive_lock(lock, busy, timeout=lock_wait), contextlib.chdir(settings.root):  # mike's git runs in cwd
        # a month from mkdocs.yml's as_of stays one (its errors name the option that gave it)
        return _deploy(ctx if ctx.as_of_asked is None else ctx.at(month), repo, push=push, remote=remote,
                       branch=branch, title=title)


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}")


def _check_name(option: str, name: str, example: str) -> None:
    """A remote or branch name as git and mike will be given it: never an option, a pattern or a path trick.

    mike passes the names to git without `--end-of-options`, so they are checked here, before any git runs."""
    if (not _NAME.fullmatch(name) or ".." in name or "//" in name or name.endswith((".lock", "/", "."))
            or "/." in name):
        raise UsageError(f"{option} {shown(name)!r} is not a git name; give {example} "
                         "(letters, digits, '.', '_', '-' and '/', not starting with '-')")


def _deploy(ctx: RunContext, repo: Repo, *, push: bool, remote: str, branch: str, title: str | None) -> Published:
    """Validate and compute once, build the site in this process and let mike commit it (under the lock)."""
    from mike import commands, git_utils

    month = ctx.as_of_asked if ctx.as_of_asked is not None else ctx.as_of  # checked by site_inputs, after validation

    version = format_month(month)
    _local_branch(repo, branch, remote)
    try:
        git_utils.update_from_upstream(remote, branch)
    except (git_utils.GitBranchDiverged, git_utils.GitRevUnrelated) as exc:
        raise UserError(f"{branch} differs from {remote}/{branch}: {exc}; fetch and reconcile it first") from None
    except git_utils.GitError as exc:
        raise UserError(f"git could not read {branch} from {remote}: {shown(str(exc)).strip()}") from None
    versions = published_versions(repo, branch)
    earlier = [v for v in versions if v < version]
    newest = not versions or version >= versions[-1]
    # a public build compares with its own month before, never with a published scorecard (see site_inputs)
    previous = _previous(repo, branch, earlier[-1]) if earlier and not ctx.public else None
    # the one validation and computation of this publish: nothing is published from invalid input
    inputs = site_inputs(ctx, previous=previous)
    with tempfile.TemporaryDirectory(prefix="scorecard-publish-") as tmp:
        site = Path(tmp) / "site"
        try:
            with commands.deploy({"site_dir": str(site), "use_directory_urls": True}, version, title or version,
                                 [LATEST] if newest else [], update_aliases=newest, branch=branch,
                                 message=f"Publish the scorecard as of {version}"):
                build_site(site, inputs, version=version)
        except git_utils.GitEmptyCommit:
            pass  # the same input and month build the same bytes: nothing to commit
        if newest:
            try:
                commands.set_default(LATEST, branch=branch, message=f"Default to {LATEST}")
            except git_utils.GitEmptyCommit:
                pass
    if push:
        try:
            git_utils.push_branch(remote, branch)
        except git_utils.GitError as exc:
            raise UserError(f"pushing {branch} to {remote} failed: {exc}") from None
    return Published(version, newest, earlier[-1] if previous is not None else None, branch)
