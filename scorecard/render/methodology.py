"""The methodology, generated from the rules' docstrings and the policy in force.

`scorecard rules` prints it, and the site renders it as its methodology page,
so what users read is always what the engine does.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from pydantic import BaseModel

from scorecard.catalogue import TIERS
from scorecard.compute import stake as stake_module
from scorecard.compute.portfolio import funnel_cohorts
from scorecard.policy import Policy
from scorecard.rules import FLAG_RULES, MONEY_RULES, PRECEDENCE, RULE_NAMES
from scorecard.render.templates import PACKAGE


def _policy_rows(model: BaseModel, prefix: str = "") -> list[tuple[str, Any, str]]:
    rows = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            rows += _policy_rows(value, key + ".")
        else:
            rows.append((key, value, (field.description or "").replace("\n", " ")))
    return rows


def rule_docs() -> list[tuple[int, str, str, str]]:
    """(precedence group, rule id, title line, body) for every rule, in precedence order."""
    out = []
    for rank, group in enumerate(PRECEDENCE, start=1):
        for module in group:
            title, _, body = inspect.cleandoc(module.__doc__ or "").partition("\n\n")
            out.append((rank, module.ID, title, body.replace("\n", " ")))
    for flag in FLAG_RULES:
        title, _, body = inspect.cleandoc(flag.__doc__ or "").partition("\n\n")
        out.append((0, flag.ID, title, body.replace("\n", " ")))
    return out


def definition(thing: Any) -> str:
    """A definition the page states, as the code documents it: the docstring after its first line, one paragraph."""
    _, _, body = inspect.cleandoc(thing.__doc__ or "").partition("\n\n")
    return " ".join(body.split())


def definition_text(thing: Any) -> str:
    """A definition as the code documents it, Markdown as written (lists kept): the whole docstring, less the
    `Title: ` its first line starts with."""
    text = inspect.cleandoc(thing.__doc__ or "")
    text = text.split(": ", 1)[1] if ": " in text.split("\n", 1)[0] else text
    return text[:1].upper() + text[1:]


def methodology_markdown(policy: Policy, templates: Sequence[Path] = (PACKAGE / "pages",)) -> str:
    """The methodology page (`methodology.md.j2`): rules, score and policy. Its text is the program's own
    (rule docstrings, the policy file the office owns), so it is Markdown as written, not escaped."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(t) for t in templates]), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    rules = [{"id": rule, "name": RULE_NAMES[rule], "where": f"precedence {rank}" if rank else "a flag, not a verdict",
              "summary": _sentence(title.split(": ", 1)[-1]), "body": body}
             for rank, rule, title, body in rule_docs()]
    catalogue = policy.catalogue
    effective: dict[str, Any] = {f"governance.required.{t}": list(catalogue.required_for(t)) for t in TIERS}
    effective["fields"] = ", ".join(f"{f.id} ({f.name}, {f.type})" for f in policy.published_fields) or "none"
    if policy.for_public_build:  # a withheld field is not named on the public record
        hidden = sum(w.startswith("fields.") for w in policy.public.withhold)
        effective["public.withhold"] = [w for w in policy.public.withhold if not w.startswith("fields.")] + (
            [f"{hidden} of the organisation's own fields"] if hidden else [])
    skipped = {"governance.controls", "governance.low", "governance.medium", "governance.high"}
    rows = [(key, ", ".join(map(str, value)) if isinstance(value, list) else value, doc)
            for key, value, doc in ((k, effective.get(k, v), d) for k, v, d in _policy_rows(policy))
            if key not in skipped]
    controls = [{"id": c.id, "name": _cell(c.name), "description": _cell(c.description),
                 "references": _cell("; ".join(c.references)),
                 "tiers": ", ".join(t for t in TIERS if c.id in catalogue.required_for(t)) or "none",
                 "max_age": "undated" if c.kind == "text" else c.max_age_months or policy.governance.max_age_months}
                for c in catalogue.controls]
    return env.get_template("methodology.md.j2").render(rules=rules, weights=policy.weights, policy=rows,
                                                        preset=catalogue.preset, controls=controls,
                                                        grace=policy.business_case.grace_months,
                                                        min_realisation=policy.business_case.min_realisation,
                                                        money=policy.judges_money,
                                                        funnel=definition(funnel_cohorts), hold=policy.hold_months,
                                                        stake=definition_text(stake_module),
                                                        money_rules=", ".join(r.NAME for r in MONEY_RULES[:-1]) + " and "
                                                        + MONEY_RULES[-1].NAME)


_CELL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "[": "&#91;", "]": "&#93;",
                       "`": "&#96;", "*": "&#42;", "_": "&#95;", "\\": "&#92;", "\n": " ", "\r": " "})


def _cell(text: str) -> str:
    """Text from the policy file as inert Markdown in one table cell: no markup, link or line break of its own."""
    return text.translate(_CELL)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
