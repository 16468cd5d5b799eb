"""The whole scorecard: as-of semantics, determinism, the report formats, and the policy file."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PORTFOLIO, ROOT
from builders import to_dict, to_json
from scorecard import fmt
from scorecard.cli import main
from scorecard.rules.scorecard import compute_scorecard
from scorecard.errors import InvalidPortfolio
from scorecard.model import Initiative
from scorecard.months import format_month, parse_month
from scorecard.policy import Policy, load_policy
from scorecard.model import LoadedInitiative
from scorecard.validate.run import validate_paths

P = Policy()
EXAMPLE = validate_paths([PORTFOLIO], today=parse_month("2026-11")).initiatives
AS_OF = parse_month("2026-10")


def without_months_after(li: LoadedInitiative, month: int) -> LoadedInitiative:
    data = li.model.model_dump(exclude_defaults=False)
    data["months"] = {k: v for k, v in data["months"].items() if parse_month(k) <= month}
    return LoadedInitiative(li.id, li.path, Initiative.model_validate(data))


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 23))
def test_as_of_an_earlier_month_equals_removing_the_later_months(back):
    month = AS_OF - back
    cut = [without_months_after(li, month) for li in EXAMPLE]
    assert to_json(compute_scorecard(EXAMPLE, month, P)) == to_json(compute_scorecard(cut, month, P))


def test_deterministic_whatever_the_input_order():
    first = to_json(compute_scorecard(EXAMPLE, AS_OF, P))
    shuffled = list(EXAMPLE)
    random.Random(7).shuffle(shuffled)
    assert to_json(compute_scorecard(shuffled, AS_OF, P)) == first


def test_example_portfolio_yields_every_verdict_with_reasons():
    doc = to_dict(compute_scorecard(EXAMPLE, AS_OF, P))
    verdicts = {i["id"]: i["verdict"] for i in doc["initiatives"]}
    assert set(verdicts.values()) == {"scale", "sustain", "iterate", "fix", "kill", "closed"}
    for item in doc["initiatives"]:
        if item["verdict"] not in ("closed", None):
            assert item["reasons"] and all(r["rule"] and r["message"] for r in item["reasons"])
    assert verdicts["service-triage"] == "sustain"
    assert verdicts["lead-scoring"] == "kill"


def test_json_contract():
    doc = json.loads(to_json(compute_scorecard(EXAMPLE, AS_OF, P)))
    assert doc["as_of"] == "2026-10"
    assert {"portfolio", "initiatives", "currency"} <= set(doc)
    item = next(i for i in doc["initiatives"] if i["id"] == "contract-review")
    assert {"id", "stage", "verdict", "score", "reasons", "kpis", "financials", "adoption", "governance",
            "months_since_update"} <= set(item)
    assert {"cumulative_cost", "cumulative_benefit", "net", "roi", "payback_month", "payback_lost_month",
            "projected_payback_month", "projected_from"} <= set(item["financials"])
    assert item["financials"]["payback_month"] == "2026-05"
    assert item["kpis"][0]["id"] == "cycle_time" and item["kpis"][0]["status"] == "on_track"
    assert item["governance"]["missing"] == []
    port = doc["portfolio"]
    assert port["cumulative_cost"] == pytest.approx(sum(i["financials"]["cumulative_cost"] for i in doc["initiatives"]))
    assert port["duplicates"] == [{"a": "hr-policy-assistant", "b": "it-service-desk", "similarity": 0.526}]


@pytest.fixture
def in_portfolio(tmp_path, monkeypatch):
    """The current folder holds a mkdocs.yml reading the tests' portfolio."""
    (tmp_path / "mkdocs.yml").write_text(f"plugins:\n  - scorecard:\n      initiatives: {PORTFOLIO}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def test_table_fits_100_columns_and_lists_every_initiative(in_portfolio, capsys):
    assert main(["report", "--as-of", "2026-10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].split() == ["initiative", "stage", "verdict", "since", "primary", "KPI", "net", "payback", "stake/mo"]
    assert [line.split()[0] for line in lines[2:14]] == sorted(li.id for li in EXAMPLE)
    card = to_dict(compute_scorecard(EXAMPLE, parse_month("2026-10"), Policy()))
    stakes = card["portfolio"]["stake_by_verdict"]
    assert lines[16] == ("at stake a month: " + ", ".join(f"{v} {s['initiatives']} {fmt.money(s['monthly'], 'USD')}"
                                                         for v, s in stakes.items()))[:len(lines[16])]


def test_csv_has_one_row_per_initiative(in_portfolio, capsys):
    assert main(["report", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out[1:], newline="")))
    assert rows[0][:6] == ["id", "name", "business_unit", "owner", "sponsor", "stage"]
    assert sorted(row[0] for row in rows[1:]) == sorted(li.id for li in EXAMPLE)


def test_report_on_invalid_portfolio_prints_problems_and_exits_1(tmp_path, monkeypatch, capsys):
    (tmp_path / "initiatives").mkdir()
    (tmp_path / "initiatives" / "bad-one.yaml").write_text("name: [\n")
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("initiatives/bad-one.yaml:2:1: error [syntax]")
    assert err[-1] == "1 file checked: 1 error, 0 warnings"


def test_policy_file_from_mkdocs_yml_changes_the_verdicts(tmp_path, monkeypatch, capsys):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        f"plugins:\n  - scorecard:\n      initiatives: {PORTFOLIO}\n      policy: policy.yml\n")
    (tmp_path / "policy.yml").write_text("pilot:\n  max_months: 24\nstale:\n  fix_after: 6\n  kill_after: 9\n")
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--format", "json"]) == 0
    verdicts = {i["id"]: i["verdict"] for i in json.loads(capsys.readouterr().out)["initiatives"]}
    # no longer stale under this policy; not healthy either: its primary KPI missed its target of 2026-06
    assert verdicts["it-service-desk"] == "iterate"


@pytest.mark.parametrize("text,expected", [
    ("pilot:\n  max_monhts: 3\n", "policy.yml:2:3: error [unknown-key] unknown key 'max_monhts' in 'pilot'; "
     "did you mean 'max_months'?"),
    ("stale:\n  fix_after: two\n", "policy.yml:2:14: error [number] 'stale.fix_after' must be a number, got the "
     "text 'two'; write a plain number such as 12000: no units, separators or quotes"),
    ("governance:\n  low: [risk_asessment]\n", "policy.yml:2:9: error [value] 'governance.low[0]' is 'risk_asessment', "
     "which is not a control of the default catalogue; did you mean 'risk_assessment'?"),
    ("governance:\n  preset: eu-ai-act-high-risk\n  required:\n    high: [human_oversight, red_team]\n",
     "policy.yml:4:29: error [value] 'governance.required.high[1]' is 'red_team', which is not a control of the "
     "eu-ai-act-high-risk catalogue; its controls are accuracy_robustness_cybersecurity, data_governance, "
     "fundamental_rights_impact_assessment, human_oversight, record_keeping, risk_management_system, "
     "technical_documentation, transparency_to_deployers"),
    ("governance:\n  controls:\n    red_team: {max_age_months: 6}\n",
     "policy.yml:3:5: error [value] the control 'red_team' is not in the default preset, so it needs a name; "
     "add name: what it is called, in plain words"),
    ("governance:\n  preset: iso\n", "policy.yml:2:11: error [value] 'governance.preset' must be one of default, "
     "omb-m-25-21, eu-ai-act-high-risk; got 'iso'"),
])
def test_policy_errors_point_at_the_line(tmp_path, monkeypatch, text, expected):
    from scorecard.problem import format_problem
    (tmp_path / "policy.yml").write_text(text)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidPortfolio) as exc:
        load_policy(tmp_path / "policy.yml")
    assert [format_problem(p).replace(str(tmp_path) + "/", "") for p in exc.value.problems] == [expected]


def test_weights_must_add_up_to_one(tmp_path):
    (tmp_path / "policy.yml").write_text("weights:\n  value: 0.9\n")
    with pytest.raises(InvalidPortfolio) as exc:
        load_policy(tmp_path / "policy.yml")
    assert "the score weights must add up to 1, they add up to 1.55" == exc.value.problems[0].message.split(": ", 1)[1]


def test_month_formatting_roundtrip():
    assert format_month(parse_month("2026-01")) == "2026-01"


def test_methodology_documents_every_rule_in_precedence_order_and_the_policy(in_portfolio, capsys):
    from scorecard.rules import RULE_IDS
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    from scorecard.rules import RULE_NAMES
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert [h.split("`")[1] for h in headings] == list(RULE_IDS)
    assert [h[4:].split(" (`")[0] for h in headings] == [RULE_NAMES[r] for r in RULE_IDS]  # plain words first
    for rule in RULE_IDS:  # each reason on the site links here
        assert f'<div id="rule-{rule}"></div>' in text
    assert "| `pilot.max_months` | 6 |" in text
    assert "| `weights.value` | 0.35 |" in text
    readme = (ROOT / "README.md").read_text()
    for rule in RULE_IDS:
        assert f"`{rule}`" in readme, f"README does not mention the rule {rule}"


@pytest.mark.parametrize("value,shown", [
    (0, "USD 0"), (-0.4, "USD 0"), (750, "USD 750"), (999.4, "USD 999"), (999.6, "USD 1.00k"), (1500, "USD 1.50k"),
    (-9833.33, "\u2212USD 9.83k"), (124303, "USD 124k"), (999950, "USD 1.00M"), (2.4e6, "USD 2.40M"),
    (-68166.67, "\u2212USD 68.2k"), (1234567890, "USD 1.23B"), (1e12, "USD 1.00T"), (None, "n/a"),
])
def test_money_is_three_significant_digits_with_a_true_minus(value, shown):
    assert fmt.money(value, "USD") == shown


@pytest.mark.parametrize("text,shown", [("2026-10", "Oct 2026"), ("2025-01", "Jan 2025"), (None, "n/a"), ("soon", "soon")])
def test_months_in_prose_are_written_out(text, shown):
    assert fmt.month_name(text) == shown
