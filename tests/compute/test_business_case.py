"""Plan against actual (issue 11 §4): an initiative's figures held against its approved business case.

Every figure below is worked out by hand from the builders' defaults: costs 4,500 and benefit 6,000 a month,
users 10, 20, ... 100, ten months from 2026-01.
"""

from __future__ import annotations

from builders import make, months
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.policy import Policy
from builders import to_dict

P = Policy()
AS_OF = parse_month("2026-10")
CASE = {"approved": "2026-01", "by": "AI council", "annual_benefit": 100000, "investment": 30000,
        "payback_months": 3, "users": 200, "note": "Saves a day per contract"}


def report(*initiatives):
    card = to_dict(compute_scorecard(list(initiatives), AS_OF, P))
    return card, {i["id"]: i for i in card["initiatives"]}


def test_plan_against_actual_against_hand_computed_figures():
    on_plan = make("on-plan", stage="scaling", business_case=CASE)
    short = make("short", stage="scaling", business_case=CASE,
                 month_blocks=months("2026-01", 10, benefit=lambda i: {"labor_savings": 1000}))
    card, items = report(on_plan, short)
    assert items["on-plan"]["business_case"] == {
        "approved": "2026-01", "by": "AI council", "note": "Saves a day per contract", "investment": 30000.0,
        "annual_benefit": 100000.0, "planned_users": 200, "months_since_approval": 9,
        "benefit_run_rate": 72000.0,          # 6,000 a month times 12
        "realisation": 0.72,                  # 72,000 / 100,000
        "planned_payback_months": 3, "actual_payback_months": 0,  # net +1,500 in the first month already
        "first_spend": "2026-01", "payback_since_approval": 0, "months_since_spend": 9,
        "payback_overdue": False,
        "spend_to_date": 45000.0,             # 10 months of 4,500
        "spend_share": 1.5,                   # 45,000 / 30,000
        "users": 100, "users_share": 0.5,     # 100 of 200 planned
    }
    s = items["short"]["business_case"]
    assert (s["benefit_run_rate"], s["realisation"], s["actual_payback_months"], s["payback_overdue"]) == (
        12000.0, 0.12, None, True)            # never paid back, and the 3 planned months are long past
    assert "business_case_shortfall" in [r["rule"] for r in items["short"]["reasons"]]
    assert card["portfolio"]["business_case"] == {"initiatives": 2, "planned_annual_benefit": 200000.0,
                                                  "realised_annual_benefit": 84000.0, "realisation": 0.42}
    assert card["portfolio"]["by_business_unit"]["Legal"]["business_case"]["realisation"] == 0.42


def test_a_case_approved_after_the_as_of_month_does_not_exist_yet_and_no_case_is_null():
    _, items = report(make("later", stage="scaling", business_case=dict(CASE, approved="2026-11")), make("none"))
    assert items["later"]["business_case"] is None and items["none"]["business_case"] is None


def test_a_case_with_next_to_nothing_planned_gives_no_ratio_and_stays_out_of_the_roll_up():
    tiny = make("tiny", stage="scaling", business_case=dict(CASE, annual_benefit=1e-300, investment=1e-300, users=None))
    zero = make("zero", stage="scaling", business_case=dict(CASE, annual_benefit=0))
    card, items = report(tiny, zero)
    assert (items["tiny"]["business_case"]["realisation"], items["tiny"]["business_case"]["spend_share"]) == (None, None)
    assert items["zero"]["business_case"]["realisation"] is None
    assert card["portfolio"]["business_case"] == {"initiatives": 0, "planned_annual_benefit": 0.0,
                                                  "realised_annual_benefit": 0.0, "realisation": None}


def test_payback_counts_from_the_first_spend_not_from_the_approval():
    """The issue's case: spending began in Sep 2025, the case was approved in Mar 2026. Payback is counted from the
    first month with a cost, checked against a cumulative sum computed here with numpy; the months since the
    approval are kept apart, labelled."""
    import numpy as np

    cost = [5000.0] * 14  # Sep 2025 to Oct 2026
    benefit = [0, 0, 0, 1000, 2000, 4000, 6000, 9000, 12000, 14000, 15000, 15000, 15000, 15000]
    blocks = months("2025-09", 14, cost=lambda i: {"licenses": cost[i]}, benefit=lambda i: {"labor_savings": benefit[i]})
    li = make("early", stage="scaling", since="2025-09", month_blocks=blocks,
              business_case=dict(CASE, approved="2026-03", payback_months=8))
    bc = report(li)[1]["early"]["business_case"]
    net = np.cumsum(np.array(benefit) - np.array(cost))
    paid = int(np.argmax(net >= 0))  # the index of the first month whose cumulative net is not negative
    assert net[paid] >= 0 and (paid == 0 or net[paid - 1] < 0)
    assert bc["first_spend"] == "2025-09"
    assert bc["actual_payback_months"] == paid  # months after Sep 2025
    assert bc["payback_since_approval"] == paid - 6  # Mar 2026 is six months after Sep 2025
    assert bc["months_since_spend"] == 13 and bc["months_since_approval"] == 7
