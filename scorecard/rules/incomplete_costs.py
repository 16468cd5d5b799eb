"""`incomplete_costs`: from scaling on, report full cost, not just licences.

An initiative in `scaling` or `production` whose latest three month blocks name
fewer than `costs.min_categories` (default 3) cost categories is only counting
part of its cost, so its ROI and payback flatter it: **fix**.
"""

from __future__ import annotations

from scorecard.compute.facts import Facts
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "incomplete_costs"
NAME = "Incomplete costs"
"""The rule's name in plain words, for the pages."""


def evaluate(f: Facts, p: Policy) -> Finding | None:
    fin = f.financials
    if fin.cost_complete:
        return None
    n = fin.cost_categories
    return Finding(ID, "fix", f"costs incomplete: {n} cost categor{'y' if n == 1 else 'ies'} reported in the "
                   f"latest months, full cost needs at least {p.costs.min_categories} (people, infrastructure, "
                   "training, support...)", f"report at least {p.costs.min_categories} cost categories",
                   {"cost_categories": n})
