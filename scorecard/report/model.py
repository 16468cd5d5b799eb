"""The scorecard's typed result: what `compute` hands to every output, and what `scorecard.json` holds.

One model, three uses: the outputs read it (pages, JSON, CSV, xlsx, the
registers, the digest, the board pack, the pull-request comment), the JSON
Schema of `scorecard.json` is generated from it (`schema/scorecard.schema.json`),
and a previous month's `scorecard.json` is read back through it
(`report.read`). Months are `YYYY-MM` text, money is rounded to cents and
ratios to four places, as the JSON has always written them.

A public build that withholds money leaves the money fields out of the JSON
(`withheld: [money]`); read back, they are None.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

SCHEMA_VERSION: Final = 1
"""The version of `scorecard.json`'s shape; a reader refuses any other. Version 1 was written as
`report_version` before the schema was published, with the same shape."""

Number = int | float
"""A figure as it was entered or computed: an int stays an int in the JSON (`16`, not `16.0`)."""
Month = str
"""A calendar month, `YYYY-MM`."""


class Part(BaseModel):
    """A piece of the report: closed (an unknown key is an error) and immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Finding(Part):
    """A rule's finding: the verdict it argues for, its reason and the numbers behind it."""

    rule: str
    verdict: str | None
    message: str
    change: str
    numbers: dict[str, Any]


class Point(Part):
    month: Month
    value: Number
    status: str


class Kpi(Part):
    id: str
    name: str
    unit: str
    direction: str
    primary: bool
    baseline: Number
    target: Number
    target_month: Month | None
    latest: Number | None
    latest_month: Month | None
    change: Number | None
    progress: Number | None
    expected: Number | None
    trend: Number | None
    projected_month: Month | None
    status: str
    months_of_data: int
    series: list[Point]


class MonthMoney(Part):
    """One month's cost and benefit, and their running totals."""

    month: Month
    cost: Number | None
    benefit: Number | None
    cumulative_cost: Number | None
    cumulative_benefit: Number | None


class Financials(Part):
    cumulative_cost: Number | None
    cumulative_benefit: Number | None
    net: Number | None
    roi: Number | None
    payback_month: Month | None
    payback_lost_month: Month | None
    projected_payback_month: Month | None
    projected_from: Month | None
    run_rate: Number | None
    annual_run_rate: Number | None
    cost_per_user: Number | None
    cost_complete: bool
    cost_categories: int
    cost_by_category: dict[str, Number | None]
    benefit_by_category: dict[str, Number | None]
    monthly: list[MonthMoney]


class Users(Part):
    month: Month
    users: int


class Adoption(Part):
    users: int | None
    target_users: int | None
    adoption_pct: Number | None
    growth_pct: Number | None
    growing: bool | None
    milestones: dict[str, Month | None]
    series: list[Users]


class BusinessCase(Part):
    approved: str
    by: str
    note: str | None
    investment: Number | None
    annual_benefit: Number | None
    planned_users: int | None
    months_since_approval: int | None
    benefit_run_rate: Number | None
    realisation: Number | None
    planned_payback_months: Number | None
    actual_payback_months: Number | None
    """Months from the first spend (the first month with a cost) to payback."""
    first_spend: Month | None = None
    payback_since_approval: Number | None = None
    """Months from the approval to payback, for reference: the plan's payback is held against the first spend."""
    months_since_spend: int | None = None
    payback_overdue: bool | None
    spend_to_date: Number | None
    spend_share: Number | None
    users: int | None
    users_share: Number | None


class Control(Part):
    id: str
    name: str
    status: str
    date: str | None
    due: str | None
    note: str | None
    evidence: str | None
    exempted: bool


class Governance(Part):
    required: list[str]
    present: list[str]
    missing: list[str]
    expired: list[str]
    exempted: list[str]
    gaps: list[str]
    expired_exemptions: list[str]
    complete: bool
    not_applicable: list[str]
    in_progress: list[str]
    past_due: list[str]
    controls: list[Control]


class Stake(Part):
    """The money a month that following the verdict is worth against its alternative (one sign everywhere:
    positive, it gains that much a month; negative, it costs that much), and what it counts."""

    monthly: Number | None
    basis: str
    """What the figure counts, in words: shown under it."""
    label: str = ""
    """What it counts, in a few words, for a card: "added net at 500 users", "net burn avoided", "net run rate"."""
    benefit_change: Number | None = None
    """scale: the benefit a month that reaching target users adds."""
    cost_change: Number | None = None
    """scale: the run cost a month that reaching target users adds."""
    one_off: Number | None = None
    """kill: the declared exit cost, once (negative)."""
    vs_case: Number | None = None
    """scale: the projected annual benefit at target against the business case's, as a share (0.4: 40% above)."""
    case_note: str | None = None
    """scale: the projection reconciled with the business case, in words."""


class VerdictMonth(Part):
    month: Month
    verdict: str | None


class ScaleWait(Part):
    first_scale: Month | None
    decided: Month | None
    months: int
    waiting: bool
    lapsed: bool


class Decided(Part):
    """A decision that acted on a scale or kill verdict and still stands (until its milestone's month)."""

    month: Month
    until: Month
    """The last month it stands: its milestone's month, or the policy's follow-through from its own."""
    decision: str | None
    """scale, kill, retire or pause; None for a stage change with no decision of its own."""
    by: str | None
    milestone_users: int | None
    milestone: bool
    """Whether the decision declared its milestone (false: the policy's follow-through months)."""


class MeasuredSeries(Part):
    """A figure pulled from a source: which, from where, for how many months."""

    figure: str
    source: str
    metric: str
    params: dict[str, str | int]
    months: int
    first: Month
    last: Month


class Unverified(Part):
    figure: str
    month: Month
    problem: str | None
    """Why (None in a build that withholds money, for a money figure)."""


class FigureSources(Part):
    """Where the figures of the latest month come from: measured (pulled, with provenance), entered (typed) or
    estimated (declared so)."""

    month: Month | None
    figures: dict[str, Literal["measured", "entered", "estimated"]]
    counts: dict[str, int]
    money_measured: Number | None
    """The share of the latest month's cost and benefit that is measured (None: no money, or withheld)."""
    primary_measured: bool | None
    series: list[MeasuredSeries]
    unverified: list[Unverified]


class PortfolioSources(Part):
    money_measured: Number | None
    """The share of the portfolio's latest-month cost and benefit that is measured."""
    primary_kpis: int
    """Initiatives whose primary KPI has a figure in their latest month."""
    primary_kpis_measured: int
    initiatives_measured: int
    """Initiatives with at least one measured figure in their latest month."""


class InitiativeReport(Part):
    """One initiative of the scorecard: what it is, its verdict and why, and its figures."""

    measured: bool = True
    """Whether any month block up to the as-of month holds a figure. False: *not measured* (no figures yet), so
    no verdict, and its money is None (no figures), not zero."""

    id: str
    path: str
    name: str
    business_unit: str
    """The unit's one spelling across the report (`units.spellings`)."""
    owner: str
    sponsor: str | None
    stage: str
    stage_since: Month | None
    months_in_stage: int | None
    stage_basis: Literal["entered", "listed", "assumed"] = "entered"
    """entered: stage_since is when it entered the stage; listed: the month a register listed it at the stage (when
    it entered is not known); assumed: the register gave no stage and proposed stands in."""
    risk_tier: str
    """low, medium, high, or unknown (governed as high, the strictest tier)."""
    autonomy: str | None
    operating_model: str | None
    fields: dict[str, Any]
    verdict: str | None
    score: int | None
    score_parts: dict[str, Number]
    reasons: list[Finding]
    change: str
    decision_overdue: bool
    overdue: Finding | None
    stake: Stake | None = None
    """None when there is no stake, and when money is withheld."""
    verdict_history: list[VerdictMonth]
    verdict_since: Month | None
    verdict_months: int | None
    verdict_stood_whole_history: bool
    decide_by: Month | None
    waiting_since: Month | None
    waiting_months: int | None
    ask: str | None = None
    """For scale or kill: what the board is asked to decide ("approve expansion from 276 to 500 users; added run
    cost ..."), without its money when money is withheld."""
    decided: Decided | None = None
    """For scale or kill: the decision (or stage change) acting on the verdict that still stands, so nothing waits."""
    scale_wait: ScaleWait | None
    last_update: Month | None
    months_since_update: int | None
    kpis: list[Kpi]
    financials: Financials | None = None
    """None only when money is withheld."""
    adoption: Adoption
    business_case: BusinessCase | None = None
    governance: Governance
    sources: FigureSources | None = None
    """Where the latest month's figures come from, and each measured series' source."""

    @property
    def under_review(self) -> str | None:
        """The scale or kill verdict the rules give this month that has not held long enough to be shown (None: none)."""
        first = self.reasons[0] if self.reasons else None
        return first.numbers.get("ruled") if first is not None and first.rule == "under_review" else None

    @property
    def monthly_stake(self) -> float | None:
        """The money the verdict moves a month; None when there is none, or it is withheld."""
        return self.stake.monthly if self.stake else None


class PlanAgainstActual(Part):
    initiatives: int
    planned_annual_benefit: Number
    realised_annual_benefit: Number
    realisation: Number | None


class Totals(Part):
    """A group's totals: the whole portfolio's, or one business unit's."""

    initiatives: int
    active: int
    users: int
    cumulative_cost: Number | None = None
    cumulative_benefit: Number | None = None
    net: Number | None = None
    roi: Number | None = None
    by_stage: dict[str, int]
    by_verdict: dict[str, int]
    business_case: PlanAgainstActual | None = None


class Pair(Part):
    """Two initiatives in different units whose words are alike: possibly duplicated effort."""

    a: str
    b: str
    similarity: Number


class VerdictStake(Part):
    initiatives: int
    monthly: Number
    """The stakes summed, positive and negative."""
    gains: Number = 0
    """The positive stakes summed: the net that scaling adds, the burn that stopping avoids."""
    losses: Number = 0
    """The negative stakes summed, as a positive amount: the net scaling would lose, or stopping would give up."""
    losing: int = 0
    """How many have a negative stake (a kill that makes money, a scale whose net would fall)."""


class ScaleWaits(Part):
    """The pilot paradox as a number: months from the first scale verdict to a decision."""

    initiatives: int
    decided: int
    waiting: int
    lapsed: int
    median_months: Number | None
    longest_months: int | None
    longest: str | None


class Conversion(Part):
    """One step of the funnel, counted by cohort."""

    start: str
    end: str
    reached: int
    """How many reached the first stage."""
    moved_on: int
    """How many of them reached the second."""
    rate: Number | None


class Portfolio(Totals):
    measured: int | None = None
    """How many initiatives have figures (None in a report written before the count existed)."""
    not_measured: int | None = None
    """How many have none yet: in the inventory, not measured (an import reads as a coverage report)."""
    active_users: int
    funnel: dict[str, int]
    """How many are at each funnel stage now."""
    ever_reached: dict[str, int]
    """By cohort: how many reached each funnel stage, from the lowest they were at up to the furthest they
    recorded; for paused, killed and retired, how many ever recorded it."""
    entered_at: dict[str, int] = {}
    """How many entered the portfolio at each stage (their first recorded stage)."""
    moved_back: dict[str, int] = {}
    """How many reached each funnel stage only by moving back to or past it (from production to pilot, say)."""
    conversions: list[Conversion] = []
    """From each funnel stage to the next (and pilot to production): of those that reached the first, how many
    reached the second."""
    pilot_to_production: Number | None
    """Of the initiatives that reached pilot, the share that reached production (never above 1)."""
    by_business_unit: dict[str, Totals]
    top_by_net: list[str] | None = None
    scale_list: list[str]
    kill_list: list[str]
    fix_list: list[str]
    overdue: list[str]
    duplicates: list[Pair]
    monthly: list[MonthMoney] | None = None
    stake_by_verdict: dict[str, VerdictStake] | None = None
    scale_wait: ScaleWaits
    sources: PortfolioSources | None = None
    """How much of the portfolio's latest figures is measured at its source."""


class Report(Part):
    """The whole scorecard as of a month."""

    schema_version: Literal[1] = Field(SCHEMA_VERSION, validation_alias=AliasChoices("schema_version", "report_version"))
    as_of: Month
    currency: str
    portfolio: Portfolio
    initiatives: list[InitiativeReport]
    withheld: list[Literal["money"]] = []
    """What a public build left out: `money` (every cost, benefit, stake and business case)."""

    @property
    def money(self) -> bool:
        """Whether the report holds money (a public build withholds it)."""
        return "money" not in self.withheld

    def by_id(self) -> dict[str, InitiativeReport]:
        return {i.id: i for i in self.initiatives}


def report_schema() -> dict[str, Any]:
    """The JSON Schema of `scorecard.json` (committed as schema/scorecard.schema.json; CI checks both agree)."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://scorecard.example/schema/scorecard-v{SCHEMA_VERSION}.json"
    schema["title"] = "scorecard.json"
    return schema
