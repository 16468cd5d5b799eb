"""`healthy`: a production initiative that delivers should keep running.

In `production`, **sustain** when the primary KPI is on track or at target and
the net run rate (average of the latest three months) is positive.
"""

from __future__ import annotations

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.compute.kpis import GOOD
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "healthy"
NAME = "Healthy in production"
"""The rule's name in plain words, for the pages."""


def unmet(f: Facts, p: Policy) -> list[str]:
    k = f.primary
    out = []
    if k is None or k.status not in GOOD:
        out.append(f"primary KPI {k.name if k else '(none)'} on track")
    if p.judges_money and not (f.financials.run_rate or 0) > 0:
        out.append("a positive net run rate")
    return out


def evaluate(f: Facts, p: Policy) -> Finding | None:
    if f.stage != "production" or unmet(f, p):
        return None
    k = f.primary
    assert k is not None
    return Finding(ID, "sustain", f"healthy in production: primary KPI {k.name} at {fmt.num(k.latest)} {k.unit} "
                   f"(target {fmt.num(k.target)})" + (f", net run rate {fmt.money(f.financials.run_rate, p.currency)}/month"
                                                  if p.judges_money else ""),
                   "the primary KPI falling behind" + (", or the net run rate turning negative" if p.judges_money else ""),
                   {"run_rate": round(f.financials.run_rate or 0, 2)})
