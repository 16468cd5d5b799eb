"""One diagnostic type for everything the validator finds, and its formatters.

Like yamllint's `LintProblem`, a YAML syntax error and a broken business rule
are the same kind of thing: a place in a file, a level, a rule id, a message and
an optional hint. Problems are collected first and printed at the end by one
formatter per output format.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import quote

Level = Literal["error", "warning"]
FORMATS = ("standard", "github", "json", "sarif")
GITHUB_SHOWN = 10
"""GitHub shows at most this many annotations of each level per step (and 50 per job): the rest only in the log."""


def _escape(c: str) -> str:
    if 0xDC80 <= ord(c) <= 0xDCFF:  # a byte that is not UTF-8, kept by the file system's surrogateescape
        return f"\\x{ord(c) - 0xDC00:02x}"
    return c.encode("unicode_escape").decode("ascii")


def shown(text: str) -> str:
    """Text as it may be printed on one line: control, separator and undecodable characters escaped."""
    return text if text.isprintable() else "".join(c if c.isprintable() else _escape(c) for c in text)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding. Its text is kept to one printable line, whatever a file name or key held."""

    path: str
    line: int
    column: int
    level: Level
    rule: str
    message: str
    hint: str = ""
    quotes: str = ""
    """What withholdable part of the record the message may quote, space-separated (`money` for an amount, see
    `withholdable`): a public build that withholds any of it counts the problem instead of quoting it."""

    def __post_init__(self) -> None:
        for name in ("path", "message", "hint"):
            object.__setattr__(self, name, shown(getattr(self, name)))

    def text(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


MONEY_AT = (("exit_cost",), ("adoption", "run_cost_at_target"))
"""The amounts outside the month blocks and the business case (tests/test_problem.py finds every amount in the
format and holds this list to it)."""
NOTE_KEYS = frozenset(("note", "restated"))


def withholdable(loc: tuple) -> str:
    """What a public build may withhold (`public.withhold`) that a problem at `loc` may quote, space-separated:
    `money` for an amount, `business_case`, `owner_email`, `notes`, `evidence`, `exemption_details`, `fields.ID`.
    A public build that withholds any of them counts the problem instead of quoting it."""
    keys = {k for k in loc if isinstance(k, str)}
    out = []
    if ((len(loc) >= 3 and loc[0] == "months" and loc[2] in ("costs", "benefits")) or loc[:1] == ("business_case",)
            or any(loc[:len(m)] == m for m in MONEY_AT)):
        out.append("money")
    if loc[:1] == ("business_case",):
        out.append("business_case")
    if loc[:1] in (("owner",), ("sponsor",)) and "email" in keys:
        out.append("owner_email")
    if keys & NOTE_KEYS:
        out.append("notes")
    if "evidence" in keys:
        out.append("evidence")
    if loc[:1] == ("exemptions",) and keys & {"reason", "approved_by"}:
        out.append("exemption_details")
    if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], str):
        out.append(f"fields.{loc[1]}")
    return " ".join(out)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.rule, p.message))


def _github_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_problem(problem: Problem, fmt: str = "standard") -> str:
    if fmt == "github":
        props = ",".join(
            f"{k}={_github_escape(str(v), prop=True)}"
            for k, v in (
                ("file", problem.path),
                ("line", problem.line),
                ("col", problem.column),
                ("title", f"scorecard [{problem.rule}]"),
            )
        )
        return f"::{problem.level} {props}::{_github_escape(problem.text())}"
    return (
        f"{problem.path}:{problem.line}:{problem.column}: "
        f"{problem.level} [{problem.rule}] {problem.text()}"
    )


@dataclass(frozen=True)
class Unshown:
    """What a public build counts but does not quote: the problems of files it does not publish.

    A public build's log may be public too, so nothing of an internal file (its name, a key, a value)
    is printed; only these counts, and the command that shows them."""

    errors: int = 0
    warnings: int = 0
    files: int = 0

    def __bool__(self) -> bool:
        return self.errors + self.warnings > 0

    def line(self) -> str:
        return (f"{_counts(self.errors, self.warnings)} in {plural(self.files, 'file')} not shown: the audience is "
                "public and they are not published; scorecard validate shows them")


def quotable(problems: Iterable[Problem], public: set[str], withheld: Iterable[str] = ()) -> tuple[list[Problem], Unshown]:
    """The problems of the files in `public` that quote nothing `withheld` (e.g. money), and a count of the rest
    (see `Unshown`)."""
    shown_: list[Problem] = []
    hidden: list[Problem] = []
    withheld = set(withheld)
    for p in problems:
        (shown_ if p.path in public and not set(p.quotes.split()) & withheld else hidden).append(p)
    errors = sum(p.level == "error" for p in hidden)
    return shown_, Unshown(errors, len(hidden) - errors, len({p.path for p in hidden}))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts(errors: int, warnings: int) -> str:
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def summary_line(files: int, problems: list[Problem], unshown: Unshown = Unshown()) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    line = f"{plural(files, 'file')} checked: {_counts(errors + unshown.errors, warnings + unshown.warnings)}"
    return f"{line} ({unshown.line()})" if unshown else line


def format_report(problems: list[Problem], files: int, fmt: str = "standard", unshown: Unshown = Unshown(),
                  rules: Mapping[str, str] | None = None) -> str:
    """The problems in one of `FORMATS`; `rules`: each rule id's description (for SARIF)."""
    problems = sort_problems(problems)
    if fmt == "json":
        return json.dumps(
            {
                "files": files,
                "errors": sum(1 for p in problems if p.level == "error") + unshown.errors,
                "warnings": sum(1 for p in problems if p.level == "warning") + unshown.warnings,
                "problems": [{k: v for k, v in asdict(p).items() if k != "quotes"} for p in problems],
                **({"not_shown": asdict(unshown)} if unshown else {}),
            },
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "sarif":
        return sarif(problems, rules or {}, unshown)
    if fmt == "github":
        return "\n".join(_github(problems, files, unshown))
    lines = [format_problem(p, fmt) for p in problems]
    lines.append(summary_line(files, problems, unshown))
    return "\n".join(lines)


def _github(problems: list[Problem], files: int, unshown: Unshown) -> list[str]:
    """Workflow commands: the problems of each file in a group of the log, and a notice when there are more of a
    level than GitHub shows as annotations (the job summary has them all, see `problems_summary`)."""
    lines: list[str] = []
    for path in sorted({p.path for p in problems}):
        lines.append(f"::group::{_github_escape(path)}")
        lines += [format_problem(p, "github") for p in problems if p.path == path]
        lines.append("::endgroup::")
    for level in ("error", "warning"):
        n = sum(p.level == level for p in problems)
        if n > GITHUB_SHOWN:
            lines.append(f"::notice::{plural(n, level)}: GitHub shows {GITHUB_SHOWN} as annotations; the log above "
                         "and the job summary list them all")
    if unshown:
        lines.append(f"::error::{unshown.line()}" if unshown.errors else f"::warning::{unshown.line()}")
    lines.append(summary_line(files, problems, unshown))
    return lines


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif(problems: list[Problem], rules: Mapping[str, str], unshown: Unshown = Unshown()) -> str:
    """SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`): one result per problem, its
    place by the path relative to the repository (percent-encoded: a file name is untrusted) and line and column."""
    from scorecard import __version__
    from scorecard.release import TOOL_URL

    used = sorted({p.rule for p in problems})
    results = [{
        "ruleId": p.rule, "ruleIndex": used.index(p.rule), "level": p.level, "message": {"text": p.text()},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": quote(p.path.replace(os.sep, "/"), safe="/"), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(p.line, 1), "startColumn": max(p.column, 1)}}}],
    } for p in problems]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "ai-scorecard", "version": __version__, "informationUri": TOOL_URL,
                            "rules": [{"id": r, "shortDescription": {"text": rules.get(r, r)}} for r in used]}},
        "results": results,
    }
    if unshown:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "error" if unshown.errors else "warning", "message": {"text": unshown.line()}}]}]
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False)
