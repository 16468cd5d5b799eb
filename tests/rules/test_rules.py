"""Every rule fires in one case and keeps quiet in another; precedence is as documented."""

from __future__ import annotations

import pytest

from builders import MEDIUM_CONTROLS, make, months
from scorecard.compute.facts import facts
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.policy import Policy
from scorecard.rules.recommend import judge
from scorecard.rules import RULE_IDS

P = Policy()
M = parse_month
AS_OF = M("2026-10")


def verdict(li, as_of: int = AS_OF) -> tuple[str | None, list[str]]:
    v, reasons, _ = judge(facts(li.id, li.model, as_of, P), P)
    return v, [r.rule for r in reasons]


def flat(value):
    return lambda i: value


CASE = {"approved": "2026-01", "by": "AI council", "annual_benefit": 200000}
"""Benefit 6,000 a month is a run rate of 72,000 a year: 36% of this case."""

CASES = {
    # rule: (firing initiative and as-of, expected verdict), (quiet initiative and as-of)
    "stale": [((make(stage="scaling"), M("2026-12")), "fix"), ((make(stage="scaling"), M("2027-01")), "kill")],
    "governance_gap": [((make(stage="scaling", risk_tier="medium"), AS_OF), "fix")],
    "incomplete_costs": [((make(stage="scaling", month_blocks=months("2026-01", 10, cost=flat({"licenses": 900}))),
                           AS_OF), "fix")],
    "pilot_purgatory": [((make(month_blocks=months("2026-01", 10, users=flat(12))), AS_OF), "kill"),
                        ((make(), AS_OF), "scale")],
    "kpi_off_track": [((make(stage="scaling", month_blocks=months("2026-01", 10, kpi=flat(20))), AS_OF), "kill")],
    "no_payback": [((make(stage="scaling", month_blocks=months("2026-01", 10, benefit=flat({"revenue": 1000}))),
                     AS_OF), "kill"),
                   ((make(stage="production", month_blocks=months(
                       "2026-01", 10, benefit=lambda i: {"revenue": 9000 if i < 7 else 1000})), AS_OF), "kill")],
    "scale_ready": [((make(stage="scaling"), AS_OF), "scale")],
    "healthy": [((make(stage="production"), AS_OF), "sustain")],
    "business_case_shortfall": [((make(stage="scaling", business_case=CASE), AS_OF), "fix"),
                                ((make(stage="production", business_case=CASE), AS_OF), "fix")],
}
QUIET = {
    "stale": (make(stage="scaling"), M("2026-11")),
    "governance_gap": (make(stage="scaling", risk_tier="medium", governance=MEDIUM_CONTROLS), AS_OF),
    "incomplete_costs": (make(stage="scaling"), AS_OF),
    "pilot_purgatory": (make(since="2026-06", month_blocks=months("2026-06", 5)), AS_OF),
    "kpi_off_track": (make(stage="scaling", month_blocks=months("2026-01", 10, kpi=lambda i: 20 if i < 7 else 20 - i / 4)),
                      AS_OF),
    "no_payback": (make(stage="scaling", month_blocks=months(
        "2026-01", 10, benefit=lambda i: {"revenue": 1000 if i < 5 else 9000})), AS_OF),
    "scale_ready": (make(stage="scaling", month_blocks=months("2026-01", 10, users=lambda i: 100 - i)), AS_OF),
    "healthy": (make(stage="production", month_blocks=months("2026-01", 10, kpi=flat(19))), AS_OF),
    "business_case_shortfall": (make(stage="scaling", business_case=dict(CASE, annual_benefit=144000)), AS_OF),
}


@pytest.mark.parametrize("rule,case", [(r, c) for r, cs in CASES.items() for c in cs],
                         ids=[f"{r}-{i}" for r, cs in CASES.items() for i, _ in enumerate(cs)])
def test_rule_fires(rule, case):
    (li, as_of), expected = case
    v, rules = verdict(li, as_of)
    assert (v, rules[0]) == (expected, rule)


@pytest.mark.parametrize("rule", sorted(QUIET))
def test_rule_keeps_quiet(rule):
    li, as_of = QUIET[rule]
    assert rule not in verdict(li, as_of)[1]


def test_every_rule_is_tested():
    assert set(CASES) | {"decision_overdue"} == set(RULE_IDS) == set(QUIET) | {"decision_overdue"}


def test_iterate_when_nothing_decides_and_it_says_what_would_scale_it():
    li = make(since="2026-08", month_blocks=months("2026-08", 3, kpi=lambda i: 20 - 3 * i,
                                                   benefit=flat({"revenue": 2000})))
    v, reasons, change = judge(facts(li.id, li.model, AS_OF, P), P)
    assert v == "iterate"
    assert change == "to scale: payback reached or projected within 18 months (now none projected)"


def test_closed_and_proposed():
    assert verdict(make(stage="killed"))[0] == "closed"
    assert verdict(make(stage="retired"))[0] == "closed"
    assert verdict(make(stage="proposed", month_blocks={}))[0] is None


def test_precedence_stale_beats_kill_beats_fix_beats_scale():
    stale_and_failing = make(stage="scaling", risk_tier="medium", month_blocks=months("2026-01", 8, kpi=flat(20)))
    assert verdict(stale_and_failing) == ("fix", ["stale", "kpi_off_track", "governance_gap"])
    failing_with_gap = make(stage="scaling", risk_tier="medium", month_blocks=months("2026-01", 10, kpi=flat(20)))
    assert verdict(failing_with_gap) == ("kill", ["kpi_off_track", "governance_gap"])
    ready_but_gap = make(stage="scaling", risk_tier="medium")
    assert verdict(ready_but_gap) == ("fix", ["governance_gap"])


def test_pilot_purgatory_leaves_a_pure_governance_gap_to_fix():
    assert verdict(make(risk_tier="medium")) == ("fix", ["governance_gap"])


def test_an_exemption_waives_its_rule_and_says_so():
    ex = [{"rule": "pilot_purgatory", "reason": "Seasonal pilot", "approved_by": "AI council", "expires": "2026-12"}]
    li = make(month_blocks=months("2026-01", 10, users=flat(12)), exemptions=ex)
    v, reasons, _ = judge(facts(li.id, li.model, AS_OF, P), P)
    assert v == "iterate"
    assert reasons[-1].message == "pilot_purgatory waived until 2026-12 by AI council: Seasonal pilot"
    expired = [dict(ex[0], expires="2026-09")]
    assert verdict(make(month_blocks=months("2026-01", 10, users=flat(12)), exemptions=expired))[0] == "kill"


def test_decision_overdue_fires_after_two_months_of_scale_without_a_decision():
    card = compute_scorecard([make("a", stage="scaling")], AS_OF, P)
    overdue = card.results[0].rec.overdue
    assert overdue is not None
    # the stage entry of 2026-01 came before the verdict: nothing has acted on it
    assert overdue.message == ("decision overdue: the scorecard has said scale since 2026-03 (8 months) and no "
                               "decision or stage change followed")
    decided = make("a", stage="scaling", decisions=[{"month": "2026-09", "decision": "scale", "by": "council"}])
    assert compute_scorecard([decided], AS_OF, P).results[0].rec.overdue is None
    assert card.portfolio["overdue"] == ["a"]


def test_kpi_off_track_message_has_the_numbers():
    li = make(stage="scaling", month_blocks=months("2026-01", 10, kpi=flat(19.5)))
    f = facts(li.id, li.model, AS_OF, P)
    reason = judge(f, P)[1][0]
    assert reason.message == ("primary KPI Cycle time off track for 6 months: 19.5 days vs 11 days expected, "
                              "trend flat")
    assert reason.change == "Cycle time at 13.5 days or less, or a trend towards target"


def test_business_case_shortfall_waits_its_grace_months_and_gives_both_numbers():
    assert "business_case_shortfall" not in verdict(make(stage="scaling", business_case=dict(CASE, approved="2026-05")))[1]
    assert "business_case_shortfall" in verdict(make(stage="scaling", business_case=dict(CASE, approved="2026-04")))[1]
    assert "business_case_shortfall" not in verdict(make(stage="pilot", business_case=CASE))[1]  # a pilot proves first
    assert "business_case_shortfall" not in verdict(make(stage="scaling", business_case=CASE), M("2025-12"))[1]
    li = make(stage="scaling", business_case=CASE)
    reason = next(r for r in judge(facts(li.id, li.model, AS_OF, P), P)[1] if r.rule == "business_case_shortfall")
    assert reason.message == ("business case short: realising 36% of the case, a benefit run rate of USD 72.0k a year "
                              "against USD 200k approved in 2026-01 by AI council (the minimum is 50% after 6 months)")
    assert reason.change == "a benefit run rate of USD 100k a year or more, or a revised case approved"
    assert reason.numbers == {"realisation": 0.36, "min_realisation": 0.5, "benefit_run_rate": 72000.0,
                              "annual_benefit": 200000.0}
