"""From the computed scorecard to its typed report (`report.model.Report`): the one place facts become output.

Every business unit is shown with its one spelling (`units.spellings`), as
the roll-up does. Figures are rounded as the JSON has always written them:
money to cents, ratios to four places; a value that is not finite becomes
None (JSON has no Infinity or NaN).
"""

from __future__ import annotations

import math
from typing import Any

from scorecard.compute.provenance import portfolio_provenance, provenance
from scorecard.compute.stake import ask
from scorecard.compute.business_case import CaseFacts
from scorecard.compute.kpis import KpiFacts
from scorecard.rules.scorecard import Result, Scorecard
from scorecard.months import format_month
from scorecard.report.model import Report
from scorecard.rules.base import Finding
from scorecard.load.units import spellings

MONEY_KEYS = ("financials", "stake", "business_case")
"""An initiative's fields that a build without money leaves out."""
PORTFOLIO_MONEY = ("cumulative_cost", "cumulative_benefit", "net", "roi", "business_case", "monthly", "stake_by_verdict",
                   "top_by_net")
"""The portfolio's (and each unit's) fields that a build without money leaves out."""


def _r(value: float | None, digits: int = 4) -> float | None:
    """Rounded; None for no value, and for a value that is not finite (JSON has no Infinity or NaN)."""
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _stake(stake: Any) -> dict[str, Any] | None:
    if stake is None:
        return None
    return {"monthly": _r(stake.monthly, 2), "basis": stake.basis, "label": stake.label, "benefit_change": _r(stake.benefit_change, 2),
            "cost_change": _r(stake.cost_change, 2), "one_off": _r(stake.one_off, 2),
            "vs_case": _r(stake.vs_case, 4), "case_note": stake.case_note}


def _m(value: int | None) -> str | None:
    return None if value is None else format_month(value)


def _finding(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "verdict": f.verdict, "message": f.message, "change": f.change, "numbers": f.numbers}


def _kpi(k: KpiFacts) -> dict[str, Any]:
    return {
        "id": k.id, "name": k.name, "unit": k.unit, "direction": k.direction, "primary": k.primary,
        "baseline": k.baseline, "target": k.target, "target_month": _m(k.target_month),
        "latest": k.latest, "latest_month": _m(k.latest_month), "change": _r(k.change),
        "progress": _r(k.progress), "expected": _r(k.expected), "trend": _r(k.trend),
        "projected_month": _m(k.projected_month), "status": k.status, "months_of_data": len(k.series),
        "series": [{"month": format_month(m), "value": v, "status": s} for (m, v), s in zip(k.series, k.statuses)],
    }


def _case(c: CaseFacts | None) -> dict[str, Any] | None:
    if c is None:
        return None
    case = c.case
    return {
        "approved": case.approved, "by": case.by, "note": case.note, "investment": case.investment,
        "annual_benefit": case.annual_benefit, "planned_users": case.users,
        "months_since_approval": c.months_since_approval,
        "benefit_run_rate": _r(c.benefit_run_rate, 2), "realisation": _r(c.realisation),
        "planned_payback_months": case.payback_months, "actual_payback_months": c.actual_payback_months,
        "first_spend": _m(c.first_spend), "payback_since_approval": c.payback_since_approval,
        "months_since_spend": c.months_since_spend,
        "payback_overdue": c.payback_overdue,
        "spend_to_date": _r(c.spend_to_date, 2), "spend_share": _r(c.spend_share),
        "users": c.users, "users_share": _r(c.users_share),
    }


def _unit_names(card: Scorecard) -> dict[str, str]:
    """Each business unit name as written -> the spelling the unit is shown with."""
    return spellings(r.facts.initiative.business_unit for r in card.results)


def initiative_dict(r: Result, business_unit: str | None = None) -> dict[str, Any]:
    """One initiative of the report; `business_unit`: its unit's shown spelling (default: as written)."""
    f, rec, ini = r.facts, r.rec, r.facts.initiative
    fin, a, g = f.financials, f.adoption, f.governance
    return {
        "id": r.id, "path": r.path, "name": ini.name,
        "business_unit": ini.business_unit if business_unit is None else business_unit,
        "owner": ini.owner.name, "sponsor": ini.sponsor.name if ini.sponsor else None,
        "stage": f.stage, "stage_since": _m(f.stage_since), "months_in_stage": f.months_in_stage,
        "stage_basis": f.stage_basis,
        "risk_tier": ini.risk_tier, "autonomy": ini.autonomy, "operating_model": ini.operating_model,
        "fields": dict(ini.fields),
        "verdict": rec.verdict, "score": rec.score, "score_parts": rec.score_parts,
        "reasons": [_finding(x) for x in rec.reasons], "change": rec.change,
        "decision_overdue": rec.overdue is not None,
        "overdue": _finding(rec.overdue) if rec.overdue else None,
        "stake": _stake(rec.stake),
        "verdict_history": [{"month": format_month(m), "verdict": v} for m, v in rec.history],
        "verdict_since": _m(rec.since),
        "verdict_months": None if rec.since is None else f.as_of - rec.since + 1,
        "verdict_stood_whole_history": rec.stood_whole_history,
        "decide_by": _m(rec.decide_by),
        "waiting_since": _m(rec.waiting_since),
        "waiting_months": None if rec.waiting_since is None else f.as_of - rec.waiting_since + 1,
        "ask": rec.ask,
        "decided": None if rec.decided is None else {
            "month": _m(rec.decided.month), "until": _m(rec.decided.until),
            "decision": rec.decided.decision.decision if rec.decided.decision else None,
            "by": rec.decided.decision.by if rec.decided.decision else None,
            "milestone_users": rec.decided.decision.milestone.users
            if rec.decided.decision and rec.decided.decision.milestone else None,
            "milestone": bool(rec.decided.decision and rec.decided.decision.milestone)},
        "scale_wait": {"first_scale": _m(rec.wait.first_scale), "decided": _m(rec.wait.decided),
                       "months": rec.wait.months, "waiting": rec.wait.waiting,
                       "lapsed": rec.wait.lapsed} if rec.wait else None,
        "last_update": _m(f.last_update), "months_since_update": f.months_since_update,
        "measured": f.measured,
        "kpis": [_kpi(k) for k in f.kpis],
        "financials": {
            "cumulative_cost": _r(fin.cumulative_cost, 2), "cumulative_benefit": _r(fin.cumulative_benefit, 2),
            "net": _r(fin.net, 2), "roi": _r(fin.roi), "payback_month": _m(fin.payback_month),
            "payback_lost_month": _m(fin.payback_lost_month),
            "projected_payback_month": _m(fin.projected_payback_month), "projected_from": _m(fin.projected_from), "run_rate": _r(fin.run_rate, 2),
            "annual_run_rate": _r(fin.annual_run_rate, 2), "cost_per_user": _r(fin.cost_per_user, 2),
            "cost_complete": fin.cost_complete, "cost_categories": fin.cost_categories,
            "cost_by_category": {k: _r(v, 2) for k, v in fin.cost_by_category.items()},
            "benefit_by_category": {k: _r(v, 2) for k, v in fin.benefit_by_category.items()},
            "monthly": [{"month": format_month(m), "cost": _r(c, 2), "benefit": _r(b, 2),
                         "cumulative_cost": _r(cc, 2), "cumulative_benefit": _r(cb, 2)}
                        for m, c, b, cc, cb in zip(fin.months, fin.cost, fin.benefit, fin.cum_cost, fin.cum_benefit)],
        },
        "adoption": {
            "users": a.users, "target_users": a.target_users, "adoption_pct": _r(a.adoption_pct, 2),
            "growth_pct": _r(a.growth_pct, 2), "growing": a.growing,
            "milestones": {str(k): _m(v) for k, v in a.milestones.items()},
            "series": [{"month": format_month(m), "users": u} for m, u in a.series],
        },
        "business_case": _case(f.business_case),
        "governance": {
            "required": list(g.required), "present": list(g.present), "missing": list(g.missing),
            "expired": list(g.expired), "exempted": list(g.exempted), "gaps": list(g.gaps),
            "expired_exemptions": list(g.expired_exemptions), "complete": g.complete,
            "not_applicable": list(g.not_applicable), "in_progress": list(g.in_progress), "past_due": list(g.past_due),
            "controls": [{"id": c.id, "name": c.name, "status": c.status, "date": c.date, "due": c.due, "note": c.note,
                          "evidence": c.evidence, "exempted": c.exempted} for c in g.controls],
        },
    }


UNMEASURED_MONEY = ("cumulative_cost", "cumulative_benefit", "net", "roi", "run_rate", "annual_run_rate",
                    "cost_per_user")
"""The money of an initiative that is not measured: None ("no figures"), never a zero that reads as a figure."""


def build_report(card: Scorecard) -> Report:
    """The typed report of a computed scorecard. Without money (a public build), every money field is None
    and `withheld` says so: the figures never entered the compute, so a zero would read as a figure."""
    units = _unit_names(card)
    items = [initiative_dict(r, units[r.facts.initiative.business_unit]) for r in card.results]
    money = card.policy.judges_money
    for item, r in zip(items, card.results):
        item["sources"] = provenance(r.facts, money)
    for item in items:
        if not item["measured"]:  # no figure yet: its money is unknown, not zero
            item["financials"].update({k: None for k in UNMEASURED_MONEY})
    portfolio = dict(card.portfolio)
    portfolio["measured"] = sum(1 for r in card.results if r.facts.measured)
    portfolio["not_measured"] = len(card.results) - portfolio["measured"]
    portfolio["sources"] = portfolio_provenance([i["sources"] for i in items], [r.facts for r in card.results], money)
    if card.results and not portfolio["measured"]:  # not one figure in the portfolio: its money is unknown
        portfolio.update({k: None for k in ("cumulative_cost", "cumulative_benefit", "net", "roi")})
    withheld = [] if card.policy.judges_money else ["money"]
    if withheld:
        items = [{k: v for k, v in i.items() if k not in MONEY_KEYS} for i in items]
        for item, r in zip(items, card.results):  # the ask in words, without its money
            item["ask"] = ask(r.facts, r.rec.verdict, None) if r.rec.ask else None
        portfolio = {k: v for k, v in portfolio.items() if k not in PORTFOLIO_MONEY}
        portfolio["by_business_unit"] = {u: {k: v for k, v in t.items() if k not in PORTFOLIO_MONEY}
                                         for u, t in portfolio["by_business_unit"].items()}
    return Report.model_validate({"as_of": format_month(card.as_of), "currency": card.policy.currency,
                                  "portfolio": portfolio, "initiatives": items, "withheld": withheld})


