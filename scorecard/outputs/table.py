"""The terminal table of `scorecard report`: one row per initiative, then the portfolio in a few lines."""

from __future__ import annotations

import textwrap

from scorecard import fmt
from scorecard.report.model import InitiativeReport, Report

HEAD = ("initiative", "stage", "verdict", "since", "primary KPI", "net", "payback", "stake/mo")
RIGHT = {5, 7}


def _payback(i: InitiativeReport) -> str:
    fin = i.financials
    if fin is None:
        return "none"
    if fin.payback_month is not None:
        return fin.payback_month
    if fin.projected_payback_month is not None:
        return f"~{fin.projected_payback_month}"
    return f"lost {fin.payback_lost_month}" if fin.payback_lost_month is not None else "none"


SHORT_STATUS = {"target_met": "met", "target_missed": "missed"}
"""KPI statuses in the table's narrow column: the header says whose target."""


def _since(i: InitiativeReport) -> str:
    """The one "since": for scale or kill, waiting since (or the month of a decision that stands, with `d`);
    otherwise the month the verdict has stood since."""
    if i.waiting_since is not None:
        return ("≤" if i.verdict_stood_whole_history and i.waiting_since == i.verdict_since else "") + i.waiting_since
    if i.decided is not None:
        return i.decided.month + "d"
    return ("≤" if i.verdict_stood_whole_history else "") + i.verdict_since if i.verdict_since is not None else "-"


def _row(i: InitiativeReport, currency: str) -> tuple[str, ...]:
    primary = next((k for k in i.kpis if k.primary), None)
    stake = i.monthly_stake
    return (i.id, i.stage, (i.verdict or "-") + ("!" if i.decision_overdue else ""),
            _since(i),
            SHORT_STATUS.get(primary.status, primary.status.replace("_", " ")) if primary else "-",
            fmt.money(i.financials.net if i.financials else None, currency), _payback(i),
            "-" if stake is None else fmt.money(stake, currency))


def _count(count: float, word: str) -> str:
    return f"{count:g} {word}" + ("" if count == 1 else "s")


def to_table(report: Report, width: int = 100) -> str:
    """A plain table for a terminal of `width` columns. Without money (a public build), no money columns."""
    cur = report.currency
    head: tuple[str, ...] = HEAD
    rows = [_row(i, cur) for i in report.initiatives]
    if not report.money:
        head, rows = head[:5], [row[:5] for row in rows]
    fixed = [max(len(h), *(len(row[n]) for row in rows)) if rows else len(h) for n, h in enumerate(head)]
    budget = width - sum(fixed[1:]) - 2 * (len(head) - 1)
    fixed[0] = max(10, min(fixed[0], budget))

    def line(cells: tuple[str, ...]) -> str:
        out = []
        for n, cell in enumerate(cells):
            cell = cell if len(cell) <= fixed[n] else cell[: fixed[n] - 1] + "…"
            out.append(cell.rjust(fixed[n]) if n in RIGHT else cell.ljust(fixed[n]))
        return "  ".join(out).rstrip()

    p = report.portfolio
    lines = [line(head), line(tuple("-" * w for w in fixed))] + [line(row) for row in rows]
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(p.by_verdict.items()))
    notes = [f"as of {report.as_of}: {p.initiatives} initiatives ({verdicts})"]
    if report.money:
        stakes = ", ".join(f"{v} {s.initiatives} {fmt.money(s.monthly, cur)}" for v, s in (p.stake_by_verdict or {}).items())
        notes.append(f"at stake a month: {stakes or 'nothing'}")
    wait = p.scale_wait
    if wait.initiatives:
        notes.append(f"told to scale: {wait.initiatives}, median wait for a decision "
                     f"{_count(wait.median_months or 0, 'month')}, longest {_count(wait.longest_months or 0, 'month')} "
                     f"({wait.longest}); {wait.waiting} still waiting, {wait.lapsed} lapsed without one")
    money = (f"portfolio net {fmt.money(p.net, cur)}, ROI {fmt.pct(None if p.roi is None else 100 * p.roi)}; "
             if report.money else "cost and benefit withheld (public build); ")
    notes.append(money + "! = decision overdue, ~ = projected payback, since = for scale or kill, waiting for a decision since "
                 "(d: decided then, and the decision stands), otherwise the verdict has stood since (≤: the whole "
                 "12 months of history or longer)")
    lines.append("")
    lines += [part for note in notes for part in textwrap.wrap(note, width, subsequent_indent="  ", break_on_hyphens=False)]
    return "\n".join(lines) + "\n"
