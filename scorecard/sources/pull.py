"""`scorecard pull`: read the month's figures from the program office's sources into the initiative files.

Gather, then write: every metric runs once for the whole month range (grouped by its parameters, so the source
does the aggregation), each initiative's rows are picked from the result by its binding's values, each figure is
checked against the metric's freshness and expectations, and only then are the files' texts edited. A file is
written only when its text changes, so pulling the same data twice writes nothing.

The trust boundary: an initiative file names a metric and gives its parameters' values; the query, the files and
the credentials are the policy's. Two initiatives cannot bind the same rows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorecard import fmt
from scorecard.model import LoadedInitiative, Measurement
from scorecard.months import format_month, parse_month
from scorecard.policy import Policy
from scorecard.sources.config import Metric
from scorecard.sources.kinds import Row, SourceError, key_text, run
from scorecard.sources.provenance import edited, figure_of, figure_value, query_hash, result_hash, value_text


@dataclass(frozen=True)
class Bound:
    """One figure of one initiative bound to a metric."""

    initiative: str
    path: str
    metric: str
    params: dict[str, Any]

    @property
    def key(self) -> tuple[str | None, ...]:
        return tuple(key_text(v) for v in self.params.values())  # in the metric's parameter order


@dataclass(frozen=True)
class Pulled:
    """A figure as the source gives it, with the provenance `pull` writes beside it."""

    initiative: str
    month: str
    path: str
    value: float
    measured: dict[str, Any]
    problem: str | None = None


@dataclass
class Unallocated:
    """Rows of a metric that no initiative binds: for a cost export, spend nobody owns (shadow AI shows here)."""

    metric: str
    month: str
    value: float
    rows: int
    keys: int
    money: bool = False
    """True when the metric feeds costs or benefits: the value is an amount in the portfolio's currency."""


@dataclass
class Gathered:
    figures: list[Pulled] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """One line per metric that could not run."""
    warnings: list[str] = field(default_factory=list)
    unallocated: list[Unallocated] = field(default_factory=list)
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    """(initiative, month, figure) that the source has no rows for."""
    query_seconds: float = 0.0
    """How long the sources took to answer the metrics' queries (for `pull -v` and the benchmark)."""


def month_range(months: Sequence[str]) -> tuple[dt.date, dt.date]:
    """The first day of the first month, and the first day after the last."""
    first, last = parse_month(min(months)), parse_month(max(months))
    assert first is not None and last is not None
    return _date(first), _date(last + 1)


def _date(month: int) -> dt.date:
    year, m = divmod(month, 12)
    return dt.date(year, m + 1, 1)


def bindings(initiatives: Sequence[LoadedInitiative], policy: Policy) -> tuple[list[Bound], list[str]]:
    """Every binding of the portfolio, in the policy's parameter order; and one line per pair of initiatives that
    bind the same rows of a metric (neither may then see the other's)."""
    out: list[Bound] = []
    owner: dict[tuple[str, tuple[str | None, ...]], str] = {}
    clashes = []
    for li in initiatives:
        for path, b in sorted(li.model.pull.items()):
            if b.metric not in policy.metrics:
                continue  # validation reports it
            params = {p: b.params[p] for p in policy.metric_params(b.metric) if p in b.params}
            bound = Bound(li.id, path, b.metric, params)
            seen = owner.setdefault((b.metric, bound.key), li.id)
            if seen != li.id:
                shown = ", ".join(f"{k}: {v}" for k, v in params.items()) or "no parameters"
                clashes.append(f"{li.path}: pull.{path} binds the rows of metric {b.metric} ({shown}) that {seen} "
                               "binds; each initiative's rows belong to it alone, so give it its own value")
                continue
            out.append(bound)
    return out, clashes


def gather(policy: Policy, root: Path, bound: Sequence[Bound], months: Sequence[str],
           env: Mapping[str, str], every: Sequence[Bound] | None = None) -> Gathered:
    """Run each metric that `bound` uses once for `months`, and pick each binding's figures (`every`: all the
    portfolio's bindings, against which unallocated rows are counted; default `bound`)."""
    got = Gathered()
    wanted = set(months)
    by_metric: dict[str, list[Bound]] = {}
    for b in bound:
        by_metric.setdefault(b.metric, []).append(b)
    owned = {(b.metric, b.key) for b in (every if every is not None else bound)}
    for name in sorted(by_metric):
        metric = policy.metrics[name]
        source = policy.sources[metric.source]
        run_months = list(months)
        if metric.expect.max_fall is not None:  # the month before the first, to check a fall in the first
            run_months.append(format_month((parse_month(min(months)) or 0) - 1))
        start, end = month_range(run_months)
        params = policy.metric_params(name)
        try:
            asked = time.perf_counter()
            result = run(name, source, metric, params, start, end, root, env)
            got.query_seconds += time.perf_counter() - asked
            rows = _by_key(name, result.rows, policy.currency if source.kind == "focus" else None, source.currency)
        except SourceError as exc:
            got.failed.append(str(exc))
            continue
        qhash = query_hash(result.query)
        for b in by_metric[name]:
            previous: float | None = None
            for month in sorted(set(run_months)):
                row = rows.get((b.key, month))
                if month not in wanted:
                    previous = row.value if row is not None else None
                    continue
                if row is None:
                    got.missing.append((b.initiative, month, b.path))
                    previous = None
                    continue
                problem, note = _checked(metric, b.path, month, row, previous)
                if note:
                    got.warnings.append(f"{b.initiative}: {b.path} {month}: {note}")
                previous = row.value
                if row.value is None:
                    got.failed.append(f"metric {name}: {b.initiative} {b.path} {month}: {problem}")
                    continue
                value = figure_value(b.path, row.value)
                if b.path.startswith(("costs.", "benefits.")) and value < 0:
                    got.failed.append(f"metric {name}: {b.initiative} {b.path} {month} sums to {value_text(b.path, value)}"
                                      " (credits exceed charges); an amount is 0 or more, so it is not written")
                    continue
                measured = entry(Measurement(
                    source=metric.source, metric=name, params=dict(b.params), rows=row.rows, query=qhash,
                    result=result_hash(name, b.params, month, b.path, value, row.rows), problem=problem))
                got.figures.append(Pulled(b.initiative, month, b.path, float(value), measured, problem))
        for (key, month), row in sorted(rows.items(), key=lambda kv: (kv[0][1], [k or "" for k in kv[0][0]])):
            if month in wanted and (name, key) not in owned and row.value:
                money = any(b.path.startswith(("costs.", "benefits.")) for b in by_metric[name])
                got.unallocated.append(Unallocated(name, month, row.value, row.rows, 1, money))
    got.unallocated = _summed(got.unallocated)
    return got


Keyed = dict[tuple[tuple[str | None, ...], str], Row]


def _by_key(name: str, rows: list[Row], currency: str | None, wanted: str | None) -> Keyed:
    """The rows by (key, month), summed across the null and the portfolio's currency (focus); a row billed in
    another currency refuses the whole metric."""
    out: Keyed = {}
    expected = wanted or currency
    foreign = [r for r in rows if expected is not None and r.currency not in (None, expected)]
    if foreign:
        other = sorted({r.currency or "" for r in foreign})
        count = sum(r.rows for r in foreign)
        raise SourceError(f"metric {name}: {count:,} rows are billed in {', '.join(other)}, not the portfolio's "
                          f"{expected}; export the bill in {expected} (or convert it) before pulling")
    for r in rows:
        key = (r.key, r.month)
        if key in out:
            prior = out[key]
            value = None if prior.value is None and r.value is None else (prior.value or 0) + (r.value or 0)
            latest = max((d for d in (prior.latest, r.latest) if d is not None), default=None)
            out[key] = Row(r.key, r.month, value, prior.rows + r.rows, latest, expected)
        else:
            out[key] = r
    return out


def _checked(metric: Metric, path: str, month: str, row: Row, previous: float | None) -> tuple[str | None, str]:
    """(why the figure is unverified or None, a note for the run's output)."""
    e, f = metric.expect, metric.freshness
    if row.value is None:
        return ("the source gives no value (NULL)" if e.not_null else "the source gives no value"), ""
    problems = []
    if e.min is not None and row.value < e.min:
        problems.append(f"{value_text(path, row.value)} is below the expected minimum {fmt.num(e.min)}")
    if e.max is not None and row.value > e.max:
        problems.append(f"{value_text(path, row.value)} is above the expected maximum {fmt.num(e.max)}")
    if e.max_fall is not None and previous and row.value < previous / e.max_fall:
        problems.append(f"it fell from {value_text(path, previous)} to {value_text(path, row.value)}, more than "
                        f"{fmt.num(e.max_fall)} times")
    note = ""
    if (f.warn_after is not None or f.error_after is not None):
        month_end = dt.datetime.combine(_date((parse_month(month) or 0) + 1), dt.time())
        if row.latest is None:
            problems.append("the metric declares freshness, but its query returns no latest column")
        else:
            gap = (month_end - row.latest).days
            said = f"its data ends {row.latest.date().isoformat()}, {gap} days before the month's end"
            if f.error_after is not None and gap > f.error_after:
                problems.append(f"{said} (error_after: {f.error_after})")
            elif f.warn_after is not None and gap > f.warn_after:
                note = f"{said} (warn_after: {f.warn_after})"
    return ("; ".join(problems) or None), note


def _summed(items: list[Unallocated]) -> list[Unallocated]:
    out: dict[tuple[str, str], Unallocated] = {}
    for u in items:
        prior = out.get((u.metric, u.month))
        out[(u.metric, u.month)] = u if prior is None else Unallocated(
            u.metric, u.month, prior.value + u.value, prior.rows + u.rows, prior.keys + 1, u.money)
    return [out[k] for k in sorted(out)]


@dataclass
class FilePlan:
    """What a pull does to one file: the figures it fills, the typed ones it leaves, and its new text."""

    initiative: str
    filled: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    updates: dict[str, Any] = field(default_factory=dict)


def plan(li: LoadedInitiative, figures: Sequence[Pulled]) -> FilePlan:
    """Which of `figures` to write into `li`'s file: an empty figure, or one that carries provenance and was not
    changed by hand since; a typed figure is kept, and a difference reported."""
    from scorecard.sources.write import MonthUpdate

    out = FilePlan(li.id)
    changing: set[str] = set()
    for f in sorted(figures, key=lambda f: (f.month, f.path)):
        block = li.model.months.get(f.month)
        current = figure_of(block, f.path) if block is not None else None
        text = value_text(f.path, f.value)
        pulled_before = block is not None and f.path in block.measured and not edited(f.month, f.path, block)
        if current is not None and not pulled_before:
            if value_text(f.path, current) != text:
                out.kept.append(f"{f.path} {f.month}: kept {value_text(f.path, current)} as typed; "
                                f"{f.measured['source']} says {text}")
            continue
        update = out.updates.get(f.month)
        if update is None:
            kept = {p: entry(m) for p, m in (block.measured.items() if block else ())}
            update = out.updates[f.month] = MonthUpdate({}, kept)
        update.values[f.path] = text
        update.measured[f.path] = f.measured
        changed = current is None or value_text(f.path, current) != text or (
            block is not None and entry(block.measured[f.path]) != f.measured)
        if changed:
            out.filled.append(f"{f.path} {f.month} = {text}")
            changing.add(f.month)
        if f.problem:
            out.unverified.append(f"{f.path} {f.month}: {f.problem}")
    out.updates = {m: u for m, u in out.updates.items() if m in changing}  # a month that changes nothing is left
    return out


def entry(m: Measurement) -> dict[str, Any]:
    """A provenance entry as `pull` writes it: in the model's order, without empty parts."""
    out = m.model_dump(exclude_none=True)
    if not out.get("params"):
        out.pop("params", None)
    return out
