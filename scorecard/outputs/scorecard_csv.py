"""`scorecard.csv`: one row per initiative, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from scorecard.cells import csv_cell
from scorecard.report.model import InitiativeReport, Report

CSV_COLUMNS = ("id", "name", "business_unit", "owner", "sponsor", "stage", "verdict", "score", "primary_kpi",
               "primary_kpi_status", "users", "cumulative_cost", "cumulative_benefit", "net", "roi_percent",
               "payback_month", "projected_payback_month", "months_since_update", "decision_overdue", "stake",
               "stake_counts", "verdict_since", "waiting_since", "decide_by", "exit_cost")
MONEY_COLUMNS = frozenset(("cumulative_cost", "cumulative_benefit", "net", "roi_percent", "payback_month",
                           "projected_payback_month", "stake", "stake_counts", "exit_cost"))
"""The columns a build that withholds money leaves out."""


def _row(i: InitiativeReport) -> tuple[Any, ...]:
    primary = next((k for k in i.kpis if k.primary), None)
    fin = i.financials
    money: tuple[Any, ...] = (None,) * 6
    if fin is not None:
        money = (fin.cumulative_cost, fin.cumulative_benefit, fin.net,
                 None if fin.roi is None else round(100 * fin.roi, 2), fin.payback_month, fin.projected_payback_month)
    return (i.id, i.name, i.business_unit, i.owner, i.sponsor, i.stage, i.verdict, i.score,
            primary.id if primary else None, primary.status if primary else None, i.adoption.users, *money,
            i.months_since_update, i.decision_overdue, i.monthly_stake, i.stake.label if i.stake else None,
            i.verdict_since, i.waiting_since, i.decide_by, -i.stake.one_off if i.stake and i.stake.one_off else None)


def to_csv(report: Report, fields: Sequence[str] = ()) -> str:
    r"""One row per initiative, with a column for each published custom field (`fields`: their ids).

    UTF-8 text starting with a byte-order mark (Excel then reads non-ASCII
    names right). csv.QUOTE_NONNUMERIC: every text cell is quoted, with inner
    quotes doubled, as OWASP advises, so a `,` or `;` in a name can never start
    a new cell (a `'` prefix protects only the start of a cell), while numbers
    stay bare and every reader types them as numbers. Lines end in `\n`: the
    CLI writes through a text-mode stdout, which would turn `\r\n` into
    `\r\r\n` on Windows, and every spreadsheet reads `\n`. A report without
    money has no money columns.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    names = list(fields)
    keep = [n for n, c in enumerate(CSV_COLUMNS) if report.money or c not in MONEY_COLUMNS]
    writer.writerow([CSV_COLUMNS[n] for n in keep] + [f"fields.{f}" for f in names])
    for i in report.initiatives:
        row = _row(i)
        writer.writerow([csv_cell(row[n]) for n in keep] + [csv_cell(i.fields.get(f)) for f in names])
    return "\ufeff" + buf.getvalue()
