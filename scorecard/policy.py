"""The policy: every threshold the scoring engine uses, with its default.

A company sets its own in a policy file named by the `scorecard` plugin's
`policy` option in `mkdocs.yml` (see `config.py`); anything left out keeps the
default below. The file is read by the same strict loader as initiative files,
and an unknown key or a wrong type is reported with its line.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from scorecard.errors import InvalidPortfolio
from scorecard.load.reader import Document, LoadError, parse_text, read_document
from scorecard.problem import Problem
from scorecard.catalogue import PRESETS, TIERS, Catalogue, Control, FieldSpec
from scorecard.model import CONTROL_ID_PATTERN, FIELD_ID_PATTERN

from scorecard.validate.schema_errors import suggest, validate_model
from scorecard.sources.config import KEY_PARAM, Metrics, Sources

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


ControlId = Annotated[str, Field(pattern=CONTROL_ID_PATTERN)]
ControlName = Annotated[str, Field(min_length=1, max_length=120)]
ControlList = list[ControlId]


class ControlPolicy(_Section):
    """A control of the catalogue: a new one, or changes to a preset's control of the same id."""

    name: ControlName | None = None
    """Its plain-language name (required for a control the preset does not have)."""
    description: Annotated[str, Field(max_length=2000)] | None = None
    """What doing it means."""
    references: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = None
    """Where a framework asks for it, e.g. `NIST AI RMF MEASURE 2.7`."""
    kind: Literal["date", "text"] | None = None
    """`date` (default): recorded as the date it was done; `text`: may be recorded in words."""
    max_age_months: Months | None = None
    """Redo it after this many months (default: `governance.max_age_months`)."""


class RequiredPolicy(_Section):
    low: ControlList | None = None
    """Controls required at risk tier low (default: the preset's)."""
    medium: ControlList | None = None
    """... at risk tier medium."""
    high: ControlList | None = None
    """... at risk tier high."""


class GovernancePolicy(_Section):
    preset: Literal["default", "omb-m-25-21", "eu-ai-act-high-risk"] = "default"
    """The catalogue to start from: `default` (six controls, NIST AI RMF), `omb-m-25-21` (the minimum practices for high-impact AI of OMB memorandum M-25-21) or `eu-ai-act-high-risk` (the EU AI Act's obligations for high-risk systems)."""
    controls: dict[ControlId, ControlPolicy] = {}
    """Controls added to the preset, or overriding one of its controls, e.g. `red_team: {name: Red-team exercise, references: [NIST AI RMF MEASURE 2.7], max_age_months: 6}`; require a new one under `required`."""
    required: RequiredPolicy = RequiredPolicy()
    """Which controls each risk tier requires (a tier left out keeps the preset's list)."""
    max_age_months: Months = 12
    """A dated control older than this must be redone (a control may set its own)."""
    low: ControlList | None = None
    """Format version 1's place for `required.low` (still read)."""
    medium: ControlList | None = None
    """Format version 1's place for `required.medium` (still read)."""
    high: ControlList | None = None
    """Format version 1's place for `required.high` (still read)."""

    def required_ids(self, tier: str) -> list[str]:
        chosen = getattr(self.required, tier)
        if chosen is None:
            chosen = getattr(self, tier)
        return list(chosen) if chosen is not None else list(PRESETS[self.preset].required_for(tier))

    def catalogue(self) -> Catalogue:
        """The catalogue in force: the preset with the policy's controls added or merged over it."""
        base = PRESETS[self.preset]
        controls = {c.id: c for c in base.controls}
        for ident, over in self.controls.items():
            old = controls.get(ident) or Control(ident, over.name or ident)
            # what the policy leaves out (None) keeps the preset's value
            controls[ident] = replace(
                old,
                name=old.name if over.name is None else over.name,
                description=old.description if over.description is None else over.description,
                references=old.references if over.references is None else tuple(over.references),
                kind=old.kind if over.kind is None else over.kind,
                max_age_months=old.max_age_months if over.max_age_months is None else over.max_age_months,
            )
        low, medium, high = (tuple(self.required_ids(t)) for t in TIERS)
        return Catalogue(self.preset, tuple(controls.values()), (low, medium, high))


FieldId = Annotated[str, Field(pattern=FIELD_ID_PATTERN)]


class FieldPolicy(_Section):
    """A field of the organisation's register that every initiative may record under `fields:`."""

    name: ControlName
    """Its plain-language name, e.g. Topic area."""
    type: Literal["text", "number", "date", "choice", "url", "email"] = "text"
    """text, number, date (YYYY-MM or YYYY-MM-DD), choice (one of `choices`), url (http or https) or email."""
    choices: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = None
    """The allowed values of a `choice` field, e.g. ["yes", "no", "unknown"]."""
    description: Annotated[str, Field(max_length=2000)] | None = None
    """What it records: shown in the JSON Schema, so editors show it while typing."""


WITHHOLDABLE = ("money", "business_case", "owner_email", "notes", "evidence", "exemption_details")
Withheld = Annotated[str, Field(pattern=r"^(money|business_case|owner_email|notes|evidence|exemption_details|fields\.[a-z][a-z0-9_]{0,39})$")]


class PublicPolicy(_Section):
    withhold: list[Withheld] = list(WITHHOLDABLE)
    """What a public build leaves out, everywhere (pages, data files, exports, search, charts): `money` (every cost and benefit figure and all that is computed from them), `business_case`, `owner_email` (owner and sponsor addresses), `notes` (month notes, restatements, stage, decision and governance notes), `evidence` (links), `exemption_details` (who approved a waiver and why) and any of your fields as `fields.ID`. Default: all six."""


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
    follow_through_months: Months = 6
    """A decision (or stage change) that acts on a scale or kill verdict and declares no milestone stands this many months, counting its own, before the verdict asks again."""
    milestone_max_months: Months = 24
    """A decision's milestone is due at most this many months after the decision: a later one would keep the verdict from asking again for longer than leadership can hold anyone to it."""


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


class ImportLimits(_Section):
    """What `scorecard import` reads at most: a register beyond a limit is refused with one line, before it is read
    into memory. The defaults hold the whole 2025 federal inventory (3,611 rows, 67 columns, 10 MB) many times over."""

    rows: Annotated[int, Field(ge=1, le=10_000_000)] = 100_000
    """Rows after the header."""
    columns: Annotated[int, Field(ge=1, le=100_000)] = 1_000
    """Columns, the header's included."""
    cell_chars: Annotated[int, Field(ge=1, le=10_000_000)] = 32_767
    """Characters in one cell (32,767 is Excel's own limit)."""
    file_mb: Annotated[int, Field(ge=1, le=10_000)] = 200
    """The file's size on disk, in MiB."""
    xlsx_uncompressed_mb: Annotated[int, Field(ge=1, le=100_000)] = 1_000
    """A workbook's parts once unzipped, in MiB (a workbook is a zip: 1 MB on disk can unzip to gigabytes)."""
    problems_shown: Annotated[int, Field(ge=0, le=1_000_000)] = 200
    """Problems printed one per line; the rest are counted (`--all-problems` prints them all)."""


class PlausibilityPolicy(_Section):
    """When validation warns that a valid figure is probably a typing slip (the data is kept)."""

    jump_factor: Annotated[float, Field(ge=2, le=1000)] = 10
    """A month's total cost, total benefit or users at least this many times the previous month's, or at most its 1/factor."""
    users_over_target: Annotated[float, Field(ge=1, le=1000)] = 2
    """Active users more than this many times the adoption target."""
    jump_from_users: Annotated[int, Field(ge=0)] = 50
    """A jump in users is checked from this many users in the earlier month on: growth from a handful (5 to 60 in a pilot's first months) is normal."""


class Limits(_Section):
    import_: ImportLimits = Field(default=ImportLimits(), alias="import")
    """For `scorecard import`: beyond any of these, a register is refused in one line before it is read."""


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
    public: PublicPolicy = PublicPolicy()
    """What a public build (plugin option `audience: public`) withholds."""
    stage_requirements: Literal["error", "warning"] = "error"
    """From scaling on an initiative needs a sponsor and a KPI: `error` refuses the file without them; `warning` (for a register imported as it is, e.g. the federal inventory, which names neither) accepts it and says what is missing."""
    fields: dict[FieldId, FieldPolicy] = {}
    """The organisation's own fields (topic area, vendor, personal data, ...), e.g. `vendor: {name: Vendor}` or `has_pii: {name: Uses personal data, type: choice, choices: ["yes", "no", "unknown"]}`; initiatives record them under `fields:`."""
    plausibility: PlausibilityPolicy = PlausibilityPolicy()
    """Warnings on valid figures that are probably typing slips: a jump between months, users far above target."""
    limits: Limits = Limits()
    """How much a command reads at most (`limits.import`: rows, columns, cell length and file sizes of a register)."""
    hold_months: Months = 2
    """A new scale or kill verdict (the two that ask for a decision) is shown once it has held this many months in a row; until then the previous verdict stands, marked under review, so a verdict does not flicker between kill and scale."""
    similarity: Share = 0.45
    """Initiatives in different business units whose names and summaries are at least this alike are flagged as possible duplicated effort."""
    sources: Sources = {}
    """The program office's systems of record for `scorecard pull`, by name: FOCUS cost exports, usage exports, files through DuckDB, SQL databases (the README's "Figures from their sources"); credentials only by the name of an environment variable."""
    metrics: Metrics = {}
    """Named queries on those sources, by name; an initiative binds a figure to one under its `pull` key."""
    _withheld: frozenset[str] = PrivateAttr(default=frozenset())

    @property
    def judges_money(self) -> bool:
        """False in a public build that withholds money: the rules judge only what the build publishes, so
        that every verdict on it can be worked out from its own pages (no cost, benefit or payback test)."""
        return "money" not in self._withheld

    @property
    def for_public_build(self) -> bool:
        """True for the policy of a public build (`for_public`)."""
        return bool(self._withheld)

    @property
    def published_fields(self) -> tuple[FieldSpec, ...]:
        """The organisation's fields that the build publishes (a public build leaves out `fields.ID`)."""
        return tuple(f for f in self.catalogue.fields if f"fields.{f.id}" not in self._withheld)

    def for_public(self) -> Policy:
        """This policy for a public build: what `public.withhold` lists is not judged or published."""
        out = self.model_copy()
        out._withheld = frozenset(self.public.withhold)
        return out

    @functools.cached_property
    def catalogue(self) -> Catalogue:
        """The catalogue in force: the governance controls, and the organisation's own fields."""
        fields = tuple(FieldSpec(ident, f.name, f.type, tuple(f.choices or ()), f.description or "")
                       for ident, f in self.fields.items())
        return replace(self.governance.catalogue(), fields=fields, stage_requirements=self.stage_requirements,
                       jump_factor=float(self.plausibility.jump_factor),
                       users_over_target=float(self.plausibility.users_over_target),
                       jump_from_users=self.plausibility.jump_from_users,
                       milestone_max_months=self.decisions.milestone_max_months,
                       metrics=tuple((name, tuple(self.metric_params(name))) for name in self.metrics))

    def metric_params(self, name: str) -> list[str]:
        """The parameters an initiative gives for metric `name`: its own, or its focus or usage source's key."""
        metric = self.metrics[name]
        source = self.sources.get(metric.source)
        if source is None or source.kind in ("duckdb", "sql"):
            return list(metric.params)
        return [KEY_PARAM]

    def required_controls(self, tier: str) -> tuple[str, ...]:
        return self.catalogue.required_for(tier)


def load_policy(path: Path | None, display: str | None = None) -> Policy:
    """The policy from `path` (defaults where it is silent), or the defaults when there is none; its problems
    name it `display` (default: the path as given)."""
    if path is None:
        return Policy()
    display = display or str(path)
    try:
        doc, problems = read_document(path, display)
    except LoadError as exc:
        raise InvalidPortfolio([exc.problem]) from None
    return _policy_of(doc, problems, display)


def policy_from_text(text: str, display: str) -> Policy:
    """The policy that `text` holds, read exactly as load_policy reads a file (raises InvalidPortfolio)."""
    problems: list[Problem] = []
    try:
        doc = parse_text(text, display, problems)
    except LoadError as exc:
        raise InvalidPortfolio([exc.problem]) from None
    return _policy_of(doc, problems, display)


def _policy_of(doc: Document, problems: list[Problem], display: str) -> Policy:
    if doc.data is None:
        return Policy()
    policy, schema_problems = validate_model(doc, Policy)
    problems += schema_problems
    if policy is not None:
        problems += _catalogue_problems(doc, policy.governance, display)
        problems += _field_problems(doc, policy, display)
        problems += _source_problems(doc, policy, display)
    if problems or policy is None:
        raise InvalidPortfolio(problems)
    return policy


def _catalogue_problems(doc: Document, g: GovernancePolicy, display: str) -> list[Problem]:
    """A control the preset lacks needs a name; each tier requires only controls of the catalogue."""
    out = []

    def add(loc: tuple[str | int, ...], message: str, hint: str, key: bool = False) -> None:
        line, column = doc.locate(("governance", *loc), key=key)
        out.append(Problem(display, line, column, "error", "value", message, hint))

    base = PRESETS[g.preset]
    for ident, control in g.controls.items():
        if base.get(ident) is None and control.name is None:
            add(("controls", ident), f"the control '{ident}' is not in the {g.preset} preset, so it needs a name",
                "add name: what it is called, in plain words", key=True)
    known = sorted(set(base.ids) | set(g.controls))
    for tier in TIERS:
        for where in (("required", tier), (tier,)):
            listed = getattr(g.required, tier) if where[0] == "required" else getattr(g, tier)
            for i, ident in enumerate(listed or []):
                if ident not in known:
                    add((*where, i), f"'governance.{'.'.join(where)}[{i}]' is '{ident}', which is not a control of "
                        f"the {g.preset} catalogue", suggest(ident, known) or f"its controls are {', '.join(known)}")
    return out


def _field_problems(doc: Document, policy: Policy, display: str) -> list[Problem]:
    """A choice field lists its choices, once each; other types have none."""
    out = []
    for ident, f in policy.fields.items():
        line, column = doc.locate(("fields", ident), key=True)
        if f.type == "choice" and not f.choices:
            out.append(Problem(display, line, column, "error", "value", f"the field '{ident}' is a choice without choices",
                               'add choices: the allowed values, e.g. choices: ["yes", "no", "unknown"]'))
        elif f.type != "choice" and f.choices:
            out.append(Problem(display, line, column, "error", "value",
                               f"the field '{ident}' has choices but its type is {f.type}",
                               "add type: choice, or remove choices"))
        elif f.choices and len(set(f.choices)) != len(f.choices):
            out.append(Problem(display, line, column, "error", "value", f"the field '{ident}' lists a choice twice",
                               "list each choice once"))
    return out


_NEEDS = {
    "duckdb": (("tables", "the tables its metrics read, e.g. tables: {tickets: data/tickets.parquet}"),),
    "sql": (("url", "url: a SQLAlchemy URL without its password, or url_env: the variable that holds it"),),
    "focus": (("files", "files: the export's path or glob, e.g. files: data/focus/*.csv"),
              ("allocate", "allocate: {tag: application} (a key of Tags) or {column: BillingAccountId}")),
    "usage": (("files", "files: the export's path or glob, e.g. files: data/usage/*.csv"),
              ("user_column", "user_column: the column with a user's id or e-mail address"),
              ("time_column", "time_column: the column with the event's date or time"),
              ("key_column", "key_column: the column that names the application")),
}
"""What each kind of source needs, and the hint when it is missing."""
_ONLY = {"tables": ("duckdb",), "files": ("focus", "usage"), "url": ("sql",), "url_env": ("sql",),
         "password_env": ("sql",), "allocate": ("focus",), "currency": ("focus",), "user_column": ("usage",),
         "time_column": ("usage",), "key_column": ("usage",)}


def _source_problems(doc: Document, policy: Policy, display: str) -> list[Problem]:
    """Each source has what its kind needs and nothing another kind reads; each metric names a source, and has a
    query exactly when its source runs SQL."""
    out = []

    def add(loc: tuple[str | int, ...], message: str, hint: str, key: bool = True) -> None:
        line, column = doc.locate(loc, key=key)
        out.append(Problem(display, line, column, "error", "value", message, hint))

    for name, src in policy.sources.items():
        given = src.model_dump(exclude_unset=True)
        for option, hint in _NEEDS[src.kind]:
            alternative = option == "url" and src.url_env is not None
            if option not in given and not alternative:
                add(("sources", name), f"the {src.kind} source '{name}' has no {option}", f"add {hint}")
        for option, kinds in _ONLY.items():
            if option in given and src.kind not in kinds:
                add(("sources", name, option), f"'sources.{name}.{option}' is not read by a {src.kind} source",
                    f"remove it: only a {' or '.join(kinds)} source reads it")
        if src.allocate is not None and (src.allocate.tag is None) == (src.allocate.column is None):
            add(("sources", name, "allocate"), f"'sources.{name}.allocate' needs one of tag and column",
                "give tag: a key of the Tags column, or column: a column of the export")
        if src.url is not None and src.kind == "sql" and _has_password(src.url):
            add(("sources", name, "url"), f"'sources.{name}.url' holds a password",
                "remove it from the URL and name the variable that holds it: password_env: OPS_DB_PASSWORD", key=False)
    for name, metric in policy.metrics.items():
        reads = policy.sources.get(metric.source)
        if reads is None:
            add(("metrics", name, "source"), f"the metric '{name}' reads the source '{metric.source}', which the "
                "policy does not declare", suggest(metric.source, list(policy.sources))
                or f"declare it under sources: (the sources are {', '.join(policy.sources) or 'none yet'})", key=False)
            continue
        runs_sql = reads.kind in ("duckdb", "sql")
        if runs_sql and metric.query is None:
            add(("metrics", name), f"the metric '{name}' reads the {reads.kind} source '{metric.source}' but has no "
                "query", "add query: SQL that returns month, value and each of params")
        if not runs_sql and (metric.query is not None or metric.params):
            add(("metrics", name, "query" if metric.query is not None else "params"),
                f"the metric '{name}' reads the {reads.kind} source '{metric.source}', which has its own query",
                f"remove query and params: an initiative binds the value its rows carry (params: {{{KEY_PARAM}: ...}})")
    return out


def _has_password(url: str) -> bool:
    """True when a URL's user part holds a password (scheme://user:password@host)."""
    rest = url.split("://", 1)[-1]
    userinfo = rest.split("@", 1)[0] if "@" in rest.split("/", 1)[0] else ""
    return ":" in userinfo
