"""Build initiatives in code for the engine tests: a compact spec, validated by the real model."""

from __future__ import annotations

from typing import Any, Callable

from scorecard.model import Initiative
from scorecard.months import format_month, parse_month
from scorecard.model import LoadedInitiative

MEDIUM_CONTROLS = {"risk_assessment": "2026-01-10", "privacy_review": "2026-01-10",
                   "monitoring": "2026-01-10", "rollback_plan": "2026-01-10"}


def months(start: str, n: int, users: Callable[[int], int] = lambda i: 10 * (i + 1),
           kpi: Callable[[int], float] | None = lambda i: 20 - i,
           cost: Callable[[int], dict] = lambda i: {"licenses": 1000, "people": 3000, "infrastructure": 500},
           benefit: Callable[[int], dict] = lambda i: {"labor_savings": 6000}) -> dict[str, Any]:
    first = parse_month(start)
    out = {}
    for i in range(n):
        block: dict[str, Any] = {"users": users(i), "costs": cost(i), "benefits": benefit(i)}
        if kpi is not None:
            block["kpis"] = {"cycle_time": kpi(i)}
        out[format_month(first + i)] = block
    return out


def make(ident: str = "sample", stage: str = "pilot", since: str = "2026-01", month_blocks: dict | None = None,
         **overrides: Any) -> LoadedInitiative:
    history = [{"stage": stage, "since": since}] if stage != "pilot" or since else []
    data: dict[str, Any] = {
        "name": f"Initiative {ident}", "summary": "A test initiative.", "business_unit": "Legal",
        "owner": {"name": "Dana"}, "sponsor": {"name": "Omar"}, "stage": stage,
        "stage_history": history, "autonomy": "human_in_the_loop", "risk_tier": "low",
        "governance": {"risk_assessment": "2026-01-10"},
        "kpis": [{"id": "cycle_time", "name": "Cycle time", "unit": "days", "direction": "decrease",
                  "baseline": 20, "target": 10, "target_month": "2026-11", "primary": True}],
        "adoption": {"target_users": 100},
        "months": month_blocks if month_blocks is not None else months(since, 10),
    }
    if stage in ("killed", "retired"):
        data["decisions"] = [{"month": since, "decision": "kill" if stage == "killed" else "retire", "by": "council"}]
    data.update(overrides)
    return LoadedInitiative(ident, f"{ident}.yaml", Initiative.model_validate(data))


def to_dict(card: Any) -> dict[str, Any]:
    """A computed scorecard's report as the JSON document scorecard.json holds (tests read it by key)."""
    import json

    from scorecard.outputs.scorecard_json import to_json
    from scorecard.report.build import build_report

    return json.loads(to_json(build_report(card)))


def to_csv(card: Any, money: bool | None = None) -> str:
    """scorecard.csv of a computed scorecard, with its published fields (`money=False`: as without money)."""
    from scorecard.outputs.scorecard_csv import to_csv as write
    from scorecard.report.build import build_report

    report = build_report(card)
    if money is False and report.money:
        report = report.model_copy(update={"withheld": ["money"]})
    return write(report, [f.id for f in card.policy.published_fields])


def site_pages(card: Any, previous: Any = None, options: Any = None) -> dict[str, str]:
    """render_site of a computed scorecard (`previous`: a computed scorecard too, or None)."""
    from scorecard.render.options import SiteOptions
    from scorecard.render.pages import render_site
    from scorecard.report.build import build_report

    return render_site(build_report(card), card, build_report(previous) if previous is not None else None,
                       options or SiteOptions())


def to_json(card: Any) -> str:
    from scorecard.outputs.scorecard_json import to_json as write
    from scorecard.report.build import build_report

    return write(build_report(card))


def to_table(card: Any, width: int = 100) -> str:
    from scorecard.outputs.table import to_table as write
    from scorecard.report.build import build_report

    return write(build_report(card), width)
