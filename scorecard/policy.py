"""The policy: every threshold the scoring engine uses, with its default.

A company sets its own in a policy file named by the `scorecard` plugin's
`policy` option in `mkdocs.yml` (see `config.py`); anything left out keeps the
default below. The file is read by the same strict loader as initiative files,
and an unknown key or a wrong type is reported with its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scorecard.errors import InvalidPortfolio
from scorecard.load import LoadError, read_document
from scorecard.model import Control
from scorecard.schema_errors import validate_model

Share = Annotated[float, Field(ge=0, le=1)]
Months = Annotated[int, Field(ge=1, le=240)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)


class KpiPolicy(_Section):
    at_risk_gap: Share = 0.10
    """A KPI whose progress lags the straight path by more than this share of the way is at risk."""
    off_track_gap: Share = 0.25
    """... and by more than this share, off track."""
    trend_months: Months = 6
    """The trend is the least-squares slope over this many latest months of data."""


class StalePolicy(_Section):
    fix_after: Months = 2
    """`stale` says fix when the last month block is this many months before the as-of month."""
    kill_after: Months = 3
    """... and kill (abandoned) from this many months without a block."""


class GovernancePolicy(_Section):
    low: list[Control] = ["risk_assessment"]
    """Controls required at risk tier low."""
    medium: list[Control] = ["risk_assessment", "privacy_review", "monitoring", "rollback_plan"]
    """Controls required at risk tier medium."""
    high: list[Control] = [
        "risk_assessment", "privacy_review", "monitoring", "rollback_plan", "bias_assessment", "human_review",
    ]
    """Controls required at risk tier high."""
    max_age_months: Months = 12
    """A dated control older than this must be redone."""


class PilotPolicy(_Section):
    max_months: Months = 6
    """`pilot_purgatory` fires once an initiative has been in pilot this many months."""


class KpiOffTrackPolicy(_Section):
    months: Months = 3
    """`kpi_off_track` fires when the primary KPI was off track this many consecutive months."""


class PaybackPolicy(_Section):
    horizon_months: Months = 24
    """`no_payback` fires for pilot and scaling when payback is not reached nor projected within this many months."""
    min_months: Months = 6
    """... but only once there are this many months of figures."""
    production_negative_months: Months = 3
    """In production, this many consecutive months of negative net fire `no_payback`."""


class ScalePolicy(_Section):
    kpi_share: Share = 0.75
    """`scale_ready` needs at least this share of KPIs on track (the primary always)."""
    payback_months: Months = 18
    """... and payback reached, or projected within this many months from the as-of month."""


class CostPolicy(_Section):
    min_categories: Annotated[int, Field(ge=1, le=7)] = 3
    """From scaling on, fewer reported cost categories than this means costs are incomplete."""


class DecisionPolicy(_Section):
    overdue_months: Months = 2
    """`decision_overdue` flags a scale or kill verdict repeated this many months without a decision."""


class BusinessCasePolicy(_Section):
    grace_months: Months = 6
    """`business_case_shortfall` waits this many months after the case was approved."""
    min_realisation: Share = 0.5
    """... then, in scaling or production, a benefit run rate below this share of the case's annual benefit says fix."""


class Weights(_Section):
    value: Share = 0.35
    """KPI progress."""
    financials: Share = 0.25
    """Payback and ROI."""
    adoption: Share = 0.15
    """Users against target."""
    governance: Share = 0.15
    """Required controls in place."""
    freshness: Share = 0.10
    """Figures up to date."""

    @model_validator(mode="after")
    def _sum_to_one(self) -> Weights:
        total = self.value + self.financials + self.adoption + self.governance + self.freshness
        if abs(total - 1) > 1e-6:
            raise ValueError(f"the score weights must add up to 1, they add up to {total:g}")
        return self


class Policy(_Section):
    """The policy in force: thresholds for KPI status, the rules and the health score."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    """ISO code of the portfolio's currency; all amounts are in it."""
    milestones: list[Annotated[int, Field(ge=1)]] = [5, 50, 500]
    """Adoption milestones: the last mile from a handful of users to real use."""
    kpi: KpiPolicy = KpiPolicy()
    stale: StalePolicy = StalePolicy()
    governance: GovernancePolicy = GovernancePolicy()
    pilot: PilotPolicy = PilotPolicy()
    kpi_off_track: KpiOffTrackPolicy = KpiOffTrackPolicy()
    payback: PaybackPolicy = PaybackPolicy()
    scale: ScalePolicy = ScalePolicy()
    costs: CostPolicy = CostPolicy()
    decisions: DecisionPolicy = DecisionPolicy()
    business_case: BusinessCasePolicy = BusinessCasePolicy()
    weights: Weights = Weights()
    """Weights of the health score's parts; they add up to 1."""
    similarity: Share = 0.45
    """Initiatives in different business units whose names and summaries are at least this alike are flagged as possible duplicated effort."""

    def required_controls(self, tier: str) -> list[str]:
        return list(getattr(self.governance, tier))


def load_policy(path: Path | None) -> Policy:
    """The policy from `path` (defaults where it is silent), or the defaults when there is none."""
    if path is None:
        return Policy()
    display = str(path)
    try:
        doc, problems = read_document(path, display)
    except LoadError as exc:
        raise InvalidPortfolio([exc.problem]) from None
    if doc.data is None:
        return Policy()
    policy, schema_problems = validate_model(doc, Policy)
    problems += schema_problems
    if problems or policy is None:
        raise InvalidPortfolio(problems)
    return policy
