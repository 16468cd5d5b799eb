"""`kpi_off_track`: the outcome the initiative exists for is not happening.

When the primary KPI has been off track for `kpi_off_track.months` (default 3)
consecutive months of figures and its trend is not improving, **kill**. A KPI is
off track when its progress to target lags the straight path from baseline
(at its first month of figures) to target (at `target_month`) by more than
`kpi.off_track_gap` (default 25 points); at risk beyond `kpi.at_risk_gap`
(10 points).

Once its `target_month` has passed, a KPI is `target_met` or `target_missed`
instead. A missed primary target counts as off track: **kill**, unless its
trend is improving.
"""

from __future__ import annotations

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.compute.kpis import TARGET_MISSED
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "kpi_off_track"
NAME = "KPI off track"
"""The rule's name in plain words, for the pages."""


def evaluate(f: Facts, p: Policy) -> Finding | None:
    k = f.primary
    if k is None or k.latest_month is None or k.expected is None:
        return None
    if k.status == TARGET_MISSED:
        if k.improving:
            return None
        return Finding(ID, "kill", f"primary KPI {k.name} missed its target of {fmt.num(k.target)} {k.unit} due "
                       f"{fmt.month(k.target_month)}: {fmt.num(k.latest)} {k.unit} in {fmt.month(k.latest_month)}",
                       f"{k.name} reaching {fmt.num(k.target)} {k.unit}, or a trend towards it",
                       {"kpi": k.id, "latest": k.latest, "target": k.target, "target_month": fmt.month(k.target_month)})
    streak = k.off_track_streak
    if streak < p.kpi_off_track.months or k.improving:
        return None
    expected_value = k.expected_value(k.latest_month)
    needed = k.baseline + (k.target - k.baseline) * (k.expected - p.kpi.off_track_gap)
    better = "or more" if k.direction == "increase" else "or less"
    trend = "flat" if not k.trend else ("moving away from target" if not k.improving else "improving")
    return Finding(ID, "kill", f"primary KPI {k.name} off track for {streak} months: {fmt.num(k.latest)} {k.unit} "
                   f"vs {fmt.num(expected_value)} {k.unit} expected, trend {trend}",
                   f"{k.name} at {fmt.num(needed)} {k.unit} {better}, or a trend towards target",
                   {"kpi": k.id, "latest": k.latest, "expected": round(expected_value, 4), "months_off_track": streak})
