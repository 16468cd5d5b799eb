"""`scorecard export`: the portfolio in a register's own layout, or as a workbook for spreadsheet people.

- `omb_csv`: one row per initiative in a mapping's column order (the built-in `omb-2025` is the federal
  inventory's layout). It is the import read backwards, so that importing the export makes the same files.
- `workbook`: an .xlsx file with one sheet per table (initiatives, KPIs, monthly figures, governance), real
  number and date cells, a header row, frozen panes and an autofilter. Its bytes depend only on the
  scorecard (the workbook's dates are the as-of month's, its zip entries carry a fixed time).

Text never becomes a formula: a CSV cell that starts with = + - @, a tab or a return gets a leading `'`
(the import takes it off again), and a workbook cell is always written as text, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from typing import Any

from scorecard.interop.mapping import Mapping
from scorecard.interop.rows import PLACEHOLDERS, fallback_text
from scorecard.model import ControlStatus, Initiative
from scorecard.cells import formula_like
from scorecard.report.doc import report_doc
from scorecard.report.model import Report

IMPORT_FIELDS = ("fields", "governance")


def _safe(text: str) -> str:
    return "'" + text if formula_like(text) else text


def _inverse(values: dict[str, str] | None, value: str) -> str | None:
    return next((raw for raw, mapped in (values or {}).items() if mapped == value), None)


UNKNOWN_MARKED = ("risk_tier", "autonomy")
"""The keys the import sets to `unknown` when the register is silent: written back as the empty cell it was, or as
the register's own word for it when the mapping maps one to unknown. Text that says "unknown" is kept."""


def _target_value(ident: str, ini: Initiative, target: str, rule: Any) -> str | None:
    kind, _, key = target.partition(".")
    if kind == "fields":
        value = ini.fields.get(key)
        return None if value is None else (str(value) if not isinstance(value, float) or not value.is_integer()
                                           else str(int(value)))
    if kind == "governance":
        control = ini.governance.get(key)
        if control is None:
            return None
        if isinstance(control, ControlStatus):
            return control.note or _inverse(rule.values, control.status) or control.status
        return control
    if target == "owner.name":
        return ini.owner.name
    if target == "owner.email":
        if ini.owner.email:
            return ini.owner.email
        return _target_value(ident, ini, rule.else_, rule) if rule.else_ else None
    value = getattr(ini, target)
    if value == "unknown" and target in UNKNOWN_MARKED:  # the tool's word for a register value it was not given
        return _inverse(rule.values, value) if rule.values is not None else None
    if value is None or (target == "stage" and ini.stage_history[-1].basis == "assumed"):
        return None  # what the register did not say is written back as the empty cell it was
    if rule.values is not None:
        return _inverse(rule.values, value) or value
    return str(value)


def inventory_rows(initiatives: list[tuple[str, Initiative]], mapping: Mapping) -> list[list[str]]:
    """The header and one row per initiative (in id order), each cell as the register writes it."""
    columns = list(mapping.columns)
    rows = [columns]
    for ident, ini in sorted(initiatives, key=lambda x: x[0]):
        row: dict[str, str] = {}
        for column, rule in mapping.columns.items():
            value = None
            for target in rule.targets:
                value = _target_value(ident, ini, target, rule)
                if value is not None:
                    break
            row[column] = value or ""
        for column, rule in mapping.columns.items():
            # a value the import filled in (a placeholder, or a column it fell back on) goes back as the empty cell
            if row[column] in PLACEHOLDERS or (row[column] == ident and "name" in rule.targets) or any(
                    row[column] == fallback_text(other, row.get(other, "")) for other in rule.or_):
                row[column] = ""
            if not row[column] and rule.empty_values:
                row[column] = rule.empty_values[0]
        keep = mapping.id.keep_in
        if mapping.id.column and keep:
            imported = any(t.startswith("fields.") and t[7:] in ini.fields
                           for r in mapping.columns.values() for t in r.targets if t != f"fields.{keep}")
            row[mapping.id.column] = str(ini.fields.get(keep, "" if imported else ident))
        rows.append([row[c] for c in columns])
    return rows


def registers(catalogue: Any) -> dict[str, Mapping]:
    """The built-in register layouts this portfolio can be written in: those whose fields its policy declares
    (a portfolio imported with omb-2025 gets the federal inventory's layout on its Data page)."""
    from scorecard.errors import UserError
    from scorecard.interop.importer import require_declared
    from scorecard.interop.mapping import BUILT_IN, load_mapping

    out = {}
    for name in BUILT_IN:
        mapping = load_mapping(name)
        try:
            require_declared(mapping, catalogue)
        except UserError:
            continue
        out[name] = mapping
    return out


def inventory_csv(initiatives: list[tuple[str, Initiative]], mapping: Mapping) -> str:
    """The portfolio in the register's layout: UTF-8 with a byte-order mark, every cell quoted, formula-safe."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    rows = inventory_rows(initiatives, mapping)
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([_safe(v) for v in row])
    return "\ufeff" + buf.getvalue()


# The workbook -----------------------------------------------------------------------------------------------

def _month_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    year, month = text[:7].split("-")
    return dt.date(int(year), int(month), int(text[8:10]) if len(text) >= 10 else 1)


def workbook_tables(report: dict[str, Any], field_ids: list[str]) -> dict[str, tuple[list[str], list[list[Any]], dict[str, str]]]:
    """Each sheet: (header, rows, {column: number format}); values are numbers, dates or text."""
    money, pct, month = "#,##0", "0.0%", "yyyy-mm"
    out: dict[str, tuple[list[str], list[list[Any]], dict[str, str]]] = {}
    head = ["id", "name", "business_unit", "owner", "sponsor", "stage", "stage_since", "verdict", "verdict_since",
            "decide_by", "stake_monthly", "cumulative_cost", "cumulative_benefit", "net", "roi", "payback_month",
            "projected_payback_month", "users", "target_users", "risk_tier", "autonomy", "operating_model",
            "governance_gaps", "last_update", "score"] + [f"fields.{f}" for f in field_ids]
    rows = []
    for i in report["initiatives"]:
        fin, a = i.get("financials") or _NO_MONEY, i["adoption"]
        rows.append([i["id"], i["name"], i["business_unit"], i["owner"], i["sponsor"], i["stage"],
                     _month_date(i["stage_since"]), i["verdict"], _month_date(i["verdict_since"]),
                     _month_date(i["decide_by"]), (i.get("stake") or {}).get("monthly"), fin["cumulative_cost"],
                     fin["cumulative_benefit"], fin["net"], fin["roi"], _month_date(fin["payback_month"]),
                     _month_date(fin["projected_payback_month"]), a["users"], a["target_users"], i["risk_tier"],
                     i["autonomy"], i["operating_model"], len(i["governance"]["gaps"]), _month_date(i["last_update"]),
                     i["score"]] + [i["fields"].get(f) for f in field_ids])
    out["Initiatives"] = (head, rows, {"stage_since": month, "verdict_since": month, "decide_by": month,
                                       "stake_monthly": money, "cumulative_cost": money, "cumulative_benefit": money,
                                       "net": money, "roi": pct, "payback_month": month,
                                       "projected_payback_month": month, "last_update": month})
    head = ["initiative", "kpi", "name", "unit", "direction", "primary", "baseline", "target", "target_month",
            "latest", "latest_month", "progress", "status"]
    rows = [[i["id"], k["id"], k["name"], k["unit"], k["direction"], k["primary"], k["baseline"], k["target"],
             _month_date(k["target_month"]), k["latest"], _month_date(k["latest_month"]), k["progress"], k["status"]]
            for i in report["initiatives"] for k in i["kpis"]]
    out["KPIs"] = (head, rows, {"target_month": month, "latest_month": month, "progress": pct})
    head = ["initiative", "month", "users", "cost", "benefit", "net", "cumulative_cost", "cumulative_benefit"]
    rows = []
    for i in report["initiatives"]:
        figures = {m["month"]: m for m in (i.get("financials") or _NO_MONEY)["monthly"]}
        users = {u["month"]: u["users"] for u in i["adoption"]["series"]}
        for key in sorted(figures.keys() | users.keys()):
            f = figures.get(key, {})
            cost, benefit = f.get("cost"), f.get("benefit")
            rows.append([i["id"], _month_date(key), users.get(key), cost, benefit,
                         None if cost is None or benefit is None else round(benefit - cost, 2),
                         f.get("cumulative_cost"), f.get("cumulative_benefit")])
    out["Monthly figures"] = (head, rows, {"month": month, "cost": money, "benefit": money, "net": money,
                                           "cumulative_cost": money, "cumulative_benefit": money})
    head = ["initiative", "kpi", "month", "value", "status"]
    rows = [[i["id"], k["id"], _month_date(p["month"]), p["value"], p["status"]]
            for i in report["initiatives"] for k in i["kpis"] for p in k["series"]]
    out["KPI actuals"] = (head, rows, {"month": month})
    head = ["initiative", "control", "name", "status", "date", "due", "note", "evidence", "exempted"]
    rows = [[i["id"], c["id"], c["name"], c["status"], c["date"], _month_date(c["due"]), c["note"], c["evidence"],
             c["exempted"]] for i in report["initiatives"] for c in i["governance"]["controls"]]
    out["Governance"] = (head, rows, {"due": month})
    if "money" in report.get("withheld", ()):  # a public build's workbook: no money column at all
        out = {title: _without(head, rows, formats, MONEY_COLUMNS) for title, (head, rows, formats) in out.items()}
    return out


_NO_MONEY: dict[str, Any] = {"cumulative_cost": None, "cumulative_benefit": None, "net": None, "roi": None,
                             "payback_month": None, "projected_payback_month": None, "monthly": []}
MONEY_COLUMNS = frozenset({"stake_monthly", "cumulative_cost", "cumulative_benefit", "net", "roi", "payback_month",
                           "projected_payback_month", "cost", "benefit"})
"""The workbook's money columns, left out where the report withholds money."""


def _without(head: list[str], rows: list[list[Any]], formats: dict[str, str],
             drop: frozenset[str]) -> tuple[list[str], list[list[Any]], dict[str, str]]:
    keep = [n for n, name in enumerate(head) if name not in drop]
    return ([head[n] for n in keep], [[row[n] for n in keep] for row in rows],
            {k: v for k, v in formats.items() if k not in drop})


def workbook(typed: Report, field_ids: list[str]) -> bytes:
    """The scorecard as an .xlsx workbook (the report's data only): the same bytes for the same scorecard.
    Its sheets are tables of the report as `scorecard.json` holds it."""
    report = report_doc(typed)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    stamp = dt.datetime.combine(_month_date(report["as_of"]) or dt.date(2000, 1, 1), dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "scorecard"
    bold = Font(bold=True)
    for title, (head, rows, formats) in workbook_tables(report, field_ids).items():
        ws = book.create_sheet(title)
        for index, name in enumerate(head, 1):
            width = max([len(name)] + [len(str(r[index - 1])) for r in rows[:200] if r[index - 1] is not None])
            ws.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(rows) + 1}"
        header = []
        for name in head:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        styled = [formats.get(name) for name in head]
        for row in rows:
            cells = []
            for value, fmt in zip(row, styled):
                value = _plain(value)
                if isinstance(value, str) and value.startswith("=") or fmt and value is not None:
                    cell = WriteOnlyCell(ws, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"  # text that looks like a formula stays text
                    elif fmt:
                        cell.number_format = fmt
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
    buf = io.BytesIO()
    book.save(buf)
    return _fixed_zip(buf.getvalue(), stamp)


def _plain(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, bool) or value is None or isinstance(value, (int, float, dt.date)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters a workbook cannot hold


def _fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same archive with every entry dated `stamp`: zip entries otherwise carry the time of writing."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl dates it at the time of saving
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.strftime(
                    "%Y-%m-%dT%H:%M:%SZ").encode(), content)
            dst.writestr(entry, content)
    return out.getvalue()
