"""What a pull request does to the scorecard: `scorecard diff --base REF`.

For the initiative files changed between REF and the working tree: their
validation result, then the scorecard as of the latest month computed on both
sides and compared (initiatives added or removed, months added, verdict, score
and KPI status changes), and every edit to a month that REF already had (a
restatement), with its file, line, old and new value.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scorecard.changes import compare
from scorecard.clock import this_month
from scorecard.config import Settings
from scorecard.engine import compute_scorecard, latest_month
from scorecard.errors import UserError
from scorecard.load import LoadError, read_document
from scorecard.months import format_month
from scorecard.problem import Problem, format_problem
from scorecard.report import to_dict
from scorecard.validate import validate_paths


@dataclass
class Restatement:
    path: str
    line: int
    month: str
    field: str
    old: Any
    new: Any
    reason: str | None
    """The month block's `restated:` note, when it has one."""


@dataclass
class Diff:
    base: str
    files: list[tuple[str, str]]
    """(status A/M/D, path) of each changed initiative file."""
    problems: list[Problem]
    as_of: str | None = None
    months_added: dict[str, list[str]] = field(default_factory=dict)
    changes: dict[str, Any] | None = None
    restatements: list[Restatement] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        if any(p.level == "error" for p in self.problems):
            return True
        return strict and (any(p.level == "warning" for p in self.problems)
                           or any(r.reason is None for r in self.restatements))


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise UserError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout


def _changed(root: Path, base: str, folder: str) -> list[tuple[str, str]]:
    out = []
    for line in _git(root, "diff", "--name-status", "--no-renames", base, "--", folder).splitlines():
        status, path = line.split("\t", 1)
        out.append((status[0], path))
    for path in _git(root, "ls-files", "--others", "--exclude-standard", "--", folder).splitlines():
        out.append(("A", path))
    return sorted((s, p) for s, p in out if p.endswith((".yaml", ".yml")))


def _extract(root: Path, base: str, folder: str, target: Path) -> Path:
    """The initiative folder as it is at `base`, written under `target`."""
    proc = subprocess.run(["git", "archive", "--format=tar", base, "--", folder], cwd=root, capture_output=True)
    out = target / folder
    out.mkdir(parents=True, exist_ok=True)
    if proc.returncode == 0:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            tar.extractall(target, filter="data")
    return out


def _leaves(value: Any, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(value, dict):
        out: dict[tuple[str, ...], Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, (*prefix, str(k))))
        return out
    return {prefix: value}


def _restatements(path: str, old_file: Path, new_file: Path) -> list[Restatement]:
    try:
        old, _ = read_document(old_file, path)
        new, _ = read_document(new_file, path)
    except LoadError:
        return []
    old_months = (old.data or {}).get("months") or {} if isinstance(old.data, dict) else {}
    new_months = (new.data or {}).get("months") or {} if isinstance(new.data, dict) else {}
    out = []
    for month in sorted(set(old_months) & set(new_months)):
        before, after = old_months[month] or {}, new_months[month] or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        reason = after.get("restated")
        a, b = _leaves({k: v for k, v in before.items() if k != "restated"}), \
            _leaves({k: v for k, v in after.items() if k != "restated"})
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                loc = ("months", month, *key) if key in b else ("months", month)
                line, _ = new.locate(loc)
                out.append(Restatement(path, line, str(month), ".".join(key), a.get(key), b.get(key),
                                       reason if isinstance(reason, str) else None))
    return out


def diff(settings: Settings, base: str, today: int | None = None) -> Diff:
    root = settings.root
    _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    folder = settings.initiatives.resolve().relative_to(root.resolve()).as_posix()
    files = _changed(root, base, folder)
    today = today if today is not None else this_month()
    head = validate_paths([settings.initiatives], today=today, base=root)
    changed = {p for _, p in files}
    # every problem of the changed files, and any error elsewhere (it would stop the build too)
    result = Diff(base, files, [p for p in head.problems if p.path in changed or p.level == "error"])
    if head.failed():
        return result
    with tempfile.TemporaryDirectory() as tmp:
        old_folder = _extract(root, base, folder, Path(tmp))
        before = validate_paths([old_folder], today=today, base=Path(tmp))
        for status, path in files:
            if status == "M":
                result.restatements += _restatements(path, Path(tmp) / path, root / path)
    heads = {li.path: li for li in head.initiatives}
    bases = {li.path: li for li in before.initiatives}
    for status, path in files:
        if path in heads:
            old = set(bases[path].model.months) if path in bases else set()
            added = sorted(set(heads[path].model.months) - old)
            if added:
                result.months_added[path] = added
    months = [m for m in (latest_month(head.initiatives), latest_month(before.initiatives)) if m is not None]
    if months:
        as_of = max(months)
        result.as_of = format_month(as_of)
        policy = settings.policy()
        result.changes = compare(to_dict(compute_scorecard(before.initiatives, as_of, policy)),
                                 to_dict(compute_scorecard(head.initiatives, as_of, policy)))
    return result


def _show(value: Any) -> str:
    return "(none)" if value is None else f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(text: Any) -> str:
    """Text from a file, safe in a Markdown table cell of a pull-request comment."""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def to_markdown(d: Diff) -> str:
    lines = [f"## Scorecard check against `{d.base}`", ""]
    if not d.files:
        return "\n".join(lines + ["No initiative file changed.", ""])
    errors = sum(p.level == "error" for p in d.problems)
    warnings = sum(p.level == "warning" for p in d.problems) + len(d.restatements)
    lines += [f"**{len(d.files)} initiative file(s) changed: {errors} error(s), {warnings} warning(s).**", ""]
    if d.problems:
        lines += ["### Validation", "", "```"] + [format_problem(p) for p in d.problems] + ["```", ""]
    if d.restatements:
        lines += ["### Restated months", "",
                  "These months were already in the scorecard and their figures changed. "
                  "Add `restated: <why>` to the month block to explain (required with `--strict`).", "",
                  "| file:line | month | field | before | after | restated |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| `{r.path}:{r.line}` | {r.month} | `{r.field}` | {_cell(_show(r.old))} | {_cell(_show(r.new))} "
                  f"| {_cell(r.reason) if r.reason else '**no reason given**'} |" for r in d.restatements]
        lines.append("")
    if d.changes is None:
        lines += ["The scorecard was not computed: fix the errors above first.", ""]
        return "\n".join(lines)
    c = d.changes
    lines += [f"### What changes in the scorecard (as of {d.as_of})", ""]
    if d.months_added:
        lines += ["Months added: " + "; ".join(f"`{p}`: {', '.join(m)}" for p, m in d.months_added.items()), ""]
    rows = []
    rows += [f"- **new**: {_cell(i['name'])} (`{i['id']}`), {i['stage']}, verdict {i['verdict'] or 'none'}"
             for i in c["new"]]
    rows += [f"- **removed**: {_cell(i['name'])} (`{i['id']}`)" for i in c["removed"]]
    for v in c["verdicts"]:
        why = "; ".join(_cell(r["message"]) for r in v["item"]["reasons"] if r["verdict"] == v["after"])
        score = f", score {v['score_before']} -> {v['score_after']}" if v["score_before"] != v["score_after"] else ""
        rows.append(f"- **verdict** {_cell(v['item']['name'])} (`{v['item']['id']}`): "
                    f"{v['before'] or 'none'} -> **{v['after'] or 'none'}**{score}" + (f": {why}" if why else ""))
    for s in c["stages"]:
        rows.append(f"- **stage** {_cell(s['item']['name'])} (`{s['item']['id']}`): {s['before']} -> {s['after']}")
    for k in c["kpis"]:
        rows.append(f"- **KPI** {_cell(k['item']['name'])} / {_cell(k['name'])}: "
                    f"{k['before'].replace('_', ' ')} -> {k['after'].replace('_', ' ')}")
    lines += rows or ["No verdict, stage or KPI status changes."]
    return "\n".join(lines) + "\n"


def to_json(d: Diff) -> str:
    changes = None
    if d.changes is not None:
        def brief(item: dict[str, Any]) -> dict[str, Any]:
            return {"id": item["id"], "name": item["name"], "verdict": item["verdict"], "score": item["score"]}
        c = d.changes
        changes = {
            "new": [brief(i) for i in c["new"]], "removed": [brief(i) for i in c["removed"]],
            "verdicts": [{**brief(v["item"]), "before": v["before"], "after": v["after"],
                          "score_before": v["score_before"], "score_after": v["score_after"],
                          "reasons": [r["message"] for r in v["item"]["reasons"] if r["verdict"] == v["after"]]}
                         for v in c["verdicts"]],
            "stages": [{"id": s["item"]["id"], "before": s["before"], "after": s["after"]} for s in c["stages"]],
            "kpis": [{"id": k["item"]["id"], "kpi": k["kpi"], "before": k["before"], "after": k["after"]}
                     for k in c["kpis"]],
        }
    return json.dumps({
        "base": d.base, "as_of": d.as_of, "files": [{"status": s, "path": p} for s, p in d.files],
        "problems": [asdict(p) for p in d.problems], "months_added": d.months_added,
        "restatements": [asdict(r) for r in d.restatements], "changes": changes,
    }, indent=2, ensure_ascii=False, default=str) + "\n"
