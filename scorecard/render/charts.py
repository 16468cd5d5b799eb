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
from typing import Any

from scorecard.render.cache import cached_text


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


def kpi_chart(kpi: dict[str, Any]) -> dict[str, Any]:
    """One KPI: actuals (coloured by status), the straight path from baseline to target, the target line."""
    series = kpi["series"]
    path = [{"month": series[0]["month"], "value": kpi["baseline"]},
            {"month": kpi["target_month"], "value": kpi["target"]}] if series else []
    return {"chart": "kpi", "title": f"{kpi['name']} ({kpi['unit']})", "datasets": {
        "actual": columns([{"month": p["month"], "value": p["value"], "status": p["status"]} for p in series]),
        "path": path, "target": [{"value": kpi["target"]}]}}


def money_chart(monthly: list[dict[str, Any]], payback_month: str | None, title: str) -> dict[str, Any]:
    """Cumulative cost against cumulative benefit, with the payback month marked."""
    return {"chart": "money", "title": title, "datasets": {
        "money": columns([{"month": m["month"], "Cost": m["cumulative_cost"], "Benefit": m["cumulative_benefit"]}
                          for m in monthly]),
        "payback": [{"month": payback_month, "label": f"payback {payback_month}"}] if payback_month else []}}


def users_chart(adoption: dict[str, Any], milestones: list[int]) -> dict[str, Any]:
    """Active users against the 5 / 50 / 500 milestones and the target."""
    target = adoption["target_users"]
    levels = [{"value": m, "label": f"{m:,} users" + (" (target)" if m == target else "")} for m in milestones]
    if target and target not in milestones:
        levels.append({"value": target, "label": f"target {target:,}"})
    return {"chart": "users", "title": "Active users", "datasets": {
        "users": columns(adoption["series"]), "levels": levels}}


def funnel_chart(portfolio: dict[str, Any]) -> dict[str, Any]:
    """Initiatives in each stage now, with how many ever reached it."""
    ever = portfolio["ever_reached"]
    return {"chart": "funnel", "title": "Stage funnel", "datasets": {
        "funnel": [{"stage": s, "count": n, "ever": ever.get(s, 0)} for s, n in portfolio["funnel"].items()]}}
