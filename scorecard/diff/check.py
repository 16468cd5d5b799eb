"""What a pull request does to the scorecard: `scorecard diff --base REF`.

For the files changed under the initiatives folder between REF and the
working tree: their validation result, every change to the past, and the
scorecard as of the reporting month (`RunContext.as_of`) computed on both sides and compared
(initiatives added or removed, months added, verdict, score and KPI status
changes). Changes to the past are what a reviewer must see:

- a *restatement*: a figure of a month REF already had, edited or withdrawn
  (a month's figures are withdrawn by keeping the block as
  `2026-03: {restated: why}`); its reason is the month block's `restated:`;
- a *moved goalpost*: the baseline, target, target month, direction, unit or
  primary flag of a KPI REF already had, changed, or the KPI removed; its
  reason is the KPI's `restated:`;
- a *removal*: a month block or a whole initiative file deleted. History is
  never deleted, so a removal has no valid reason: the hint says what to do
  instead.

`--strict` fails on any of them without a reason. Renamed and moved files are
compared with their old version. The base side is read from git's object
database (`ls-tree`, `cat-file`) into a temp folder: no attribute, symlink or
submodule of the base can change what is read or write outside it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scorecard.audience import for_audience
from scorecard.report.changes import compare
from scorecard.config import Settings
from scorecard.rules.scorecard import compute_scorecard
from scorecard.errors import UserError
from scorecard.context import RunContext
from scorecard.gitrepo import BLOB_MODES, Change, Repo
from scorecard.load.discover import YAML_SUFFIXES, is_initiative_path
from scorecard.load.units import spellings, unit_key
from scorecard.load.reader import MAX_BYTES, Document, LoadError, read_document
from scorecard.months import format_month
from scorecard.problem import Problem, shown
from scorecard.render.escape import md_inline
from scorecard.report.build import build_report
from scorecard.report.model import InitiativeReport
from scorecard.model import LoadedInitiative
from scorecard.validate.run import at_business_unit, validate_paths

GOALPOST_FIELDS = ("baseline", "target", "target_month", "direction", "unit", "primary")
RETIRE_HINT = ("keep the file and retire the initiative: set stage: retired, add a stage_history entry "
               "{stage: retired, since: YYYY-MM} and a decision {month: YYYY-MM, decision: retire, by: ...}")


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
class Goalpost:
    path: str
    line: int
    kpi: str
    field: str | None
    """One of GOALPOST_FIELDS, or None when the whole KPI was removed (`old` is then its definition)."""
    old: Any
    new: Any
    reason: str | None
    """The KPI's `restated:` note in the changed file, when it has one."""


@dataclass
class NotApplicable:
    """A governance control that became, or stopped being, `not_applicable`: a claim a reviewer should confirm."""

    path: str
    line: int
    control: str
    old: Any
    """The control's value in the base (None: not recorded, or a new file)."""
    new: Any
    """Its value now (None: removed)."""
    note: str | None
    """The note given with `not_applicable`."""


@dataclass
class Removal:
    path: str
    line: int | None
    """None when the whole file was deleted."""
    month: str | None
    """The deleted month block; None when the whole file was deleted."""
    hint: str
    """What to do instead."""


@dataclass
class Diff:
    base: str
    commit: str
    """The commit `base` named when the diff ran."""
    files: list[Change]
    problems: list[Problem]
    as_of: str | None = None
    months_added: dict[str, list[str]] = field(default_factory=dict)
    changes: dict[str, Any] | None = None
    restatements: list[Restatement] = field(default_factory=list)
    goalposts: list[Goalpost] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    """Shown for review; it fails nothing (the note is the reason)."""

    def unexplained(self) -> int:
        """Changes to the past without a reason: each fails `--strict`."""
        return (sum(r.reason is None for r in self.restatements) + sum(g.reason is None for g in self.goalposts)
                + len(self.removals))

    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems) + self.unexplained()

    def failed(self, strict: bool) -> bool:
        return any(p.level == "error" for p in self.problems) or (strict and self.warnings() > 0)


def diff(ctx: RunContext, base: str) -> Diff:
    settings = ctx.settings
    root = settings.root
    repo = Repo(root)
    commit = repo.commit(base)
    folder = _folder(settings)
    files = repo.changes(commit, folder)
    today = ctx.today
    catalogue = ctx.policy.catalogue
    head = validate_paths([settings.initiatives], today=today, base=root, catalogue=catalogue)
    # A Problem shows its path escaped (a newline in a name): compare paths the way a Problem holds them.
    changed = {shown(c.path) for c in files}
    # every problem of the changed files, and any error elsewhere (it would stop the build too)
    result = Diff(base, commit, files, [p for p in head.problems if p.path in changed or p.level == "error"])
    with tempfile.TemporaryDirectory() as tmp:
        written = _write_base(repo, commit, folder, Path(tmp))
        for change in files:
            _compare_history(result, change, written.get(change.old_path or change.path), root, folder)
        if head.failed():
            return result
        before = validate_paths([Path(tmp) / folder], today=today, base=Path(tmp), catalogue=catalogue)
    heads = {li.path: li for li in head.initiatives}
    bases = {li.path: li for li in before.initiatives}
    for change in files:
        now = heads.get(change.path)
        if now is not None:
            then = bases.get(change.old_path or change.path)
            added = sorted(set(now.model.months) - (set(then.model.months) if then else set()))
            if added:
                result.months_added[change.path] = added
    result.problems += [at_business_unit(p, root) for p in _renamed_units(before.initiatives, head.initiatives, changed)]
    as_of = ctx.as_of  # the month the site would show once this is merged
    result.as_of = format_month(as_of)
    policy = settings.policy()
    # what the change does to what the build holds (a public configuration: the public record only)
    result.changes = compare(build_report(compute_scorecard(for_audience(settings, before.initiatives), as_of, policy)),
                             build_report(compute_scorecard(for_audience(settings, head.initiatives), as_of, policy)))
    return result


def _renamed_units(before: list[LoadedInitiative], after: list[LoadedInitiative], changed: set[str]) -> list[Problem]:
    """A warning on each changed file that makes the site show an existing business unit under another spelling.

    Units are one by case and spacing and shown with their most common spelling, so a pull request that adds
    files could otherwise rename another team's unit without a word.
    """
    was = {unit_key(n): s for n, s in spellings(li.model.business_unit for li in before).items()}
    now = spellings(li.model.business_unit for li in after)
    out = []
    for li in after:
        name = li.model.business_unit
        old = was.get(unit_key(name))
        if li.path in changed and old is not None and now[name] != old and name == now[name]:
            out.append(Problem(li.path, 1, 1, "warning", "unit-spelling",
                               f"this change makes the site show the business unit '{old}' as '{name}'",
                               f"write '{old}', as the other files do"))
    return out


def _folder(settings: Settings) -> str:
    """The initiatives folder relative to the root, as git is given it."""
    try:
        return settings.initiatives.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        raise UserError(f"{settings.initiatives} is outside {settings.root}; "
                        "diff compares the initiatives folder inside the repository") from None


def _safe(path: str) -> bool:
    """A relative path with no empty, '.', '..' or '.git' part: it stays inside whatever folder it is joined to."""
    return all(part not in ("", ".", "..") and part.lower() != ".git" for part in path.split("/"))


def _under(path: str, folder: str) -> bool:
    return folder == "." or path.startswith(folder + "/")


def _write_base(repo: Repo, commit: str, folder: str, target: Path) -> dict[str, Path]:
    """The plain files under `folder` at `commit`, written under `target`: {path in the repository: file}.

    Symlinks, submodules and unsafe names are left out; nothing is written
    outside `target`, which holds no link.
    """
    (target / folder).mkdir(parents=True, exist_ok=True)
    entries = [e for e in repo.tree(commit, folder)
               if e.kind == "blob" and e.mode in BLOB_MODES and _under(e.path, folder) and _safe(e.path)]
    content = repo.blobs([e.oid for e in entries if e.size is not None and e.size <= MAX_BYTES])
    written = {}
    for e in entries:
        dest = target / e.path
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "xb") as out:
                if e.oid in content:
                    out.write(content[e.oid])
                else:  # over the size limit: as long as the loader needs to refuse it, not gigabytes
                    out.truncate(MAX_BYTES + 1)
        except OSError:  # a name this file system cannot hold, or a file where a folder should be
            continue
        written[e.path] = dest
    return written


def _head_file(root: Path, path: str) -> Path | None:
    """`root/path` when it is a regular file reached through no symlink."""
    if not _safe(path):
        return None
    current = root
    for part in path.split("/"):
        current = current / part
        if current.is_symlink():
            return None
    return current if current.is_file() else None


def _read(path: Path | None, display: str) -> Document | None:
    if path is None:
        return None
    try:
        return read_document(path, display)[0]
    except LoadError:
        return None


def _compare_history(result: Diff, change: Change, old_file: Path | None, root: Path, folder: str) -> None:
    """The restatements, moved goalposts and removals of one changed file."""
    if change.status == "D":
        if old_file is not None and change.path.lower().endswith(YAML_SUFFIXES):
            result.removals.append(Removal(change.path, None, None, RETIRE_HINT))
        return
    inside = change.path[len(folder) + 1:] if folder != "." else change.path
    if change.status == "R" and change.old_path and not (_under(change.path, folder) and is_initiative_path(inside)):
        # moved to a name that is not read (README.md, .yml, a bad folder): the initiative is gone
        result.removals.append(Removal(change.old_path, None, None, RETIRE_HINT))
        return
    if change.status == "A":
        new_doc = _read(_head_file(root, change.path), change.path)
        if new_doc is not None:
            result.not_applicable += _not_applicable(change.path, None, new_doc)
        return
    if change.status not in ("M", "R", "T"):
        return
    old, new = _read(old_file, change.path), _read(_head_file(root, change.path), change.path)
    if old is None or new is None:
        return
    result.not_applicable += _not_applicable(change.path, old, new)
    result.restatements += _restatements(change.path, old, new)
    result.goalposts += _goalposts(change.path, old, new)
    result.removals += _removed_months(change.path, old, new)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _months(doc: Document) -> dict[str, Any]:
    return _mapping(_mapping(doc.data).get("months"))


def _leaves(value: Any, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(value, dict):
        out: dict[tuple[str, ...], Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, (*prefix, str(k))))
        return out
    return {prefix: value}


def _differs(a: Any, b: Any) -> bool:
    """Whether two YAML values differ: 20 and 20.0 are the same, true and 1 are not."""
    return a != b or isinstance(a, bool) != isinstance(b, bool)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _new_reason(before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """The `restated:` reason of this change: one the base already had explains an earlier change, not this one."""
    reason = _text(after.get("restated"))
    return reason if reason != _text(before.get("restated")) else None


def _restatements(path: str, old: Document, new: Document) -> list[Restatement]:
    old_months, new_months = _months(old), _months(new)
    out = []
    for month in sorted(old_months.keys() & new_months.keys()):
        before, after = old_months[month] or {}, new_months[month] or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        reason = _new_reason(before, after)
        a = _leaves({k: v for k, v in before.items() if k != "restated"})
        b = _leaves({k: v for k, v in after.items() if k != "restated"})
        for key in sorted(a.keys() | b.keys()):
            if _differs(a.get(key), b.get(key)):
                loc = ("months", month, *key) if key in b else ("months", month)
                line, _ = new.locate(loc)
                out.append(Restatement(path, line, month, ".".join(key), a.get(key), b.get(key), reason))
    return out


def _kpis(doc: Document) -> dict[str, tuple[int, dict[str, Any]]]:
    """{KPI id: (its index under kpis, its mapping)}, the first of each id."""
    kpis = _mapping(doc.data).get("kpis")
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, kpi in enumerate(kpis if isinstance(kpis, list) else []):
        if isinstance(kpi, dict) and isinstance(kpi.get("id"), str):
            out.setdefault(kpi["id"], (i, kpi))
    return out


def _goalposts(path: str, old: Document, new: Document) -> list[Goalpost]:
    new_kpis = _kpis(new)
    out = []
    for kpi_id, (_, before) in _kpis(old).items():
        if kpi_id not in new_kpis:
            line, _ = new.locate(("kpis",), key=True)
            out.append(Goalpost(path, line, kpi_id, None, before, None, None))
            continue
        i, after = new_kpis[kpi_id]
        for name in GOALPOST_FIELDS:
            default = False if name == "primary" else None
            was, now = before.get(name, default), after.get(name, default)
            if _differs(was, now):
                line, _ = new.locate(("kpis", i, name))
                out.append(Goalpost(path, line, kpi_id, name, was, now, _new_reason(before, after)))
    return out


def _is_not_applicable(value: Any) -> bool:
    return isinstance(value, dict) and value.get("status") == "not_applicable"


def _not_applicable(path: str, old: Document | None, new: Document) -> list[NotApplicable]:
    before = _mapping(_mapping(old.data).get("governance")) if old is not None else {}
    after = _mapping(_mapping(new.data).get("governance"))
    out = []
    for control in sorted(set(before) | set(after), key=str):
        was, now = before.get(control), after.get(control)
        if (_is_not_applicable(was) or _is_not_applicable(now)) and _differs(was, now):
            line, _ = new.locate(("governance", control) if control in after else ("governance",), key=True)
            note = _text(_mapping(now).get("note")) if _is_not_applicable(now) else None
            out.append(NotApplicable(path, line, str(control), was, now, note))
    return out


def _removed_months(path: str, old: Document, new: Document) -> list[Removal]:
    line, _ = new.locate(("months",), key=True)
    return [Removal(path, line, month, f"keep the month block and restate it: "
                                       f"{month}: {{restated: why its figures were withdrawn}}")
            for month in sorted(_months(old).keys() - _months(new).keys())]


# Output ------------------------------------------------------------------------------------------------------------
# Everything from a file (paths, keys, values, names, messages) goes through `_t` or `_code`: every character other
# than a letter, digit or space becomes a character reference, so it can't end a table cell, open a code span or
# start a line.

def _t(text: Any) -> str:
    return str(md_inline(text))


def _code(text: Any) -> str:
    return f"<code>{_t(text)}</code>"


def _show(value: Any) -> str:
    return "(none)" if value is None else _code(json.dumps(value, ensure_ascii=False, default=str))


def _where(path: str, line: int | None) -> str:
    return _code(path if line is None else f"{path}:{line}")


def _reason(reason: str | None) -> str:
    return _t(reason) if reason else "**no reason given**"


STATUS_WORDS = {"A": "added", "M": "changed", "D": "deleted", "T": "changed type"}


def _file_line(c: Change) -> str:
    if c.status == "R":
        return f"- moved {_code(c.old_path)} -> {_code(c.path)}"
    return f"- {STATUS_WORDS.get(c.status) or _t(c.status)} {_code(c.path)}"


def _history_markdown(d: Diff) -> list[str]:
    lines = []
    if d.removals:
        lines += ["### Removed from the past", "",
                  "These were in the scorecard and are gone. History is kept, not deleted: see what to do instead "
                  "(a removal always fails `--strict`).", "",
                  "| file:line | removed | what to do instead |", "| --- | --- | --- |"]
        lines += [f"| {_where(r.path, r.line)} | {'the file' if r.month is None else 'month ' + _code(r.month)} "
                  f"| {_t(r.hint)} |" for r in d.removals]
        lines.append("")
    if d.restatements:
        lines += ["### Restated months", "",
                  "These months were already in the scorecard and their figures changed. "
                  "Add `restated: <why>` to the month block to explain (required with `--strict`).", "",
                  "| file:line | month | field | before | after | restated |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {_where(r.path, r.line)} | {_code(r.month)} | {_code(r.field)} | {_show(r.old)} | {_show(r.new)} "
                  f"| {_reason(r.reason)} |" for r in d.restatements]
        lines.append("")
    if d.not_applicable:
        lines += ["### Governance controls marked not applicable", "",
                  "A control marked `not_applicable` counts as complete: confirm the reason before merging.", "",
                  "| file:line | control | before | now | why |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {_where(n.path, n.line)} | {_code(n.control)} | {_show(n.old)} | {_show(n.new)} "
                  f"| {_reason(n.note) if _is_not_applicable(n.new) else '–'} |" for n in d.not_applicable]
        lines.append("")
    if d.goalposts:
        lines += ["### Moved goalposts", "",
                  "These KPIs were already in the scorecard and their definition changed. "
                  "Add `restated: <why>` to the KPI to explain (required with `--strict`); a removed KPI always fails "
                  "`--strict`.", "",
                  "| file:line | KPI | field | before | after | restated |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {_where(g.path, g.line)} | {_code(g.kpi)} | "
                  f"{'the whole KPI' if g.field is None else _code(g.field)} | {_show(g.old)} | {_show(g.new)} "
                  f"| {_reason(g.reason)} |" for g in d.goalposts]
        lines.append("")
    return lines


def _changes_markdown(d: Diff) -> list[str]:
    c = d.changes or {}
    lines = [f"### What changes in the scorecard (as of {d.as_of})", ""]
    if d.months_added:
        lines += ["Months added: " + "; ".join(f"{_code(p)}: {', '.join(_t(m) for m in ms)}"
                                               for p, ms in d.months_added.items()), ""]
    rows = [f"- **new**: {_t(i.name)} ({_code(i.id)}), {_t(i.stage)}, verdict {_t(i.verdict or 'none')}"
            for i in c["new"]]
    rows += [f"- **removed**: {_t(i.name)} ({_code(i.id)})" for i in c["removed"]]
    for v in c["verdicts"]:
        why = "; ".join(_t(r.message) for r in v["item"].reasons if r.verdict == v["after"])
        score = f", score {v['score_before']} -> {v['score_after']}" if v["score_before"] != v["score_after"] else ""
        rows.append(f"- **verdict** {_t(v['item'].name)} ({_code(v['item'].id)}): "
                    f"{_t(v['before'] or 'none')} -> **{_t(v['after'] or 'none')}**{score}"
                    + (f": {why}" if why else ""))
    for s in c["stages"]:
        rows.append(f"- **stage** {_t(s['item'].name)} ({_code(s['item'].id)}): "
                    f"{_t(s['before'])} -> {_t(s['after'])}")
    for k in c["kpis"]:
        rows.append(f"- **KPI** {_t(k['item'].name)} / {_t(k['name'])}: "
                    f"{_t(k['before'].replace('_', ' '))} -> {_t(k['after'].replace('_', ' '))}")
    return lines + (rows or ["No verdict, stage or KPI status changes."])


def to_markdown(d: Diff) -> str:
    lines = [f"## Scorecard check against {_code(d.base)}", ""]
    if not d.files and not d.problems:
        return "\n".join(lines + ["No initiative file changed.", ""])
    errors = sum(p.level == "error" for p in d.problems)
    lines += [f"**{len(d.files)} initiative file(s) changed: {errors} error(s), {d.warnings()} warning(s).**", ""]
    lines += [_file_line(c) for c in d.files] + [""] if d.files else []
    if d.problems:
        lines += ["### Validation", ""]
        lines += [f"- {_code(f'{p.path}:{p.line}:{p.column}')} {_t(p.level)} {_t(f'[{p.rule}]')} {_t(p.text())}"
                  for p in d.problems]
        lines.append("")
    lines += _history_markdown(d)
    if d.changes is None:
        if errors:
            lines += ["The scorecard was not computed: fix the errors above first.", ""]
        return "\n".join(lines)
    return "\n".join(lines + _changes_markdown(d)) + "\n"


def _printable(text: str) -> str:
    """`text` with any lone surrogate (a file name that is not UTF-8) as U+FFFD, so that it can be written out."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def to_json(d: Diff) -> str:
    changes = None
    if d.changes is not None:
        def brief(item: InitiativeReport) -> dict[str, Any]:
            return {"id": item.id, "name": item.name, "verdict": item.verdict, "score": item.score}
        c = d.changes
        changes = {
            "new": [brief(i) for i in c["new"]], "removed": [brief(i) for i in c["removed"]],
            "verdicts": [{**brief(v["item"]), "before": v["before"], "after": v["after"],
                          "score_before": v["score_before"], "score_after": v["score_after"],
                          "reasons": [r.message for r in v["item"].reasons if r.verdict == v["after"]]}
                         for v in c["verdicts"]],
            "stages": [{"id": s["item"].id, "before": s["before"], "after": s["after"]} for s in c["stages"]],
            "kpis": [{"id": k["item"].id, "kpi": k["kpi"], "before": k["before"], "after": k["after"]}
                     for k in c["kpis"]],
        }
    return _printable(json.dumps({
        "base": d.base, "commit": d.commit, "as_of": d.as_of, "files": [asdict(c) for c in d.files],
        "problems": [asdict(p) for p in d.problems], "months_added": d.months_added,
        "restatements": [asdict(r) for r in d.restatements], "goalposts": [asdict(g) for g in d.goalposts],
        "not_applicable": [asdict(n) for n in d.not_applicable],
        "removals": [asdict(r) for r in d.removals], "changes": changes,
    }, indent=2, ensure_ascii=False, default=str)) + "\n"
