"""Find the initiative files under a folder: the file-system edge of validation.

Everything under `initiatives/` comes from pull requests and is untrusted,
names included. So discovery:

- never follows a symbolic link (a link is reported, whatever it points at,
  and a dangling one too): nothing outside the repository is ever read;
- loads only regular files named `ID.yaml` in folders named like ids, so
  that no path that reaches a page, a link or an annotation can carry markup,
  quotes, spaces or control characters;
- reports whatever it does not load, instead of skipping it without a word:
  `.yml` / `.YAML` files, folders it cannot read, FIFOs and devices, files
  that are not initiative files.

Each finding is a `Problem` on the path concerned (line 1, column 1).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from scorecard.errors import UsageError
from scorecard.model import FOLDER_PATTERN, ID_PATTERN
from scorecard.problem import Level, Problem, shown

_ID = re.compile(ID_PATTERN)
_FOLDER = re.compile(FOLDER_PATTERN)
YAML_SUFFIXES = (".yaml", ".yml")
QUIET = frozenset((".gitkeep", "README.md"))
"""Files that commonly sit beside initiative files and are ignored without a warning."""

NAME_HINT = ("use lower-case letters, digits and '-', 3 to 64 characters, then .yaml, "
             "e.g. contract-review.yaml")


def display(path: Path, base: Path) -> str:
    """The path relative to `base` (posix), as problems and the site name it."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()
    except ValueError:
        rel = str(path)
    return shown(rel)


def is_initiative_path(path: str) -> bool:
    """Whether a posix path relative to the initiatives folder names a file that discovery reads."""
    *folders, name = path.split("/")
    return (name.endswith(".yaml") and bool(_ID.fullmatch(name[: -len(".yaml")]))
            and all(_FOLDER.fullmatch(f) for f in folders))


def initiative_id(path: Path) -> str:
    return path.name[: -len(".yaml")] if path.name.endswith(".yaml") else path.stem


def _problem(path: Path, base: Path, rule: str, message: str, hint: str = "", level: Level = "error") -> Problem:
    return Problem(display(path, base), 1, 1, level, rule, message, hint)


def _name(path: Path) -> str:
    return shown(path.name)


def _file(path: Path, mode: int, base: Path, found: list[Path], problems: list[Problem]) -> None:
    """Judge one entry that is not a folder."""
    name = path.name
    if stat.S_ISLNK(mode):
        problems.append(_problem(path, base, "file", "is a symbolic link; it is not read",
                                 "commit the file itself: links may point outside the repository"))
    elif not name.lower().endswith(YAML_SUFFIXES):
        if name not in QUIET:
            problems.append(_problem(path, base, "file-name", f"'{_name(path)}' is not an initiative file (*.yaml) "
                                     "and is ignored", "keep only initiative files in this folder", "warning"))
    elif not stat.S_ISREG(mode):
        problems.append(_problem(path, base, "file", "is not a regular file (a FIFO, socket or device); it is not read",
                                 "initiative files are plain text files"))
    elif not name.endswith(".yaml") or not _ID.fullmatch(initiative_id(path)):
        problems.append(_problem(path, base, "file-name", f"'{_name(path)}' is not a valid initiative file name; "
                                 "it is not read", NAME_HINT))
    else:
        found.append(path)


def _walk(folder: Path, base: Path, found: list[Path], problems: list[Problem]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problems.append(_problem(folder, base, "file", f"cannot read the folder: {exc.strerror}",
                                 "make it readable, or remove it"))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            problems.append(_problem(path, base, "file", f"cannot read it: {exc.strerror}"))
            continue
        if not stat.S_ISDIR(mode):
            _file(path, mode, base, found, problems)
        elif _FOLDER.fullmatch(entry.name):
            _walk(path, base, found, problems)
        else:
            problems.append(_problem(path, base, "file-name", f"folder name '{_name(path)}' is not allowed; "
                                     "nothing in it is read", "name folders with lower-case letters, digits and '-'"))


def discover(paths: Sequence[str | os.PathLike[str]], base: Path) -> tuple[list[Path], list[Problem]]:
    """The initiative files named by `paths` (files as given, folders searched), and what was not loaded."""
    found: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            raise UsageError(f"{shown(str(raw))}: no such file or folder") from None
        except OSError as exc:
            problems.append(_problem(path, base, "file", f"cannot read it: {exc.strerror}"))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, base, found, problems)
        else:
            _file(path, mode, base, found, problems)
    unique = list(dict.fromkeys(Path(os.path.abspath(p)) for p in found))  # a file named twice is one file
    return unique, list(dict.fromkeys(problems))
