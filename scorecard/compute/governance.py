"""Governance: the controls a risk tier requires in the catalogue in force, and where each stands."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scorecard.model import ControlStatus, Initiative
from scorecard.months import parse_date_month, parse_month
from scorecard.policy import Policy

AUTONOMY = "autonomy"
DONE, EXPIRED, MISSING, IN_PROGRESS, PAST_DUE, NOT_APPLICABLE = (
    "done", "expired", "missing", "in_progress", "past_due", "not_applicable")


@dataclass(frozen=True)
class ControlState:
    id: str
    name: str
    status: str
    """done, expired, missing, in_progress, past_due or not_applicable (as of the month)."""
    date: str | None = None
    due: str | None = None
    note: str | None = None
    evidence: str | None = None
    exempted: bool = False
    """A gap that an unexpired `governance.<control>` exemption covers."""


@dataclass(frozen=True)
class Governance:
    required: tuple[str, ...]
    present: tuple[str, ...]
    missing: tuple[str, ...]
    """Required and not done: never recorded, done after the as-of month, or still in progress."""
    expired: tuple[str, ...]
    exempted: tuple[str, ...]
    """Missing or expired controls covered by an unexpired `governance.<control>` exemption."""
    gaps: tuple[str, ...]
    """What still blocks: missing or expired and not exempted (and `autonomy` for an unexempted autonomous system)."""
    expired_exemptions: tuple[str, ...]
    """Rules whose exemption has expired by the as-of month."""
    not_applicable: tuple[str, ...] = ()
    """Required controls recorded as not applicable (with a note): they count as complete."""
    in_progress: tuple[str, ...] = ()
    past_due: tuple[str, ...] = ()
    """In-progress controls whose due month has passed."""
    controls: tuple[ControlState, ...] = ()
    """Each required control's state, in the order the tier lists them."""

    @property
    def complete(self) -> bool:
        return not self.gaps

    def name(self, ident: str) -> str:
        """A control's plain name for messages (`autonomy`: the approval an autonomous system needs)."""
        if ident == "autonomy":
            return "approval of autonomous operation"
        return next((c.name for c in self.controls if c.id == ident), ident.replace("_", " "))

    def names(self, idents: tuple[str, ...] | list[str]) -> str:
        return ", ".join(self.name(i) for i in idents)


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


def _dated(ident: str, name: str, when: str, as_of: int, max_age: int,
           note: str | None = None, evidence: str | None = None) -> ControlState:
    month = parse_date_month(when)
    if month is None or month > as_of:  # done after the as-of month: not done yet as of it
        return ControlState(ident, name, MISSING, note=note, evidence=evidence)
    return ControlState(ident, name, EXPIRED if as_of - month > max_age else DONE, when, note=note, evidence=evidence)


def control_state(ident: str, value: object, as_of: int, policy: Policy) -> ControlState:
    """Where one control stands as of the month, from its value in the file."""
    control = policy.catalogue.get(ident)
    name = control.name if control else ident
    max_age = (control.max_age_months if control else None) or policy.governance.max_age_months
    if value is None:
        return ControlState(ident, name, MISSING)
    if isinstance(value, ControlStatus):
        note, evidence = value.note, value.evidence
        if value.status == NOT_APPLICABLE:
            return ControlState(ident, name, NOT_APPLICABLE, note=note, evidence=evidence)
        if value.status == IN_PROGRESS:
            due = parse_month(value.due) if value.due else None
            late = due is not None and as_of > due
            return ControlState(ident, name, PAST_DUE if late else IN_PROGRESS, due=value.due, note=note,
                                evidence=evidence)
        if value.date is None:
            return ControlState(ident, name, DONE, note=note, evidence=evidence)
        return _dated(ident, name, value.date, as_of, max_age, note, evidence)
    text = str(value)
    if (control is None or control.kind == "date") and parse_date_month(text) is not None:
        return _dated(ident, name, text, as_of, max_age)
    # a `text` control (a process described in words, as format version 1 recorded `human_review`): done, undated
    return ControlState(ident, name, DONE, note=text)


def governance(ini: Initiative, as_of: int, policy: Policy, waived: set[str], lapsed: set[str]) -> Governance:
    required = tuple(policy.required_controls(ini.risk_tier))
    states = [control_state(c, ini.governance.get(c), as_of, policy) for c in required]
    missing = [s.id for s in states if s.status in (MISSING, IN_PROGRESS, PAST_DUE)]
    expired = [s.id for s in states if s.status == EXPIRED]
    exempted = tuple(c for c in missing + expired if f"governance.{c}" in waived)
    gaps = [c for c in missing + expired if c not in exempted]
    if ini.autonomy == "autonomous":
        if "governance.autonomy" in waived:
            exempted += (AUTONOMY,)
        else:
            gaps.append(AUTONOMY)
    states = [replace(s, exempted=True) if s.id in exempted else s for s in states]
    return Governance(
        required=required, present=tuple(s.id for s in states if s.status == DONE),
        missing=tuple(missing), expired=tuple(expired),
        exempted=exempted, gaps=tuple(gaps), expired_exemptions=tuple(sorted(lapsed)),
        not_applicable=tuple(s.id for s in states if s.status == NOT_APPLICABLE),
        in_progress=tuple(s.id for s in states if s.status in (IN_PROGRESS, PAST_DUE)),
        past_due=tuple(s.id for s in states if s.status == PAST_DUE),
        controls=tuple(states),
    )
