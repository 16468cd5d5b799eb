"""The scorecard as data: the JSON document, a CSV and a terminal table.

The JSON is the complete, stable result (the site ships it as scorecard.json,
and the next month's "changes" page compares with it). Every output shows a
business unit with its one spelling (`units.spellings`), as the roll-up does.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import textwrap
from typing import Any

from scorecard import fmt
from scorecard.compute.business_case import CaseFacts
from scorecard.compute.kpis import KpiFacts
from scorecard.engine import Result, Scorecard
from scorecard.months import format_month
from scorecard.rules.base import Finding
from scorecard.units import spellings

REPORT_VERSION = 1


def _r(value: float | None, digits: int = 4) -> float | None:
    """Rounded; None for no value, and for a value that is not finite (JSON has no Infinity or NaN)."""
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


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
        "risk_tier": ini.risk_tier, "autonomy": ini.autonomy, "operating_model": ini.operating_model,
        "fields": dict(ini.fields),
        "verdict": rec.verdict, "score": rec.score, "score_parts": rec.score_parts,
        "reasons": [_finding(x) for x in rec.reasons], "change": rec.change,
        "decision_overdue": rec.overdue is not None,
        "overdue": _finding(rec.overdue) if rec.overdue else None,
        "stake": {"monthly": _r(rec.stake.monthly, 2), "basis": rec.stake.basis} if rec.stake else None,
        "verdict_history": [{"month": format_month(m), "verdict": v} for m, v in rec.history],
        "verdict_since": _m(rec.since),
        "verdict_months": None if rec.since is None else f.as_of - rec.since + 1,
        "verdict_stood_whole_history": rec.stood_whole_history,
        "decide_by": _m(rec.decide_by),
        "waiting_since": _m(rec.waiting_since),
        "waiting_months": None if rec.waiting_since is None else f.as_of - rec.waiting_since + 1,
        "scale_wait": {"first_scale": _m(rec.wait.first_scale), "decided": _m(rec.wait.decided),
                       "months": rec.wait.months, "waiting": rec.wait.waiting,
                       "lapsed": rec.wait.lapsed} if rec.wait else None,
        "last_update": _m(f.last_update), "months_since_update": f.months_since_update,
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


def to_dict(card: Scorecard) -> dict[str, Any]:
    units = _unit_names(card)
    return {
        "report_version": REPORT_VERSION, "as_of": format_month(card.as_of), "currency": card.policy.currency,
        "portfolio": card.portfolio,
        "initiatives": [initiative_dict(r, units[r.facts.initiative.business_unit]) for r in card.results],
    }


MONEY_KEYS = ("financials", "stake", "business_case")
PORTFOLIO_MONEY = ("cumulative_cost", "cumulative_benefit", "net", "roi", "business_case", "monthly", "stake_by_verdict",
                   "top_by_net")
def without_money(report: dict[str, Any]) -> dict[str, Any]:
    """The report of a public build that withholds money: no money key at all (they hold only zeros there,
    since the figures never entered the compute, but a zero would read as a figure)."""
    portfolio = {k: v for k, v in report["portfolio"].items() if k not in PORTFOLIO_MONEY}
    portfolio["by_business_unit"] = {u: {k: v for k, v in t.items() if k not in PORTFOLIO_MONEY}
                                     for u, t in portfolio.get("by_business_unit", {}).items()}
    items = [{k: v for k, v in i.items() if k not in MONEY_KEYS} for i in report["initiatives"]]
    return {**report, "portfolio": portfolio, "initiatives": items, "withheld": ["money"]}


def to_json(card: Scorecard) -> str:
    """The report as JSON: one line per initiative, so it is quick to write and to diff. A build that
    withholds money (a public one) holds no money key."""
    return dumps(to_dict(card)) if card.policy.judges_money else dumps(without_money(to_dict(card)))


def dumps(report: dict[str, Any], lines: list[str] | None = None) -> str:
    """A report dict as `to_json` writes it (`lines`: its initiatives already as JSON, one each)."""
    doc = dict(report)
    items = doc.pop("initiatives")
    head = json.dumps(doc, ensure_ascii=False)
    body = ",\n".join(lines if lines is not None else item_lines(items))
    return head[:-1] + ',\n"initiatives": [\n' + body + "\n]}\n"


def item_lines(items: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(item, ensure_ascii=False) for item in items]


CSV_COLUMNS = ("id", "name", "business_unit", "owner", "sponsor", "stage", "verdict", "score", "primary_kpi",
               "primary_kpi_status", "users", "cumulative_cost", "cumulative_benefit", "net", "roi_percent",
               "payback_month", "projected_payback_month", "months_since_update", "decision_overdue", "stake",
               "verdict_since")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
_FORMULA_AFTER_BLANKS = re.compile(r"^[\s\x00-\x1f\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
"""Some spreadsheets skip leading blanks and control characters, or read full-width signs (＝) as signs: same risk."""


def _csv_row(r: Result, business_unit: str) -> tuple[Any, ...]:
    f, fin, ini = r.facts, r.facts.financials, r.facts.initiative
    primary = f.primary
    return (r.id, ini.name, business_unit, ini.owner.name, ini.sponsor.name if ini.sponsor else None, f.stage,
            r.rec.verdict, r.rec.score, primary.id if primary else None, primary.status if primary else None,
            f.adoption.users, _r(fin.cumulative_cost, 2), _r(fin.cumulative_benefit, 2), _r(fin.net, 2),
            None if fin.roi is None else _r(100 * fin.roi, 2), _m(fin.payback_month),
            _m(fin.projected_payback_month), f.months_since_update, r.rec.overdue is not None,
            _r(r.rec.stake.monthly, 2) if r.rec.stake else None, _m(r.rec.since))


def csv_cell(value: Any) -> Any:
    """A value as the CSV writer gets it: numbers stay numbers, everything else becomes safe text.

    A whole float becomes an int (`93`, not `93.0`); other floats are already
    rounded. Booleans are `true`/`false`, None stays None (an empty cell). Text
    that starts with = + - @, a tab or a carriage return gets a leading `'`, as
    OWASP advises, so a spreadsheet shows it instead of running it; that holds
    for `-12` in a text column too.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) or _FORMULA_AFTER_BLANKS.match(text) else text


MONEY_COLUMNS = frozenset(("cumulative_cost", "cumulative_benefit", "net", "roi_percent", "payback_month",
                           "projected_payback_month", "stake"))
"""The columns a public build that withholds money leaves out."""


def to_csv(card: Scorecard, money: bool | None = None) -> str:
    r"""One row per initiative, safe to open in a spreadsheet.

    UTF-8 text starting with a byte-order mark (Excel then reads non-ASCII
    names right). csv.QUOTE_NONNUMERIC: every text cell is quoted, with inner
    quotes doubled, as OWASP advises, so a `,` or `;` in a name can never start
    a new cell (a `'` prefix protects only the start of a cell), while numbers
    stay bare and every reader types them as numbers. Lines end in `\n`: the
    CLI writes through a text-mode stdout, which would turn `\r\n` into
    `\r\r\n` on Windows, and every spreadsheet reads `\n`. Without money (`money=False`, or by default a
    build whose policy judges no money) the money columns are left out.
    """
    if money is None:
        money = card.policy.judges_money
    units = _unit_names(card)
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    fields = [f.id for f in card.policy.published_fields]
    keep = [n for n, c in enumerate(CSV_COLUMNS) if money or c not in MONEY_COLUMNS]
    writer.writerow([CSV_COLUMNS[n] for n in keep] + [f"fields.{f}" for f in fields])
    for r in card.results:
        own = r.facts.initiative.fields
        row = _csv_row(r, units[r.facts.initiative.business_unit])
        writer.writerow([csv_cell(row[n]) for n in keep] + [csv_cell(own.get(f)) for f in fields])
    return "\ufeff" + buf.getvalue()


def to_table(card: Scorecard, width: int = 100) -> str:
    """A plain table for a terminal of `width` columns: one row per initiative."""
    cur = card.policy.currency
    head = ("initiative", "stage", "verdict", "since", "primary KPI", "net", "payback", "stake/mo")
    rows = []
    for r in card.results:
        f, fin = r.facts, r.facts.financials
        primary = f.primary
        payback = fmt.month(fin.payback_month) if fin.payback_month is not None else (
            f"~{fmt.month(fin.projected_payback_month)}" if fin.projected_payback_month is not None else
            f"lost {fmt.month(fin.payback_lost_month)}" if fin.payback_lost_month is not None else "none")
        stake = r.rec.stake.monthly if r.rec.stake else None
        rows.append((r.id, f.stage, (r.rec.verdict or "-") + ("!" if r.rec.overdue else ""),
                     ("≤" if r.rec.stood_whole_history else "") + fmt.month(r.rec.since)
                     if r.rec.since is not None else "-",
                     primary.status.replace("_", " ") if primary else "-", fmt.money(fin.net, cur), payback,
                     "-" if stake is None else fmt.money(stake, cur)))
    if not card.policy.judges_money:  # a public build: no money columns
        head, rows = head[:5], [row[:5] for row in rows]
    fixed = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(head)]
    budget = width - sum(fixed[1:]) - 2 * (len(head) - 1)
    fixed[0] = max(10, min(fixed[0], budget))
    right = {5, 7}

    def line(cells: tuple[str, ...]) -> str:
        out = []
        for i, cell in enumerate(cells):
            cell = cell if len(cell) <= fixed[i] else cell[: fixed[i] - 1] + "…"
            out.append(cell.rjust(fixed[i]) if i in right else cell.ljust(fixed[i]))
        return "  ".join(out).rstrip()

    p = card.portfolio
    lines = [line(head), line(tuple("-" * w for w in fixed))] + [line(row) for row in rows]
    notes: list[str] = []
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(p["by_verdict"].items()))
    stakes = ", ".join(f"{v} {s['initiatives']} {fmt.money(s['monthly'], cur)}" for v, s in p["stake_by_verdict"].items())
    wait = p["scale_wait"]
    notes += [f"as of {format_month(card.as_of)}: {p['initiatives']} initiatives ({verdicts})"]
    if card.policy.judges_money:
        notes.append(f"at stake a month: {stakes or 'nothing'}")
    if wait["initiatives"]:
        def n(count: float, word: str) -> str:
            return f"{count:g} {word}" + ("" if count == 1 else "s")

        notes.append(f"told to scale: {wait['initiatives']}, median wait for a decision {n(wait['median_months'], 'month')}"
                     f", longest {n(wait['longest_months'], 'month')} ({wait['longest']}); {wait['waiting']} still "
                     f"waiting, {wait['lapsed']} lapsed without one")
    money = (f"portfolio net {fmt.money(p['net'], cur)}, ROI {fmt.pct(None if p['roi'] is None else 100 * p['roi'])}; "
             if card.policy.judges_money else "cost and benefit withheld (public build); ")
    notes += [money + "! = decision overdue, ~ = projected payback, since = the verdict has stood since (≤: the whole 12 "
              "months of history or longer)"]
    lines.append("")
    lines += [part for note in notes for part in textwrap.wrap(note, width, subsequent_indent="  ", break_on_hyphens=False)]
    return "\n".join(lines) + "\n"
