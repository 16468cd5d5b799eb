"""Governance: the controls a risk tier requires, and which are missing, expired or exempted."""

from __future__ import annotations

from dataclasses import dataclass

from scorecard.model import Initiative
from scorecard.months import parse_date_month, parse_month
from scorecard.policy import Policy

AUTONOMY = "autonomy"


@dataclass(frozen=True)
class Governance:
    required: tuple[str, ...]
    present: tuple[str, ...]
    missing: tuple[str, ...]
    expired: tuple[str, ...]
    exempted: tuple[str, ...]
    """Missing or expired controls covered by an unexpired `governance.<control>` exemption."""
    gaps: tuple[str, ...]
    """What still blocks: missing or expired and not exempted (and `autonomy` for an unexempted autonomous system)."""
    expired_exemptions: tuple[str, ...]
    """Rules whose exemption has expired by the as-of month."""

    @property
    def complete(self) -> bool:
        return not self.gaps


def active_exemptions(ini: Initiative, as_of: int) -> tuple[set[str], set[str]]:
    """(rules waived as of the month, rules whose waiver has expired)."""
    active: set[str] = set()
    expired: set[str] = set()
    for ex in ini.exemptions:
        expires = parse_month(ex.expires)
        if expires is not None and expires >= as_of:
            active.add(ex.rule)
        else:
            expired.add(ex.rule)
    return active, expired - active


def governance(ini: Initiative, as_of: int, policy: Policy, waived: set[str], lapsed: set[str]) -> Governance:
    required = tuple(policy.required_controls(ini.risk_tier))
    present, missing, expired = [], [], []
    for control in required:
        value = getattr(ini.governance, control)
        if control == "human_review":
            done_month = as_of if value else None
        else:
            done_month = parse_date_month(value) if value else None
        if done_month is None or done_month > as_of:
            missing.append(control)
        elif as_of - done_month > policy.governance.max_age_months:
            expired.append(control)
        else:
            present.append(control)
    exempted = tuple(c for c in missing + expired if f"governance.{c}" in waived)
    gaps = [c for c in missing + expired if c not in exempted]
    if ini.autonomy == "autonomous":
        if "governance.autonomy" in waived:
            exempted += (AUTONOMY,)
        else:
            gaps.append(AUTONOMY)
    return Governance(
        required=required, present=tuple(present), missing=tuple(missing), expired=tuple(expired),
        exempted=exempted, gaps=tuple(gaps), expired_exemptions=tuple(sorted(lapsed)),
    )
