"""The site: every page built by the real plugin through real MkDocs, asserted on the built HTML."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import PORTFOLIO
from sites import Html, build, free_port, project

from scorecard.cli import main
from scorecard.config import settings as make_settings
from scorecard.context import RunContext
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.pipeline import validated
from builders import to_dict
from scorecard.rules import RULE_IDS

IDS = sorted(p.stem for p in PORTFOLIO.glob("*.yaml"))
UNITS = {"customer-service", "finance", "hr", "it", "legal", "marketing", "procurement", "sales", "supply-chain"}
PAGES = ["index.html", "decisions/index.html", "changes/index.html", "units/index.html", "methodology/index.html",
         "data/index.html", "contribute/index.html", "404.html"]


def html(site: Path, page: str) -> Html:
    return Html((site / page).read_text(encoding="utf-8"))


def report(as_of: str) -> dict:
    settings = make_settings(PORTFOLIO.parent / "mkdocs.yml", {"initiatives": str(PORTFOLIO)})
    result = validated(RunContext(given_today=parse_month("2026-11"), given_settings=settings))
    return to_dict(compute_scorecard(result.initiatives, parse_month(as_of), settings.policy()))


def test_every_page_and_data_file_is_built(example_site):
    expected = PAGES + [f"initiatives/{i}/index.html" for i in IDS] + [f"units/{u}/index.html" for u in UNITS]
    expected += ["scorecard.json", "scorecard.csv", "initiative.schema.json", "assets/scorecard/vega.js",
                 "assets/scorecard/specs.js", "assets/scorecard/scorecard.js", "assets/scorecard/scorecard.css"]
    missing = [p for p in expected if not (example_site / p).is_file()]
    assert missing == []
    built_units = {p.parent.name for p in (example_site / "units").glob("*/index.html")}
    assert built_units == UNITS


def test_home_lists_every_initiative_in_its_verdict_table(example_site):
    page = html(example_site, "index.html")
    raw = (example_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1 [^>]*>AI initiative scorecard: October 2026<", raw)  # the site's name and its month
    links = [a["href"] for tag, a in page.tags if tag == "a" and (a.get("href") or "").startswith("initiatives/")]
    assert sorted(h.split("/")[1] for h in links if "#" not in h) == IDS  # the table: every initiative once
    doc = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    decide = sorted(i["id"] for i in doc["initiatives"] if i["verdict"] in ("scale", "kill"))
    assert sorted(h.split("/")[1] for h in links if h.endswith("#verdict")) == decide  # decisions first
    doc = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    assert "USD 197k" in page.visible and doc["portfolio"]["net"] == 197100.0
    assert "To scale 2 no change" in page.visible
    assert "To fix 3 +1 since last month" in page.visible
    # the one verdict that moved since 2026-09 is marked in the table (it-service-desk, iterate -> fix)
    assert page.visible.count("moved, was") == 1
    assert "IT service-desk assistant fix moved, was iterate USD 19.2k −USD 17.0k ~Nov 2026 target missed production IT" in page.visible
    # the pilot paradox, from the report's own counts: neither was decided, so nothing says a decision "took"
    wait = doc["portfolio"]["scale_wait"]
    assert (wait["initiatives"], wait["decided"], wait["waiting"], wait["lapsed"]) == (2, 0, 2, 0)
    assert (f"The pilot paradox: 2 initiatives were told to scale in the last 12 months: 2 still wait. From verdict "
            f"to decision: a median of {wait['median_months']:g} months , the open waits counted so far.") in page.visible


def test_data_files_are_the_report(example_site):
    proc = subprocess.run([sys.executable, "-m", "scorecard.cli", "report", "--as-of", "2026-10", "--format", "json",
                           "--config", str(example_site.parent / "mkdocs.yml")], capture_output=True, text=True, check=True)
    assert (example_site / "scorecard.json").read_text(encoding="utf-8") == proc.stdout
    rows = list(csv.reader(io.StringIO((example_site / "scorecard.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0][:6] == ["id", "name", "business_unit", "owner", "sponsor", "stage"] and len(rows) == 1 + len(IDS)
    schema = json.loads((example_site / "initiative.schema.json").read_text(encoding="utf-8"))
    assert "months" in schema["properties"]


def test_initiative_page_shows_verdict_kpis_money_governance_and_edit_link(example_site):
    page = html(example_site, "initiatives/contract-review/index.html")
    text = page.visible
    assert page.title == "AI contract review - AI initiative scorecard"
    # the council's scale decision (Mar 2026) and the move to scaling (Apr) stand the policy's 6 months, to Sep: it
    # waits again from Oct, the one "since" the page gives (issue 22 §5, §6), and it is not overdue
    assert re.search(r"scale as of Oct 2026 ?; waiting for a decision since Oct 2026 \(1 month\) ?; at stake "
                     r"USD 35.9k a month", text)
    assert "since Mar 2026" not in text and "scale overdue" not in text
    assert ("Asked of the board: approve expansion from 276 to 500 users; added run cost USD 19.7k a month, added net "
            "USD 35.9k a month.") in text
    # the increment that scaling brings, not the 124k total at 500 users, with what it assumes and the business case
    assert ("At stake: incremental net a month from 276 to 500 users: benefit +USD 55.7k (the benefit per active user "
            "now, extrapolated), less run cost +USD 19.7k (the cost per active user now, extrapolated: no run cost at "
            "target is declared).") in text
    assert "Stage scaling since Apr 2026 (7 months)" in text  # counted like the verdict's months, both ends in
    assert re.search(r"Owner Dana Whitfield Sponsor", text) and "&lt;" not in text
    # the rules said fix, fix, fix, kill, scale, ...: a new kill or scale is shown once it holds 2 months, so the
    # best initiative is never shown as a kill the month before a scale (issue 22 §6)
    assert ("The last 12 months, oldest first, as judged each month: FX FX FX FX FX SC SC SC SC SC SC SC "
            "FX fix, SC scale") in text
    assert not re.search("no verdict", text)
    assert re.search("Ready to scale ?: primary KPI Contract cycle time on track, 2 of 2 KPIs on track, paid back in May 2026", text)  # the name once, not twice
    rule_links = [a["href"] for tag, a in page.tags if tag == "a" and "sc-rule" in (a.get("class") or "")]
    assert rule_links == ["../../methodology/#rule-scale_ready"]  # not overdue: the decision of Mar stood to Sep
    assert "What would change it: the primary KPI falling behind its path" in text
    assert re.search(r"Contract cycle time primary days, decreases 20 12 by Dec 2026 12\.4 Oct 2026 95\.0% -0\.49 days a month Nov 2026 on track",
                     text), text
    assert "Payback May 2026" in text
    for control in ("AI risk assessment", "Privacy and data-protection review", "Live drift and quality monitoring",
                    "Approved rollback plan"):
        assert re.search(rf"{control} present", text), control
    assert "Owner Dana Whitfield" in text and "Sponsor Omar Haddad, General Counsel" in text
    edit = "https://github.com/example-org/ai-scorecard/edit/main/initiatives/contract-review.yaml"
    assert sum(1 for tag, a in page.tags if tag == "a" and a.get("href") == edit) == 2  # Material's button and ours
    charts = [json.loads(s) for attrs, s in page.scripts if attrs.get("class") == "sc-chart-data"]
    assert [c["chart"] for c in charts] == ["kpi", "kpi", "money", "users"]
    assert charts[2]["datasets"]["payback"] == [{"month": "2026-05", "label": "payback May 2026"}]
    assert charts[0]["datasets"]["actual"]["value"][-1] == 12.4  # columns: scorecard.js zips them into rows


def test_pages_show_nothing_after_the_as_of_month(tmp_path):
    site = tmp_path / "site"
    assert build(project(tmp_path, PORTFOLIO), site, "--as-of", "2026-06") == 0
    text = html(site, "initiatives/contract-review/index.html").visible
    assert "Jun 2026" in text and "Jul 2026" not in text and "Oct 2026" not in text and "2026-07" not in text
    assert json.loads((site / "scorecard.json").read_text(encoding="utf-8"))["as_of"] == "2026-06"


def test_decisions_page_lists_scale_kill_fix_and_overdue(example_site):
    doc = report("2026-10")["portfolio"]
    page = html(example_site, "decisions/index.html")
    hrefs = [a.get("href") for tag, a in page.tags if tag == "a"]
    for ident in doc["scale_list"] + doc["kill_list"] + doc["fix_list"] + doc["overdue"]:
        assert f"../initiatives/{ident}/" in hrefs, ident
    assert "monitoring" in page.visible  # finance-anomaly is blocked by a missing monitoring control


def test_changes_page_compares_with_the_month_before(example_site):
    before, after = report("2026-09"), report("2026-10")
    b = {i["id"]: i["verdict"] for i in before["initiatives"]}
    changed = sorted(i["id"] for i in after["initiatives"] if i["verdict"] != b[i["id"]])
    page = html(example_site, "changes/index.html")
    assert "against Sep 2026" in page.visible
    table = page.visible.split("Verdict changes ¶", 1)[1].split("Stage changes ¶", 1)[0]
    shown = sorted(i["id"] for i in after["initiatives"] if i["name"] in table)
    assert shown == changed and changed  # the example has at least one verdict change
    assert re.search(r"IT service-desk assistant ?: last update Aug 2026 \(owner Sam Novak\)", page.visible)


def test_changes_page_compares_with_a_given_previous_scorecard(tmp_path, example_site):
    previous = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    previous["as_of"] = "2026-09"
    previous["initiatives"] = [i for i in previous["initiatives"] if i["id"] != "lead-scoring"]
    for item in previous["initiatives"]:
        if item["id"] == "service-triage":
            item["verdict"] = "iterate"
    path = tmp_path / "previous.json"
    path.write_text(json.dumps(previous), encoding="utf-8")
    site = tmp_path / "site"
    assert build(project(tmp_path, PORTFOLIO), site, "--as-of", "2026-10", "--previous", str(path)) == 0
    text = html(site, "changes/index.html").visible
    assert "New: Sales lead scoring" in text
    assert "Customer-service ticket triage iterate sustain" in text


def test_methodology_lists_every_rule_and_the_policy(example_site):
    text = html(example_site, "methodology/index.html").visible
    for rule in RULE_IDS:
        assert rule in text, rule
    assert "weights.value" in text and "kpi.at_risk_gap" in text


def test_business_unit_page_lists_only_its_initiatives(example_site):
    page = html(example_site, "units/hr/index.html")
    links = {m.group(1) for tag, a in page.tags if tag == "a"
             for m in [re.fullmatch(r"\.\./\.\./initiatives/([a-z0-9-]+)/", a.get("href") or "")] if m}
    assert links == {"hr-policy-assistant", "hr-screening"}


def test_no_page_loads_anything_from_another_host(example_site):
    for path in example_site.rglob("*.html"):
        for tag, attrs in Html(path.read_text(encoding="utf-8")).tags:
            if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
                continue  # names the page's published address; the browser fetches nothing
            for key in ("src", "href") if tag in ("script", "link", "img", "iframe", "source") else ():
                value = attrs.get(key) or ""
                assert not re.match(r"^([a-z]+:)?//", value), f"{path}: <{tag} {key}={value}>"


def test_initiative_pages_stay_under_the_size_budget(example_site):
    for ident in IDS:
        size = (example_site / f"initiatives/{ident}/index.html").stat().st_size
        assert size < 60_000, (ident, size)
    page = (example_site / "initiatives/contract-review/index.html").read_text(encoding="utf-8")
    assert 'src="../../assets/scorecard/vega.js"' in page and "vegaEmbed=" not in page


def _tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_same_input_and_month_build_the_same_bytes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    trees = []
    config = project(tmp_path / "p", PORTFOLIO)
    for run in ("a", "b"):
        subprocess.run([sys.executable, "-m", "scorecard.cli", "build", "--as-of", "2026-10", "--config", str(config),
                        "--site-dir", str(tmp_path / run)], env=env, check=True, capture_output=True)
        trees.append(_tree(tmp_path / run))
    assert trees[0] == trees[1]


def test_invalid_portfolio_builds_nothing_and_keeps_the_old_site(tmp_path, capsys):
    initiatives = tmp_path / "initiatives"
    shutil.copytree(PORTFOLIO, initiatives)
    bad = initiatives / "lead-scoring.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("risk_tier: medium", "risk_tier: extreme"), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous build", encoding="utf-8")
    assert build(project(tmp_path, initiatives), site) == 1
    err = capsys.readouterr().err
    line = next(l for l in err.splitlines() if "lead-scoring.yaml" in l)
    assert re.match(r"^initiatives/lead-scoring\.yaml:\d+:\d+: error \[value\] ", line) or \
        re.match(r"^.*lead-scoring\.yaml:\d+:\d+: error \[value\] ", line), err
    assert "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous build"


def test_plain_mkdocs_build_uses_the_plugin_and_refuses_invalid_input(tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project(tmp_path / "q", PORTFOLIO)),
                           "-d", str(site)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (site / "initiatives/contract-review/index.html").is_file()
    initiatives = tmp_path / "initiatives"
    shutil.copytree(PORTFOLIO, initiatives)
    (initiatives / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project(tmp_path / "p", initiatives)),
                           "-d", str(site)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert re.search(r"broken\.yaml:\d+:\d+: error \[syntax\] YAML syntax error", proc.stderr), proc.stderr
    assert (site / "initiatives/contract-review/index.html").is_file()  # MkDocs never cleaned the old site


# Hostile text ----------------------------------------------------------------------------------------------------

def test_hostile_text_reaches_the_pages_only_as_text(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        page = Html(raw)
        for tag, attrs in page.tags:
            assert tag not in ("iframe", "marquee", "style", "img", "b") or "pwned" not in str(attrs), (path, tag)
            for key, value in attrs.items():
                assert not key.startswith("on"), f"{path}: <{tag} {key}=...>"
                assert not (value or "").strip().lower().startswith("javascript:"), f"{path}: <{tag} {key}={value}>"
        for attrs, text in page.scripts:
            if "pwned" in text:
                assert attrs["element"] == "template", f"{path}: a live script holds a payload"
                assert "<" not in text and ">" not in text, f"{path}: raw angle brackets in embedded JSON"
                json.loads(text)
        assert sum(1 for tag, _ in page.tags if tag == "title") == 1
        assert "49" not in page.visible.replace("2049", ""), f"{path}: a template expression was evaluated"


def test_hostile_text_is_shown_literally(hostile_site):
    page = html(hostile_site, "initiatives/script-in-name/index.html")
    assert page.title == "</title></script><script>window.__pwned='name'</script>{{ 7*7 }} - AI initiative scorecard"
    text = page.visible
    for shown in ("<img src=x onerror=\"window.__pwned='summary'\">", "[click](javascript:window.__pwned='md-link')",
                  "{% raw %} ${7*7}", "<svg onload=\"window.__pwned='owner'\">", "{{ lipsum.__globals__ }}",
                  "# heading {: onclick=\"window.__pwned='attr-list'\" }", "<script>window.__pwned='note'</script>"):
        assert shown in text, shown
    title = html(hostile_site, "initiatives/entity-title/index.html")
    assert title.title == "&lt;/title&gt;&lt;script&gt;window.__pwned='title'&lt;/script&gt; - AI initiative scorecard"
    assert "{{ 7*7 }} {%- if true %}evaluated{% endif %}" in title.visible
    evidence = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").startswith("https://dashboards")]
    assert evidence == ["https://dashboards.example.com/?q=1&x=%22%3E%3Cscript%3Ewindow.__pwned=1%3C/script%3E"]


# Live preview ----------------------------------------------------------------------------------------------------

def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.slow
def test_mkdocs_serve_rebuilds_when_an_initiative_file_changes(tmp_path):
    initiatives = tmp_path / "initiatives"
    shutil.copytree(PORTFOLIO, initiatives)
    port = free_port()
    config = project(tmp_path, initiatives, site_url=f"http://127.0.0.1:{port}/")
    proc = subprocess.Popen([sys.executable, "-m", "scorecard.cli", "serve", "--config", str(config),
                             "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/initiatives/service-triage/"
    try:
        deadline = time.monotonic() + 120
        page = ""
        while time.monotonic() < deadline:
            try:
                page = _get(url)
                break
            except OSError:
                time.sleep(0.05)
        assert "Customer-service ticket triage" in page
        path = initiatives / "service-triage.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("name: Customer-service ticket triage",
                                                                 "name: Ticket triage, renamed"), encoding="utf-8")
        while time.monotonic() < deadline and "Ticket triage, renamed" not in page:
            time.sleep(0.05)
            page = _get(url)
        assert "Ticket triage, renamed" in page
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_unusable_inputs_to_build_get_one_line_each(tmp_path, capsys):
    bad = tmp_path / "previous.json"
    bad.write_text('{"as_of": "2026-09"}', encoding="utf-8")
    assert build(project(tmp_path / "q", PORTFOLIO), tmp_path / "site", "--previous", str(bad)) == 1
    assert capsys.readouterr().err == (f"scorecard: error: {bad}: not a scorecard.json of schema version 1 (it has no schema_version); "
                                       "give the scorecard.json of a published month\n")
    assert main(["build", "--config", str(tmp_path / "nothing.yml")]) == 2  # the option names no file: a usage error
    assert capsys.readouterr().err == (f"scorecard: error: {tmp_path / 'nothing.yml'}: no such file; "
                                       "the site is configured in mkdocs.yml\n")
    config = project(tmp_path / "p", PORTFOLIO)
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"edit_url: .*", "edit_url: 'javascript:alert(1)//{path}'", text), encoding="utf-8")
    assert build(config, tmp_path / "site") == 1
    err = capsys.readouterr().err
    assert err == (f"scorecard: error: the site build failed, {tmp_path / 'site'} is unchanged: edit_url must be an "
                   "http(s) address without spaces that holds {path}, e.g. https://github.com/ORG/REPO/edit/main/{path}; "
                   "got 'javascript:alert(1)//{path}'\n")
    assert "Traceback" not in err and not (tmp_path / "site").exists()
