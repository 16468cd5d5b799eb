"""Warnings on figures that are valid but probably typing slips (`implausible`): the data is kept.

- a money amount written like European thousands: `8.000` or `12.500`, a dot followed by exactly three digits
  (YAML reads 8.000 as eight);
- a `%` KPI actual below 1 while its baseline and target are above 1, and under a `jump_factor`th (default 10) of
  the smaller of them (`0.46` against 35: a share, not a percent; 0.8 for a rate decreasing from 5 to 2 is not);
- a month's total cost, total benefit or users at least `plausibility.jump_factor` (default 10) times the month
  before's, or at most its 1/factor (users from `plausibility.jump_from_users`, default 50, on: a pilot grows from
  a handful);
- active users more than `plausibility.users_over_target` (default 2) times the adoption target;
- a declared run cost at target users (`adoption.run_cost_at_target`, or the business case's `annual_run_cost` / 12)
  `jump_factor` times what the latest month's cost per user comes to at target users, or at most its 1/factor
  (a year's cost written for a month, a slipped digit, a zero);
- an `exit_cost` more than `jump_factor` times all the initiative has cost so far.

A month block that lists a figure under `confirmed:` says it is right, and is not warned about again (a jump is
confirmed by either of its two months); so does the file's own `confirmed:` for `run_cost` and `exit_cost`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from scorecard.model import MAX_USERS, Initiative
from scorecard.months import parse_month

if TYPE_CHECKING:
    from scorecard.validate.checks import _Checker

RULE = "implausible"
_THOUSANDS = re.compile(r"[+]?[1-9]\d{0,2}\.\d{3}(?=$|[\s,}\]#])")
"""8.000 or 12.500: a dot after one to three digits, then three. Not 0.500: no one groups thousands after a zero."""
_TOKEN_END = re.compile(r"$|[,}\]#]|\s#")
PERCENT_UNITS = frozenset(("%", "percent", "per cent", "pct"))
TOP_MONEY = (("business_case", "annual_benefit"), ("business_case", "investment"),
             ("business_case", "annual_run_cost"), ("adoption", "run_cost_at_target"), ("exit_cost",))
"""The amounts outside the month blocks, checked for a thousands slip as the month blocks' are."""


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
    for loc in TOP_MONEY:
        parent = data.get(loc[0]) if len(loc) > 1 else data
        if isinstance(parent, dict) and loc[-1] in parent:
            _thousands(c, loc, f"'{'.'.join(loc)}'")
    _percent_kpis(c, ini)
    _jumps(c, ini, slips)
    _over_target(c, ini)
    _run_cost(c, ini)
    _exit_cost(c, ini)


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
            if value >= min(kpi.baseline, kpi.target) / c.catalogue.jump_factor:
                continue  # a rate that fell below 1% from a few per cent: an improvement, not a slip
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


def _latest_costs(ini: Initiative) -> tuple[str, float, int | None] | None:
    """The latest month with costs: its key, its total cost and its users."""
    for key, block in sorted(ini.months.items(), reverse=True):
        if block.costs is not None:
            return key, sum(block.costs.model_dump(exclude_none=True).values()), block.users
    return None


def _run_cost(c: _Checker, ini: Initiative) -> None:
    """A run cost at target far outside what today's cost allows: below 1/factor of the latest month's total cost,
    or above factor times it grown in proportion to the users (an upper bound: fixed costs do not grow with them)."""
    target, latest = ini.adoption.target_users, _latest_costs(ini)
    if "run_cost" in ini.confirmed or not target or latest is None:
        return
    key, cost, users = latest
    if cost <= 0:
        return
    if ini.adoption.run_cost_at_target is not None:
        loc, declared, what = ("adoption", "run_cost_at_target"), ini.adoption.run_cost_at_target, "adoption.run_cost_at_target"
    elif ini.business_case is not None and ini.business_case.annual_run_cost is not None:
        loc, declared = ("business_case", "annual_run_cost"), ini.business_case.annual_run_cost / 12
        what = "business_case.annual_run_cost / 12"
    else:
        return
    if _THOUSANDS.fullmatch(_text_at(c, loc)):
        return  # warned about as a thousands slip already
    factor = c.catalogue.jump_factor
    grown = cost * max(1.0, target / users) if users and users <= MAX_USERS else cost
    if cost / factor <= declared <= factor * grown:
        return
    if declared < cost / factor:
        message = (f"{what} is {declared:,.0f} a month, less than 1/{factor:g} of the {cost:,.0f} {key} cost: "
                   "running it for more users would cost a fraction of what it costs now")
    else:
        message = (f"{what} is {declared:,.0f} a month, more than {factor:g} times the {grown:,.0f} that {key}'s "
                   f"cost comes to if it grew with the users to the target of {target:,}")
    c.add(loc, RULE, message, "check it is a month's running cost at target users (not a year's), in the "
          "portfolio's currency; if it is right, add confirmed: [run_cost] to the file", level="warning")


def _exit_cost(c: _Checker, ini: Initiative) -> None:
    if ini.exit_cost is None or "exit_cost" in ini.confirmed or _THOUSANDS.fullmatch(_text_at(c, ("exit_cost",))):
        return
    spent = sum(sum(b.costs.model_dump(exclude_none=True).values()) for b in ini.months.values() if b.costs is not None)
    factor = c.catalogue.jump_factor
    if spent > 0 and ini.exit_cost > factor * spent:
        c.add(("exit_cost",), RULE, f"exit_cost is {ini.exit_cost:,.0f}, {ini.exit_cost / spent:,.0f} times the "
              f"{spent:,.0f} the initiative has cost so far (the policy warns from {factor:g} times)",
              "check for a slipped digit: it is the one-off cost of stopping; if it is right, add confirmed: "
              "[exit_cost] to the file", level="warning")
