"""What the program office declares in its policy: the sources (named connections) and the metrics (named
queries) that `scorecard pull` reads. Initiative files only name a metric and give its parameters' values.

The policy is the office's file (under CODEOWNERS): it holds every query, path and connection, so that a pull
request to an initiative file cannot make `pull` run SQL, read a file or use a credential of its choosing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from scorecard.model import SOURCE_NAME_PATTERN

Name = Annotated[str, StringConstraints(pattern=SOURCE_NAME_PATTERN)]
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]{0,127}$")]
Column = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f\"]+$")]
"""A column of an export, as its header spells it (quoted as an identifier in the tool's SQL)."""
FilePattern = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f']+$")]
KINDS = ("duckdb", "sql", "focus", "usage")
KEY_PARAM = "key"
"""The one parameter of a focus or usage metric: the value an initiative's rows carry in the allocation tag or
column (focus) or in the key column (usage), e.g. `params: {key: contract-review}`."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)


class Allocation(_Section):
    """How a FOCUS export's rows are allocated to initiatives."""

    tag: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    """A key of the `Tags` column (e.g. `application`): an initiative binds the value its rows carry."""
    column: Column | None = None
    """Or a column of the export (e.g. `BillingAccountId`, `ResourceId`): an initiative binds the value its rows carry."""


class Source(_Section):
    """A named connection to a system of record."""

    kind: Literal["duckdb", "sql", "focus", "usage"]
    """`duckdb`: SQL over CSV, Parquet, JSON or xlsx files (`tables`); `sql`: any database SQLAlchemy reaches (`url`); `focus`: a FinOps FOCUS cost export (`files`); `usage`: a usage export, active users counted as distinct ids (`files`)."""
    description: Annotated[str, Field(max_length=500)] | None = None
    """What it is, for `scorecard sources` and the pages."""
    tables: dict[Name, FilePattern] = {}
    """duckdb: each table the metrics' SQL may read, and its files (a path or glob, relative to the policy's folder), e.g. `tickets: data/tickets.parquet`."""
    files: FilePattern | None = None
    """focus and usage: the export's files (a path or glob, relative to the policy's folder)."""
    url: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None
    """sql: the SQLAlchemy URL without its password, e.g. `postgresql+psycopg://scorecard@db.internal/ops`."""
    url_env: EnvName | None = None
    """sql: or the environment variable that holds the whole URL."""
    password_env: EnvName | None = None
    """sql: the environment variable that holds the password (never the policy file)."""
    allocate: Allocation | None = None
    """focus: how rows are allocated to initiatives (a tag key, or a column)."""
    cost_column: Column = "EffectiveCost"
    """focus: the cost summed per charge period month."""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    """focus: the currency the export must be billed in (default: the policy's `currency`); rows in another currency are refused."""
    user_column: Column | None = None
    """usage: the column that identifies a user (an id or an e-mail address)."""
    time_column: Column | None = None
    """usage: the column with each event's date or time."""
    key_column: Column | None = None
    """usage: the column that says which application an event belongs to (an initiative binds its value)."""


class Freshness(_Section):
    """How far before its month's end the source's data for a figure may stop, in days (dbt's source freshness)."""

    warn_after: Annotated[int, Field(ge=0, le=366)] | None = None
    """A gap longer than this is reported."""
    error_after: Annotated[int, Field(ge=0, le=366)] | None = None
    """A gap longer than this makes the figure unverified."""


class Expect(_Section):
    """Simple expectations: a pulled value that fails one is written with its problem and is unverified."""

    min: float | None = None
    """The smallest plausible value."""
    max: float | None = None
    """The largest plausible value."""
    not_null: bool = False
    """A group with no value (NULL) is a problem, not a silent gap."""
    max_fall: Annotated[float, Field(gt=1, le=1000)] | None = None
    """The value may not fall to less than 1/max_fall of the month before's (users that vanish are a broken log, not churn)."""


class Metric(_Section):
    """A named query: one value per initiative and month."""

    source: Name
    """The source it reads."""
    description: Annotated[str, Field(max_length=500)] | None = None
    """What it measures, in plain words."""
    params: list[Name] = []
    """duckdb and sql: the columns the query groups by besides `month`; an initiative gives a value for each (`pull: {kpis.x: {metric: m, params: {queue: legal}}}`), which selects its rows of the result."""
    query: Annotated[str, StringConstraints(min_length=1, max_length=20_000)] | None = None
    """duckdb and sql: SQL that returns `month` (a date, or YYYY-MM text), each of `params`, `value`, and optionally `rows` and `latest`, for the months from the bound parameter `start` (a date) to before `end`: `$start`/`$end` in DuckDB, `:start`/`:end` in SQLAlchemy. focus and usage metrics have none: the tool writes it."""
    unit: Annotated[str, Field(max_length=40)] | None = None
    """Its unit, for the pages."""
    freshness: Freshness = Freshness()
    """How close to the month's end the data must reach."""
    expect: Expect = Expect()
    """Simple expectations on each value."""


Sources = dict[Name, Source]
Metrics = dict[Name, Metric]
