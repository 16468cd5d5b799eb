"""What a problem may quote, by where it is (issue 22 review): every amount of the format counts as money, found by
walking the model, so a new amount cannot be quoted in a public build's log by being left off a list."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from scorecard.model import MAX_AMOUNT, Amount, Initiative
from scorecard.problem import withholdable


def amounts(model: type[BaseModel], prefix: tuple = ()) -> list[tuple]:
    """The location of every Amount in the model (a month block's under months.<month>)."""
    out = []
    for name, info in model.model_fields.items():
        loc = (*prefix, name)
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)] or [info.annotation]
        if info.annotation == Amount or any(a == Amount for a in args) or (info.annotation is float and any(getattr(m, 'le', None) == MAX_AMOUNT for m in info.metadata)):
            out.append(loc)
        if typing.get_origin(info.annotation) is dict:  # months: {YYYY-MM: MonthBlock}
            value = typing.get_args(info.annotation)[1]
            if isinstance(value, type) and issubclass(value, BaseModel):
                out += amounts(value, (*loc, "2026-01"))
            continue
        for arg in args:
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out += amounts(arg, loc)
    return out


def test_every_amount_of_the_format_counts_as_money():
    found = amounts(Initiative)
    assert ("exit_cost",) in found and ("adoption", "run_cost_at_target") in found
    assert ("business_case", "annual_benefit") in found
    assert ("months", "2026-01", "costs", "licenses") in found and ("business_case", "annual_run_cost") in found
    assert [loc for loc in found if "money" not in withholdable(loc).split()] == []


def test_what_else_a_problem_may_quote():
    assert withholdable(("owner", "email")) == "owner_email"
    assert withholdable(("months", "2026-01", "note")) == "notes"
    assert withholdable(("decisions", 0, "milestone", "note")) == "notes"
    assert withholdable(("governance", "monitoring", "evidence")) == "evidence"
    assert withholdable(("exemptions", 0, "approved_by")) == "exemption_details"
    assert withholdable(("fields", "vendor")) == "fields.vendor"
    assert withholdable(("business_case", "note")) == "money business_case notes"
    assert withholdable(("name",)) == ""
