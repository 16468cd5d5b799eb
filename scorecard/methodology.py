"""The methodology, generated from the rules' docstrings and the policy in force.

`scorecard rules` prints it, and the site renders it as its methodology page,
so what users read is always what the engine does.
"""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel

from scorecard.policy import Policy
from scorecard.rules import FLAG_RULES, PRECEDENCE


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
    for module in FLAG_RULES:
        title, _, body = inspect.cleandoc(module.__doc__ or "").partition("\n\n")
        out.append((0, module.ID, title, body.replace("\n", " ")))
    return out


def methodology_markdown(policy: Policy) -> str:
    lines = ["# How verdicts are decided", "",
             "Each month every active initiative (pilot, scaling, production) gets one verdict: **scale**, "
             "**sustain**, **iterate**, **fix** or **kill**. Killed and retired initiatives are *closed*; "
             "proposed and paused ones get none. The rules below are applied in precedence order: the first "
             "group in which a rule fires decides the verdict (within a group, kill before fix before scale); "
             "every rule that fired is listed as a reason, with the numbers behind it and what would change it. "
             "When no rule fires, the verdict is **iterate**. An exemption in an initiative file waives one rule "
             "until its expiry month.", "", "## Rules", ""]
    for rank, rule, title, body in rule_docs():
        where = f"precedence {rank}" if rank else "a flag, not a verdict"
        summary = title.split(": ", 1)[-1]
        lines += [f"### `{rule}` ({where})", "", summary[:1].upper() + summary[1:], "", body, ""]
    w = policy.weights
    lines += ["## Health score", "",
              f"A score from 0 to 100: a weighted mean of KPI progress (weight {w.value:g}), payback "
              f"({w.financials:g}), adoption against target ({w.adoption:g}), governance controls in place "
              f"({w.governance:g}) and freshness of the figures ({w.freshness:g}).", "",
              "## Policy in force", "", "| setting | value | meaning |", "| --- | --- | --- |"]
    for key, value, doc in _policy_rows(policy):
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        lines.append(f"| `{key}` | {shown} | {doc} |")
    return "\n".join(lines) + "\n"
