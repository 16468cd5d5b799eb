"""The charts' data, and their specs (built once by chart_specs.py with Altair, then cached).

Each kind of chart is one Vega-Lite spec whose data are *named* datasets. The
specs are shipped once in `assets/scorecard/specs.js`; a page embeds only a
small payload `{"chart": kind, "title": ..., "datasets": {...}}` that the
browser merges into the spec (see `site_templates/assets/scorecard.js`). So an
initiative page carries its numbers, not four copies of a chart grammar, and
the build does not pay Altair's cost per chart.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from scorecard import fmt
from scorecard.compute.kpis import STATUS_LABEL
from scorecard.model import FUNNEL_STAGES, STAGES
from scorecard.render.cache import cached_text
from scorecard.report.model import Adoption, Kpi, MonthMoney, Portfolio


@cache
def specs() -> dict[str, dict[str, Any]]:
    """Every chart kind's spec. Importing Altair and building them takes most of a second, so the
    result is cached, keyed by Altair's version and the source of chart_specs.py."""
    source = Path(__file__).with_name("chart_specs.py")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]

    def build() -> str:
        from scorecard.render.chart_specs import build_specs

        return json.dumps(build_specs(), sort_keys=True)

    return dict(json.loads(cached_text(f"chart-specs-{version('altair')}-{digest}.json", build)))


def columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]] | list[Any]:
    """Rows as one list per field: the same data in about half the bytes (scorecard.js zips them back)."""
    if not rows:
        return []
    return {key: [row[key] for row in rows] for key in rows[0]}


def kpi_chart(kpi: Kpi) -> dict[str, Any]:
    """One KPI: actuals (coloured by status), the straight path from baseline to target, the target line."""
    series = kpi.series
    path = [{"month": series[0].month, "value": kpi.baseline},
            {"month": kpi.target_month, "value": kpi.target}] if series else []
    unit = kpi.unit
    summary = (f"{fmt.num(series[-1].value)} {unit} in {fmt.month_name(series[-1].month)} against a target of "
               f"{fmt.num(kpi.target)} {unit} by {fmt.month_name(kpi.target_month)}: "
               f"{STATUS_LABEL.get(kpi.status, kpi.status)}." if series else "No figures yet.")
    return {"chart": "kpi", "title": f"{kpi.name} ({unit})", "summary": summary, "datasets": {
        "actual": columns([{"month": p.month, "value": p.value, "status": p.status} for p in series]),
        "path": path, "target": [{"value": kpi.target, "label": f"Target {fmt.num(kpi.target)} {unit} by "
                                                            f"{fmt.month_name(kpi.target_month)}"}]}}


def money_chart(monthly: Sequence[MonthMoney], payback_month: str | None, title: str,
                currency: str = "USD") -> dict[str, Any]:
    """Cumulative cost against cumulative benefit, with the payback month marked."""
    summary = None
    if monthly:
        last = monthly[-1]
        net = (last.cumulative_benefit or 0) - (last.cumulative_cost or 0)
        ahead = "Benefit is ahead of cost" if net >= 0 else "Cost is ahead of benefit"
        summary = (f"{ahead} by {fmt.money(abs(net), currency)} in {fmt.month_name(last.month)}"
                   + (f"; benefit passed cost for good in {fmt.month_name(payback_month)}." if payback_month else "."))
    return {"chart": "money", "title": title, "summary": summary, "datasets": {
        "money": columns([{"month": m.month, "Cost": m.cumulative_cost, "Benefit": m.cumulative_benefit}
                          for m in monthly]),
        "payback": [{"month": payback_month, "label": f"payback {fmt.month_name(payback_month)}"}] if payback_month else []}}


def users_chart(adoption: Adoption, milestones: list[int]) -> dict[str, Any]:
    """Active users against the 5 / 50 / 500 milestones and the target."""
    target = adoption.target_users
    series = adoption.series
    peak = max([point.users for point in series] + [target or 0])
    # a linear axis up to the users or the target: the milestones within it, leaving out those too close to zero to
    # read (under 4% of the axis, where their labels would sit on each other); without a target, the next one up
    shown = [m for m in sorted(milestones) if peak / 25 <= m <= peak]
    shown += [] if target else [m for m in sorted(milestones) if m > peak][:1]
    levels = [{"value": m, "label": f"{m:,} users" + (" (target)" if m == target else "")} for m in shown]
    if target and target not in milestones:
        levels.append({"value": target, "label": f"target {target:,}"})
    summary = None
    if series:
        users, month = series[-1].users, series[-1].month
        summary = (f"{users:,} active users in {fmt.month_name(month)}"
                   + (f", {100 * users / target:.1f}% of the target of {target:,}" if target else "") + ".")
    return {"chart": "users", "title": "Active users", "summary": summary, "datasets": {
        "users": columns([{"month": p.month, "users": p.users} for p in series]), "levels": levels}}


def funnel_chart(portfolio: Portfolio) -> dict[str, Any]:
    """The funnel by cohort: how many reached each stage (split into those that moved there from another stage and
    those that entered the portfolio at it, their earlier stages not recorded) against how many are there now,
    killed and retired included. The drop-off from pilot to production is the gap between the bars."""
    ever, now, entered = portfolio.ever_reached, portfolio.by_stage, portfolio.entered_at or {}
    rows, totals = [], []
    for stage in STAGES:
        if stage not in FUNNEL_STAGES and not ever.get(stage):
            continue  # an empty closing stage is no news
        here = min(entered.get(stage, 0), ever.get(stage, 0))
        rows.append({"stage": stage, "measure": "reached", "part": "moved there from another stage",
                     "count": ever.get(stage, 0) - here})
        rows.append({"stage": stage, "measure": "reached", "part": "entered at this stage", "count": here})
        rows.append({"stage": stage, "measure": "there now", "part": "there now", "count": now.get(stage, 0)})
        totals.append({"stage": stage, "measure": "reached", "count": ever.get(stage, 0)})
        totals.append({"stage": stage, "measure": "there now", "count": now.get(stage, 0)})
    return {"chart": "funnel", "title": "Stage funnel by cohort: reached and there now", "summary": funnel_summary(portfolio),
            "datasets": {"funnel": rows, "totals": totals}}


def funnel_summary(portfolio: Portfolio) -> str:
    """The pilot-to-production conversion in words, with the initiatives that entered past proposed."""
    step = next((c for c in portfolio.conversions if (c.start, c.end) == ("pilot", "production")), None)
    if step is None or not step.reached:
        text = "No initiative has reached pilot yet."
    else:
        text = (f"{step.reached} {'initiative' if step.reached == 1 else 'initiatives'} reached pilot and "
                f"{step.moved_on} of them reached production ({100 * step.moved_on / step.reached:.1f}%).")
    later = [(s, n) for s, n in (portfolio.entered_at or {}).items() if n and s != "proposed"]
    if later:
        text += (" Entered the portfolio past proposed, their earlier stages not recorded: "
                 + ", ".join(f"{n} at {s}" for s, n in later) + ".")
    return text
