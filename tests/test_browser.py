"""What a reader sees: the built sites opened in headless Chromium (Debian's, driven by Playwright).

Screenshots of the home and an initiative page, light and dark, are saved in
tests/artifacts/screenshots/ for review.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from conftest import PORTFOLIO, ROOT
from sites import build, free_port, project, serve

SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
IDS = sorted(p.stem for p in PORTFOLIO.glob("*.yaml"))

pytestmark = pytest.mark.browser


class Watch:
    """Console errors, failed requests and every host a page asked for."""

    def __init__(self, page: object) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("request", lambda r: self.hosts.add(urlparse(r.url).hostname or r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _failed(self, request: object) -> None:
        # a request cut short because the test moved on to the next page is not a failure of the site
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.failure} {request.url}")

    def clean(self) -> None:
        assert (self.errors, self.failed, self.dialogs) == ([], [], [])
        assert self.hosts <= {"127.0.0.1"}, self.hosts


def charts_drawn(page: object) -> list[float]:
    """Wait until every chart container holds an <svg>; return their widths."""
    page.wait_for_function("""() => { const c = document.querySelectorAll('.sc-chart');
        return c.length > 0 && Array.from(c).every(e => e.querySelector('svg')); }""", timeout=20_000)
    return page.eval_on_selector_all(".sc-chart svg", "els => els.map(e => e.getBoundingClientRect().width)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_draw_their_charts_offline_without_errors(browser, example_site, scheme):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(example_site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 2200}, color_scheme=scheme)
        page = context.new_page()
        watch = Watch(page)
        for path, name, charts in (("", "home", 2), ("initiatives/contract-review/", "initiative", 4),
                                   ("decisions/", "decisions", 0)):
            page.goto(base + path, wait_until="networkidle")
            if charts:
                widths = charts_drawn(page)
                assert len(widths) == page.locator(".sc-chart").count() == charts
                assert min(widths) > 100, widths
            if name != "decisions":
                page.screenshot(path=str(SHOTS / f"{name}-{scheme}.png"), full_page=True)
        page.goto(base, wait_until="networkidle")
        rows = page.eval_on_selector_all("table.sc-sortable tbody tr td:first-child a", "els => els.map(a => a.pathname)")
        assert sorted(h.split("/")[2] for h in rows) == IDS
        watch.clean()
        context.close()


def test_charts_survive_instant_navigation_and_palette_switch(browser, tmp_path):
    # Material's instant navigation only takes links that its sitemap lists under the page's own
    # host, port and path: build with site_url set to where the test serves the site.
    port = free_port()
    site = tmp_path / "site"
    assert build(project(tmp_path, PORTFOLIO, site_url=f"http://127.0.0.1:{port}/"), site) == 0
    with serve(site, port) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        watch = Watch(page)
        page.goto(base, wait_until="networkidle")
        charts_drawn(page)
        page.evaluate("window.__samePage = true")
        page.click("table.sc-sortable a:has-text('Customer-service ticket triage')")
        page.wait_for_selector("h1:has-text('Customer-service ticket triage')")
        assert len(charts_drawn(page)) == 4
        assert page.evaluate("window.__samePage") is True  # Material swapped the page in: no reload
        before = page.eval_on_selector(".sc-chart svg text", "t => getComputedStyle(t).fill")
        page.click("label[for='__palette_1']")
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.wait_for_function(f"getComputedStyle(document.querySelector('.sc-chart svg text')).fill !== {before!r}")
        assert len(charts_drawn(page)) == 4
        watch.clean()
        page.close()


def test_hostile_text_never_runs(browser, hostile_site):
    with serve(hostile_site) as base:
        page = browser.new_page()
        watch = Watch(page)
        for path in ("", "initiatives/script-in-name/", "initiatives/entity-title/", "decisions/", "changes/",
                     "units/", *(f"units/{p.name}/" for p in sorted((hostile_site / "units").iterdir()) if p.is_dir())):
            page.goto(base + path, wait_until="networkidle")
            if page.locator(".sc-itable").count():  # the table as the script renders it from the JSON
                page.wait_for_selector(".sc-itable--live")
                page.fill(".sc-itable .sc-filter", "zzz")
                page.fill(".sc-itable .sc-filter", "")
                assert page.locator("table.sc-initiatives tbody tr").count() > 0, path
                assert page.locator("table.sc-initiatives tbody script, table.sc-initiatives tbody img").count() == 0
            page.mouse.move(200, 300)
            for link in page.query_selector_all("a[href*='git.example']"):
                link.hover()
            assert page.evaluate("typeof window.__pwned") == "undefined", path
        page.goto(base + "initiatives/script-in-name/", wait_until="networkidle")
        charts_drawn(page)
        page.click("input.md-search__input")
        page.keyboard.type("onmouseover")
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        page.hover(".md-search-result__item")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        watch.clean()
        page.close()




def test_hostile_url_state_and_chart_download_stay_inert(browser, hostile_site):
    """The attack corpus's browser half: a crafted link's query (filter, facets, sort, page) is only ever text,
    and a chart's CSV download holds no cell a spreadsheet would run."""
    payload = "<img src=x onerror=window.__pwned='url'>"
    with serve(hostile_site) as base:
        page = browser.new_page(accept_downloads=True)
        query = "&".join(f"{k}={quote(payload)}" for k in ("q", "unit", "stage", "verdict", "sort", "dir"))
        page.goto(base + f"?{query}&page=%3Cscript%3E", wait_until="networkidle")
        page.wait_for_selector(".sc-itable--live")
        assert page.input_value(".sc-itable .sc-filter") == payload  # shown as typed, as text
        assert page.locator(".sc-itable img, .sc-facets img, .sc-itable script").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        page.goto(base + "initiatives/script-in-name/", wait_until="networkidle")
        charts_drawn(page)
        with page.expect_download() as info:
            page.locator(".sc-chart__download").first.click()
        text = Path(info.value.path()).read_text(encoding="utf-8")
        rows = list(csv.reader(text.splitlines()))
        assert len(rows) > 1
        for row in rows:
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r") or cell[:1] == "-" and cell[1:2].isdigit(), cell
        assert page.evaluate("typeof window.__pwned") == "undefined"
        page.close()
