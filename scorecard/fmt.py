"""Number and month formatting shared by rule messages, reports and pages."""

from __future__ import annotations

import re

from scorecard.months import format_month, parse_month, year_month


def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


MINUS = "\u2212"
"""A true minus sign: a hyphen reads as a dash, and breaks a line before the amount."""
_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def money(value: float | None, currency: str = "USD") -> str:
    """An amount to 3 significant digits with k, M, B or T and a true minus: `−USD 9.83k`, `USD 2.40M`, `USD 750`."""
    if value is None:
        return "n/a"
    v = abs(value)
    if v < 999.5:
        shown = f"{v:.0f}"
    else:
        rounded = float(f"{v:.3g}")
        scale, unit = next((d, u) for d, u in _UNITS if rounded >= d or d == 1e3)
        x = rounded / scale
        shown = f"{x:.{2 if x < 10 else 1 if x < 100 else 0}f}{unit}"
    sign = MINUS if value < 0 and shown.strip("0.kMBT") else ""
    return f"{sign}{currency} {shown}"


def pct(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    shown = f"{abs(value):.{digits}f}%"
    return (MINUS if value < 0 and shown.strip("0.%") else "") + shown


def month(value: int | None) -> str:
    return "n/a" if value is None else format_month(value)


def month_name(text: str | None, long: bool = False) -> str:
    """`2026-10` -> `Oct 2026` (`long`: `October 2026`): months in prose and charts; ISO stays in data files."""
    index = parse_month(text or "")
    if index is None:
        return text or "n/a"
    year, month = year_month(index)
    name = _MONTHS[month - 1]
    return f"{name if long else name[:3]} {year}"


_ISO_MONTH = re.compile(r"(?<![\w-])(\d{4}-(?:0[1-9]|1[0-2]))(?![\w-])")


def months_in_prose(text: str) -> str:
    """Every ISO month in a sentence written as in prose: `paid back in 2026-05` -> `paid back in May 2026`."""
    return _ISO_MONTH.sub(lambda m: month_name(m.group(1)), text)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
"""English month names, fixed: calendar.month_name follows the machine's locale, and the same input must build
the same bytes everywhere."""
