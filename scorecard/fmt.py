"""Number and month formatting shared by rule messages, reports and pages."""

from __future__ import annotations

from scorecard.months import format_month


def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


def money(value: float | None, currency: str = "USD") -> str:
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1e6:
        return f"{sign}{currency} {v / 1e6:,.2f}M"
    if v >= 1e4:
        return f"{sign}{currency} {v / 1e3:,.0f}k"
    return f"{sign}{currency} {v:,.0f}"


def pct(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}%"


def month(value: int | None) -> str:
    return "n/a" if value is None else format_month(value)
