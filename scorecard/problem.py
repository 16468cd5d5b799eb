"""One diagnostic type for everything the validator finds, and its formatters.

Like yamllint's `LintProblem`, a YAML syntax error and a broken business rule
are the same kind of thing: a place in a file, a level, a rule id, a message and
an optional hint. Problems are collected first and printed at the end by one
formatter per output format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning"]
FORMATS = ("standard", "github", "json")


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

    def __post_init__(self) -> None:
        for name in ("path", "message", "hint"):
            object.__setattr__(self, name, shown(getattr(self, name)))

    def text(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


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


def summary_line(files: int, problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(files, 'file')} checked: {plural(errors, 'error')}, {plural(warnings, 'warning')}"


def format_report(problems: list[Problem], files: int, fmt: str = "standard") -> str:
    problems = sort_problems(problems)
    if fmt == "json":
        return json.dumps(
            {
                "files": files,
                "errors": sum(1 for p in problems if p.level == "error"),
                "warnings": sum(1 for p in problems if p.level == "warning"),
                "problems": [asdict(p) for p in problems],
            },
            indent=2,
            ensure_ascii=False,
        )
    lines = [format_problem(p, fmt) for p in problems]
    lines.append(summary_line(files, problems))
    return "\n".join(lines)
