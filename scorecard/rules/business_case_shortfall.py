"""`business_case_shortfall`: the money promised must start to arrive.

For an initiative with a `business_case`, in `scaling` or `production`, once
`business_case.grace_months` (default 6) months have passed since the case was
approved: a benefit run rate (the average monthly benefit of the latest three
months with figures, times 12) below `business_case.min_realisation` (default
0.5) of the case's `annual_benefit` says **fix**. The reason gives both numbers.
"""

from __future__ import annotations

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "business_case_shortfall"
NAME = "Business case short"
"""The rule's name in plain words, for the pages."""


def evaluate(f: Facts, p: Policy) -> Finding | None:
    c = f.business_case
    if c is None or f.stage not in ("scaling", "production") or c.realisation is None:
        return None
    policy = p.business_case
    if c.months_since_approval < policy.grace_months or c.realisation >= policy.min_realisation:
        return None
    cur = p.currency
    case = c.case
    return Finding(ID, "fix", f"business case short: realising {fmt.pct(100 * c.realisation)} of the case, a benefit run "
                   f"rate of {fmt.money(c.benefit_run_rate, cur)} a year against {fmt.money(case.annual_benefit, cur)} "
                   f"approved in {case.approved} by {case.by} (the minimum is {fmt.pct(100 * policy.min_realisation)} "
                   f"after {policy.grace_months} months)",
                   f"a benefit run rate of {fmt.money(policy.min_realisation * case.annual_benefit, cur)} a year or more, "
                   "or a revised case approved",
                   {"realisation": round(c.realisation, 4), "min_realisation": policy.min_realisation,
                    "benefit_run_rate": round(c.benefit_run_rate or 0.0, 2), "annual_benefit": case.annual_benefit})
