"""Plan against actual: an initiative's figures held against the business case that was approved for it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scorecard.compute.adoption import Adoption
from scorecard.compute.financials import Financials
from scorecard.model import BusinessCase
from scorecard.months import parse_month


MIN_PLAN = 1.0
"""A planned figure under one unit of currency (or one user) is no plan to measure against."""


@dataclass(frozen=True)
class CaseFacts:
    case: BusinessCase
    approved: int
    months_since_approval: int
    benefit_run_rate: float | None
    """Average monthly benefit over the latest three months with figures, times 12 (a year)."""
    realisation: float | None
    """`benefit_run_rate` divided by the case's annual benefit (None: no figures yet)."""
    first_spend: int | None
    """The first month with a cost: payback counts from it, since money spent before approval is spent too."""
    actual_payback_months: int | None
    """Months from the first spend to payback; None while not paid back."""
    payback_since_approval: int | None
    """Months from approval to payback (shown only labelled as such); None while not paid back."""
    spend_to_date: float
    """Cumulative cost to the as-of month."""
    spend_share: float | None
    """Spend to date divided by the planned investment."""
    users: int | None
    users_share: float | None
    """Active users now divided by the planned users."""

    @property
    def payback_overdue(self) -> bool:
        """Not paid back although the planned payback months have passed."""
        planned = self.case.payback_months
        return planned is not None and self.actual_payback_months is None and self.months_since_spend > planned

    @property
    def months_since_spend(self) -> int:
        """Months from the first spend (else the approval) to the as-of month: the clock payback runs on."""
        start = self.first_spend if self.first_spend is not None else self.approved
        return self.months_since_approval + self.approved - start


def case_facts(case: BusinessCase | None, as_of: int, fin: Financials, a: Adoption) -> CaseFacts | None:
    """None without a case, or when it was approved after the as-of month (it did not exist yet)."""
    approved = parse_month(case.approved) if case is not None else None
    if case is None or approved is None or approved > as_of:
        return None
    monthly = fin.benefit_run_rate
    annual = None if monthly is None else 12 * monthly
    first_spend = next((m for m, c in zip(fin.months, fin.cost) if c > 0), None)
    start = first_spend if first_spend is not None else approved
    payback = None if fin.payback_month is None else max(0, fin.payback_month - start)
    since_approval = None if fin.payback_month is None else max(0, fin.payback_month - approved)
    return CaseFacts(
        case=case, approved=approved, months_since_approval=as_of - approved, benefit_run_rate=annual,
        realisation=_share(annual, case.annual_benefit), first_spend=first_spend, actual_payback_months=payback,
        payback_since_approval=since_approval,
        spend_to_date=fin.cumulative_cost, spend_share=_share(fin.cumulative_cost, case.investment),
        users=a.users, users_share=_share(a.users, case.users),
    )


def _share(actual: float | None, planned: float | None) -> float | None:
    """actual / planned; None without both, or against a plan under one unit (a ratio to it means nothing)."""
    if actual is None or planned is None or planned < MIN_PLAN:
        return None
    share = actual / planned
    return share if math.isfinite(share) else None
