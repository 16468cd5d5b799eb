"""Compute the whole scorecard as of a month: facts, verdicts, roll-up.

Pure: it takes validated initiatives, the month and the policy, and never
reads files or the clock. Everything is gathered here before anything is
rendered (mkdocs' build gathers first too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scorecard.compute.facts import Facts, Timeline, stage_as_of
from scorecard.compute.portfolio import cumulative, rollup, similar_pairs
from scorecard.months import parse_date_month
from scorecard.policy import Policy
from scorecard.load.units import unit_key
from scorecard.model import ACTIVE_STAGES, CLOSED_STAGES
from scorecard.rules.recommend import HISTORY_MONTHS, Recommendation, judge, recommend
from scorecard.model import LoadedInitiative


@dataclass(frozen=True)
class Result:
    id: str
    path: str
    facts: Facts
    rec: Recommendation


@dataclass(frozen=True)
class Scorecard:
    as_of: int
    policy: Policy
    results: tuple[Result, ...]
    portfolio: dict[str, Any]
    unit_series: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The cumulative cost and benefit series of each business unit, by `units.unit_key` (for the unit pages)."""


def verdict_history(timeline: Timeline, as_of: int, policy: Policy) -> list[tuple[int, str | None]]:
    """(month, verdict) as it would have been computed as of each of the `HISTORY_MONTHS - 1` months before
    `as_of`, and the policy's `hold_months - 1` before those, oldest first: what the window's first months
    showed depends on them (`recommend.held`), and must not depend on the as-of month. The timeline is read
    once; a month outside the active stages needs no facts."""
    out: list[tuple[int, str | None]] = []
    for month in range(as_of - HISTORY_MONTHS - policy.hold_months + 2, as_of):
        stage, _ = stage_as_of(timeline.ini, month)
        if stage in CLOSED_STAGES:
            out.append((month, "closed"))
        elif stage not in ACTIVE_STAGES:
            out.append((month, None))
        else:
            out.append((month, judge(timeline.facts(month), policy)[0]))
    return out


def compute_scorecard(initiatives: Sequence[LoadedInitiative], as_of: int, policy: Policy) -> Scorecard:
    results = []
    rows = []
    monthly: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_unit: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    history = []
    for li in sorted(initiatives, key=lambda x: x.id):
        timeline = Timeline(li.id, li.model, as_of, policy)
        f = timeline.facts(as_of)
        rec = recommend(f, policy, verdict_history(timeline, as_of, policy), judge(f, policy))
        results.append(Result(li.id, li.path, f, rec))
        fin = f.financials
        unit = by_unit[unit_key(li.model.business_unit)]
        for month, c, b in zip(fin.months, fin.cost, fin.benefit):
            for totals in (monthly[month], unit[month]):
                totals[0] += c
                totals[1] += b
        ini = li.model
        rows.append({
            "id": li.id, "name": ini.name, "business_unit": ini.business_unit, "stage": f.stage,
            "verdict": rec.verdict, "score": rec.score, "users": f.adoption.users,
            "cumulative_cost": fin.cumulative_cost, "cumulative_benefit": fin.cumulative_benefit,
            "net": fin.net, "overdue": rec.overdue is not None,
            "stake": rec.stake.monthly if rec.stake else None,
            "scale_wait": rec.wait.months if rec.wait else None,
            "scale_state": None if rec.wait is None else "waiting" if rec.wait.waiting else
            "lapsed" if rec.wait.lapsed else "decided",
            # only cases with a benefit to measure against count in the plan-against-actual roll-up
            "planned_benefit": f.business_case.case.annual_benefit
            if f.business_case and f.business_case.realisation is not None else None,
            "realised_benefit": f.business_case.benefit_run_rate
            if f.business_case and f.business_case.realisation is not None else None,
        })
        # the stages recorded up to the as-of month, oldest first (none yet: the stage it stands at)
        entries = [e for e in ini.stage_history if (parse_date_month(e.since) or 0) <= as_of]
        # a stage the import assumed (the register gave none) is no stage reached once a real one follows it
        recorded: list[str] = [e.stage for n, e in enumerate(entries) if e.basis != "assumed" or n == len(entries) - 1]
        history.append({"stages": recorded or [f.stage]})
    duplicates = similar_pairs([(li.id, li.model.business_unit, f"{li.model.name} {li.model.summary}")
                                for li in sorted(initiatives, key=lambda x: x.id)], policy.similarity)
    return Scorecard(as_of, policy, tuple(results), rollup(rows, monthly, history, duplicates),
                     {key: cumulative(months) for key, months in by_unit.items()})
