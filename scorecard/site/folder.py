"""The site folder: which one may be built into, and how to replace it without losing anything.

A build empties its site folder, and the repository may come from a hostile pull
request, so the folder must be one the tool made: never the project, a folder the
build reads, a `.git` folder or a symbolic link, and never a non-empty folder
without the `.scorecard-site` marker that every site it builds carries.

`scorecard build` builds into a staging folder beside the site (`.NAME-new-*`,
marked as soon as it exists) and swaps it in with one atomic exchange
(`renameat2(RENAME_EXCHANGE)`), or with two renames where the kernel or the file
system cannot exchange. Whatever instant a run is killed at, the old or the new
site is in place, or the next run puts the old one back (`recover`). The build and
the clean-up hold an exclusive lock on the site's parent folder, so that one run
never removes another's staging folder.

A plain `mkdocs build` (and mike's) empties `site_dir` itself: the plugin calls
`check_site_dir` before it does, and `write_marker` on the folder.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard.errors import UserError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from scorecard.config import Settings

MARKER = ".scorecard-site"
MARKER_TEXT = "Built by scorecard: `scorecard build` and `mkdocs build` may replace this folder.\n"
LOCK_WAIT = 900.0
"""Seconds a build or a publish waits for another one to finish (a full build of thousands of pages takes minutes)."""


@dataclass(frozen=True)
class Protected:
    """A path the site folder must stay clear of."""

    label: str
    """How the error names it: "the initiatives folder"."""
    path: Path
    may_enclose: bool = False
    """The site may lie inside it (the project root, the folder of mkdocs.yml), but never be or contain it."""


def project_root(folder: Path) -> Path:
    """The nearest folder at or above `folder` that holds `.git`; `folder` itself outside git."""
    folder = Path(os.path.abspath(folder))
    return next((p for p in (folder, *folder.parents) if os.path.lexists(p / ".git")), folder)


def protected_paths(config: MkDocsConfig, settings: Settings) -> list[Protected]:
    """What a site built from `config` (with the scorecard options `settings`) must never delete."""
    config_dir = Path(config.config_file_path or ".").resolve().parent
    custom_dir = config.theme.custom_dir
    named = [("the docs folder", Path(config.docs_dir)), ("the initiatives folder", settings.initiatives),
             ("the templates folder", settings.path("templates", "site_templates")),
             ("the theme's custom_dir", Path(custom_dir) if custom_dir else None),
             ("the policy file", settings.policy_file)]
    return [Protected("the project root", project_root(settings.root), True),
            Protected("the folder of mkdocs.yml", config_dir, True),
            *(Protected(label, path) for label, path in named if path is not None)]


def check_site_dir(site_dir: Path, protected: Sequence[Protected], root: Path) -> Path:
    """The absolute site folder (`..` removed, links not followed), or a UserError saying why not.

    Refused: a symbolic link (the folder or any folder between it and `root`), a folder inside
    `.git`, one that is or contains a protected path or lies inside one (unless `may_enclose`),
    and an existing non-empty folder without the marker.
    """
    site = Path(os.path.abspath(site_dir))
    refuse = f"refusing to build the site into {site}: "
    link = _symlink_component(site, root)
    if link is not None:
        raise UserError(refuse + f"{link} is a symbolic link; choose a --site-dir without links")
    real = Path(os.path.realpath(site))
    if ".git" in site.parts or ".git" in real.parts:
        raise UserError(refuse + "it is, or lies inside, a .git folder; choose another --site-dir")
    guarded = [(p, Path(os.path.realpath(p.path))) for p in protected]
    for p, path in guarded:
        if path == real:
            raise UserError(refuse + f"it is {p.label}, which the build would empty; choose another --site-dir")
    for p, path in guarded:
        if real in path.parents:
            raise UserError(refuse + f"it contains {p.label} ({p.path}), which the build would empty; "
                            "choose another --site-dir")
    for p, path in guarded:
        if path in real.parents and not p.may_enclose:
            raise UserError(refuse + f"it lies inside {p.label} ({p.path}); choose a --site-dir outside it")
    check_replaceable(site)
    return site


def _symlink_component(site: Path, root: Path) -> Path | None:
    """The first symbolic link among `site` and its parents below `root` (only `site` itself when outside it)."""
    real_root = os.path.realpath(root)
    chain = [site, *site.parents]
    anchors = [i for i, p in enumerate(chain) if os.path.realpath(p) == real_root]
    below = chain[:anchors[-1]] if anchors else chain[:1]  # the highest match: `root/loop -> .` is below it
    return next((p for p in reversed(below) if os.path.islink(p)), None)


def has_marker(folder: Path) -> bool:
    """Whether `folder` is a real folder (not a link) holding the marker as a regular file."""
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode) and stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def check_replaceable(site: Path) -> None:
    """Refuse an existing `site` unless it is a folder the tool built or an empty folder."""
    try:
        mode = os.lstat(site).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISDIR(mode):
        raise UserError(f"{site} is not a folder; move it away or choose another --site-dir")
    with os.scandir(site) as entries:
        empty = not any(entries)
    if not empty and not has_marker(site):
        raise UserError(f"{site} was not built by scorecard (no {MARKER} marker); "
                        "move it away or choose another --site-dir")


def write_marker(site_dir: Path) -> None:
    """Mark `site_dir` (created if missing, with the umask's modes) as built by scorecard."""
    site_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(site_dir / MARKER, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(MARKER_TEXT)


@contextmanager
def exclusive_lock(path: Path, busy: str, *, timeout: float = LOCK_WAIT, directory: bool = False) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` (a folder, or a lock file created if missing).

    Waits up to `timeout` seconds for another holder, then raises a UserError saying `busy`.
    The kernel drops the lock when its holder dies, even under `kill -9`.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY if directory else os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
    fd = os.open(path, flags, 0o666)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise UserError(busy) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def site_lock(site: Path, *, timeout: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock of `site`'s parent folder (created if missing) for a build, its swap and its clean-up."""
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create {site.parent}: {exc.strerror}; choose another --site-dir") from None
    with exclusive_lock(site.parent, f"another build into {site.parent} is still running after {timeout:.0f} s; "
                        "try again when it has finished", timeout=timeout, directory=True):
        yield


def _leftovers(site: Path) -> list[Path]:
    """Staging (`.NAME-new-*`) and set-aside (`.NAME-old-*`) folders beside `site`, links excluded."""
    prefixes = (f".{site.name}-new-", f".{site.name}-old-")
    with os.scandir(site.parent) as entries:
        return sorted(site.parent / e.name for e in entries
                      if e.name.startswith(prefixes) and e.is_dir(follow_symlinks=False))


def recover(site: Path) -> None:
    """Undo what a killed run left beside `site`; call it holding `site_lock`.

    A marked `.NAME-old-*` folder while `site` is missing is the old site set aside by a swap
    that did not finish: it is put back. Other marked leftovers are removed, empty ones too;
    a non-empty folder without the marker is not ours and is left alone.
    """
    leftovers = _leftovers(site)
    if not os.path.lexists(site):
        aside = [p for p in leftovers if p.name.startswith(f".{site.name}-old-") and has_marker(p)]
        if aside:
            newest = max(aside, key=lambda p: os.lstat(p).st_ctime)
            os.rename(newest, site)
            leftovers.remove(newest)
    for path in leftovers:
        if has_marker(path):
            discard(path)
        else:
            try:
                path.rmdir()  # only succeeds when empty: a run killed before it wrote the marker
            except OSError:
                pass


def make_staging(site: Path) -> Path:
    """A new marked folder beside `site` to build into; call it holding `site_lock`.

    Created with mode 0777 less the umask (0755 under the usual 022), as `mkdocs build` makes `site/`.
    """
    while True:
        staging = site.parent / f".{site.name}-new-{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            break
        except FileExistsError:
            continue
    write_marker(staging)
    return staging


def discard(folder: Path) -> None:
    """Remove a marked folder of ours, the marker last, so that a run killed meanwhile leaves it marked."""
    if not has_marker(folder):
        return
    with os.scandir(folder) as entries:
        names = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries if e.name != MARKER]
    for name, is_dir in names:
        if is_dir:
            shutil.rmtree(folder / name)  # removes links inside without following them
        else:
            os.unlink(folder / name)
    os.unlink(folder / MARKER)
    folder.rmdir()


def replace_site(staging: Path, site: Path, *, exchange: bool = True) -> None:
    """Put the built `staging` folder in the place of `site`; call it holding `site_lock`.

    A missing or empty `site` is replaced by one atomic rename. A marked one is swapped with
    `staging` in one atomic exchange where the kernel can (Linux 3.15+, most file systems);
    otherwise (or with `exchange=False`) it is renamed aside as `.NAME-old-*` first, which
    `recover` puts back if the run dies before the second rename. The old site is then removed.
    """
    check_replaceable(site)
    if not os.path.lexists(site) or not has_marker(site):
        os.rename(staging, site)  # replaces an empty folder atomically; fails on a non-empty one
        return
    if exchange and _exchange(staging, site):
        discard(staging)  # holds the old site now
        return
    aside = site.parent / f".{site.name}-old-{secrets.token_hex(4)}"
    os.rename(site, aside)
    os.rename(staging, site)
    discard(aside)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> Callable[..., int] | None:
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the C library, kernel or file system cannot."""
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))
