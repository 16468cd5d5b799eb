"""A hostile pull request against the site: paths, links and the live preview, through real MkDocs builds."""

from __future__ import annotations

import subprocess
import sys
import os
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SAMPLE
from sites import Html, build, free_port, project

PAYLOAD_EDIT_URL = "'https://git.example/edit/main/{path}?a=\"><script>alert(1)</script>&b=x\"onmouseover=alert(2)'"


def portfolio(tmp_path: Path) -> Path:
    initiatives = tmp_path / "initiatives"
    initiatives.mkdir(parents=True)
    (initiatives / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    return initiatives


def test_a_payload_folder_name_stops_the_build_and_builds_nothing(tmp_path, capsys):
    initiatives = portfolio(tmp_path)
    bad = initiatives / '"><img src=x onerror=alert(1)>'
    bad.mkdir()
    (bad / "harmless-x.yaml").write_text(SAMPLE, encoding="utf-8")
    assert build(project(tmp_path, initiatives), tmp_path / "site", "--as-of", "2026-03") == 1
    err = capsys.readouterr().err
    assert "error [file-name] folder name '\"><img src=x onerror=alert(1)>' is not allowed; nothing in it is read" in err
    assert not (tmp_path / "site").exists()


def test_edit_links_are_percent_encoded_in_our_page_and_in_materials_button(tmp_path):
    initiatives = portfolio(tmp_path)
    site = tmp_path / "site"
    assert build(project(tmp_path, initiatives, edit_url=PAYLOAD_EDIT_URL), site, "--as-of", "2026-03") == 0
    page = (site / "initiatives" / "sample" / "index.html").read_text(encoding="utf-8")
    expected = ("https://git.example/edit/main/initiatives/sample.yaml?a=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
                "&b=x%22onmouseover=alert(2)")
    hrefs = [a.get("href") for tag, a in Html(page).tags if tag == "a" and "git.example" in (a.get("href") or "")]
    assert hrefs == [expected, expected]  # Material's edit button and the page's own "Edit this file"
    assert "<script>alert" not in page and '"onmouseover' not in page
    assert all("onmouseover" not in attrs for _, attrs in Html(page).tags)


@pytest.mark.parametrize("where", ["docs/passwd.md", "site_templates/assets/leak.txt",
                                   "site_templates/overrides/leak.txt", "site_templates/overrides/partials/copyright.html",
                                   "site_templates/pages/data.md.j2"])
def test_a_symlink_in_the_docs_templates_or_overrides_is_never_read(tmp_path, capsys, where):
    canary = tmp_path / "outside" / "secret.txt"
    canary.parent.mkdir()
    canary.write_text("CANARY-SECRET", encoding="utf-8")
    repo = tmp_path / "repo"
    config = project(repo, portfolio(repo))
    (repo / where).parent.mkdir(parents=True, exist_ok=True)
    (repo / where).symlink_to(canary)
    assert build(config, repo / "site", "--as-of", "2026-03") == 1
    err = capsys.readouterr().err
    assert err == (f"scorecard: error: the site build failed, {repo / 'site'} is unchanged: the site never reads or copies "
                   f"a file through a symbolic link (it may point outside the repository): {repo / where}; "
                   "commit the files themselves\n")
    assert not (repo / "site").exists()


def test_a_linked_docs_folder_is_refused_too(tmp_path, capsys):
    repo = tmp_path / "repo"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "private.md").write_text("# CANARY-PRIVATE", encoding="utf-8")
    config = project(repo, portfolio(repo))
    (repo / "docs").rmdir()
    (repo / "docs").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert build(config, repo / "site", "--as-of", "2026-03") == 1
    assert capsys.readouterr().err.endswith(f"(it may point outside the repository): {repo / 'docs'}; "
                                            "commit the files themselves\n")
    assert not (repo / "site").exists()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def _wait_for(url: str, text: str, deadline: float) -> str:
    page = ""
    while time.monotonic() < deadline:
        try:
            page = _get(url)
        except OSError:
            page = ""
        if text in page:
            return page
        time.sleep(0.05)  # a poll interval: the wait ends on the page's text
    raise AssertionError(f"{text!r} never appeared on {url}")


@pytest.mark.slow
def test_live_preview_shows_an_edited_figure_note_and_kpi(tmp_path):
    initiatives = portfolio(tmp_path)
    port = free_port()
    config = project(tmp_path, initiatives, site_url=f"http://127.0.0.1:{port}/")
    log = tmp_path / "serve.log"
    proc = subprocess.Popen([sys.executable, "-m", "scorecard", "serve", "--config", str(config),
                             "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=log.open("w", encoding="utf-8"))
    url = f"http://127.0.0.1:{port}/initiatives/sample/"
    path = initiatives / "sample.yaml"
    deadline = time.monotonic() + 180
    try:
        _wait_for(url, "First month.", deadline)
        for old, new, shown in [("note: First month.", "note: Note edited in preview", "Note edited in preview"),
                                ("users: 12\n", "users: 777\n", ">777<"),
                                ("name: Contract cycle time", "name: Contract turnaround", "Contract turnaround")]:
            before = path.stat().st_mtime_ns
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
            # a later modification time whatever the file system's resolution, without waiting for the clock
            os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))
            _wait_for(url, shown, deadline)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # three rebuilds, and not once MkDocs' warning of a dirty build: serve rebuilds dirty on purpose (issue 23 §4)
    text = log.read_text(encoding="utf-8")
    assert "Reloading" in text or "Building documentation" in text, text[-2000:]
    assert "dirty" not in text


@pytest.mark.parametrize("site_dir", [".", "initiatives", "linked-site"])
def test_plain_mkdocs_build_never_empties_a_folder_it_did_not_make(tmp_path, site_dir):
    canary = tmp_path / "victim" / "canary.txt"
    canary.parent.mkdir()
    canary.write_text("keep me", encoding="utf-8")
    repo = tmp_path / "repo"
    initiatives = portfolio(repo)
    config = project(repo, Path("initiatives"))
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", f"site_dir: {site_dir}"),
                      encoding="utf-8")
    (repo / "linked-site").symlink_to(canary.parent, target_is_directory=True)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--config-file", str(config)], cwd=repo,
                          capture_output=True, text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr  # refused by MkDocs itself or by the plugin, before anything is emptied
    assert canary.read_text(encoding="utf-8") == "keep me"
    assert (initiatives / "sample.yaml").read_text(encoding="utf-8") == SAMPLE
    assert (repo / "mkdocs.yml").exists()
