"""Changes to the past in a pull request: restated months, moved goalposts, controls marked not applicable and
removals, found by comparing each changed file with its version in the base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorecard.diff.model import (GOALPOST_FIELDS, RETIRE_HINT, Diff, Goalpost, NewlyMeasured, NotApplicable,
                                  Removal, Restatement, safe_path, under_folder, is_not_applicable)
from scorecard.gitrepo import Change
from scorecard.load.discover import YAML_SUFFIXES, is_initiative_path
from scorecard.load.reader import Document, LoadError, read_document


def _head_file(root: Path, path: str) -> Path | None:
    """`root/path` when it is a regular file reached through no symlink."""
    if not safe_path(path):
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


def compare_history(result: Diff, change: Change, old_file: Path | None, root: Path, folder: str) -> None:
    """The restatements, moved goalposts and removals of one changed file."""
    if change.status == "D":
        if old_file is not None and change.path.lower().endswith(YAML_SUFFIXES):
            result.removals.append(Removal(change.path, None, None, RETIRE_HINT))
        return
    inside = change.path[len(folder) + 1:] if folder != "." else change.path
    if change.status == "R" and change.old_path and not (under_folder(change.path, folder) and is_initiative_path(inside)):
        # moved to a name that is not read (README.md, .yml, a bad folder): the initiative is gone
        result.removals.append(Removal(change.old_path, None, None, RETIRE_HINT))
        return
    if change.status == "A":
        new_doc = _read(_head_file(root, change.path), change.path)
        if new_doc is not None:
            result.not_applicable += _not_applicable(change.path, None, new_doc)
            result.measured += _newly_measured(change.path, None, new_doc)
        return
    if change.status not in ("M", "R", "T"):
        return
    old, new = _read(old_file, change.path), _read(_head_file(root, change.path), change.path)
    if old is None or new is None:
        return
    result.not_applicable += _not_applicable(change.path, old, new)
    result.restatements += _restatements(change.path, old, new)
    result.measured += _newly_measured(change.path, old, new)
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
        # provenance is bookkeeping: a figure's own change is the restatement
        a = _leaves({k: v for k, v in before.items() if k not in ("restated", "measured")})
        b = _leaves({k: v for k, v in after.items() if k not in ("restated", "measured")})
        was, now = _mapping(before.get("measured")), _mapping(after.get("measured"))
        for key in sorted(a.keys() | b.keys()):
            if _differs(a.get(key), b.get(key)):
                loc = ("months", month, *key) if key in b else ("months", month)
                line, _ = new.locate(loc)
                figure = ".".join(key)
                by_hand = figure in was and not _differs(was[figure], now.get(figure))
                out.append(Restatement(path, line, month, figure, a.get(key), b.get(key), reason,
                                       str(_mapping(was[figure]).get("source")) if by_hand else None))
    return out


def _newly_measured(path: str, old: Document | None, new: Document) -> list[NewlyMeasured]:
    """Figures whose provenance this change adds: measured now, not measured (or not there) in the base."""
    old_months = _months(old) if old is not None else {}
    out = []
    for month, after in sorted(_months(new).items(), key=lambda kv: str(kv[0])):
        before = _mapping(old_months.get(month))
        was = _mapping(before.get("measured"))
        for figure, entry in sorted(_mapping(_mapping(after).get("measured")).items(), key=lambda kv: str(kv[0])):
            if figure in was:
                continue
            line, _ = new.locate(("months", month, "measured", figure), key=True)
            typed = _leaves({k: v for k, v in before.items() if k not in ("restated", "measured")}).get(
                tuple(str(figure).split(".")))
            out.append(NewlyMeasured(path, line, str(month), str(figure), str(_mapping(entry).get("source")),
                                     str(_mapping(entry).get("metric")), typed))
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


def _not_applicable(path: str, old: Document | None, new: Document) -> list[NotApplicable]:
    before = _mapping(_mapping(old.data).get("governance")) if old is not None else {}
    after = _mapping(_mapping(new.data).get("governance"))
    out = []
    for control in sorted(set(before) | set(after), key=str):
        was, now = before.get(control), after.get(control)
        if (is_not_applicable(was) or is_not_applicable(now)) and _differs(was, now):
            line, _ = new.locate(("governance", control) if control in after else ("governance",), key=True)
            note = _text(_mapping(now).get("note")) if is_not_applicable(now) else None
            out.append(NotApplicable(path, line, str(control), was, now, note))
    return out


def _removed_months(path: str, old: Document, new: Document) -> list[Removal]:
    line, _ = new.locate(("months",), key=True)
    return [Removal(path, line, month, f"keep the month block and restate it: "
                                       f"{month}: {{restated: why its figures were withdrawn}}")
            for month in sorted(_months(old).keys() - _months(new).keys())]
