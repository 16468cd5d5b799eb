"""What `pull` and `sources` print: per initiative what was filled, kept and unverified, then the counts."""

from __future__ import annotations


from collections.abc import Mapping, Sequence
from pathlib import Path

from scorecard import fmt
from scorecard.policy import Policy
from scorecard.problem import plural
from scorecard.sources.job import PullRun
from scorecard.sources.kinds import SourceError, run
from scorecard.sources.pull import month_range


def pull_lines(r: PullRun, currency: str, months: Sequence[str], dry_run: bool) -> tuple[list[str], str]:
    """The lines of a pull's output, and its closing summary."""
    out = []
    for p in r.plans:
        if p.filled:
            out.append(f"{p.initiative}: {'would fill' if dry_run else 'filled'} {', '.join(p.filled)}")
        out += [f"{p.initiative}: left {kept}" for kept in p.kept]
        out += [f"{p.initiative}: unverified {why}" for why in p.unverified]
    shown_missing: dict[str, list[str]] = {}
    for ident, month, path in r.gathered.missing:
        shown_missing.setdefault(ident, []).append(f"{path} {month}")
    for ident, items in shown_missing.items():
        out.append(f"{ident}: no rows in the source for {', '.join(items)}")
    out += [f"note: {w}" for w in r.gathered.warnings]
    for u in r.gathered.unallocated:
        amount = f"{currency} {u.value:,.2f}" if u.money else fmt.num(u.value)
        out.append(f"unallocated: metric {u.metric} {u.month}: {amount} in {u.rows:,} rows that no initiative binds")
    out += [f"failed: {f}" for f in r.gathered.failed]
    out += [f"refused: {f}" for f in r.refused]
    filled = sum(len(p.filled) for p in r.plans)
    kept_count = sum(len(p.kept) for p in r.plans)
    unverified = sum(len(p.unverified) for p in r.plans)
    span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
    written = "nothing written (dry run)" if dry_run else (
        f"wrote {plural(len(r.written), 'file')}" if r.written else "no file changed")
    summary = (f"pull {span}: {plural(r.bound, 'binding')}, {filled} figures filled, {kept_count} kept as typed, "
               f"{unverified} unverified, {len(r.gathered.failed) + len(r.refused)} failed; {written}")
    return out, summary


def source_lines(policy: Policy) -> list[str]:
    """The declared sources and metrics, for `scorecard sources`."""
    if not policy.sources and not policy.metrics:
        return ["no sources: the program office declares sources and metrics in its policy "
                "(see the README's 'Figures from their sources')"]
    out = ["sources:"]
    for name, s in policy.sources.items():
        where = s.files or s.url or (f"${s.url_env}" if s.url_env else "") or ", ".join(
            f"{t}: {p}" for t, p in s.tables.items())
        out.append(f"  {name} ({s.kind}): {where}" + (f" - {s.description}" if s.description else ""))
    out.append("metrics:")
    for name, m in policy.metrics.items():
        params = ", ".join(policy.metric_params(name))
        out.append(f"  {name} (source {m.source}{'; params: ' + params if params else ''})"
                   + (f" - {m.description}" if m.description else ""))
    return out


def check_sources(policy: Policy, root: Path, month: str, env: Mapping[str, str]) -> tuple[list[str], bool]:
    """Run each metric for `month`, writing nothing: one line each, and whether any failed."""
    out, failed = [], False
    start, end = month_range([month])
    for name, metric in policy.metrics.items():
        source = policy.sources[metric.source]
        try:
            result = run(name, source, metric, policy.metric_params(name), start, end, root, env)
        except SourceError as exc:
            out.append(f"failed: {exc}")
            failed = True
            continue
        rows = [r for r in result.rows if r.month == month]
        out.append(f"ok: metric {name} ({source.kind} source {metric.source}): {plural(len(rows), 'group')} for "
                   f"{month}, from {sum(r.rows for r in rows):,} rows")
    if not policy.metrics:
        out.append("no metrics to check")
    return out, failed



