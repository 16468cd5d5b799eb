"""Everything known about one initiative as of a month: the facts the rules judge.

Data after the as-of month is left out everywhere (month blocks, stage history,
decisions, governance dates), so computing as of an earlier month is the same
as removing the later months from the file.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from scorecard.compute.adoption import Adoption, adoption
from scorecard.compute.business_case import CaseFacts, case_facts
from scorecard.compute.financials import Financials, financials, totals
from scorecard.compute.governance import Governance, active_exemptions, governance
from scorecard.compute.kpis import KpiFacts, kpi_facts, point_statuses
from scorecard.model import MAX_USERS, Decision, Initiative, MonthBlock, StageEntry
from scorecard.months import format_month, parse_date_month, parse_month
from scorecard.policy import Policy


@dataclass(frozen=True)
class Facts:
    id: str
    as_of: int
    initiative: Initiative
    stage: str
    """The stage as of the month (the latest stage_history entry not after it)."""
    stage_since: int | None
    first_month: int | None
    last_update: int | None
    kpis: tuple[KpiFacts, ...]
    financials: Financials
    adoption: Adoption
    governance: Governance
    decisions: tuple[Decision, ...]
    waived: frozenset[str]
    blocks: tuple[tuple[int, MonthBlock], ...] = ()
    """The month blocks up to the as-of month, oldest first."""
    stage_history: tuple[StageEntry, ...] = ()
    """The stage history up to the as-of month."""
    business_case: CaseFacts | None = None
    """The approved business case against the figures (None: no case, or approved after the as-of month)."""

    @property
    def measured(self) -> bool:
        """Whether any month block up to the as-of month holds a figure (users, a KPI, a cost or a benefit).
        An initiative that is not measured gets no verdict: missing figures are not a reason to kill it."""
        return any(has_figures(b) for _, b in self.blocks)

    @property
    def unverified(self) -> tuple[tuple[str, str, str], ...]:
        """The latest month's pulled figures that failed their metric's checks and that a verdict rests on (the
        primary KPI and the money): (figure, month, why), in figure order."""
        if not self.blocks:
            return ()
        month, block = self.blocks[-1]
        primary = self.primary
        weighs = (lambda p: p.startswith(("costs.", "benefits.")) or (primary is not None and p == f"kpis.{primary.id}"))
        return tuple((p, format_month(month), m.problem) for p, m in sorted(block.measured.items())
                     if m.problem and weighs(p))

    @property
    def stage_basis(self) -> str:
        """How the stage is known: entered (a dated entry), listed (a register listed it at the stage; when it was
        entered is not known) or assumed (no stage was given: proposed stands in)."""
        return self.stage_history[-1].basis if self.stage_history else "entered"

    @property
    def months_in_stage(self) -> int:
        return self.as_of - self.stage_since if self.stage_since is not None else 0

    @property
    def months_since_update(self) -> int | None:
        return None if self.last_update is None else self.as_of - self.last_update

    @property
    def months_of_data(self) -> int:
        return len(self.financials.months)

    @property
    def primary(self) -> KpiFacts | None:
        return next((k for k in self.kpis if k.primary), None)


def has_figures(block: MonthBlock) -> bool:
    """A month block with a figure in it: users, a KPI, a cost or a benefit (a withdrawn month holds none)."""
    return block.users is not None or bool(block.kpis) or block.costs is not None or block.benefits is not None


def stage_as_of(ini: Initiative, as_of: int) -> tuple[str, int | None]:
    stage, since = ini.stage_history[0].stage, parse_date_month(ini.stage_history[0].since)
    for entry in ini.stage_history:
        month = parse_date_month(entry.since)
        if month is not None and month <= as_of:
            stage, since = entry.stage, month
    if since is not None and since > as_of:
        return "proposed", None
    return stage, since


class Timeline:
    """One initiative's figures up to a month, read and summed once: facts as of that month or any earlier one
    (the verdict history) slice them instead of starting again."""

    def __init__(self, ident: str, ini: Initiative, upto: int, policy: Policy) -> None:
        self.id, self.ini, self.policy = ident, ini, policy
        self.blocks = sorted((m, b) for m, b in ((parse_month(k), b) for k, b in ini.months.items())
                             if m is not None and m <= upto)
        self.months = [m for m, _ in self.blocks]
        self.sums = totals(self.blocks)
        self.users = [(m, b.users) for m, b in self.blocks if b.users is not None]
        self.kpi_series = [[(m, b.kpis[k.id]) for m, b in self.blocks if k.id in b.kpis] for k in ini.kpis]
        self.kpi_statuses = [point_statuses(k, series, policy.kpi) for k, series in zip(ini.kpis, self.kpi_series)]

    def facts(self, as_of: int) -> Facts:
        """The facts as of `as_of` (at most the month the timeline was read up to)."""
        ini, policy = self.ini, self.policy
        n = bisect.bisect_right(self.months, as_of)
        blocks = self.blocks[:n]
        stage, since = stage_as_of(ini, as_of)
        users = self.users[:bisect.bisect_right(self.users, (as_of, MAX_USERS + 1))]
        kpis = []
        for k, series, statuses in zip(ini.kpis, self.kpi_series, self.kpi_statuses):
            cut = bisect.bisect_right(series, (as_of, math.inf))
            kpis.append(kpi_facts(k, series[:cut], policy.kpi, as_of, statuses[:cut]))
        waived, lapsed = active_exemptions(ini, as_of)
        fin = financials(blocks, stage, users[-1][1] if users else None, policy, as_of, self.sums.upto(n))
        adopted = adoption(users, ini.adoption.target_users, policy.milestones)
        return Facts(
            id=self.id, as_of=as_of, initiative=ini, stage=stage, stage_since=since,
            first_month=blocks[0][0] if blocks else None,
            last_update=blocks[-1][0] if blocks else None,
            kpis=tuple(kpis),
            financials=fin,
            adoption=adopted,
            governance=governance(ini, as_of, policy, waived, lapsed),
            decisions=tuple(d for d in ini.decisions if (parse_month(d.month) or 0) <= as_of),
            waived=frozenset(waived),
            blocks=tuple(blocks),
            stage_history=tuple(e for e in ini.stage_history if (parse_date_month(e.since) or 0) <= as_of),
            business_case=case_facts(ini.business_case, as_of, fin, adopted),
        )


def facts(ident: str, ini: Initiative, as_of: int, policy: Policy) -> Facts:
    return Timeline(ident, ini, as_of, policy).facts(as_of)
