"""The site as an executive reads it: decisions first, accessible, on a laptop and a phone (issue 14).

Real Chromium (Debian's, through Playwright) on the tests' portfolio; axe-core, the npm package, is injected into
each page type in light and dark.
"""

from __future__ import annotations

import json

import pytest
from conftest import PORTFOLIO, ROOT
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.policy import Policy
from builders import to_dict
from scorecard import fmt
from scorecard.validate.run import validate_paths
from sites import serve

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
PAGES = {"home": "", "decisions": "decisions/", "initiative": "initiatives/contract-review/",
         "killed": "initiatives/sales-email-bot/", "units": "units/", "unit": "units/legal/",
         "methodology": "methodology/", "changes": "changes/", "data": "data/", "contribute": "contribute/"}


def expected() -> dict:
    result = validate_paths([PORTFOLIO], today=parse_month("2026-11"), base=PORTFOLIO)
    return to_dict(compute_scorecard(result.initiatives, parse_month("2026-10"), Policy()))


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_first_screen_names_every_initiative_to_scale_or_kill_with_its_money(browser, example_site, width, height):
    card = expected()
    told = {v: [i for i in card["initiatives"] if i["verdict"] == v] for v in ("scale", "kill")}
    assert told["scale"] and told["kill"]
    with serve(example_site) as base:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(base, wait_until="networkidle")
        for verdict, items in told.items():
            column = page.locator(f".sc-decide__col--{verdict}")
            total = card["portfolio"]["stake_by_verdict"][verdict]["monthly"]
            assert f"{verdict.title()} {len(items)}" in column.locator("h2").inner_text()
            assert f"{fmt.money(total, 'USD')} a month at stake" in column.locator("h2").inner_text()
            for item in items:
                entry = column.locator("li", has_text=item["name"])
                # one sign everywhere (issue 22 §3), and a word on what it counts
                assert f"{fmt.money(item['stake']['monthly'], 'USD')} a month, {item['stake']['label']}" in entry.inner_text()
                # one "since" (issue 22 §6): how long it has waited for a decision, nothing else
                n = item["waiting_months"]
                whole = "+" if item["verdict_stood_whole_history"] and item["waiting_since"] == item["verdict_since"] else ""
                assert (f"waiting since {fmt.month_name(item['waiting_since'])}"
                        f"{' or earlier' if whole else ''} ({n}{whole} {'month' if n == 1 else 'months'})") in entry.inner_text()
                assert entry.inner_text().count("since") == 1
                box = entry.bounding_box()
                assert box is not None and box["y"] + box["height"] <= height, (item["id"], box)  # above the fold
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"home-first-screen-{width}.png"))
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_on_any_page_type(browser, example_site, axe, scheme):
    found = {}
    with serve(example_site) as base:
        page = browser.new_page(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
        for name, path in PAGES.items():
            page.goto(base + path, wait_until="networkidle")
            page.add_script_tag(content=axe)
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
                    id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' +
                    (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
            }""")
            if result:
                found[name] = result
        page.close()
    assert found == {}, json.dumps(found, indent=1)[:6000]


def _pdf_text(pdf: bytes, tmp_path, name: str) -> str:
    import subprocess

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(path), str(SHOTS / f"print-{name}")],
                   check=True)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_every_page_type_prints_whole_tables_without_controls(browser, example_site, tmp_path):
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("no pdftotext (poppler-utils; ./dev test installs it as root)")
    card = expected()
    with serve(example_site) as base:
        page = browser.new_page()
        texts = {}
        for name, path in PAGES.items():
            page.goto(base + path, wait_until="networkidle")
            page.emulate_media(media="print")
            texts[name] = _pdf_text(page.pdf(prefer_css_page_size=True, print_background=True), tmp_path, name)
        page.close()
    home = texts["home"]
    for header in ("Initiative", "Verdict", "At stake a month", "Net", "Payback", "Primary KPI", "Stage", "Business unit"):
        assert header in home, header
    table = home[home.index("Primary KPI"):]
    for item in card["initiatives"]:  # every row, with the column at its right edge: the business unit
        line = next((ln for ln in table.splitlines() if item["name"] in ln), None)
        assert line is not None, item["name"]
        fin = item["financials"]
        assert fmt.money(fin["net"], "USD") in line, (item["name"], line)
        payback = fin["payback_month"] or fin["projected_payback_month"]
        assert (("~" if not fin["payback_month"] and payback else "") + fmt.month_name(payback) if payback
                else "none") in line, (item["name"], line)
        assert line.rstrip().endswith(item["business_unit"].split()[-1]), (item["name"], line)
    assert "Filter by name" not in home and "↕" not in home
    assert "2026-\n" not in home  # no month broken across lines
    for header in ("KPI", "Baseline", "Target", "Latest", "Progress", "Trend", "Projected", "Status"):
        assert header in texts["initiative"], header


PROPOSED = """name: Claims triage
summary: Routes insurance claims to the right handler.
business_unit: Operations
owner: {name: Ada Lovelace}
stage: proposed
stage_history: [{stage: proposed, since: 2026-09}]
autonomy: advisory
risk_tier: medium
kpis:
  - {id: handling_days, name: Days to handle a claim, unit: days, direction: decrease, baseline: 9, target: 5,
     target_month: 2027-06, primary: true}
business_case: {approved: 2026-09, by: Operations board, annual_benefit: 400000, investment: 120000}
"""


def test_a_proposed_initiative_shows_its_plan_and_no_empty_charts(tmp_path):
    from sites import Html, build, project

    folder = tmp_path / "initiatives"
    folder.mkdir()
    (folder / "claims-triage.yaml").write_text(PROPOSED, encoding="utf-8")
    (folder / "contract-review.yaml").write_text((PORTFOLIO / "contract-review.yaml").read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    assert build(project(tmp_path, folder), tmp_path / "site", "--as-of", "2026-10") == 0
    page = (tmp_path / "site" / "initiatives" / "claims-triage" / "index.html").read_text(encoding="utf-8")
    assert 'class="sc-chart"' not in page  # no chart without figures
    text = Html(page).visible
    assert "No figures yet: cost and benefit come in by pull request" in text
    assert "No KPI figures yet" in text
    assert "Days to handle a claim" in text and "Business case" in text and "USD 400k" in text
    assert "A proposed initiative gets no verdict." in text


def test_a_killed_initiative_shows_the_decision_that_closed_it(example_site):
    from sites import Html

    text = Html((example_site / "initiatives" / "sales-email-bot" / "index.html").read_text(encoding="utf-8")).visible
    assert ("This initiative is killed: kill , decided in Jan 2026 by Chief Revenue Officer. Reply rate below manual "
            "outreach; brand complaints. It gets no verdict; its record stays below.") in text


def test_exemptions_are_named_in_plain_words(tmp_path):
    from conftest import SAMPLE
    from sites import Html, build, project

    folder = tmp_path / "initiatives"
    folder.mkdir()
    text = SAMPLE.replace("exemptions:\n", "exemptions:\n  - {rule: governance.bias_assessment, reason: Not high risk yet, "
                          "approved_by: AI council, expires: 2026-12}\n  - {rule: pilot_purgatory, reason: Seasonal, "
                          "approved_by: AI council, expires: 2026-12}\n")
    (folder / "contract-review.yaml").write_text(text, encoding="utf-8")
    assert build(project(tmp_path, folder), tmp_path / "site", "--as-of", "2026-03") == 0
    page = Html((tmp_path / "site" / "initiatives" / "contract-review" / "index.html").read_text(encoding="utf-8")).visible
    assert "bias assessment waived until Dec 2026, approved by AI council: Not high risk yet" in page  # not required here
    assert "Live drift and quality monitoring waived until Dec 2026" in page  # a required control: its catalogue name
    assert "Pilot purgatory waived until Dec 2026" in page


def test_each_chart_has_a_one_sentence_summary_for_screen_readers_and_print(example_site):
    from sites import Html

    card = expected()
    item = next(i for i in card["initiatives"] if i["id"] == "contract-review")
    page = Html((example_site / "initiatives" / "contract-review" / "index.html").read_text(encoding="utf-8")).visible
    kpi = item["kpis"][0]
    assert (f"{fmt.num(kpi['latest'])} {kpi['unit']} in {fmt.month_name(kpi['latest_month'])} against a target of "
            f"{fmt.num(kpi['target'])} {kpi['unit']} by {fmt.month_name(kpi['target_month'])}: on track.") in page
    net = item["financials"]["net"]
    assert (f"Benefit is ahead of cost by {fmt.money(net, 'USD')} in Oct 2026; benefit passed cost for good in "
            f"{fmt.month_name(item['financials']['payback_month'])}.") in page
    users, target = item["adoption"]["users"], item["adoption"]["target_users"]
    assert f"{users:,} active users in Oct 2026, {100 * users / target:.1f}% of the target of {target:,}." in page
    home = Html((example_site / "index.html").read_text(encoding="utf-8")).visible
    [step] = [c for c in card["portfolio"]["conversions"] if (c["start"], c["end"]) == ("pilot", "production")]
    entered = card["portfolio"]["entered_at"]
    assert (f"{step['reached']} initiatives reached pilot and {step['moved_on']} of them reached production "
            f"({100 * step['moved_on'] / step['reached']:.1f}%). Entered the portfolio past proposed, their earlier "
            f"stages not recorded: {entered['pilot']} at pilot.") in home


@pytest.mark.parametrize("users,target,levels", [
    ([120, 900, 3079], 4000, [500, 4000]),      # 5 and 50 would sit on the zero line of a 4,000 axis
    ([3, 8, 12], 100, [5, 50, 100]),
    ([3, 8, 12], None, [5, 50]),                 # no target: the next milestone up shows the way
])
def test_the_users_axis_is_linear_with_the_milestones_that_matter(users, target, levels):
    from scorecard.render.charts import users_chart

    series = [{"month": f"2026-0{i + 1}", "users": u} for i, u in enumerate(users)]
    from scorecard.report.model import Adoption

    chart = users_chart(Adoption(users=None, target_users=target, adoption_pct=None, growth_pct=None, growing=None,
                                 milestones={}, series=series), [5, 50, 500])
    assert [lv["value"] for lv in chart["datasets"]["levels"]] == levels


def test_the_search_index_holds_words_not_chart_data_or_month_tables(example_site):
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert '"datasets"' not in text and '"chart":' not in text  # chart payloads stay out
    card = expected()
    pages = {}
    for doc in index["docs"]:
        if doc["location"].startswith("initiatives/"):
            pages.setdefault(doc["location"].split("/")[1], []).append(doc)
    assert sorted(pages) == sorted(i["id"] for i in card["initiatives"])
    for item in card["initiatives"]:  # one entry an initiative: its top, found by name, unit, stage, owner
        (doc,) = pages[item["id"]]
        assert doc["location"] == f"initiatives/{item['id']}/" and doc["title"] == item["name"]
        assert f"{item['business_unit']} · {item['stage']} · owner {item['owner']}" in doc["text"]
    assert "Reply rate below manual outreach" not in text  # the decision notes and month tables stay out
    assert not any(d["location"].endswith("#month-by-month") for d in index["docs"])


def test_the_overdue_table_says_how_long_each_decision_has_waited_once(example_site):
    from sites import Html

    card = expected()
    text = Html((example_site / "decisions" / "index.html").read_text(encoding="utf-8")).visible
    overdue = [i for i in card["initiatives"] if i["decision_overdue"]]
    assert overdue
    for item in overdue:
        n = item["overdue"]["numbers"]
        assert (f"{item['name']} sponsor {item['sponsor']} {item['verdict']} since {fmt.month_name(n['since'])} "
                f"({n['months']} months), decision was due {fmt.month_name(item['decide_by'])}") in text
    assert "decision overdue: the scorecard has said" not in text  # not one sentence repeated per row


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_no_table_is_clipped_without_a_visible_hint(browser, example_site, width, height):
    with serve(example_site) as base:
        page = browser.new_page(viewport={"width": width, "height": height})
        for name in ("home", "decisions", "initiative", "units", "unit"):
            page.goto(base + PAGES[name], wait_until="networkidle")
            page.wait_for_timeout(200)
            clipped = page.evaluate("""() => Array.from(document.querySelectorAll('.sc-table-wrap')).map(w => {
                const hint = w.previousElementSibling;
                const shown = !!hint && hint.classList.contains('sc-scroll-hint') && getComputedStyle(hint).display !== 'none';
                return {over: w.scrollWidth > w.clientWidth + 1, shown: shown};
            })""")
            assert clipped, name
            assert all(t["shown"] for t in clipped if t["over"]), (name, clipped)
            assert not any(t["shown"] for t in clipped if not t["over"]), (name, clipped)
            if width == 390 and name == "home":  # on a phone the initiative table is cards: nothing to scroll
                assert page.evaluate("document.querySelector('.sc-itable .sc-table-wrap').scrollWidth") <= 390
            if width == 390 and name == "decisions":
                assert any(t["over"] for t in clipped)  # the phone case the hint exists for
                page.locator(".sc-table-wrap").last.evaluate("w => w.scrollTo(w.scrollWidth, 0)")
                page.wait_for_timeout(100)
                assert not page.locator(".sc-scroll-hint").last.is_visible()  # at the right edge: nothing more
        page.close()
