"""A pulled figure's fingerprint: the canonical text of its value, and the hashes that `pull` writes and that
validation checks, so that a figure edited by hand after it was pulled is known without git.

No timestamp goes into either hash: pulling the same data twice writes the same bytes (the commit records when).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

from scorecard.model import MonthBlock


def figure_value(path: str, value: float) -> int | float:
    """The value as `pull` writes it: users are whole, money is to the cent, a KPI keeps 4 decimals."""
    if path == "users":
        return int(round(value))
    return round(float(value), 2 if path.split(".")[0] in ("costs", "benefits") else 4) + 0.0


def value_text(path: str, value: float) -> str:
    """The figure's canonical text, as YAML holds it: 2512.4, 276, 12.35 (no trailing zeros, no exponent)."""
    v = figure_value(path, value)
    if isinstance(v, int):
        return str(v)
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def query_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def result_hash(metric: str, params: Mapping[str, Any], month: str, path: str, value: float, rows: int) -> str:
    """The fingerprint of one pulled figure (metric, parameters, month, figure, value, rows)."""
    record = {"metric": metric, "params": {k: params[k] for k in sorted(params)}, "month": month, "figure": path,
              "value": value_text(path, value), "rows": rows}
    return "sha256:" + hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def figure_of(block: MonthBlock, path: str) -> float | None:
    """The value of figure `path` (users, costs.X, benefits.X, kpis.X) in a month block, or None."""
    part, _, name = path.partition(".")
    if part == "users":
        return None if block.users is None else float(block.users)
    if part == "kpis":
        return block.kpis.get(name)
    lines = getattr(block, part, None)
    value = getattr(lines, name, None) if lines is not None else None
    return None if value is None else float(value)


def how(block: MonthBlock, path: str) -> Literal["measured", "entered", "estimated"]:
    """measured (pulled, with provenance), estimated (declared so) or entered (typed)."""
    if path in block.measured:
        return "measured"
    return "estimated" if path in block.estimated else "entered"


def edited(month: str, path: str, block: MonthBlock) -> bool:
    """True when a measured figure no longer matches the result `pull` wrote: a person changed it."""
    m = block.measured[path]
    value = figure_of(block, path)
    return value is None or result_hash(m.metric, m.params, month, path, value, m.rows) != m.result
