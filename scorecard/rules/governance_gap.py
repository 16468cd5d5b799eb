"""`governance_gap`: the controls the risk tier requires must be in place.

Risk tier low requires `risk_assessment`; medium adds `privacy_review`,
`monitoring` and `rollback_plan`; high adds `bias_assessment` and
`human_review` (the lists are in the policy). A dated control older than
`governance.max_age_months` (default 12) must be redone. An `autonomous`
initiative needs an exemption `governance.autonomy`. A missing or expired
control that no unexpired `governance.<control>` exemption covers makes the
verdict **fix**, and blocks **scale**.
"""

from __future__ import annotations

from scorecard.compute.facts import Facts
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "governance_gap"


def evaluate(f: Facts, p: Policy) -> Finding | None:
    g = f.governance
    if g.complete:
        return None
    parts = []
    missing = [c for c in g.gaps if c in g.missing]
    expired = [c for c in g.gaps if c in g.expired]
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if expired:
        parts.append(f"older than {p.governance.max_age_months} months: {', '.join(expired)}")
    if "autonomy" in g.gaps:
        parts.append("autonomous without an approved exemption")
    tier = f.initiative.risk_tier
    return Finding(ID, "fix", f"governance gap at risk tier {tier}: {'; '.join(parts)}",
                   "complete " + ", ".join(g.gaps) + " (or an approved exemption for each)",
                   {"gaps": list(g.gaps), "risk_tier": tier})
