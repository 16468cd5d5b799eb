"""Where each figure comes from: measured (pulled from a source, with provenance), entered (typed) or estimated
(declared so), per initiative and for the portfolio. Pure functions of the facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scorecard.compute.facts import Facts
from scorecard.months import format_month
from scorecard.sources.provenance import figure_of, how

MONEY = ("costs", "benefits")


def figure_paths(block: Any) -> list[str]:
    """Every figure a month block holds, by path."""
    out = ["users"] if block.users is not None else []
    out += [f"kpis.{k}" for k in block.kpis]
    for part in MONEY:
        lines = getattr(block, part)
        out += [f"{part}.{k}" for k in (lines.model_dump(exclude_none=True) if lines is not None else {})]
    return out


def provenance(f: Facts, money: bool = True) -> dict[str, Any]:
    """The latest month's figures by how they were obtained, each measured series with its source, and what is
    unverified (`money`: False in a build that withholds money, whose problem texts may quote an amount)."""
    series: dict[str, dict[str, Any]] = {}
    for at, block in f.blocks:
        for path, m in block.measured.items():
            if not money and path.startswith(MONEY):
                continue
            s = series.setdefault(path, {"figure": path, "source": m.source, "metric": m.metric,
                                         "params": dict(m.params), "months": 0, "first": format_month(at)})
            s["months"] += 1
            s.update(source=m.source, metric=m.metric, params=dict(m.params), last=format_month(at))
    latest: dict[str, str] = {}
    share: float | None = None
    month: str | None = None
    if f.blocks:
        last, block = f.blocks[-1]
        month = format_month(last)
        latest = {p: how(block, p) for p in figure_paths(block) if money or not p.startswith(MONEY)}
        amounts = [(p, figure_of(block, p) or 0.0) for p in figure_paths(block) if p.startswith(MONEY)]
        total = sum(v for _, v in amounts)
        share = (sum(v for p, v in amounts if p in block.measured) / total) if money and total > 0 else None
    primary = f.primary
    unverified = [{"figure": p, "month": m, "problem": why if money or not p.startswith(MONEY) else None}
                  for p, m, why in f.unverified]
    return {"month": month, "figures": latest,
            "counts": {k: sum(1 for v in latest.values() if v == k) for k in ("measured", "entered", "estimated")},
            "money_measured": None if share is None else round(share, 4),
            "primary_measured": None if primary is None or f"kpis.{primary.id}" not in latest
            else latest[f"kpis.{primary.id}"] == "measured",
            "series": [series[p] for p in sorted(series)], "unverified": unverified}


def portfolio_provenance(items: Sequence[dict[str, Any]], facts: Sequence[Facts], money: bool) -> dict[str, Any]:
    """The share of the portfolio's latest-month money, and of its primary KPIs, that is measured."""
    measured = total = 0.0
    for f in facts:
        if not f.blocks or not money:
            continue
        _, block = f.blocks[-1]
        for p in figure_paths(block):
            if p.startswith(MONEY):
                v = figure_of(block, p) or 0.0
                total += v
                measured += v if p in block.measured else 0.0
    kpis = [i["primary_measured"] for i in items if i["primary_measured"] is not None]
    return {"money_measured": round(measured / total, 4) if money and total > 0 else None,
            "primary_kpis": len(kpis), "primary_kpis_measured": sum(1 for k in kpis if k),
            "initiatives_measured": sum(1 for i in items if i["counts"]["measured"])}
