"""Warnings on figures that are valid but probably typing slips (`implausible`): the data is kept.

- a money amount written like European thousands: `8.000` or `12.500`, a dot followed by exactly three digits
  (YAML reads 8.000 as eight);
- a `%` KPI actual below 1 while its baseline and target are above 1 (`0.46` against 35: a share, not a percent);
- a month's total cost, total benefit or users at least `plausibility.jump_factor` (default 10) times the month
  before's, or at most its 1/factor (users from `plausibility.jump_from_users`, default 50, on: a pilot grows from
  a handful);
- active users more than `plausibility.users_over_target` (default 2) times the adoption target.

A month block that lists a figure under `confirmed:` says it is right, and is not warned about again (a jump is
confirmed by either of its two months).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from scorecard.model import MAX_USERS, Initiative
from scorecard.months import parse_month

if TYPE_CHECKING:
    from scorecard.validate.checks import _Checker

RULE = "implausible"
_THOUSANDS = re.compile(r"[+]?\d{1,3}\.\d{3}(?=$|[\s,}\]#])")
_TOKEN_END = re.compile(r"$|[,}\]#]|\s#")
PERCENT_UNITS = frozenset(("%", "percent", "per cent", "pct"))
CASE_MONEY = ("annual_benefit", "investment")


def check_plausible(c: _Checker, ini: Initiative) -> None:
    data = c.doc.data if isinstance(c.doc.data, dict) else {}
    slips: set[tuple[str, str]] = set()
    months = data.get("months") if isinstance(data.get("months"), dict) else {}
    for key, block in ini.months.items():
        raw = months.get(key) if isinstance(months, dict) else None
        for part in ("costs", "benefits"):
            amounts = raw.get(part) if isinstance(raw, dict) and part not in block.confirmed else None
            for name in (amounts if isinstance(amounts, dict) else {}):
                if _thousands(c, ("months", key, part, name), f"'{part}.{name}' in month {key}"):
                    slips.add((key, part))
    case = data.get("business_case")
    if isinstance(case, dict):
        for name in CASE_MONEY:
            if name in case:
                _thousands(c, ("business_case", name), f"'business_case.{name}'")
    _percent_kpis(c, ini)
    _jumps(c, ini, slips)
    _over_target(c, ini)


def _text_at(c: _Checker, loc: tuple[Any, ...]) -> str:
    """The value at `loc` as written in the file (a plain scalar up to the end of its token)."""
    line, column = c.doc.locate(loc)
    lines = c.doc.text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    rest = lines[line - 1][column - 1:]
    return rest[:_TOKEN_END.search(rest).start()].strip()  # type: ignore[union-attr]


def _thousands(c: _Checker, loc: tuple[Any, ...], what: str) -> bool:
    written = _text_at(c, loc)
    if not _THOUSANDS.fullmatch(written):
        return False
    meant = written.lstrip("+").replace(".", "")
    c.add(loc, RULE, f"{what} is written {written}, which reads as {float(written):g}: a dot followed by three digits "
          f"looks like a thousands separator", f"if you meant {int(meant):,}, write {int(meant)}; if you meant "
          f"{float(written):g}, write {float(written):g}", level="warning")
    return True


def _percent_kpis(c: _Checker, ini: Initiative) -> None:
    for kpi in ini.kpis:
        if kpi.unit.strip().casefold() not in PERCENT_UNITS or not (kpi.baseline > 1 and kpi.target > 1):
            continue
        for key, block in ini.months.items():
            value = block.kpis.get(kpi.id)
            if value is None or not 0 < value < 1 or "kpis" in block.confirmed:
                continue
            c.add(("months", key, "kpis", kpi.id), RULE,
                  f"KPI '{kpi.id}' in month {key} is {value:g}%, while its baseline {kpi.baseline:g}% and target "
                  f"{kpi.target:g}% are above 1: it looks like a share, not a percentage",
                  f"if you meant {value * 100:g}%, write {value * 100:g}; if it is right, add confirmed: [kpis] "
                  "to the month", level="warning")


def _series(ini: Initiative) -> dict[str, list[tuple[int, str, float]]]:
    """(month, key, figure) of each month that has it, oldest first: total cost, total benefit, users."""
    out: dict[str, list[tuple[int, str, float]]] = {"costs": [], "benefits": [], "users": []}
    for key, block in sorted(ini.months.items()):
        month = parse_month(key)
        if month is None:
            continue
        for part in ("costs", "benefits"):
            amounts = getattr(block, part)
            if amounts is not None:
                out[part].append((month, key, sum(amounts.model_dump(exclude_none=True).values())))
        if block.users is not None and block.users <= MAX_USERS:  # beyond the bound is an error already
            out["users"].append((month, key, float(block.users)))
    return out


def _jumps(c: _Checker, ini: Initiative, slips: set[tuple[str, str]]) -> None:
    """Jumps between consecutive months; a month already warned about for a thousands slip is not warned twice."""
    factor = c.catalogue.jump_factor
    for part, series in _series(ini).items():
        for (month, before_key, before), (later, key, now) in zip(series, series[1:]):
            confirmed = part in ini.months[key].confirmed or part in ini.months[before_key].confirmed
            if later != month + 1 or before <= 0 or now <= 0 or confirmed or {(key, part), (before_key, part)} & slips:
                continue
            if part == "users" and min(before, now) < c.catalogue.jump_from_users:
                continue  # from a handful of users, ten times more in a month is how a pilot grows
            ratio = now / before
            if ratio < factor and 1 / ratio < factor:
                continue
            what = "users" if part == "users" else f"total {part[:-1] if part == 'costs' else 'benefit'}"
            times = f"{ratio:,.0f} times" if ratio >= factor else f"1/{1 / ratio:,.0f} of"
            loc = ("months", key, part)
            c.add(loc, RULE, f"{what} in {key} is {now:,.0f}, {times} the {before:,.0f} of {before_key} (the policy "
                  f"warns from {factor:g} times)", f"check for a slipped digit; if it is right, add confirmed: [{part}] "
                  "to the month", key=True, level="warning")


def _over_target(c: _Checker, ini: Initiative) -> None:
    target, factor = ini.adoption.target_users, c.catalogue.users_over_target
    if not target:
        return
    over = [(key, b.users) for key, b in sorted(ini.months.items())
            if b.users is not None and factor * target < b.users <= MAX_USERS and "users" not in b.confirmed]
    if over:
        key, users = over[-1]
        c.add(("months", key, "users"), RULE, f"{users:,} active users in {key} is more than {factor:g} times the "
              f"target of {target:,}", "report people who used it that month, not sessions or requests; if it is "
              "right, raise adoption.target_users or add confirmed: [users] to the month", level="warning")
