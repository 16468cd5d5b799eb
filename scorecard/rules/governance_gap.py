"""`governance_gap`: the controls the risk tier requires must be in place.

Each risk tier requires the controls the policy's governance catalogue lists
for it (the catalogue in force, with its references, is below). A control is
recorded by the date it was done, in words (a `text` control), or as
`{status: ...}`: `in_progress` is still a gap, and past due after its `due`
month; `not_applicable`, with a note saying why, counts as complete. A dated
control older than `governance.max_age_months` (default 12; a control may set
its own) must be redone. A risk tier recorded as `unknown` (a register that did
not say) is governed as `high`, the strictest tier, until it is set. An
`autonomous` initiative needs an exemption
`governance.autonomy`. A missing, in-progress or expired control that no
unexpired `governance.<control>` exemption covers makes the verdict **fix**,
and blocks **scale**.
"""

from __future__ import annotations

from scorecard.compute.facts import Facts
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "governance_gap"
NAME = "Governance gap"
"""The rule's name in plain words, for the pages."""


def evaluate(f: Facts, p: Policy) -> Finding | None:
    g = f.governance
    if g.complete:
        return None
    parts = []
    due = {c.id: c.due for c in g.controls}
    missing = [c for c in g.gaps if c in g.missing and c not in g.in_progress]
    running = [c for c in g.gaps if c in g.in_progress and c not in g.past_due]
    late = [c for c in g.gaps if c in g.past_due]
    expired = [c for c in g.gaps if c in g.expired]
    if missing:
        parts.append(f"missing {g.names(missing)}")
    if running:
        parts.append("in progress: " + ", ".join(g.name(c) + (f" (due {due[c]})" if due[c] else "") for c in running))
    if late:
        parts.append("past due: " + ", ".join(f"{g.name(c)} (due {due[c]})" for c in late))
    if expired:
        parts.append(f"older than {p.governance.max_age_months} months: {g.names(expired)}")
    if "autonomy" in g.gaps:
        parts.append("autonomous without an approved exemption")
    tier = f.initiative.risk_tier
    shown = "unknown (governed as high)" if tier == "unknown" else tier
    return Finding(ID, "fix", f"governance gap at risk tier {shown}: {'; '.join(parts)}",
                   "complete " + g.names(g.gaps) + " (or an approved exemption for each)",
                   {"gaps": list(g.gaps), "risk_tier": tier})
