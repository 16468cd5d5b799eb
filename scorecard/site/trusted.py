"""The build of a pull request with the base branch's configuration (`scorecard build --base REF`).

MkDocs reads mkdocs.yml with a loader that can construct Python objects, and runs its `hooks:`; the theme's
`custom_dir` and the templates shape every page. A pull request that edits them would run code in the check.
So the check builds with everything but the initiative files as it is in the base commit: the tree of that
commit is extracted into a temporary folder (by `git archive`: only what the commit holds), and the settings
read from its mkdocs.yml, with the initiatives folder pointed at the pull request's. What the pull request
changes outside the initiatives is named, once, and takes effect when it is merged.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import signal
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scorecard.config import read_settings
from scorecard.context import RunContext
from scorecard.errors import UserError
from scorecard.gitrepo import Repo
from scorecard.problem import shown

NAMED = 5
"""How many changed files the notice names."""


@dataclass(frozen=True)
class BaseBuild:
    context: RunContext
    """The run's context with the base commit's settings, the initiatives folder the working tree's."""
    changed: tuple[str, ...]
    """The files outside the initiatives that the working tree changes against the base (relative to the cwd)."""

    def notice(self, ref: str) -> str | None:
        if not self.changed:
            return None
        names = ", ".join(shown(c) for c in self.changed[:NAMED])
        more = f" and {len(self.changed) - NAMED} more" if len(self.changed) > NAMED else ""
        return (f"scorecard: this change edits {names}{more} outside the initiatives; the build uses them as they "
                f"are in {shown(ref)}: they take effect once merged")


def _extract(data: bytes, into: Path) -> None:
    """A `git archive` tar into `into`: members the data filter refuses (links out of the folder) are left out."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            try:
                tar.extract(member, into, filter="data")
            except (tarfile.FilterError, OSError):
                continue


def _refuse_links(root: Path, inside: str) -> None:
    """The initiatives folder and the folders above it, up to the repository, as the change has them: no links.

    The change owns the working tree: a link there would point the build at files outside the repository.
    """
    at = root
    for part in PurePosixPath(inside).parts:
        at = at / part
        if at.is_symlink():
            raise UserError(f"{shown(at.relative_to(root).as_posix())}: is a link; the initiatives folder is read "
                            "only as a folder in the repository: replace the link with the folder")


@contextmanager
def _terminated_as_exit() -> Iterator[None]:
    """A CI runner cancels with SIGTERM: end as an exit, so that the temporary tree is removed."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)
    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave the signal alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def base_build(ctx: RunContext, ref: str, cwd: Path, output: Path | None = None) -> Iterator[BaseBuild]:
    """The context to build the working tree's initiatives with the configuration of the commit `ref` names."""
    repo = Repo(cwd)
    commit = repo.commit(ref)
    config = PurePosixPath(str(ctx.config_path or "mkdocs.yml"))
    if config.is_absolute() or ".." in config.parts:
        raise UserError(f"--base builds with the {config} of {ref}: give --config as a path inside the repository")
    with _terminated_as_exit():
        tmp = Path(tempfile.mkdtemp(prefix="scorecard-base-"))
        try:
            yield from _in(repo, commit, ref, config, ctx, cwd, tmp, output)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # the folder this made, and only it


def _in(repo: Repo, commit: str, ref: str, config: PurePosixPath, ctx: RunContext, cwd: Path,
        tmp: Path, output: Path | None) -> Iterator[BaseBuild]:
    # run in a subfolder, git archive gives that folder's tree: the paths below are relative to the cwd
    _extract(repo.run("archive", "--format=tar", "--end-of-options", commit), tmp)
    base_config = tmp / config
    if not base_config.is_file():
        raise UserError(f"{ref} has no {config} here: the build takes its configuration from the base")
    base = read_settings(base_config)
    # the base's option names the folder, relative to its mkdocs.yml; the working tree holds the files the change
    # brings
    root = cwd.resolve()  # the checkout itself may sit under a link; below it, the change owns the tree
    folder = Path(os.path.abspath(root / Path(config.parent) / Path(str(base.options["initiatives"]))))
    inside = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else None
    if inside is not None:
        _refuse_links(root, inside)
    settings = dataclasses.replace(base, options={**base.options, "initiatives": str(folder)},
                                   files_root=root)
    skip = [inside] if inside is not None else []
    if output is not None and Path(os.path.abspath(output)).is_relative_to(root):
        skip.append(Path(os.path.abspath(output)).relative_to(root).as_posix())  # what the build writes
    changed = tuple(sorted(c.path for c in repo.changes(commit, ".")
                           if not any(c.path == s or c.path.startswith(s + "/") for s in skip)))
    yield BaseBuild(dataclasses.replace(ctx, given_settings=settings, config_path=base_config), changed)
