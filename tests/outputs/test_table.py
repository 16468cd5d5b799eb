"""The initiative tables in Chromium: one JSON file feeds every table; facets, sorting, pages and the URL state.

The page holds the first page of rows (for readers without script and for print); the script renders every
later state from the JSON. These tests hold the two renderings to each other, and every figure to the report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import PORTFOLIO
from sites import build, project, serve

from scorecard import fmt

pytestmark = pytest.mark.browser

ROWS = "table.sc-initiatives tbody tr"


def report(site: Path) -> dict:
    return json.loads((site / "scorecard.json").read_text(encoding="utf-8"))


def live(page: object) -> None:
    page.wait_for_selector(".sc-itable--live")


def names(page: object) -> list[str]:
    return page.eval_on_selector_all(f"{ROWS} td:first-child", "els => els.map(e => e.textContent)")


def rows(page: object) -> list[list[str]]:
    """Each row as the reader sees it (cell texts) and the links it holds."""
    return page.eval_on_selector_all(ROWS, """trs => trs.map(tr => Array.from(tr.cells).map(td =>
        td.textContent.replace(/\\s+/g, ' ').trim() + ' ' + Array.from(td.querySelectorAll('a')).map(a => a.getAttribute('href')).join(' ')))""")


def both_renderings(browser: object, base: str) -> tuple[list[list[str]], object]:
    """The rows the page serves (no script), and a live page whose script has rendered the rows itself."""
    static = browser.new_context(java_script_enabled=False)
    page = static.new_page()
    page.goto(base)
    served = rows(page)
    static.close()
    page = browser.new_page()
    page.goto(base, wait_until="networkidle")
    live(page)
    page.fill(".sc-itable .sc-filter", "zzz")  # force the script to render the rows itself
    page.fill(".sc-itable .sc-filter", "")
    return served, page


def test_the_script_renders_the_same_rows_as_the_page(browser, example_site):
    with serve(example_site) as base:
        served, page = both_renderings(browser, base)
        assert rows(page) == served and len(served) == len(report(example_site)["initiatives"])
        page.close()


def test_sorting_follows_the_report_figures(browser, example_site):
    card = report(example_site)
    with serve(example_site) as base:
        page = browser.new_page()
        page.goto(base, wait_until="networkidle")
        live(page)
        page.click("th[data-key='net']")
        by_net = sorted(card["initiatives"], key=lambda i: i["financials"]["net"])
        assert names(page) == [i["name"] for i in by_net]
        assert page.get_attribute("th[data-key='net']", "aria-sort") == "ascending"
        page.click("th[data-key='net']")
        assert names(page) == [i["name"] for i in reversed(by_net)]
        assert parse_qs(urlparse(page.url).query) == {"sort": ["net"], "dir": ["desc"]}
        page.click("th[data-key='stake']")  # no money at stake (closed): last, whichever the direction
        stakes = page.eval_on_selector_all(f"{ROWS} td:nth-child(3)", "els => els.map(e => e.textContent)")
        with_stake = sorted((i for i in card["initiatives"] if (i["stake"] or {}).get("monthly") is not None),
                            key=lambda i: i["stake"]["monthly"])
        assert stakes == [fmt.money(i["stake"]["monthly"], "USD") for i in with_stake] + \
            ["–"] * (len(card["initiatives"]) - len(with_stake))
        page.close()


def test_facets_count_filter_and_keep_their_state_in_the_url(browser, example_site):
    card = report(example_site)
    kill = sorted(i["name"] for i in card["initiatives"] if i["verdict"] == "kill")
    with serve(example_site) as base:
        page = browser.new_page()
        page.goto(base, wait_until="networkidle")
        live(page)
        labels = page.eval_on_selector_all("select[data-facet='verdict'] option", "os => os.map(o => o.textContent)")
        counts = {}
        for item in card["initiatives"]:
            counts[item["verdict"] or "none"] = counts.get(item["verdict"] or "none", 0) + 1
        assert labels[0] == f"All verdicts ({len(card['initiatives'])})"
        assert sorted(labels[1:]) == sorted(f"{v} ({n})" for v, n in counts.items())
        assert page.eval_on_selector_all("select[data-facet]", "ss => ss.map(s => s.dataset.facet)") == \
            ["unit", "stage", "verdict", "risk", "model"]
        page.select_option("select[data-facet='verdict']", label=f"kill ({len(kill)})")
        assert sorted(names(page)) == kill
        assert page.text_content(".sc-count") == f"{len(kill)} initiatives (filtered from {len(card['initiatives'])})."
        # the other facets count within the filter: units of the initiatives to kill only
        units = page.eval_on_selector_all("select[data-facet='unit'] option", "os => os.map(o => o.textContent)")
        assert units[0] == f"All business units ({len(kill)})"
        shared = page.url
        assert parse_qs(urlparse(shared).query) == {"verdict": ["kill"]}
        other = browser.new_page()
        other.goto(shared, wait_until="networkidle")  # a shared link opens on the same rows
        live(other)
        assert sorted(names(other)) == kill
        assert other.eval_on_selector("select[data-facet='verdict']", "s => s.value") == "=kill"
        other.close()
        page.fill(".sc-itable .sc-filter", "no such initiative")
        assert page.is_visible(".sc-empty") and not page.is_visible("table.sc-initiatives")
        assert page.text_content(".sc-empty") == "No initiative matches these filters. Clear the filters"
        assert not page.is_visible(".sc-count")
        page.click(".sc-clear")
        assert len(names(page)) == len(card["initiatives"]) and urlparse(page.url).query == ""
        page.fill(".sc-itable .sc-filter", "hr")
        assert sorted(names(page)) == sorted(i["name"] for i in card["initiatives"] if i["business_unit"] == "HR")
        page.close()


def _many(folder: Path, count: int) -> Path:
    """`count` initiatives: copies of the test portfolio, spread over three business units."""
    out = folder / "initiatives"
    out.mkdir()
    sources = sorted(PORTFOLIO.glob("*.yaml"))
    for n in range(count):
        src = sources[n % len(sources)]
        text = src.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^name: (.*)$", lambda m: f"name: {m.group(1)} {n:03d}", text, count=1)
        text = re.sub(r"(?m)^business_unit: .*$", f"business_unit: Unit {'ABC'[n % 3]}", text, count=1)
        (out / f"{src.stem}-{n:03d}.yaml").write_text(text, encoding="utf-8")
    return out


COUNT = 160


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    _many(folder, COUNT)
    site = folder / "site"
    assert build(project(folder, Path("initiatives")), site, "--as-of", "2026-10") == 0
    return site


def test_the_table_sorts_every_stage_paused_included(long_site):
    """The stage order the table sorts by is the model's, whole: it once lacked `paused`, which then sorted last."""
    data = json.loads((long_site / "assets" / "scorecard" / "initiatives.json").read_text(encoding="utf-8"))
    assert data["order"]["stage"] == ["proposed", "pilot", "scaling", "production", "paused", "killed", "retired"]


def test_a_long_table_comes_in_pages_and_a_unit_page_holds_its_own_rows(browser, long_site):
    site = long_site
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('<td data-label="Initiative">') == 50  # the first page only: the rest is in the JSON
    data = json.loads((site / "assets" / "scorecard" / "initiatives.json").read_text(encoding="utf-8"))
    assert len(data["rows"]["id"]) == COUNT
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(base, wait_until="networkidle")
        live(page)
        assert page.text_content(".sc-count") == f"Showing 1–50 of {COUNT} initiatives."
        assert page.text_content(".sc-pager__at") == "Page 1 of 4"
        first = names(page)
        for _ in range(3):
            page.click(".sc-pager button:has-text('Next')")
        assert page.text_content(".sc-count") == f"Showing 151–{COUNT} of {COUNT} initiatives."
        assert len(names(page)) == COUNT - 150 and not set(names(page)) & set(first)
        assert page.is_disabled(".sc-pager button:has-text('Next')")
        assert parse_qs(urlparse(page.url).query) == {"page": ["4"]}
        unit_b = [n for n in range(COUNT) if n % 3 == 1]
        page.goto(base + "units/unit-b/?page=2", wait_until="networkidle")
        live(page)
        shown = names(page)
        assert page.text_content(".sc-count") == f"Showing 51–{len(unit_b)} of {len(unit_b)} initiatives."
        assert len(shown) == len(unit_b) - 50 and all(int(n.split()[-1]) % 3 == 1 for n in shown)  # Unit B's own
        assert page.locator("select[data-facet='unit']").count() == 0  # the unit is the page's own
        page.close()


@pytest.mark.parametrize("width,scheme", [(1366, "light"), (390, "dark")])
def test_long_pages_have_no_serious_accessibility_violations(browser, long_site, axe, width, scheme):
    """The pager, the facets, the cards of a phone and the Decisions page grouped by business unit."""
    decisions = (long_site / "decisions" / "index.html").read_text(encoding="utf-8")
    assert decisions.count('<details class="sc-group') >= 3  # long lists, grouped
    found = {}
    with serve(long_site) as base:
        page = browser.new_page(viewport={"width": width, "height": 844}, color_scheme=scheme)
        for path in ("", "decisions/", "units/unit-a/"):
            page.goto(base + path, wait_until="networkidle")
            if path != "decisions/":
                live(page)
            page.add_script_tag(content=axe)
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
                    id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }""")
            if result:
                found[path or "home"] = result
        page.close()
    assert found == {}, json.dumps(found, indent=1)[:4000]


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_audience import fixture  # three public initiatives, money withheld, a Topic area field
    folder = tmp_path_factory.mktemp("public")
    site = folder / "site"
    assert build(fixture(folder, "public"), site) == 0
    return site


def test_a_public_build_has_no_money_columns_and_filters_by_the_organisations_own_field(browser, public_site):
    header = ["Initiative", "Verdict", "Primary KPI", "Stage", "Business unit"]
    with serve(public_site) as base:
        served, page = both_renderings(browser, base)
        assert page.eval_on_selector_all("table.sc-initiatives th", "ths => ths.map(t => t.textContent)") == header
        assert rows(page) == served and all(len(r) == len(header) for r in served)
        labels = page.eval_on_selector_all("select[data-facet='f.topic_area'] option", "os => os.map(o => o.textContent)")
        assert labels == ["Topic area: all (3)", "none (2)", "Legal (1)"]
        page.select_option("select[data-facet='f.topic_area']", label="Legal (1)")
        assert names(page) == ["AI contract review"]
        assert parse_qs(urlparse(page.url).query) == {"f.topic_area": ["Legal"]}
        page.goto(base + "units/", wait_until="networkidle")
        assert page.eval_on_selector_all("table.sc-table th", "ths => ths.map(t => t.textContent)") == \
            ["Business unit", "Initiatives", "Active", "Users", "Verdicts"]
        page.close()
