"""The Zensical engine: the same portfolio built by MkDocs (the plugin) and by Zensical (plain files) gives the same site.

Real Zensical (the `zensical` extra, in the test extra too) and, for the charts, Debian's Chromium.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, PORTFOLIO
from sites import Html, build, project, serve
from test_browser import Watch, charts_drawn

from scorecard import fmt
from scorecard.context import edge_context
from scorecard.site.zensical import build_with_zensical, issues, source_path
from scorecard.errors import UserError
from scorecard.months import month_arg
from scorecard.site.build import site_inputs
from scorecard.site.folder import MARKER

AS_OF = "2026-10"
IDS = sorted(p.stem for p in PORTFOLIO.glob("*.yaml"))
PAGES = ["", "decisions/", "changes/", "units/", "methodology/", "data/", "contribute/", "guide/"]
OWN_FOOTER = '<div class="own-footer">our footer</div>'


def zensical(config: Path, site: Path, as_of: str = AS_OF) -> Path:
    return build_with_zensical(site, site_inputs(edge_context(config_file=config, as_of=month_arg(as_of))))


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the MkDocs site, the Zensical site) of one project: the tests' portfolio, a page of its own, an override."""
    folder = tmp_path_factory.mktemp("engines")
    shutil.copytree(PORTFOLIO, folder / "initiatives")
    config = project(folder, Path("initiatives"))
    (folder / "docs" / "guide.md").write_text("# Our guide\n\nRead the [decisions](decisions.md).\n", encoding="utf-8")
    partial = folder / "site_templates" / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text(OWN_FOOTER + "\n", encoding="utf-8")
    assert build(config, folder / "site-mkdocs", "--as-of", AS_OF) == 0
    return folder / "site-mkdocs", zensical(config, folder / "site-zensical")


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def tiles(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<div class="sc-tile__label">(?:<a [^>]*>)?(.*?)(?:</a>)?</div>'
                      r'<div class="sc-tile__value">(.*?)</div>', html)


def article(html: str) -> str:
    """A page's content, less what only the engines' themes add (Material's edit button, Zensical's skip anchor)."""
    body = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert body, "no article"
    text = re.sub(r'<a href="[^"]*" title="Edit this page" class="md-content__button md-icon" rel="edit">.*?</a>',
                  "", body.group(1), flags=re.S)
    text = text.replace('<a id="__skip" tabindex="-1"></a>', "").replace(" data-search-exclude", "")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def test_both_engines_build_the_same_pages(sites):
    mkdocs, zens = sites
    pages = {p.relative_to(mkdocs).as_posix() for p in mkdocs.rglob("*.html")}
    assert {p.relative_to(zens).as_posix() for p in zens.rglob("*.html")} == pages
    assert {f"{p}index.html" for p in PAGES} | {f"initiatives/{i}/index.html" for i in IDS} <= pages
    assert (zens / MARKER).is_file()
    assert "Our guide" in page(zens, "guide") and "Submit an update" in page(zens, "contribute")
    assert OWN_FOOTER in page(zens, "") and OWN_FOOTER in page(mkdocs, "")  # the portfolio's override of Material


def test_the_data_files_are_byte_identical(sites):
    mkdocs, zens = sites
    for name in ("scorecard.json", "scorecard.csv", "initiative.schema.json", "assets/scorecard/specs.js",
                 "assets/scorecard/vega.js", "assets/scorecard/scorecard.css", "assets/scorecard/scorecard.js"):
        assert (zens / name).read_bytes() == (mkdocs / name).read_bytes(), name


def test_the_headline_figures_are_the_same(sites):
    mkdocs, zens = sites
    card = json.loads((zens / "scorecard.json").read_text(encoding="utf-8"))
    home = tiles(page(zens, ""))
    assert home == tiles(page(mkdocs, "")) and len(home) == 9
    assert dict(home)["Active initiatives"] == fmt.num(card["portfolio"]["active"])
    for item in card["initiatives"]:
        html = page(zens, f"initiatives/{item['id']}")
        assert f'class="sc-decision sc-decision--{item["verdict"] or "none"}"' in html, item["id"]
        assert dict(tiles(html))["Net"] == fmt.money(item["financials"]["net"], card["currency"])
        assert tiles(html) == tiles(page(mkdocs, f"initiatives/{item['id']}"))


def test_the_html_blocks_render_as_the_plugins_stash_and_restore_renders_them(sites):
    # Zensical gets the raw Markdown, HTML blocks included: Python-Markdown passes them through
    # as they are, and the links in them still lead where they lead on the MkDocs site
    mkdocs, zens = sites
    generated = [p for p in PAGES if p not in ("contribute/", "guide/")] + [f"initiatives/{i}/" for i in IDS]
    generated += [f"units/{p.name}/" for p in (mkdocs / "units").iterdir() if p.is_dir()]
    for path in generated:
        assert article(page(zens, path)) == article(page(mkdocs, path)), path


def test_a_page_of_our_own_keeps_its_markdown_links(sites):
    _, zens = sites
    links = [a.get("href") for tag, a in Html(page(zens, "guide")).tags if tag == "a" and a.get("href") == "../decisions/"]
    assert links, "the guide's link to decisions.md"


def test_the_build_is_deterministic_and_replaces_its_own_site(sites, tmp_path):
    _, zens = sites
    before = {p.relative_to(zens): p.read_bytes() for p in zens.rglob("*") if p.is_file()}
    zensical(zens.parent / "mkdocs.yml", zens)
    after = {p.relative_to(zens): p.read_bytes() for p in zens.rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    assert [p for p in before if after[p] != before[p]] == []
    assert [p.name for p in zens.parent.iterdir() if p.name.startswith(".site-zensical-")] == []


def test_the_portfolios_settings_reach_zensical_tags_and_custom_dir_included(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_TEST_SITE_NAME", "Named from the environment")
    config = project(tmp_path, PORTFOLIO)
    text = config.read_text(encoding="utf-8").replace("site_name: AI initiative scorecard",
                                                      "site_name: !ENV [SCORECARD_TEST_SITE_NAME, unset]")
    text = text.replace("  name: material\n", "  name: material\n  custom_dir: theme\n")
    config.write_text(text + "  - attr_list\n  - pymdownx.emoji:\n"
                      "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                      "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n", encoding="utf-8")
    (tmp_path / "docs" / "emoji.md").write_text("# Emoji\n\n:material-check: done\n", encoding="utf-8")
    (tmp_path / "theme" / "partials").mkdir(parents=True)
    (tmp_path / "theme" / "partials" / "copyright.html").write_text(OWN_FOOTER, encoding="utf-8")
    site = zensical(config, tmp_path / "site")
    html = page(site, "emoji")
    assert "<title>Emoji - Named from the environment</title>" in html
    assert re.search(r'<span class="twemoji"><svg', html) and OWN_FOOTER in html


def test_generated_pages_lie_where_their_urls_do():
    assert source_path("decisions.md", True) == "decisions/index.md"
    assert source_path("initiatives/a.md", True) == "initiatives/a/index.md"
    assert [source_path(s, True) for s in ("index.md", "units/index.md", "scorecard.json")] == \
        ["index.md", "units/index.md", "scorecard.json"]
    assert source_path("decisions.md", False) == "decisions.md"


def test_without_zensical_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UserError, match=r"pip install 'ai-scorecard\[zensical\]'"):
        zensical(project(tmp_path, PORTFOLIO), tmp_path / "site")


def test_a_failed_build_leaves_the_site_as_it_was(tmp_path):
    config = project(tmp_path, PORTFOLIO)
    site = tmp_path / "site"
    zensical(config, site)
    before = (site / "index.html").read_bytes()
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"),
                      encoding="utf-8")
    with pytest.raises(UserError) as failed:
        zensical(config, site)
    message = str(failed.value)
    assert message.startswith(f"the site build failed, {site} is unchanged: zensical build exited with 1: ")
    assert "Theme 'no-such-theme' is not installed" in message and "\n" not in message
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_strict_stops_on_a_warning_and_names_it(tmp_path, caplog):
    config = project(tmp_path, PORTFOLIO)
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n[broken](nowhere.md)\n", encoding="utf-8")
    inputs = site_inputs(edge_context(config_file=config, as_of=month_arg(AS_OF)))
    with caplog.at_level(logging.WARNING, logger="scorecard"):
        build_with_zensical(tmp_path / "site", inputs)
    assert "zensical: guide.md:3:10: page does not exist" in caplog.messages
    with pytest.raises(UserError, match=r"exited with 1: guide\.md:3:10: page does not exist$"):
        build_with_zensical(tmp_path / "site", inputs, strict=True)


def test_refuses_what_build_site_refuses(tmp_path):
    config = project(tmp_path, PORTFOLIO)
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UserError, match="was not built by scorecard"):
        zensical(config, tmp_path / "stuff")
    with pytest.raises(UserError, match="it is the docs folder"):
        zensical(config, tmp_path / "docs")
    canary = tmp_path / "secret.txt"
    canary.write_text("CANARY", encoding="utf-8")
    (tmp_path / "docs" / "passwd.md").symlink_to(canary)
    with pytest.raises(UserError, match="symbolic link"):
        zensical(config, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_issues_are_read_one_line_each():
    report = ("Build started\n\x1b[33mWarning\x1b[0m: anchor does not exist\n   ╭─[ page.md:10:11 ]\n   │\n"
              "1 issue found\nError: Theme 'x' is not installed.\n")
    assert issues(report) == ["page.md:10:11: anchor does not exist", "Theme 'x' is not installed."]


@pytest.mark.browser
def test_charts_draw_on_the_zensical_site_offline_without_errors(browser, sites):
    _, zens = sites
    with serve(zens) as base:
        tab = browser.new_page(viewport={"width": 1280, "height": 2200})
        watch = Watch(tab)
        for path, charts in (("", 2), ("initiatives/contract-review/", 4), ("units/legal/", 1), ("decisions/", 0)):
            tab.goto(base + path, wait_until="networkidle")
            if charts:
                widths = charts_drawn(tab)
                assert len(widths) == tab.locator(".sc-chart").count() == charts, path
                assert min(widths) > 100, (path, widths)
        watch.clean()
        tab.close()


@pytest.mark.browser
def test_hostile_text_never_runs_on_the_zensical_site(browser, tmp_path):
    site = zensical(project(tmp_path, FIXTURES / "hostile"), tmp_path / "site", "2026-03")
    with serve(site) as base:
        tab = browser.new_page()
        watch = Watch(tab)
        for path in ("", "initiatives/script-in-name/", "initiatives/entity-title/", "decisions/", "changes/"):
            tab.goto(base + path, wait_until="networkidle")
            tab.mouse.move(200, 300)
            assert tab.evaluate("typeof window.__pwned") == "undefined", path
        assert tab.title().endswith("- AI initiative scorecard")
        watch.clean()
        tab.close()
