"""The one git wrapper: git run with a list of arguments, its `-z` output parsed.

Git is never run through a shell, a ref is resolved once to a commit id and
only the id is used afterwards, pathspecs are literal (`--literal-pathspecs`)
and every path follows `--`, so no name from a pull request can become an
option or a pattern. Paths come from `-z` output, never from git's quoted
form, and are decoded the way the file system names are (`os.fsdecode`), so
each one survives exactly. A failure is a `UserError` naming the git command.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import UserError

BLOB_MODES = ("100644", "100755")
"""Tree entry modes of plain files; 120000 is a symlink, 160000 a submodule."""


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    kind: str
    """blob, tree or commit (a submodule)."""
    oid: str
    size: int | None
    """Bytes of a blob; None for anything else."""
    path: str


@dataclass(frozen=True)
class Change:
    status: str
    """A (added, or untracked), M (modified), D (deleted), R (renamed or moved) or T (type changed)."""
    path: str
    """The path now; for D, the path that was deleted."""
    old_path: str | None = None
    """For R, the path before."""


def split_z(data: bytes) -> list[str]:
    """The fields of git's `-z` output, as file-system names."""
    fields = data.split(b"\0")
    if fields and fields[-1] == b"":
        fields.pop()
    return [os.fsdecode(f) for f in fields]


def _what_to_do(ref: str) -> str:
    """The advice for a ref that names no commit: most often a CI checkout that fetched only the head."""
    if not ref or ref.startswith("-") or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", ref) or ".." in ref:
        return "name a branch, tag or commit id, e.g. origin/main"  # ':/text', 'a:b', '@{1}': nothing to fetch
    remote, _, branch = ref.partition("/")
    if not branch or remote == "refs":  # main, refs/heads/main: guess the usual remote
        remote, branch = "origin", ref
    return f"fetch it first (git fetch {shlex.quote(remote)} {shlex.quote(branch)})"


class Repo:
    """git in the working tree that holds `cwd`; paths in and out are relative to `cwd`."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def run(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
        """git's standard output; a UserError with git's message when it fails."""
        proc = self._run(args, input, env)
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip().replace("\n", "; ")
            raise UserError(f"git {args[0]} failed: {message or f'exit code {proc.returncode}'}")
        return proc.stdout

    def ok(self, *args: str) -> bool:
        """Whether git succeeds (for questions such as `rev-parse --verify --quiet REF`)."""
        return self._run(args).returncode == 0

    def show(self, revision_path: str) -> bytes | None:
        """The bytes of `REV:PATH`, or None when there is no such file."""
        proc = self._run(("show", "--end-of-options", revision_path))
        return proc.stdout if proc.returncode == 0 else None

    def _run(self, args: tuple[str, ...], input: bytes | None = None,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        # No optional locks: reading must not refresh the index of a tree someone else is working in.
        full_env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", **(env or {})}
        return subprocess.run(["git", "--literal-pathspecs", *args], cwd=self.cwd, input=input,
                              capture_output=True, env=full_env)

    def commit(self, ref: str) -> str:
        """The commit id `ref` names; a UserError saying what to do when it names none."""
        if self._run(("rev-parse", "--is-inside-work-tree")).returncode != 0:
            raise UserError(f"{self.cwd} is not in a git repository; diff compares the working tree with a commit")
        proc = self._run(("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"))
        if proc.returncode != 0 or not ref:
            raise UserError(f"{ref!r} is not a commit in this repository; {_what_to_do(ref)}")
        return proc.stdout.decode("ascii").strip()

    def tree(self, commit: str, folder: str) -> list[TreeEntry]:
        """Every entry under `folder` at `commit` (recursively), with blob sizes."""
        out = []
        for record in split_z(self.run("ls-tree", "-r", "-l", "-z", "--end-of-options", commit, "--", folder)):
            info, _, path = record.partition("\t")
            mode, kind, oid, size = info.split()
            out.append(TreeEntry(mode, kind, oid, int(size) if size.isdigit() else None, path))
        return out

    def blobs(self, oids: list[str]) -> dict[str, bytes]:
        """The content of each blob, read in one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(oids))
        if not wanted:
            return {}
        data = self.run("cat-file", "--batch", input="".join(f"{oid}\n" for oid in wanted).encode("ascii"))
        out: dict[str, bytes] = {}
        pos = 0
        for oid in wanted:
            end = data.index(b"\n", pos)
            header = data[pos:end].split()
            if len(header) != 3 or header[1] != b"blob":
                raise UserError(f"git cat-file: {oid} is not a blob ({b' '.join(header).decode('ascii', 'replace')})")
            size = int(header[2])
            out[oid] = data[end + 1:end + 1 + size]
            pos = end + 1 + size + 1
        return out

    def changes(self, commit: str, folder: str) -> list[Change]:
        """What differs under `folder` between `commit` and the working tree, untracked files included.

        Untracked files are marked intent-to-add in a copy of the index, so that
        git's rename detection also pairs a file moved without `git add` with
        its old path; the real index is never written.
        """
        untracked = [p for p in split_z(self.run("ls-files", "-z", "--others", "--exclude-standard", "--", folder))
                     if not p.endswith("/")]  # a nested repository is listed as its folder
        args = ("diff", "-z", "--name-status", "-M", "--relative", "--no-ext-diff", "--no-textconv",
                "--end-of-options", commit, "--", folder)
        if not untracked:
            return _parse_name_status(self.run(*args))
        with tempfile.TemporaryDirectory() as tmp:
            index = Path(tmp) / "index"
            real = self.cwd / os.fsdecode(self.run("rev-parse", "--git-path", "index").rstrip(b"\n"))
            if real.is_file():
                shutil.copyfile(real, index)
            env = {"GIT_INDEX_FILE": str(index)}
            self.run("add", "--intent-to-add", "--pathspec-from-file=-", "--pathspec-file-nul",
                     input=b"\0".join(os.fsencode(p) for p in untracked), env=env)
            return _parse_name_status(self.run(*args, env=env))


def _parse_name_status(data: bytes) -> list[Change]:
    fields = split_z(data)
    out = []
    i = 0
    while i < len(fields):
        status = fields[i][:1]
        if status in ("R", "C"):
            out.append(Change("R" if status == "R" else "A", fields[i + 2], fields[i + 1] if status == "R" else None))
            i += 3
        else:
            out.append(Change(status, fields[i + 1]))
            i += 2
    return out
