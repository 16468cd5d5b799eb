"""`scale_ready`: a pilot or scaling initiative that has proven itself should grow.

In `pilot` or `scaling`, **scale** when all of these hold: the primary KPI is on
track (or at target); the primary KPI and the money of the latest month are not unverified (a pulled figure that
failed its metric's freshness or expectations cannot support a scale); at least `scale.kpi_share` (default 75%) of all KPIs are
on track; payback is reached, or projected within `scale.payback_months`
(default 18) of the as-of month; governance is complete; active users are
growing (up over the latest three months, or at target).
"""

from __future__ import annotations

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.compute.financials import Financials
from scorecard.compute.kpis import GOOD
from scorecard.months import parse_month
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "scale_ready"
NAME = "Ready to scale"
"""The rule's name in plain words, for the pages."""
STAGES = ("pilot", "scaling")


def conditions(f: Facts, p: Policy) -> dict[str, tuple[bool, str]]:
    """Each condition: (holds, what it needs)."""
    primary = f.primary
    on_track = [k for k in f.kpis if k.status in GOOD]
    share = len(on_track) / len(f.kpis) if f.kpis else 0.0
    fin = f.financials
    payback_ok = fin.payback_month is not None or (
        fin.projected_payback_month is not None and fin.projected_payback_month - f.as_of <= p.scale.payback_months)
    money = {"payback": (payback_ok, f"payback reached or projected within {p.scale.payback_months} months "
                                     f"(now {_payback_now(fin)})")} if p.judges_money else {}
    return {
        "primary_on_track": (primary is not None and primary.status in GOOD,
                             f"primary KPI {primary.name if primary else '(none)'} on track"),
        "kpis_on_track": (share >= p.scale.kpi_share - 1e-9,
                          f"{p.scale.kpi_share:.0%} of KPIs on track (now {len(on_track)} of {len(f.kpis)})"),
        **money,
        "governance": (f.governance.complete, "governance complete"
                       + (f" (missing {f.governance.names(f.governance.gaps)})" if f.governance.gaps else "")),
        "users_growing": (f.adoption.growing, f"active users growing (now {fmt.num(f.adoption.users)})"),
        "verified": (not f.unverified, "the primary KPI and the money verified at their source"
                     + (f" (unverified: {', '.join(f'{p} of {fmt.month(parse_month(m))}' for p, m, _ in f.unverified)})"
                        if f.unverified else "")),
    }


def _projected(fin: Financials) -> str:
    stale = f" from figures of {fmt.month(fin.projected_from)}" if fin.projected_from is not None else ""
    return f"projected {fmt.month(fin.projected_payback_month)}{stale}"


def _payback_now(fin: Financials) -> str:
    if fin.payback_month is not None:
        return f"reached {fmt.month(fin.payback_month)}"
    lost = f"lost again {fmt.month(fin.payback_lost_month)}, " if fin.payback_lost_month is not None else ""
    if fin.projected_payback_month is not None:
        return lost + _projected(fin)
    return lost + "none projected"


def unmet(f: Facts, p: Policy) -> list[str]:
    return [need for ok, need in conditions(f, p).values() if not ok]


def evaluate(f: Facts, p: Policy) -> Finding | None:
    if f.stage not in STAGES or unmet(f, p):
        return None
    primary = f.primary
    fin = f.financials
    paid = ("" if not p.judges_money else f"paid back in {fmt.month(fin.payback_month)}, "
            if fin.payback_month is not None else f"payback {_projected(fin)}, ")
    return Finding(ID, "scale", f"ready to scale: primary KPI {primary.name if primary else ''} on track, "
                   f"{sum(k.status in GOOD for k in f.kpis)} of {len(f.kpis)} KPIs on track, {paid}"
                   f"governance complete, {fmt.num(f.adoption.users)} users and growing",
                   "the primary KPI falling behind its path, or users no longer growing",
                   {"users": f.adoption.users, "payback_month": fmt.month(fin.payback_month)})
