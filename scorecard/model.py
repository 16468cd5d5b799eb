"""The typed model of an initiative file (format version 1).

Every field carries a docstring: it is the field's user documentation, and the
JSON Schema (`scorecard schema`) and the contributor guide are generated from
it. The model checks types, allowed values and shapes; rules that relate
several fields (dates in order, KPI ids declared, stage requirements) live in
`validate.py`, where each has its own rule id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from scorecard.catalogue import DEFAULT, Catalogue, FieldSpec
from scorecard.months import DATE_PATTERN, MONTH_PATTERN

FORMAT_VERSION = 1
ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]$"
FOLDER_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
KPI_ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
FIELD_ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
"""A custom field's key: snake_case, like a KPI id."""
CONTROL_ID_PATTERN = r"^[a-z][a-z_0-9]{0,39}$"
"""The same shape as a KPI id, written differently so that an error names the right kind of id."""
# Links and addresses: refuse only what is unsafe or meaningless (another scheme, whitespace, control
# characters); everything else, apostrophes included, is valid and is escaped on output. ECMA-262-safe
# (no escaped quotes) so that editors compile these patterns with the `u` flag.
_NO_SPACE = r"[^\s\x00-\x1f\x7f]"
_ADDRESS = r"[^@\s\x00-\x1f\x7f]"
URL_PATTERN = rf"^[Hh][Tt][Tt][Pp][Ss]?://{_NO_SPACE}+$"
EMAIL_PATTERN = rf"^{_ADDRESS}+@{_ADDRESS}+\.{_ADDRESS}+$"
NOT_BLANK = r"[^\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
"""At least one visible character: not only spaces, zero-width or direction marks."""
MAX_USERS = 10_000_000
MAX_AMOUNT = 1e12
"""The largest cost or benefit of one category in one month: sums over any portfolio stay exact and finite."""
MAX_NUMBER = 1e15
"""The largest KPI figure (either sign)."""

Stage = Literal["proposed", "pilot", "scaling", "production", "paused", "killed", "retired"]
"""The stages, in the order of the funnel then its ends: the one list of them (STAGES is read from it)."""
Verdict = Literal["scale", "sustain", "iterate", "fix", "kill"]
"""The verdicts: the one list of them (VERDICTS is read from it)."""
STAGES: tuple[str, ...] = get_args(Stage)
VERDICTS: tuple[str, ...] = get_args(Verdict)
RULE_IDS: tuple[str, ...] = ("stale", "kpi_off_track", "no_payback", "pilot_purgatory", "governance_gap",
                             "incomplete_costs", "business_case_shortfall", "scale_ready", "healthy",
                             "decision_overdue")
"""The rules' ids, in the order the methodology lists them: the names an exemption may give (`exempt:`), so the
file's vocabulary. `scorecard.rules` registers one module per id and refuses to import if the two differ."""
FUNNEL_STAGES = ("proposed", "pilot", "scaling", "production")
"""The stages an initiative moves through on the way to production, in order."""
ACTIVE_STAGES = ("pilot", "scaling", "production")
CLOSED_STAGES = ("killed", "retired")
COST_CATEGORIES = (
    "licenses", "infrastructure", "people", "training", "change_management", "support", "other",
)
BENEFIT_CATEGORIES = ("labor_savings", "cost_avoidance", "revenue", "other")

DecisionKind = Literal["scale", "sustain", "iterate", "fix", "pause", "kill", "retire"]

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NOT_BLANK)]
WITHHELD_TEXT = "Withheld from the public record"
"""What a public build writes in place of a text it withholds where a value must stand (scorecard/audience.py)."""

NAME_LIMIT = 300
"""Long enough for real registers: the 2025 federal AI inventory has use-case names of up to 236 characters."""
TEXT_LIMIT = 10_000
"""Long enough for real registers: the federal inventory's descriptions run to 2,400 characters."""
Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_LIMIT, pattern=NOT_BLANK)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_LIMIT, pattern=NOT_BLANK)]
MonthText = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
DateText = Annotated[str, StringConstraints(pattern=DATE_PATTERN)]
Url = Annotated[str, StringConstraints(max_length=500, pattern=URL_PATTERN)]
Email = Annotated[str, StringConstraints(max_length=200, pattern=EMAIL_PATTERN)]
KpiId = Annotated[str, StringConstraints(pattern=KPI_ID_PATTERN)]
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]


SOURCE_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"
"""A source's, a metric's or a metric parameter's name in the policy: snake_case."""
FIGURE_PATTERN = r"^(?:users|costs\.[a-z_]{1,40}|benefits\.[a-z_]{1,40}|kpis\.[a-z][a-z0-9_]{0,39})$"
"""A figure of a month block by its path: `users`, `costs.CATEGORY`, `benefits.CATEGORY` or `kpis.KPI_ID`."""
SHA256_PATTERN = r"^sha256:[0-9a-f]{64}$"
MetricName = Annotated[str, StringConstraints(pattern=SOURCE_NAME_PATTERN)]
FigurePath = Annotated[str, StringConstraints(pattern=FIGURE_PATTERN)]
ParamValue = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NOT_BLANK)] | int
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]


FieldKey = Annotated[str, StringConstraints(pattern=FIELD_ID_PATTERN)]
FieldValue = LongText | Number
"""A custom field's value: text (a date, a choice, a link or an address are text too) or a number."""


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True,
    )


class Owner(_Strict):
    name: Name
    """The accountable person's full name."""
    email: Email | None = None
    """Where to reach them."""


class Sponsor(_Strict):
    name: Name
    """The executive who sponsors the initiative."""
    title: ShortText | None = None
    """Their role, e.g. General Counsel."""
    email: Email | None = None
    """Where to reach them."""


class StageEntry(_Strict):
    stage: Stage
    """The stage entered."""
    since: DateText
    """When it was entered: YYYY-MM or YYYY-MM-DD (with `basis: listed`, when a register listed it at the stage)."""
    basis: Literal["entered", "listed", "assumed"] = "entered"
    """entered (default): it entered the stage then; listed: a register listed it at this stage then, and when it entered the stage is not known; assumed: the register gave no stage, and `proposed` stands in for it."""
    note: LongText | None = None
    """Why, or who approved it."""


class ControlStatus(_Strict):
    """A governance control's state when a date alone does not say it."""

    status: Literal["done", "in_progress", "not_applicable"]
    """done (give `date`), in_progress (still a gap; give `due`) or not_applicable (give a `note` saying why)."""
    date: DateText | None = None
    """When it was done (YYYY-MM or YYYY-MM-DD)."""
    due: MonthText | None = None
    """When an in-progress control is due (YYYY-MM); after it, it is past due."""
    note: LongText | None = None
    """Why, or what is booked; required for not_applicable."""
    evidence: Url | None = None
    """Link (http or https) to the record."""


ControlValue = DateText | LongText | ControlStatus
"""A governance control: the date it was done, words describing it (a `text` control), or a status."""
ControlKey = Annotated[str, StringConstraints(pattern=CONTROL_ID_PATTERN)]


class Exemption(_Strict):
    rule: ShortText
    """The rule waived: a rule id such as `pilot_purgatory`, or `governance.<control>` for one control."""
    reason: LongText
    """Why it is waived."""
    approved_by: ShortText
    """Who approved the waiver."""
    expires: MonthText
    """The last month the waiver counts (YYYY-MM)."""


class Milestone(_Strict):
    """What a decision commits to, and by when: until then the decision stands and nothing is overdue."""

    by: MonthText
    """The month it is due (YYYY-MM)."""
    users: Annotated[int, Field(ge=1, le=MAX_USERS)] | None = None
    """Active users to reach by then (a scale decision), e.g. 500."""
    note: LongText | None = None
    """The milestone in words."""


class Decision(_Strict):
    month: MonthText
    """The month leadership decided (YYYY-MM)."""
    decision: DecisionKind
    """What was decided: scale, sustain, iterate, fix, pause, kill or retire."""
    by: ShortText
    """Who decided, e.g. the AI council."""
    milestone: Milestone | None = None
    """What the decision commits to, e.g. `{users: 500, by: 2027-01}`: until that month the verdict it acted on is not overdue; missing it makes it overdue again."""
    note: LongText | None = None
    """Anything worth knowing about the decision."""


class Kpi(_Strict):
    id: KpiId
    """snake_case id, unique in the file; month blocks report actuals under it."""
    name: Name
    """What is measured, in business terms."""
    unit: ShortText
    """Unit of the figures, e.g. days, %, hours/month."""
    direction: Literal["increase", "decrease"]
    """Which way is better."""
    baseline: Number
    """The value before the initiative."""
    target: Number
    """The value to reach; must be better than the baseline in `direction`."""
    target_month: MonthText
    """When the target should be reached (YYYY-MM)."""
    primary: bool = False
    """Exactly one KPI is primary: the one the verdict leans on."""
    restated: LongText | None = None
    """Why the baseline, target, target month, unit or direction of this KPI was changed after it was in the scorecard (moved goalposts)."""


class BusinessCase(_Strict):
    """The case that was approved for the initiative: the plan its figures are held against."""

    approved: MonthText
    """The month the case was approved (YYYY-MM)."""
    by: ShortText
    """Who approved it, e.g. the AI council."""
    annual_benefit: Amount
    """The benefit per year planned at target adoption, in the portfolio's currency."""
    investment: Amount | None = None
    """The one-off spend planned to reach the target."""
    payback_months: Annotated[int, Field(ge=1, le=240)] | None = None
    """Planned months from approval to payback."""
    users: Annotated[int, Field(ge=1, le=MAX_USERS)] | None = None
    """Planned active users at target."""
    annual_run_cost: Amount | None = None
    """The running cost per year planned at the case's users: what scaling is expected to add to the cost."""
    note: LongText | None = None
    """What the case promised, in words."""


class Adoption(_Strict):
    target_users: Annotated[int, Field(ge=1, le=MAX_USERS)] | None = None
    """How many active users the initiative is meant to reach."""
    run_cost_at_target: Amount | None = None
    """The expected running cost a month at target users (else the business case's annual_run_cost, else the cost per user now is extrapolated, and the page says so)."""


class Costs(_Strict):
    """Full cost of the month by category, in the portfolio's currency."""

    licenses: Amount | None = None
    """Software and model licences, API usage."""
    infrastructure: Amount | None = None
    """Compute, storage, hosting."""
    people: Amount | None = None
    """Build and run team time."""
    training: Amount | None = None
    """Training users."""
    change_management: Amount | None = None
    """Process redesign and communication."""
    support: Amount | None = None
    """Operations and support."""
    other: Amount | None = None
    """Anything else."""


class Benefits(_Strict):
    """Benefit of the month by category, in the portfolio's currency."""

    labor_savings: Amount | None = None
    """Time saved, valued at loaded cost."""
    cost_avoidance: Amount | None = None
    """Spend avoided."""
    revenue: Amount | None = None
    """Revenue gained."""
    other: Amount | None = None
    """Anything else."""


class Binding(_Strict):
    """Where `scorecard pull` reads a figure: a metric of the policy, and the values of its parameters."""

    metric: MetricName
    """A metric declared by the program office in the policy (`scorecard sources` lists them)."""
    params: dict[Annotated[str, StringConstraints(pattern=SOURCE_NAME_PATTERN)], ParamValue] = {}
    """A value for each of the metric's parameters, e.g. `{queue: legal}`: it selects this initiative's rows of the metric's result, and is never part of a query's text."""


class Measurement(_Strict):
    """The provenance of a pulled figure, written by `scorecard pull` (not by hand)."""

    source: MetricName
    """The policy's source it was read from."""
    metric: MetricName
    """The policy's metric that computed it."""
    params: dict[Annotated[str, StringConstraints(pattern=SOURCE_NAME_PATTERN)], ParamValue] = {}
    """The parameter values that selected the initiative's rows."""
    rows: Annotated[int, Field(ge=0)]
    """How many rows of the source the figure sums up."""
    query: Sha256
    """SHA-256 of the metric's query text: a changed query shows as a changed hash."""
    result: Sha256
    """SHA-256 of the figure as pulled (metric, parameters, month, value, rows): a figure edited by hand no longer matches it."""
    problem: LongText | None = None
    """Why the figure is unverified (it failed the metric's freshness or expectations); it cannot support a scale verdict."""


class MonthBlock(_Strict):
    users: Annotated[int, Field(ge=0)] | None = None
    """Active users that month."""
    kpis: dict[str, Number] = {}
    """KPI actuals for the month, keyed by KPI id."""
    costs: Costs | None = None
    """Full costs of the month by category."""
    benefits: Benefits | None = None
    """Benefits of the month by category."""
    status: Literal["green", "amber", "red"] | None = None
    """The team's own call on the month."""
    note: LongText | None = None
    """What happened this month."""
    evidence: Url | None = None
    """Link (http or https) to where the numbers come from."""
    restated: LongText | None = None
    """Why figures of this already-published month were changed."""
    confirmed: list[Literal["users", "costs", "benefits", "kpis"]] = []
    """Figures of this month that look like a typing slip but are right (a 10x jump at a launch): validation no longer warns about them."""
    measured: dict[FigurePath, Measurement] = {}
    """Written by `scorecard pull`: the provenance of each figure pulled from a source, e.g. `costs.infrastructure`."""
    estimated: list[FigurePath] = []
    """Figures of this month that are estimates, not measured or counted, e.g. `[benefits.labor_savings]`."""


class Initiative(_Strict):
    """One AI initiative: who owns it, where it stands and its monthly figures."""

    name: Name
    """Short name, 1-300 characters."""
    summary: LongText
    """The business problem and the workflow the initiative is embedded in."""
    business_unit: ShortText
    """The business unit that owns the outcome."""
    owner: Owner
    """The accountable person."""
    sponsor: Sponsor | None = None
    """Executive sponsor; required from stage `scaling` on."""
    stage: Stage
    """proposed, pilot, scaling, production, paused, killed or retired."""
    stage_history: Annotated[list[StageEntry], Field(min_length=1)]
    """Dated stage transitions, oldest first; the last one must equal `stage`."""
    operating_model: Literal["central", "federated", "business_unit"] | None = None
    """Who builds and runs it."""
    integrations: list[ShortText] = []
    """Systems of record the initiative is embedded in."""
    autonomy: Literal["advisory", "human_in_the_loop", "autonomous", "unknown"]
    """How much the AI acts on its own; `autonomous` needs an exemption; `unknown`: not stated (an import from a register that does not say)."""
    risk_tier: Literal["low", "medium", "high", "unknown"]
    """Decides which governance controls are required; `unknown` is governed as `high`, the strictest tier, with a warning, until it is set."""
    tags: list[ShortText] = []
    """Free labels."""
    governance: dict[ControlKey, ControlValue | None] = {}
    """Governance controls of the portfolio's catalogue: the date each was done, or `{status, date, due, note, evidence}`."""
    exemptions: list[Exemption] = []
    """Policy rules waived for this initiative, each until an expiry month."""
    decisions: list[Decision] = []
    """What leadership decided, and when."""
    kpis: list[Kpi] = []
    """Business outcomes, not model accuracy."""
    adoption: Adoption = Adoption()
    """Adoption target."""
    business_case: BusinessCase | None = None
    """The approved business case (optional): realisation, payback and spend are measured against it."""
    exit_cost: Amount | None = None
    """The one-off cost of stopping (a contract's break fee, a migration): the money a kill saves is shown net of it."""
    confirmed: list[Literal["run_cost", "exit_cost"]] = []
    """Figures outside the month blocks that look like a typing slip but are right (`run_cost`: the run cost at target, declared under adoption or in the business case; `exit_cost`): validation no longer warns about them."""
    visibility: Literal["public", "internal"] = "internal"
    """`public`: listed in a public build of the site (the plugin option `audience: public`), with the fields the policy withholds left out; `internal` (default): only in the internal build."""
    fields: dict[FieldKey, FieldValue] = {}
    """The organisation's own fields, declared under `fields:` in the policy (e.g. topic area, vendor)."""
    pull: dict[FigurePath, Binding] = {}
    """Figures that `scorecard pull` reads from the program office's sources, e.g. `users: {metric: active_users, params: {app: contract-review}}`; the month blocks get the values and their provenance."""
    months: dict[MonthText, MonthBlock] = {}
    """One block per month (YYYY-MM), appended by each monthly pull request."""


_TEXT = {"type": "string", "minLength": 1, "maxLength": TEXT_LIMIT}
_FIELD_SCHEMA: dict[str, Callable[[FieldSpec], dict[str, Any]]] = {
    "text": lambda f: {"anyOf": [_TEXT, {"type": "number"}]},
    "number": lambda f: {"type": "number"},
    "date": lambda f: {"type": "string", "pattern": DATE_PATTERN},
    "choice": lambda f: {"enum": list(f.choices)},
    "url": lambda f: {"type": "string", "maxLength": 500, "pattern": URL_PATTERN},
    "email": lambda f: {"type": "string", "maxLength": 200, "pattern": EMAIL_PATTERN},
}
"""The JSON Schema of a custom field's value, by its declared type."""


def json_schema(catalogue: Catalogue = DEFAULT) -> dict[str, Any]:
    """The JSON Schema of an initiative file, for editors and for the site; `governance` lists the catalogue's
    controls (`scorecard schema` uses the catalogue of the policy in force)."""
    schema = Initiative.model_json_schema()
    # pydantic checks the month keys but does not write the check into the schema
    schema["properties"]["months"]["propertyNames"] = {"pattern": MONTH_PATTERN}
    governance = schema["properties"]["governance"]
    [value] = governance.pop("patternProperties").values()
    governance["properties"] = {
        c.id: {**value, "title": c.name,
               "description": " ".join(filter(None, [c.description, f"({'; '.join(c.references)})" if c.references else ""]))}
        for c in catalogue.controls}
    governance["additionalProperties"] = False
    fields = schema["properties"]["fields"]
    fields.pop("patternProperties", None)
    fields["properties"] = {f.id: {"title": f.name, **({"description": f.description} if f.description else {}),
                                   **_FIELD_SCHEMA[f.type](f)} for f in catalogue.fields}
    fields["additionalProperties"] = False
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://scorecard.example/schema/initiative-v1.json"
    schema["title"] = "AI initiative (scorecard format version 1)"
    return schema


@dataclass(frozen=True)
class LoadedInitiative:
    """An initiative file that validated: its id (the file name), its path as problems show it, and its model."""

    id: str
    path: str
    model: Initiative
