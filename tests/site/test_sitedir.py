"""The site folder: what a build refuses, the marker, the modes, the swap under `kill -9`, one publish at a time.

Every build here is real (`scorecard build` in process or as a subprocess) into a project
of its own under tmp_path: one initiative and a copy of the site templates, so that a
refusal that failed would destroy nothing of the repository's.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import test_publish
from conftest import FIXTURES, ROOT, TODAY
from sites import project

from scorecard.context import edge_context
from scorecard.cli import main
from scorecard.errors import UserError
from scorecard.months import parse_month
from scorecard.gitrepo import Repo
from scorecard.publish import publish, publish_lock
from scorecard.site.folder import MARKER, exclusive_lock, recover, replace_site, site_lock

repo = test_publish.repo  # the fixture: a clone of a bare origin holding the example portfolio
CANARY = "canary: must survive\n"
ENV = {**{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}, "NO_MKDOCS_2_WARNING": "1", "SCORECARD_TODAY": TODAY}


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the current folder) with its own initiatives, templates, docs and `.git`, and canaries.

    Canaries lie in the project, in each folder it reads and in `outside/` beside it.
    """
    folder = tmp_path / "project"
    (folder / "initiatives").mkdir(parents=True)
    shutil.copy(FIXTURES / "sample-initiative.yaml", folder / "initiatives" / "sample.yaml")
    (folder / "site_templates" / "pages").mkdir(parents=True)  # the portfolio's own template overrides
    config = project(folder, folder / "initiatives")
    assert str(ROOT) not in config.read_text(encoding="utf-8")
    (folder / ".git").mkdir()
    for where in (folder, folder / ".git", folder / "docs", tmp_path / "outside"):
        where.mkdir(exist_ok=True)
        (where / "CANARY.txt").write_text(CANARY, encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def build(*args: str) -> int:
    return main(["build", "--config", "mkdocs.yml", *args])


def files(top: Path) -> dict[str, bytes]:
    """Every file and link under `top` (links not followed), with its content or target."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = Path(dirpath, name)
            out[path.relative_to(top).as_posix()] = (os.readlink(path).encode() if path.is_symlink()
                                                      else path.read_bytes())
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".site-new-", ".site-old-")))


# Refused folders ----------------------------------------------------------------------------------------------

REFUSED = {
    ".": "it is the project root, which the build would empty; choose another --site-dir",
    "..": "it contains the project root ({p}), which the build would empty; choose another --site-dir",
    "/": "it contains the project root ({p}), which the build would empty; choose another --site-dir",
    "initiatives": "it is the initiatives folder, which the build would empty; choose another --site-dir",
    "site_templates": "it is the templates folder, which the build would empty; choose another --site-dir",
    "docs": "it is the docs folder, which the build would empty; choose another --site-dir",
    "initiatives/site": "it lies inside the initiatives folder ({p}/initiatives); choose a --site-dir outside it",
    "site_templates/site": "it lies inside the templates folder ({p}/site_templates); choose a --site-dir outside it",
    ".git/site": "it is, or lies inside, a .git folder; choose another --site-dir",
    "site": "{p}/site is a symbolic link; choose a --site-dir without links",
    "out/site": "{p}/out is a symbolic link; choose a --site-dir without links",
}


@pytest.mark.parametrize("site_dir", list(REFUSED))
def test_a_folder_the_build_would_destroy_is_refused_and_nothing_changes(proj, site_dir, capsys):
    outside = proj.parent / "outside"
    (proj / "site").symlink_to(outside)  # a committed link to a folder elsewhere
    (proj / "out").symlink_to(outside)
    before = files(proj.parent)
    assert build("--site-dir", site_dir) == 1
    shown = Path(os.path.abspath(site_dir))
    expected = f"refusing to build the site into {shown}: " + REFUSED[site_dir].format(p=proj)
    assert capsys.readouterr().err == f"scorecard: error: {expected}\n"
    assert files(proj.parent) == before
    for canary in (proj, proj / ".git", proj / "docs", outside):
        assert (canary / "CANARY.txt").read_text(encoding="utf-8") == CANARY


def test_a_folder_without_the_marker_is_not_replaced(proj, capsys):
    site = proj / "site"
    site.mkdir()
    (site / "index.html").write_text("someone else's", encoding="utf-8")
    assert build() == 1
    assert capsys.readouterr().err == (f"scorecard: error: {site} was not built by scorecard (no .scorecard-site "
                                       "marker); move it away or choose another --site-dir\n")
    assert files(site) == {"index.html": b"someone else's"}
    assert leftovers(proj) == []
    (proj / "file").write_text("a file", encoding="utf-8")
    assert build("--site-dir", "file") == 1
    assert capsys.readouterr().err == (f"scorecard: error: {proj / 'file'} is not a folder; "
                                       "move it away or choose another --site-dir\n")
    assert (proj / "file").read_text(encoding="utf-8") == "a file"


def test_an_empty_folder_is_used_and_a_marked_one_replaced(proj, capsys):
    site = proj / "site"
    site.mkdir()
    assert build("--as-of", "2026-01") == 0
    assert capsys.readouterr().out == f"built {site} as of 2026-01: 1 initiative\n"
    assert (site / MARKER).is_file() and json.loads((site / "scorecard.json").read_text())["as_of"] == "2026-01"
    (site / "stale.html").write_text("from an older build", encoding="utf-8")
    assert build("--as-of", "2026-02") == 0
    assert not (site / "stale.html").exists() and (site / MARKER).is_file()
    assert json.loads((site / "scorecard.json").read_text())["as_of"] == "2026-02"
    assert leftovers(proj) == []


@pytest.mark.parametrize(("umask", "folder", "file"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_site_is_readable_as_the_umask_allows(proj, umask, folder, file):
    previous = os.umask(umask)
    try:
        assert build("--site-dir", "public/site") == 0
    finally:
        os.umask(previous)
    site = proj / "public" / "site"
    paths = [site.parent, site, *site.rglob("*")]
    wrong = {p.relative_to(proj).as_posix(): oct(stat.S_IMODE(p.lstat().st_mode)) for p in paths
             if stat.S_IMODE(p.lstat().st_mode) != (folder if p.is_dir() else file)}
    assert wrong == {} and len(paths) > 20


# The swap -----------------------------------------------------------------------------------------------------

def _complete(site: Path, trees: dict[str, set[str]]) -> str:
    """The month of the complete site in `site` (its files exactly those of that month's build)."""
    as_of = json.loads((site / "scorecard.json").read_text(encoding="utf-8"))["as_of"]
    assert {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} == trees[as_of]
    return as_of


def _subprocess_build(proj: Path, as_of: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "scorecard.cli", "build", "--as-of", as_of], cwd=proj, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _staging(proj: Path) -> list[Path]:
    return [p for p in proj.iterdir() if p.name.startswith(".site-new-")]


def _has(folder: Path, name: str) -> bool:
    return (folder / name).exists()


def _moments(proj: Path, site: Path, new: str) -> dict[str, Callable[[], bool]]:
    """The moments of a build to kill it at, each an event seen in the file system (never a share of a timing)."""
    return {
        "at once": lambda: True,
        "staging made": lambda: bool(_staging(proj)),
        "pages written": lambda: any(_has(s, "index.html") for s in _staging(proj)),
        "search index written": lambda: any(_has(s, "search/search_index.json") for s in _staging(proj)),
        "swapped in": lambda: _has(site, "scorecard.json") and
        json.loads((site / "scorecard.json").read_text(encoding="utf-8") or "{}").get("as_of") == new,
    }


def _kill_when(proc: subprocess.Popen[bytes], event: Callable[[], bool], timeout: float = 120) -> None:
    """Kill `proc` with SIGKILL as soon as `event` holds (or when it has exited: then there is nothing to kill)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if event():
                break
        except (OSError, ValueError):  # a file caught while being written or swapped: look again
            pass
        time.sleep(0.001)  # a poll interval, not a guess at how long a build takes
    proc.kill()
    proc.wait()


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_a_whole_site_or_one_the_next_build_restores(proj):
    site = proj / "site"
    trees = {}
    for as_of in ("2026-02", "2026-01"):
        assert _subprocess_build(proj, as_of).wait() == 0
        trees[as_of] = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert trees["2026-01"] and MARKER in trees["2026-01"]
    seen = set()
    for moment in ("at once", "staging made", "pages written", "search index written", "swapped in"):
        old = _complete(site, trees)
        new = "2026-02" if old == "2026-01" else "2026-01"
        _kill_when(_subprocess_build(proj, new), _moments(proj, site, new)[moment])
        if site.exists():
            seen.add(_complete(site, trees))
        else:  # killed between the two renames of the fallback: the old site waits beside it, marked
            aside = [p for p in proj.iterdir() if p.name.startswith(".site-old-")]
            assert len(aside) == 1 and _complete(aside[0], trees) == old, moment
        assert main(["build", "--config", "mkdocs.yml", "--as-of", old]) == 0  # cleans up, then builds
        assert _complete(site, trees) == old
        assert leftovers(proj) == []
    assert seen == {"2026-01", "2026-02"}  # a kill before the swap left the old site, one after it the new


def _site(folder: Path, page: str) -> Path:
    folder.mkdir()
    (folder / MARKER).write_text("test\n", encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets" / "page.html").write_text(page, encoding="utf-8")
    return folder


@pytest.mark.parametrize("exchange", [True, False])
def test_replace_site_swaps_a_marked_site_and_leaves_nothing_beside_it(tmp_path, exchange):
    site = _site(tmp_path / "site", "old")
    staging = _site(tmp_path / ".site-new-test", "new")
    with site_lock(site):
        replace_site(staging, site, exchange=exchange)
    assert (site / "assets" / "page.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_old_site_set_aside_by_a_killed_swap_is_put_back(tmp_path):
    site = tmp_path / "site"
    aside = _site(tmp_path / ".site-old-killed", "old")  # `site` renamed aside, the staging folder not yet in
    staging = _site(tmp_path / ".site-new-killed", "new, unfinished")
    with site_lock(site):
        recover(site)
    assert (site / "assets" / "page.html").read_text(encoding="utf-8") == "old"
    assert not aside.exists() and not staging.exists()


def test_stale_staging_folders_with_the_marker_go_and_others_stay(proj):
    marked = _site(proj / ".site-new-stale", "killed build")
    set_aside = _site(proj / ".site-old-stale", "killed swap")
    foreign = proj / ".site-new-foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not ours", encoding="utf-8")
    link = proj / ".site-new-link"
    link.symlink_to(proj.parent / "outside")
    (proj / ".site-new-empty").mkdir()
    assert build() == 0
    assert not marked.exists() and not set_aside.exists()
    assert files(foreign) == {"notes.txt": b"not ours"} and link.is_symlink()
    assert (proj.parent / "outside" / "CANARY.txt").read_text(encoding="utf-8") == CANARY
    assert leftovers(proj) == [".site-new-foreign", ".site-new-link"]


def test_no_clean_up_while_another_build_holds_the_lock(proj):
    site = proj / "site"
    stale = _site(proj / ".site-new-another", "another build, running")
    with site_lock(site):
        proc = _subprocess_build(proj, "2026-02")
        time.sleep(3)
        assert proc.poll() is None and stale.exists() and not site.exists()
        with pytest.raises(UserError) as caught, site_lock(site, timeout=0.2):
            pass
        assert str(caught.value) == (f"another build into {proj} is still running after 0 s; "
                                     "try again when it has finished")
    assert proc.wait(timeout=120) == 0
    assert not stale.exists() and (site / MARKER).is_file()


# One publish at a time ----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_two_publishes_at_once_both_land_in_versions_json(repo):
    procs = [subprocess.Popen([sys.executable, "-m", "scorecard.cli", "publish", "--month", month], cwd=repo,
                              env=test_publish.ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for month in ("2026-09", "2026-10")]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    versions = json.loads(test_publish.show(repo, "gh-pages", "versions.json"))
    assert sorted(v["version"] for v in versions) == ["2026-09", "2026-10"]
    assert [v["aliases"] for v in versions if v["version"] == "2026-10"] == [["latest"]]


def test_a_publish_waits_for_the_lock_then_gives_up_clearly(repo):
    lock = publish_lock(Repo(repo))
    assert lock == repo / ".git" / "scorecard-publish.lock"
    with exclusive_lock(lock, "held by the test"):
        with pytest.raises(UserError) as caught:
            publish(edge_context(config_file=repo / "mkdocs.yml", as_of=parse_month("2026-09")), lock_wait=1.0)
    assert str(caught.value) == (f"another scorecard publish is still running in this repository after 1 s "
                                 f"(it holds {lock}); try again when it has finished")
    assert test_publish.run(repo, "git", "branch", "--list", "gh-pages").stdout == ""
