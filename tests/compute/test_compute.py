"""Computed figures against independent references, and the invariants they must keep."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import make, months
from scorecard.compute.facts import facts
from scorecard.compute.kpis import slope
from scorecard.months import parse_month
from scorecard.policy import Policy

P = Policy()
M = parse_month


@given(st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=36), st.integers(0, 5))
def test_slope_matches_numpy_polyfit(values, gap):
    points = [(24300 + i * (gap + 1), v) for i, v in enumerate(values)]
    ours = slope(points)
    x = np.array([p[0] for p in points], dtype=float)
    reference = np.polyfit(x - x.mean(), np.array(values), 1)[0]
    assert ours == pytest.approx(reference, rel=1e-6, abs=1e-6)


def test_financials_against_a_hand_computed_table():
    # month   cost   benefit  cum cost  cum benefit  cum net
    # 01      5000   0        5000      0            -5000
    # 02      5000   3000     10000     3000         -7000
    # 03      4000   7000     14000     10000        -4000
    # 04      4000   9000     18000     19000        +1000  <- payback
    costs = [5000, 5000, 4000, 4000]
    benefits = [0, 3000, 7000, 9000]
    blocks = months("2026-01", 4, cost=lambda i: {"people": costs[i]}, benefit=lambda i: {"revenue": benefits[i]})
    fin = facts("x", make(month_blocks=blocks).model, M("2026-04"), P).financials
    assert fin.cum_cost == (5000, 10000, 14000, 18000)
    assert fin.cum_benefit == (0, 3000, 10000, 19000)
    assert fin.net == 1000
    assert fin.roi == pytest.approx(19000 / 18000 - 1)
    assert fin.payback_month == M("2026-04")
    assert fin.run_rate == pytest.approx(((3000 - 5000) + (7000 - 4000) + (9000 - 4000)) / 3)
    assert fin.cost_per_user == pytest.approx(4000 / 40)
    # The undiscounted net of the cash flows is what numpy-financial's NPV gives at a rate of 0.
    assert fin.net == pytest.approx(npf.npv(0.0, np.array(benefits) - np.array(costs)))


def test_projected_payback_from_the_last_three_months_run_rate():
    # cum net after 3 months: -9000; run rate (1000 + 2000 + 3000) / 3 = 2000 -> 5 more months
    nets = [-15000, 1000, 2000, 3000]
    blocks = months("2026-01", 4, cost=lambda i: {"people": 20000},
                    benefit=lambda i: {"revenue": 20000 + nets[i]})
    fin = facts("x", make(month_blocks=blocks).model, M("2026-04"), P).financials
    assert fin.payback_month is None
    assert fin.net == -9000
    assert fin.projected_payback_month == M("2026-04") + 5


def test_no_projection_when_run_rate_is_not_positive():
    blocks = months("2026-01", 4, cost=lambda i: {"people": 5000}, benefit=lambda i: {"revenue": 1000})
    fin = facts("x", make(month_blocks=blocks).model, M("2026-04"), P).financials
    assert (fin.payback_month, fin.projected_payback_month, fin.roi) == (None, None, pytest.approx(-0.8))


def test_kpi_exactly_at_target_is_on_track_and_reached():
    blocks = months("2026-01", 3, kpi=lambda i: [20, 15, 10][i])
    k = facts("x", make(month_blocks=blocks).model, M("2026-03"), P).kpis[0]
    assert (k.progress, k.status, k.projected_month) == (1.0, "on_track", M("2026-03"))


def test_kpi_status_thresholds_and_projection():
    # baseline 20, target 10 by 2026-11, data from 2026-01: expected share by 2026-06 is 5/10 = 0.5
    def status(latest: float) -> str:
        blocks = months("2026-01", 6, kpi=lambda i: 20 if i < 5 else latest)
        return facts("x", make(month_blocks=blocks).model, M("2026-06"), P).kpis[0].status
    assert status(16.0) == "on_track"   # progress 0.40, gap 0.10
    assert status(17.4) == "at_risk"    # progress 0.26, gap 0.24
    assert status(17.6) == "off_track"  # progress 0.24, gap 0.26
    blocks = months("2026-01", 4, kpi=lambda i: 20 - i)  # one day a month: 10 days left at 17 -> 7 months
    k = facts("x", make(month_blocks=blocks).model, M("2026-04"), P).kpis[0]
    assert k.trend == pytest.approx(-1.0)
    assert k.projected_month == M("2026-04") + 7


def test_milestones_and_growth():
    blocks = months("2026-01", 5, users=lambda i: [3, 5, 40, 60, 600][i])
    a = facts("x", make(month_blocks=blocks).model, M("2026-05"), P).adoption
    assert a.milestones == {5: M("2026-02"), 50: M("2026-04"), 500: M("2026-05")}
    assert a.growth_pct == pytest.approx(900.0)
    assert a.adoption_pct == pytest.approx(600.0)


def test_governance_missing_expired_and_exempted():
    ini = make(risk_tier="medium", governance={"risk_assessment": "2025-01-05", "privacy_review": "2026-03-01"},
               exemptions=[{"rule": "governance.monitoring", "reason": "r", "approved_by": "c", "expires": "2026-12"},
                           {"rule": "governance.rollback_plan", "reason": "r", "approved_by": "c", "expires": "2026-05"}])
    g = facts("x", ini.model, M("2026-10"), P).governance
    assert g.missing == ("monitoring", "rollback_plan")
    assert g.expired == ("risk_assessment",)
    assert g.exempted == ("monitoring",)
    assert g.gaps == ("rollback_plan", "risk_assessment")
    assert g.expired_exemptions == ("governance.rollback_plan",)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9000), st.integers(0, 9000)), min_size=1, max_size=24),
       st.integers(1, 20000))
def test_adding_a_month_of_positive_net_never_moves_payback_later(flows, extra):
    blocks = months("2025-01", len(flows), cost=lambda i: {"people": flows[i][0]},
                    benefit=lambda i: {"revenue": flows[i][1]})
    last = M("2025-01") + len(flows) - 1
    before = facts("x", make(since="2025-01", month_blocks=blocks).model, last, P).financials.payback_month
    more = dict(blocks)
    more[f"{(last + 1) // 12:04d}-{(last + 1) % 12 + 1:02d}"] = {"costs": {"people": 1}, "benefits": {"revenue": 1 + extra}}
    after = facts("x", make(since="2025-01", month_blocks=more).model, last + 1, P).financials.payback_month
    if before is not None:
        assert after == before
    assert after is None or before is None or after <= before


def test_a_payback_that_is_lost_again_is_no_payback():
    # month   cost   benefit  net     cum net
    # 01      5000   0        -5000   -5000
    # 02      1000   9000     +8000   +3000   <- reached zero
    # 03      7000   1000     -6000   -3000   <- fell back: payback lost in 03
    # 04      2000   3000     +1000   -2000
    # 05      1000   6000     +5000   +3000   <- paid back again, and stays so: payback 05
    costs, benefits = [5000, 1000, 7000, 2000, 1000], [0, 9000, 1000, 3000, 6000]
    blocks = months("2026-01", 5, cost=lambda i: {"people": costs[i]}, benefit=lambda i: {"revenue": benefits[i]})
    lost = facts("x", make(month_blocks=blocks).model, M("2026-04"), P).financials
    assert (lost.payback_month, lost.payback_lost_month) == (None, M("2026-03"))
    again = facts("x", make(month_blocks=blocks).model, M("2026-05"), P).financials
    assert (again.payback_month, again.payback_lost_month) == (M("2026-05"), None)
    before = facts("x", make(month_blocks=blocks).model, M("2026-02"), P).financials
    assert (before.payback_month, before.payback_lost_month) == (M("2026-02"), None)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9000), st.integers(0, 9000)), min_size=1, max_size=24))
def test_payback_against_a_second_implementation(flows):
    """Payback is the first month from which cumulative net stays >= 0 through the end (from the first cost)."""
    blocks = months("2025-01", len(flows), cost=lambda i: {"people": flows[i][0]},
                    benefit=lambda i: {"revenue": flows[i][1]})
    fin = facts("x", make(since="2025-01", month_blocks=blocks).model, M("2025-01") + len(flows) - 1, P).financials
    first = next((i for i, (c, _) in enumerate(flows) if c > 0), None)
    nets = [b - c for c, b in flows]
    cum = [sum(nets[first:i + 1]) if first is not None and i >= first else None for i in range(len(flows))]
    expected = None
    if first is not None:
        for i in range(first, len(flows)):
            if all(cum[k] >= 0 for k in range(i, len(flows))):
                expected = M("2025-01") + i
                break
    reached = [i for i in range(len(flows)) if cum[i] is not None and cum[i] >= 0]
    lost = None
    if expected is None and reached:
        lost = M("2025-01") + next(i for i in range(reached[-1] + 1, len(flows)))  # the fall after the last reach
    assert (fin.payback_month, fin.payback_lost_month) == (expected, lost)


def test_a_projection_from_old_figures_is_never_in_the_past_and_says_so():
    from scorecard.rules import no_payback
    # net -5000 for three months, then +500: cumulative -13500 after 06, run rate 500, so 27 months to go
    blocks = months("2026-01", 6, cost=lambda i: {"people": 10000},
                    benefit=lambda i: {"revenue": 5000 if i < 3 else 10500})
    f = facts("x", make(stage="pilot", month_blocks=blocks).model, M("2026-10"), P)
    assert f.financials.projected_from == M("2026-06")
    assert f.financials.projected_payback_month == M("2026-10") + 27  # from the as-of month, not from 06
    stale = months("2026-01", 6, cost=lambda i: {"people": 10000}, benefit=lambda i: {"revenue": 2000 + 3000 * i})
    g = facts("x", make(stage="pilot", month_blocks=stale).model, M("2026-10"), P)
    # cumulative net after 06: -60000 + 57000 = -3000; run rate of 04-06 = (11000+14000+17000)/3 - 10000 = 4000
    assert g.financials.projected_payback_month == M("2026-10") + 1
    finding = no_payback.evaluate(f, P)
    assert finding is not None and "(projected from figures of 2026-06)" in finding.message


def test_a_target_date_that_has_passed_leaves_met_or_missed():
    # cycle_time: baseline 20, target 10 by 2026-06; values 19, 17, 15, 13, 12, 11 (Jan-Jun), then 10.5 in Jul
    values = [19, 17, 15, 13, 12, 11, 10.5]
    blocks = months("2026-01", 7, kpi=lambda i: values[i])
    ini = make(month_blocks=blocks, kpis=[{"id": "cycle_time", "name": "Cycle time", "unit": "days",
                                           "direction": "decrease", "baseline": 20, "target": 10,
                                           "target_month": "2026-06", "primary": True}]).model
    assert facts("x", ini, M("2026-06"), P).kpis[0].status == "on_track"  # due this month: still on its path
    missed = facts("x", ini, M("2026-07"), P)
    assert missed.kpis[0].status == "target_missed"
    met_blocks = months("2026-01", 7, kpi=lambda i: [19, 17, 15, 13, 12, 10, 9][i])
    met = make(month_blocks=met_blocks, kpis=ini.model_dump()["kpis"]).model
    assert facts("x", met, M("2026-07"), P).kpis[0].status == "target_met"


def test_a_missed_primary_target_kills_unless_improving():
    from scorecard.rules import kpi_off_track
    kpi = [{"id": "cycle_time", "name": "Cycle time", "unit": "days", "direction": "decrease", "baseline": 20,
            "target": 12, "target_month": "2026-06", "primary": True}]
    flat = make(month_blocks=months("2026-01", 8, kpi=lambda i: 15), kpis=kpi).model
    finding = kpi_off_track.evaluate(facts("x", flat, M("2026-08"), P), P)
    assert finding is not None and finding.verdict == "kill"
    assert finding.message == "primary KPI Cycle time missed its target of 12 days due 2026-06: 15 days in 2026-08"
    better = make(month_blocks=months("2026-01", 8, kpi=lambda i: 20 - i), kpis=kpi).model
    assert facts("x", better, M("2026-08"), P).kpis[0].status == "target_missed"
    assert kpi_off_track.evaluate(facts("x", better, M("2026-08"), P), P) is None  # 13 in Aug, improving
