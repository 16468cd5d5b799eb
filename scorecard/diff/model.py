"""What the pull-request check found: the typed result of `scorecard diff` (see `scorecard.diff.check`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scorecard.gitrepo import Change
from scorecard.problem import Problem

GOALPOST_FIELDS = ("baseline", "target", "target_month", "direction", "unit", "primary")
RETIRE_HINT = ("keep the file and retire the initiative: set stage: retired, add a stage_history entry "
               "{stage: retired, since: YYYY-MM} and a decision {month: YYYY-MM, decision: retire, by: ...}")


FINDING_RULES = {"restated": "a month already in the scorecard changes only with a restated: reason",
                 "goalpost": "a KPI's definition changes only with a restated: reason",
                 "removed": "history is kept: a month block or an initiative file is never removed"}
"""The rules of `Diff.findings` beside the validator's, for SARIF."""


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
    measured: str | None = None
    """The source the figure was pulled from, when this is a hand edit of a measured figure."""


@dataclass
class NewlyMeasured:
    """A figure that this change brings in from a source (`scorecard pull`), with its provenance."""

    path: str
    line: int
    month: str
    figure: str
    source: str
    metric: str
    replaces: Any = None
    """The typed value it replaces (None: the figure was empty)."""


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
    measured: list[NewlyMeasured] = field(default_factory=list)
    """Figures newly pulled from a source: shown for review."""

    def unexplained(self) -> int:
        """Changes to the past without a reason: each fails `--strict`."""
        return (sum(r.reason is None for r in self.restatements) + sum(g.reason is None for g in self.goalposts)
                + len(self.removals))

    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems) + self.unexplained()

    def failed(self, strict: bool) -> bool:
        return any(p.level == "error" for p in self.problems) or (strict and self.warnings() > 0)

    def findings(self) -> list[Problem]:
        """The problems, with each change to the past that has no reason as a warning of its line: what the
        SARIF and github formats annotate (every one fails --strict, as `warnings` counts)."""
        out = list(self.problems)
        for r in self.restatements:
            if r.reason is None:
                out.append(Problem(r.path, r.line, 1, "warning", "restated",
                                   f"month {r.month} was in the scorecard and its {r.field} changed from {_brief(r.old)} "
                                   f"to {_brief(r.new)}", "add restated: <why> to the month block"))
        for g in self.goalposts:
            if g.reason is None:
                what = f"its {g.field} changed from {_brief(g.old)} to {_brief(g.new)}" if g.field else "it was removed"
                out.append(Problem(g.path, g.line, 1, "warning", "goalpost",
                                   f"KPI '{g.kpi}' was in the scorecard and {what}",
                                   "add restated: <why> to the KPI" if g.field else
                                   "keep the KPI; a removed KPI always fails --strict"))
        for m in self.removals:
            what = f"month {m.month} was removed" if m.month else "the file was deleted"
            out.append(Problem(m.path, m.line or 1, 1, "warning", "removed", f"{what}; history is kept, not deleted",
                               m.hint))
        return out


def _brief(value: Any) -> str:
    text = "nothing" if value is None else str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def safe_path(path: str) -> bool:
    """A relative path with no empty, '.', '..' or '.git' part: it stays inside whatever folder it is joined to."""
    return all(part not in ("", ".", "..") and part.lower() != ".git" for part in path.split("/"))


def under_folder(path: str, folder: str) -> bool:
    return folder == "." or path.startswith(folder + "/")


def is_not_applicable(value: Any) -> bool:
    return isinstance(value, dict) and value.get("status") == "not_applicable"
