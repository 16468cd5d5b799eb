"""`no_payback`: the money must come back.

In `pilot` and `scaling`, once there are `payback.min_months` (default 6) months
of figures: **kill** when the initiative has not paid back and, at the average
net of its latest three months, will not within `payback.horizon_months`
(default 24) of the as-of month. In `production`: **kill** (retire it) after
`payback.production_negative_months` (default 3) consecutive months of negative
net.

Payback is the first month from which cumulative net stays at or above zero
through the as-of month: one reached and lost again does not count, and the
reason says when it was lost. A projection is never a month already past: made
from figures older than the as-of month, it counts from the as-of month and the
reason says which month's figures it was made from.
"""

from __future__ import annotations

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "no_payback"
NAME = "No payback"
"""The rule's name in plain words, for the pages."""


def evaluate(f: Facts, p: Policy) -> Finding | None:
    fin = f.financials
    cur = p.currency
    if f.stage == "production":
        n = fin.negative_streak
        if n < p.payback.production_negative_months:
            return None
        return Finding(ID, "kill", f"in production with negative net for {n} months (latest "
                       f"{fmt.money(fin.benefit[-1] - fin.cost[-1], cur)}): retire it",
                       "a month with benefit at least equal to cost", {"negative_months": n})
    if f.stage not in ("pilot", "scaling") or f.months_of_data < p.payback.min_months:
        return None
    if fin.payback_month is not None or fin.cumulative_cost <= 0:
        return None
    horizon = p.payback.horizon_months
    projected = fin.projected_payback_month
    if projected is not None and projected - f.as_of <= horizon:
        return None
    needed = -fin.net / horizon
    when = f"projected {fmt.month(projected)}" if projected is not None else "none projected at the current run rate"
    if fin.projected_from is not None:
        when += f" (projected from figures of {fmt.month(fin.projected_from)})"
    if fin.payback_lost_month is not None:
        when = f"payback lost again in {fmt.month(fin.payback_lost_month)}, {when}"
    return Finding(ID, "kill", f"no payback: cumulative net {fmt.money(fin.net, cur)} after {f.months_of_data} months, "
                   f"run rate {fmt.money(fin.run_rate, cur)}/month, {when}",
                   f"a net run rate of {fmt.money(needed, cur)}/month or more (payback within {horizon} months)",
                   {"net": round(fin.net, 2), "run_rate": None if fin.run_rate is None else round(fin.run_rate, 2),
                    "projected_payback_month": fmt.month(projected) if projected else None})
