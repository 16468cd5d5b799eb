"""KPI facts: latest value, progress to target, the straight path, trend and status."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scorecard.model import Kpi
from scorecard.months import parse_month
from scorecard.policy import KpiPolicy

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on_track", "at_risk", "off_track", "no_data"
TARGET_MET, TARGET_MISSED = "target_met", "target_missed"
"""Once its target month has passed, a KPI is no longer on track or at risk: it met its target, or missed it."""
STATUS_LABEL = {ON_TRACK: "on track", AT_RISK: "at risk", OFF_TRACK: "off track", NO_DATA: "no data",
                TARGET_MET: "target met", TARGET_MISSED: "target missed"}
"""Each KPI status in words, for the pages and the charts."""
GOOD = frozenset((ON_TRACK, TARGET_MET))
"""The statuses that count as on track (for scale and sustain)."""


@dataclass(frozen=True)
class KpiFacts:
    id: str
    name: str
    unit: str
    direction: str
    baseline: float
    target: float
    target_month: int
    primary: bool
    series: tuple[tuple[int, float], ...]
    """(month, actual) for every month with a figure, oldest first."""
    statuses: tuple[str, ...]
    """The status as of each month of `series`."""
    progress: float | None
    expected: float | None
    trend: float | None
    """Least-squares slope per month over the latest `trend_months` months of data."""
    projected_month: int | None
    status: str

    @property
    def latest(self) -> float | None:
        return self.series[-1][1] if self.series else None

    @property
    def latest_month(self) -> int | None:
        return self.series[-1][0] if self.series else None

    @property
    def change(self) -> float | None:
        return self.series[-1][1] - self.series[-2][1] if len(self.series) > 1 else None

    @property
    def sign(self) -> int:
        return 1 if self.direction == "increase" else -1

    @property
    def improving(self) -> bool | None:
        return None if self.trend is None else self.trend * self.sign > 0

    @property
    def off_track_streak(self) -> int:
        streak = 0
        for status in reversed(self.statuses):
            if status != OFF_TRACK:
                break
            streak += 1
        return streak

    def expected_value(self, month: int) -> float:
        """The value on the straight path from baseline (first month of data) to target."""
        return self.baseline + (self.target - self.baseline) * expected_share(self.series[0][0], self.target_month, month)


def expected_share(start: int, target_month: int, month: int) -> float:
    if target_month <= start:
        return 1.0
    return min(1.0, max(0.0, (month - start) / (target_month - start)))


def classify(progress: float, expected: float, policy: KpiPolicy) -> str:
    if progress >= 1:
        return ON_TRACK
    gap = expected - progress
    if gap <= policy.at_risk_gap + 1e-12:
        return ON_TRACK
    if gap <= policy.off_track_gap + 1e-12:
        return AT_RISK
    return OFF_TRACK


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of value against month (what numpy.polyfit(x, y, 1)[0] gives)."""
    n = len(points)
    if n < 2:
        return None
    mx = my = 0.0
    for x, y in points:
        mx += x
        my += y
    mx /= n
    my /= n
    sxx = sxy = 0.0
    for x, y in points:
        dx = x - mx
        sxx += dx * dx
        sxy += dx * (y - my)
    if sxx == 0:
        return None
    return sxy / sxx


HORIZON = 1200
"""Projections further than this many months (a century) are no projection: `None`."""


def months_ahead(month: int, distance: float) -> int | None:
    """`month` plus `distance` months rounded up, or None when that is not finite or beyond the horizon."""
    if not math.isfinite(distance) or distance > HORIZON:
        return None
    return month + math.ceil(distance - 1e-9)


def point_statuses(kpi: Kpi, series: list[tuple[int, float]], policy: KpiPolicy) -> list[str]:
    """The status as of each month of `series`: each depends only on the figures up to it, so the statuses
    of a shorter series (as of an earlier month) are a prefix of these."""
    if not series:
        return []
    target_month = parse_month(kpi.target_month) or 0
    span = kpi.target - kpi.baseline
    start = series[0][0]
    return [classify((value - kpi.baseline) / span, expected_share(start, target_month, month), policy)
            for month, value in series]


def kpi_facts(kpi: Kpi, series: list[tuple[int, float]], policy: KpiPolicy, as_of: int | None = None,
              statuses: list[str] | None = None) -> KpiFacts:
    """`statuses`: `point_statuses` of the series when the caller has them already."""
    target_month = parse_month(kpi.target_month) or 0
    span = kpi.target - kpi.baseline
    if statuses is None:
        statuses = point_statuses(kpi, series, policy)
    progress = expected = trend = None
    projected = None
    status = NO_DATA
    if series:
        start = series[0][0]
        latest_month, latest = series[-1]
        progress = (latest - kpi.baseline) / span
        expected = expected_share(start, target_month, latest_month)
        status = statuses[-1]
        if as_of is not None and target_month < as_of:  # the target month has ended: met or missed, nothing else
            status = TARGET_MET if progress >= 1 else TARGET_MISSED
        window = [p for p in series if p[0] > latest_month - policy.trend_months]
        trend = slope(window)
        sign = 1 if kpi.direction == "increase" else -1
        if progress >= 1:
            # the first month at target; by rounding, progress can reach 1 a hair before the target itself
            projected = next((m for m, v in series if (v - kpi.target) * sign >= 0), latest_month)
        elif trend is not None and trend * sign > 0:
            # from the as-of month when the figures are older: a projection is never a month already past
            projected = months_ahead(max(latest_month, as_of or latest_month), (kpi.target - latest) / trend)
    return KpiFacts(
        id=kpi.id, name=kpi.name, unit=kpi.unit, direction=kpi.direction, baseline=kpi.baseline,
        target=kpi.target, target_month=target_month, primary=kpi.primary, series=tuple(series),
        statuses=tuple(statuses), progress=progress, expected=expected, trend=trend,
        projected_month=projected, status=status,
    )
