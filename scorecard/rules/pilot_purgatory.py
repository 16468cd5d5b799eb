"""`pilot_purgatory`: a pilot must end in a decision.

Once an initiative has been in `pilot` for `pilot.max_months` (default 6), the
scorecard forces the question: **scale** if `scale_ready` holds, else **kill**
("decide now"). When governance is the only thing missing, it leaves the
verdict to `governance_gap` (fix) instead of killing a pilot that works.
"""

from __future__ import annotations

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.policy import Policy
from scorecard.rules import scale_ready
from scorecard.rules.base import Finding

ID = "pilot_purgatory"
NAME = "Pilot purgatory"
"""The rule's name in plain words, for the pages."""


def evaluate(f: Facts, p: Policy) -> Finding | None:
    if f.stage != "pilot" or f.months_in_stage < p.pilot.max_months:
        return None
    months = f.months_in_stage
    numbers = {"months_in_pilot": months, "pilot_since": fmt.month(f.stage_since)}
    conds = scale_ready.conditions(f, p)
    missing = [need for key, (ok, need) in conds.items() if not ok]
    if not missing:
        return Finding(ID, "scale", f"in pilot for {months} months and meeting every scale criterion: scale it now",
                       "any scale criterion failing", numbers)
    if [k for k, (ok, _) in conds.items() if not ok] == ["governance"]:
        return None
    return Finding(ID, "kill", f"in pilot for {months} months (since {fmt.month(f.stage_since)}) without meeting "
                   f"the scale criteria: decide now", "meet every scale criterion: " + "; ".join(missing), numbers)
