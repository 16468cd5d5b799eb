"""Full-cost financials: cumulative cost and benefit, ROI, payback and run rate."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from scorecard.compute.kpis import months_ahead
from scorecard.model import BENEFIT_CATEGORIES, COST_CATEGORIES, MonthBlock
from scorecard.policy import Policy

RUN_RATE_MONTHS = 3


@dataclass(frozen=True)
class Totals:
    """Each month block's total cost and benefit, and by category: summed once, sliced for earlier months."""

    cost: list[float]
    benefit: list[float]
    cost_by_category: list[dict[str, float]]
    benefit_by_category: list[dict[str, float]]

    def upto(self, n: int) -> Totals:
        return Totals(self.cost[:n], self.benefit[:n], self.cost_by_category[:n], self.benefit_by_category[:n])


@dataclass(frozen=True)
class Financials:
    months: tuple[int, ...]
    cost: tuple[float, ...]
    benefit: tuple[float, ...]
    cum_cost: tuple[float, ...]
    cum_benefit: tuple[float, ...]
    sums: Totals
    """The month blocks' totals by category (summed up on demand: only the as-of month's report needs them)."""
    payback_month: int | None
    """The first month from which cumulative net stays at or above zero through the as-of month."""
    payback_lost_month: int | None
    """The month cumulative net fell back below zero after reaching it (and has stayed below since)."""
    projected_payback_month: int | None
    """At the latest run rate; never before the as-of month."""
    projected_from: int | None
    """The month of the latest figures a projection was made from, when that is before the as-of month."""
    run_rate: float | None
    """Average monthly net over the latest three months with figures."""
    cost_per_user: float | None
    cost_categories: int
    """Cost categories with a non-zero amount in the latest three months with figures."""
    cost_complete: bool
    negative_streak: int
    """Consecutive latest months with negative net."""

    @functools.cached_property
    def cost_by_category(self) -> dict[str, float]:
        return _sum_categories(self.sums.cost_by_category)

    @functools.cached_property
    def benefit_by_category(self) -> dict[str, float]:
        return _sum_categories(self.sums.benefit_by_category)

    @property
    def cumulative_cost(self) -> float:
        return self.cum_cost[-1] if self.cum_cost else 0.0

    @property
    def cumulative_benefit(self) -> float:
        return self.cum_benefit[-1] if self.cum_benefit else 0.0

    @property
    def net(self) -> float:
        return self.cumulative_benefit - self.cumulative_cost

    @property
    def roi(self) -> float | None:
        # below a cent of cost, a ratio to it means nothing (and can overflow)
        return self.cumulative_benefit / self.cumulative_cost - 1 if self.cumulative_cost >= 0.01 else None

    @property
    def benefit_run_rate(self) -> float | None:
        """Average monthly benefit over the latest three months with figures."""
        recent = self.benefit[-RUN_RATE_MONTHS:]
        return sum(recent) / len(recent) if recent else None

    @property
    def annual_run_rate(self) -> float | None:
        return None if self.run_rate is None else self.run_rate * 12


def _total(obj: object | None, categories: tuple[str, ...], into: dict[str, float]) -> float:
    if obj is None:
        return 0.0
    total = 0.0
    for name in categories:
        value = getattr(obj, name)
        if value:
            total += value
            into[name] = into.get(name, 0.0) + value
    return total


def payback(months: list[int], cost: list[float], benefit: list[float]) -> tuple[int | None, int | None]:
    """(The payback month, the month payback was lost), counting from the first month with cost.

    Payback is the first month from which cumulative net stays at or above zero through the latest
    month: a month that reached zero and then fell back is not a payback. When cumulative net
    reached zero and is now below it again, the second value is the month it fell back.
    """
    cum = 0.0
    started = False
    since = lost = None
    for month, c, b in zip(months, cost, benefit):
        started = started or c > 0
        if not started:
            continue
        cum += b - c
        if cum >= -1e-9:
            since, lost = since if since is not None else month, None
        elif since is not None:
            since, lost = None, month
    return since, lost


def totals(blocks: list[tuple[int, MonthBlock]]) -> Totals:
    cost_cats: list[dict[str, float]] = [{} for _ in blocks]
    benefit_cats: list[dict[str, float]] = [{} for _ in blocks]
    cost = [_total(b.costs, COST_CATEGORIES, into) for (_, b), into in zip(blocks, cost_cats)]
    benefit = [_total(b.benefits, BENEFIT_CATEGORIES, into) for (_, b), into in zip(blocks, benefit_cats)]
    return Totals(cost, benefit, cost_cats, benefit_cats)


def _sum_categories(per_block: list[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for block in per_block:
        for name, value in block.items():
            out[name] = out.get(name, 0.0) + value
    return out


def financials(blocks: list[tuple[int, MonthBlock]], stage: str, users: int | None, policy: Policy,
               as_of: int | None = None, sums: Totals | None = None) -> Financials:
    """`sums`: `totals(blocks)` when the caller has them already."""
    months = [m for m, _ in blocks]
    sums = sums if sums is not None else totals(blocks)
    cost, benefit = sums.cost, sums.benefit
    cum_cost, cum_benefit = [], []
    c_sum = b_sum = 0.0
    for c, b in zip(cost, benefit):
        c_sum += c
        b_sum += b
        cum_cost.append(c_sum)
        cum_benefit.append(b_sum)
    paid, lost = payback(months, cost, benefit)
    recent = list(zip(cost[-RUN_RATE_MONTHS:], benefit[-RUN_RATE_MONTHS:]))
    run_rate = sum(b - c for c, b in recent) / len(recent) if recent else None
    projected = None
    if paid is None and run_rate is not None and run_rate > 0 and c_sum > 0:
        # from the as-of month when the figures are older: a projection is never a month already past
        projected = months_ahead(max(months[-1], as_of or months[-1]), max(1.0, (c_sum - b_sum) / run_rate))
    stale = months[-1] if months and as_of is not None and months[-1] < as_of and projected is not None else None
    categories: set[str] = set()
    for _, block in blocks[-RUN_RATE_MONTHS:]:
        if block.costs is not None:
            categories.update(n for n in COST_CATEGORIES if getattr(block.costs, n))
    needs_full_cost = stage in ("scaling", "production")
    streak = 0
    for i in range(len(cost) - 1, -1, -1):
        if benefit[i] - cost[i] >= 0:
            break
        streak += 1
    return Financials(
        months=tuple(months), cost=tuple(cost), benefit=tuple(benefit), cum_cost=tuple(cum_cost),
        cum_benefit=tuple(cum_benefit), sums=sums,
        payback_month=paid, payback_lost_month=lost, projected_payback_month=projected, projected_from=stale,
        run_rate=run_rate,
        cost_per_user=(cost[-1] / users) if cost and users else None,
        cost_categories=len(categories),
        cost_complete=not (needs_full_cost and blocks and len(categories) < policy.costs.min_categories),
        negative_streak=streak,
    )
