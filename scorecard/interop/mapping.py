"""A mapping: which column of a register feeds which part of an initiative file, and how back.

A mapping is a YAML file (the built-in `omb-2025` is `scorecard/data/mappings/omb-2025.yml`):

    id: {column: id, keep_in: inventory_id, min_length: 3, scope: agency}
    since: 2025-12                    # the month the register describes (a stage is listed then)
    defaults: {operating_model: central}
    columns:
      use_case_name: {to: name}
      development_stage: {to: stage, values: {Deployed: production, Pilot: pilot}, empty: proposed}
      vendor_name: {to: fields.vendor}
      hi_testing_conducted: {to: governance.pre_deployment_testing, values: {"Yes": done, In-progress: in_progress}}

A target is a core field (`name`, `summary`, `business_unit`, `owner.name`, `owner.email`, `stage`,
`risk_tier`, `autonomy`, `operating_model`), a custom field (`fields.ID`, declared by the policy) or a
governance control (`governance.ID`, of the policy's catalogue). The columns are listed in the register's
order: `scorecard export` writes them in that order.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scorecard.errors import InvalidPortfolio, UserError
from scorecard.load.reader import LoadError, read_document
from scorecard.model import CONTROL_ID_PATTERN, FIELD_ID_PATTERN, MONTH_PATTERN, STAGES
from scorecard.validate.schema_errors import validate_model

BUILT_IN = ("omb-2025",)
CORE = {
    "name": None, "summary": None, "business_unit": None, "owner.name": None, "owner.email": None,
    "stage": STAGES, "risk_tier": ("low", "medium", "high", "unknown"),
    "autonomy": ("advisory", "human_in_the_loop", "autonomous", "unknown"),
    "operating_model": ("central", "federated", "business_unit"),
}
"""The core targets, with the values each allows (None: any text)."""
GOVERNANCE_STATES = ("done", "in_progress", "not_applicable")
Text = Annotated[str, Field(min_length=1, max_length=200)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)


class IdRule(_Section):
    column: Text | None = None
    """The column holding the register's id (none: every id is generated)."""
    keep_in: Annotated[str, Field(pattern=FIELD_ID_PATTERN)] | None = None
    """A custom field that keeps the id as written (the file name is a slug of it)."""
    min_length: Annotated[int, Field(ge=1, le=64)] = 3
    """Ids shorter than this (as a slug) are replaced by a generated one."""
    scope: Text | None = None
    """The column whose value starts a generated id, e.g. the agency: `dhs-` and a hash of the name."""


class Column(_Section):
    to: Text | list[Text]
    """Where the column's value goes: one target or several."""
    values: dict[str, Text] | None = None
    """The register's values and what each becomes, e.g. {Deployed: production}."""
    empty: Text | None = None
    """The value used when the cell is empty (reported)."""
    empty_values: list[str] = []
    """Cell values that mean empty, e.g. "[]"."""
    or_: list[Text] = Field(default=[], alias="or")
    """Columns whose value is used, in order, when this one is empty."""
    else_: Annotated[str, Field(pattern=r"^fields\.[a-z][a-z0-9_]{0,39}$")] | None = Field(default=None, alias="else")
    """A custom field that keeps the value when it does not fit the target (e.g. a contact that is a URL)."""

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.to,) if isinstance(self.to, str) else tuple(self.to)

    @field_validator("to")
    @classmethod
    def _known(cls, value: str | list[str]) -> str | list[str]:
        for target in [value] if isinstance(value, str) else value:
            kind, _, rest = target.partition(".")
            if target in CORE:
                continue
            if kind == "fields" and _match(FIELD_ID_PATTERN, rest):
                continue
            if kind == "governance" and _match(CONTROL_ID_PATTERN, rest):
                continue
            raise ValueError(f"'{target}' is not a target: use one of {', '.join(CORE)}, fields.ID or governance.ID")
        return value


def _match(pattern: str, text: str) -> bool:
    import re

    return re.match(pattern, text) is not None


class Mapping(_Section):
    """How a register's columns become initiative files."""

    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """What register this maps, in words."""
    id: IdRule = IdRule()
    since: Annotated[str, Field(pattern=MONTH_PATTERN)]
    """The month the register describes: an imported stage is listed at it (`basis: listed`), not entered."""
    defaults: dict[Literal["autonomy", "risk_tier", "stage", "operating_model"], Text] = {}
    """Values for core fields that no column feeds."""
    columns: dict[Annotated[str, Field(min_length=1, max_length=200)], Column]
    """Each column of the register, in its order, and where it goes."""

    name: str = ""
    """The mapping's name (`omb-2025`, or the file's name): it marks the imported block."""
    source: str = ""
    """How it was named on the command line (`omb-2025`, or the file's path): what a hint repeats."""


@functools.cache
def built_in_text(name: str, suffix: str = ".yml") -> str:
    return resources.files("scorecard").joinpath(f"data/mappings/{name}{suffix}").read_text(encoding="utf-8")


def load_mapping(spec: str) -> Mapping:
    """A built-in mapping by name, or a mapping file by path; a UserError or InvalidPortfolio when wrong."""
    if spec in BUILT_IN:
        path: Path | None = None
        from scorecard.load.reader import parse_text

        problems: list = []
        doc = parse_text(built_in_text(spec), f"{spec} (built in)", problems)
        name = spec
    else:
        path = Path(spec)
        if not path.is_file():
            raise UserError(f"--mapping {spec}: no such file, and not a built-in mapping "
                            f"({', '.join(BUILT_IN)})")
        try:
            doc, problems = read_document(path, spec)
        except LoadError as exc:
            raise InvalidPortfolio([exc.problem]) from None
        name = path.stem
    data = doc.data if isinstance(doc.data, dict) else {}
    mapping, schema_problems = validate_model(doc, Mapping) if isinstance(doc.data, dict) else (None, [])
    problems += schema_problems
    if mapping is None or problems:
        if not problems:
            raise UserError(f"{spec}: a mapping is a mapping of keys (id, since, defaults, columns)")
        raise InvalidPortfolio(problems)
    mapping = mapping.model_copy(update={"name": name, "source": spec})
    _check(mapping, spec, data)
    return mapping


def _check(mapping: Mapping, spec: str, data: dict[str, Any]) -> None:
    """Values that the model cannot check alone: each value map yields what its target allows."""
    for column, rule in mapping.columns.items():
        for target in rule.targets:
            allowed = CORE.get(target) if target in CORE else GOVERNANCE_STATES if target.startswith("governance.") else None
            if allowed is None:
                continue
            for value in list((rule.values or {}).values()) + ([rule.empty] if rule.empty else []):
                if value not in allowed:
                    raise UserError(f"{spec}: columns.{column}: '{value}' is not a value of {target}; "
                                    f"use one of {', '.join(allowed)}")
            if target.startswith("governance.") and rule.values is None:
                raise UserError(f"{spec}: columns.{column} feeds {target}: give values that map each answer to "
                                f"{', '.join(GOVERNANCE_STATES)}")
    for key, value in mapping.defaults.items():
        if value not in (CORE[key] or (value,)):
            raise UserError(f"{spec}: defaults.{key}: '{value}' is not one of {', '.join(CORE[key] or ())}")
    for column, rule in mapping.columns.items():
        for other in rule.or_:
            if other not in mapping.columns:
                raise UserError(f"{spec}: columns.{column}: or names '{other}', which is not a column of the mapping")
    fed = {t for rule in mapping.columns.values() for t in rule.targets}
    for required in ("name", "business_unit"):
        if required not in fed:
            raise UserError(f"{spec}: no column feeds {required}; every initiative needs one")


def policy_text(mapping: Mapping) -> str:
    """The policy a portfolio needs for this mapping: the built-in one's own file, or fields made from a mapping
    file's targets (each named after its column) and the controls it records in words."""
    if mapping.name in BUILT_IN:
        return built_in_text(mapping.name, ".policy.yml")
    fields: dict[str, str] = {}
    if mapping.id.keep_in:
        fields[mapping.id.keep_in] = "Register id"
    words = []
    for column, rule in mapping.columns.items():
        for target in (*rule.targets, *([rule.else_] if rule.else_ else [])):
            kind, _, key = target.partition(".")
            if kind == "fields":
                fields.setdefault(key, column)
            elif kind == "governance" and "done" in (rule.values or {}).values():
                words.append(key)
    lines = [f"# The policy the mapping {mapping.name} needs: merge it into your policy file.\n"]
    if words:
        lines.append("governance:\n  controls:                 # answered in words, without a date\n")
        lines += [f"    {key}: {{kind: text}}\n" for key in dict.fromkeys(words)]
    if fields:
        lines.append("fields:\n")
        lines += [f"  {key}: {{name: {json.dumps(name, ensure_ascii=False)}}}\n" for key, name in fields.items()]
    return "".join(lines)
