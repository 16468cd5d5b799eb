"""Semantic checks on initiative files, and validation of a whole portfolio.

The model (`model.py`) checks each value on its own; the rules here relate
values to each other, to the file name, to the other files and to the current
month. Every finding is a `Problem` with its own rule id, documented in
`CHECKS` (the contributor guide lists them).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scorecard.discover import discover, display as display_path, initiative_id
from scorecard.load import Document, LoadError, read_document
from scorecard.model import (
    CLOSED_STAGES,
    CONTROLS,
    MAX_USERS,
    Initiative,
)
from scorecard.months import format_month, parse_date_month, parse_month, real_date
from scorecard.problem import Level, Problem, sort_problems
from scorecard.schema_errors import suggest, validate_model
from scorecard.units import spelling_problems

#: Every rule id the validator reports, with what it checks.
CHECKS: dict[str, str] = {
    "syntax": "the file is well-formed YAML, one document, not nested absurdly deep",
    "encoding": "the file is UTF-8 text",
    "file-size": "the file is at most 1 MiB",
    "file": "the file can be read: a regular file or folder, not a symbolic link, FIFO or device",
    "empty": "the file is not empty",
    "top-level": "the top level is a mapping of keys to values",
    "yaml-anchor": "no YAML anchors or aliases",
    "yaml-tag": "no YAML tags (such as !!python/object)",
    "duplicate-key": "no key appears twice in the same mapping",
    "unknown-key": "every key is part of the format (a close match is suggested)",
    "missing-key": "every required key is present",
    "type": "each value has the right type: text, number, list or mapping",
    "value": "each value is allowed: one of the listed words, within its bounds",
    "number": "numbers are written as numbers, not text such as '12k'",
    "negative-amount": "costs and benefits are 0 or more",
    "month": "months are written YYYY-MM",
    "date": "dates are written YYYY-MM or YYYY-MM-DD, and exist (no 2026-02-30)",
    "url": "evidence links are http or https addresses, without spaces or control characters",
    "blank": "text values are not blank (only spaces)",
    "file-name": "the file name is a valid initiative id: a-z, 0-9 and '-', 3 to 64 characters, ending in .yaml; "
                 "folders are named with a-z, 0-9 and '-'; (warning) other files are ignored",
    "duplicate-id": "no two files have the same id",
    "future": "no month, date or decision lies after the current month",
    "stage-history": "stage_history is in date order, ends with the current stage and starts no later than the first month of figures",
    "kpi-undeclared": "month blocks report only KPIs declared under kpis",
    "duplicate-kpi": "KPI ids are unique in the file",
    "primary-kpi": "exactly one KPI is primary once there is any KPI",
    "kpi-target": "each KPI's target is better than its baseline in its direction",
    "users-bound": f"active users are at most {MAX_USERS:,}",
    "stage-requirements": "from scaling on: a sponsor and a KPI; killed or retired: a decision that says so",
    "exemption": "exemptions name a real rule id or governance control",
    "exemption-expired": "(warning) an exemption whose expiry month has passed",
    "comment-in-text": "(warning) a ` #` after unquoted text starts a YAML comment, which cuts the text",
    "starter-todo": "(warning) the starter file's TODO text or todo@example.com address is still there",
    "unit-spelling": "(warning) a business unit is written the same way in every file (case and spaces included)",
}

MIN_SPAN = 1e-9
"""A KPI's target must differ from its baseline by at least this: progress is measured against the gap."""

TEXT_KEYS = frozenset(("name", "summary", "business_unit", "title", "note", "reason", "approved_by", "by",
                       "human_review", "restated", "unit", "integrations", "tags"))
"""Keys whose values are free text (or lists of it): where an unquoted ` #` cuts a sentence."""


@dataclass(frozen=True)
class LoadedInitiative:
    id: str
    path: str
    model: Initiative


@dataclass
class ValidationResult:
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    initiatives: list[LoadedInitiative] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


@functools.cache
def exemptable_rules() -> frozenset[str]:
    from scorecard.rules import RULE_IDS

    return frozenset(RULE_IDS) | {f"governance.{c}" for c in CONTROLS} | {"governance.autonomy"}


class _Checker:
    """Collects the semantic problems of one file, with positions from its document."""

    def __init__(self, doc: Document, today: int) -> None:
        self.doc = doc
        self.today = today
        self.problems: list[Problem] = []

    def add(self, loc: tuple, rule: str, message: str, hint: str = "",
            key: bool = False, level: Level = "error") -> None:
        line, column = self.doc.locate(loc, key=key)
        self.problems.append(Problem(self.doc.path, line, column, level, rule, message, hint))

    def not_future(self, loc: tuple, month: int | None, what: str, key: bool = False) -> None:
        if month is not None and month > self.today:
            self.add(loc, "future", f"{what} {format_month(month)} is after the current month "
                     f"{format_month(self.today)}", "figures are reported after the month ends", key=key)


def check_initiative(doc: Document, ini: Initiative, today: int) -> list[Problem]:
    c = _Checker(doc, today)
    _check_months(c, ini)
    _check_stage_history(c, ini)
    _check_kpis(c, ini)
    _check_stage_requirements(c, ini)
    _check_exemptions(c, ini)
    for i, d in enumerate(ini.decisions):
        c.not_future(("decisions", i, "month"), parse_month(d.month), "decision month")
    _check_dates(c, ini)
    _check_text(c)
    return c.problems


def _check_dates(c: _Checker, ini: Initiative) -> None:
    dated = [(("stage_history", i, "since"), e.since) for i, e in enumerate(ini.stage_history)]
    dated += [(("governance", k), v) for k, v in ini.governance.model_dump(exclude_none=True).items()]
    for loc, text in dated:
        if isinstance(text, str) and not real_date(text):
            c.add(loc, "date", f"'{text}' is not a date in the calendar", "check the day of the month")


def _leaves(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any, Any]]:
    """(location, container, key) of every value in the document."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*loc, key), value, key
        yield from _leaves(child, (*loc, key))


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional overrides and isolates: they make text read otherwise than it is stored ("Trojan Source")."""
_BIDI_IN_SOURCE = re.compile(r"[\u202a-\u202e\u2066-\u2069]|\\u20(?:2[a-eA-E]|6[6-9])|\\U000020(?:2[a-eA-E]|6[6-9])")


def _check_text(c: _Checker) -> None:
    """Refuse direction overrides; warn where a comment cut a text value, or the starter's TODOs remain."""
    doc = c.doc
    bidi = bool(_BIDI_IN_SOURCE.search(doc.text))
    if not doc.commented and not doc.todo and not bidi:
        return
    for loc, container, key in _leaves(doc.data):
        value = container[key]
        if not isinstance(value, str):
            if bidi and BIDI.search(str(key)):
                c.add(loc, "value", f"key '{key}' holds an invisible direction control", "remove it", key=True)
            continue
        field = next((s for s in reversed(loc) if isinstance(s, str)), "")
        found = BIDI.search(value) or BIDI.search(str(key)) if bidi else None
        if found:
            c.add(loc, "value", f"'{field}' holds the invisible direction control U+{ord(found.group()):04X}, which "
                  "makes text read otherwise than it is written", "remove it", key=BIDI.search(str(key)) is not None)
        if (id(container), key) in doc.commented and field in TEXT_KEYS:
            c.add(loc, "comment-in-text", f"the text of '{field}' ends at ' #': the rest of the line is a YAML "
                  f"comment, so it reads only '{value[:60]}'", "put the whole value in quotes: \"... #4521\"",
                  level="warning")
        if doc.todo and ("TODO" in value or value == "todo@example.com"):
            c.add(loc, "starter-todo", f"'{field}' still holds the starter text '{value[:60]}'",
                  "replace it with the real value (an error under --strict)", level="warning")


def _check_months(c: _Checker, ini: Initiative) -> None:
    declared = list(dict.fromkeys(k.id for k in ini.kpis))
    for key, block in ini.months.items():
        c.not_future(("months", key), parse_month(key), "month", key=True)
        for kpi_id in block.kpis:
            if kpi_id not in declared:
                hint = suggest(kpi_id, declared) or (
                    f"declared KPIs: {', '.join(declared)}" if declared else "declare it under kpis first")
                c.add(("months", key, "kpis", kpi_id), "kpi-undeclared",
                      f"KPI '{kpi_id}' in month {key} is not declared under kpis", hint, key=True)
        _check_amounts(c, key, block)
        if block.users is not None and block.users > MAX_USERS:
            c.add(("months", key, "users"), "users-bound",
                  f"{block.users:,} active users is above the sanity bound of {MAX_USERS:,}",
                  "report active users of the month, not events or requests")


def _check_amounts(c: _Checker, key: str, block: Any) -> None:
    for part in ("costs", "benefits"):
        amounts = getattr(block, part)
        for name, value in (amounts.model_dump(exclude_none=True).items() if amounts else ()):
            if 0 < value < 0.01:
                c.add(("months", key, part, name), "value", f"'{part}.{name}' in month {key} is {value:g}, "
                      "less than a cent", "write amounts in the portfolio's currency, e.g. 1200 or 0")


def _check_stage_history(c: _Checker, ini: Initiative) -> None:
    history = ini.stage_history
    previous = None
    for i, entry in enumerate(history):
        since = parse_date_month(entry.since)
        c.not_future(("stage_history", i, "since"), since, "stage date")
        if previous is not None and since is not None and since < previous:
            c.add(("stage_history", i, "since"), "stage-history",
                  f"stage_history is not in date order: {entry.since} comes after "
                  f"{history[i - 1].since}", "list the stages oldest first")
        previous = since if since is not None else previous
    last = history[-1]
    if last.stage != ini.stage:
        c.add(("stage_history", len(history) - 1, "stage"), "stage-history",
              f"the last stage_history entry is '{last.stage}' but stage is '{ini.stage}'",
              f"add an entry {{stage: {ini.stage}, since: YYYY-MM}} at the end")
    first = parse_date_month(history[0].since)
    if ini.months and first is not None:
        first_month = min(parse_month(k) or 0 for k in ini.months)
        if first > first_month:
            c.add(("stage_history", 0, "since"), "stage-history",
                  f"stage_history starts {history[0].since}, after the first month of figures "
                  f"{format_month(first_month)}", "date the first stage no later than the first month block")


def _check_kpis(c: _Checker, ini: Initiative) -> None:
    seen: dict[str, int] = {}
    for i, kpi in enumerate(ini.kpis):
        if kpi.id in seen:
            c.add(("kpis", i, "id"), "duplicate-kpi",
                  f"KPI id '{kpi.id}' is used twice (first in kpis[{seen[kpi.id]}])", "give each KPI its own id")
        seen.setdefault(kpi.id, i)
        better = kpi.target > kpi.baseline if kpi.direction == "increase" else kpi.target < kpi.baseline
        if not better:
            word = "above" if kpi.direction == "increase" else "below"
            c.add(("kpis", i, "target"), "kpi-target",
                  f"KPI '{kpi.id}' should {kpi.direction}, so its target {kpi.target:g} must be {word} "
                  f"its baseline {kpi.baseline:g}", "check the direction, baseline and target")
        if better and abs(kpi.target - kpi.baseline) < MIN_SPAN:
            c.add(("kpis", i, "target"), "kpi-target",
                  f"KPI '{kpi.id}': its target {kpi.target:g} is almost equal to its baseline {kpi.baseline:g}",
                  "set a target that differs from the baseline by a measurable amount")
    primaries = [i for i, k in enumerate(ini.kpis) if k.primary]
    if ini.kpis and len(primaries) != 1:
        if not primaries:
            c.add(("kpis",), "primary-kpi", "no KPI is marked primary: true",
                  "mark the KPI that decides the initiative's fate with primary: true", key=True)
        for i in primaries[1:]:
            c.add(("kpis", i, "primary"), "primary-kpi",
                  f"more than one primary KPI: '{ini.kpis[primaries[0]].id}' and '{ini.kpis[i].id}'",
                  "keep primary: true on one KPI only", key=True)


def _check_stage_requirements(c: _Checker, ini: Initiative) -> None:
    if ini.stage in ("scaling", "production"):
        if ini.sponsor is None:
            c.add(("stage",), "stage-requirements",
                  f"an initiative in stage '{ini.stage}' needs a sponsor",
                  "add sponsor: {name: ..., title: ...}", key=True)
        if not ini.kpis:
            c.add(("stage",), "stage-requirements",
                  f"an initiative in stage '{ini.stage}' needs at least one KPI",
                  "declare the business outcome it is measured by under kpis", key=True)
    if ini.stage in CLOSED_STAGES:
        wanted = "kill" if ini.stage == "killed" else "retire"
        if not any(d.decision == wanted for d in ini.decisions):
            c.add(("stage",), "stage-requirements",
                  f"stage is '{ini.stage}' but no decision says {wanted}",
                  f"add to decisions: {{month: YYYY-MM, decision: {wanted}, by: ...}}", key=True)


def _check_exemptions(c: _Checker, ini: Initiative) -> None:
    known = exemptable_rules()
    for i, ex in enumerate(ini.exemptions):
        if ex.rule not in known:
            c.add(("exemptions", i, "rule"), "exemption", f"exemption names an unknown rule '{ex.rule}'",
                  suggest(ex.rule, sorted(known)) or f"known rules: {', '.join(sorted(known))}")
        expires = parse_month(ex.expires)
        if expires is not None and expires < c.today and ini.stage not in CLOSED_STAGES:
            c.add(("exemptions", i, "expires"), "exemption-expired",
                  f"the exemption of '{ex.rule}' expired in {ex.expires} and no longer counts",
                  "renew it with a new expiry month and approver, or remove it", level="warning")


def validate_file(path: Path, display: str, today: int) -> tuple[Initiative | None, list[Problem]]:
    """Every problem of one file, and its model when it has no error."""
    model, problems, _ = _validate(path, display, today)
    return model, problems


def _validate(path: Path, display: str, today: int) -> tuple[Initiative | None, list[Problem], Any]:
    """validate_file, also giving the parsed data the model was made from."""
    try:
        doc, problems = read_document(path, display)
    except LoadError as exc:
        return None, [exc.problem], None
    if doc.data is None:
        return None, problems + [Problem(display, 1, 1, "error", "empty", "the file is empty",
                                         "start from `scorecard new ID`")], None
    if not isinstance(doc.data, dict):
        line, column = doc.locate(())
        return None, problems + [Problem(display, line, column, "error", "top-level",
                                         "the top level of an initiative file must be a mapping of keys to values",
                                         "start from `scorecard new ID`")], None
    model, schema_problems = validate_model(doc, Initiative)
    problems += schema_problems
    if model is not None:
        problems += check_initiative(doc, model, today)
    if any(p.level == "error" for p in problems):
        return None, problems, None
    return model, problems, doc.data


PARALLEL_FROM = 200
"""Portfolios of this many files are parsed by one worker process per core."""


def _validate_chunk(chunk: list[tuple[Path, str]], today: int) -> list[tuple[Any, list[Problem]]]:
    """In a worker: (the data of a valid file or None, its problems) for each file.

    The data, plain dicts and lists, travel back several times faster than
    pickled models; the parent makes the models again (pydantic's core is fast).
    """
    out = []
    for path, display in chunk:
        _, problems, data = _validate(path, display, today)
        out.append((data, problems))
    return out


def _validate_in_parallel(files: list[tuple[Path, str]], today: int) -> dict[str, tuple[Initiative | None, list[Problem]]]:
    """validate_file for every file in worker processes (forked: nothing to import again); {} when not worth it.

    Parsing is pure Python work per YAML event (about 700 events per file of
    36 months), so one process per core divides it; results come back pickled.
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return {}
    size = -(-len(files) // workers)
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        done = list(pool.map(_validate_chunk, chunks, [today] * len(chunks)))
    return {display: (None if data is None else Initiative.model_validate(data), problems)
            for chunk, outs in zip(chunks, done) for (_, display), (data, problems) in zip(chunk, outs)}


def at_business_unit(problem: Problem, base: Path) -> Problem:
    """The problem moved to the file's `business_unit:` line (the models keep no positions)."""
    try:
        text = (base / problem.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return problem
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("business_unit:"):
            return replace(problem, line=number, column=len("business_unit: ") + 1)
    return problem


FileCache = dict[tuple[str, int, int, int], tuple[Initiative | None, list[Problem]]]
"""Results of validate_file by (path, modification time, size, today): what `mkdocs serve` keeps between rebuilds."""


def validate_paths(paths: Iterable[str | os.PathLike[str]], today: int, base: Path | None = None,
                   cache: FileCache | None = None) -> ValidationResult:
    """Validate every file under `paths` and check ids across them.

    Files are named relative to `base` (default: the working folder), as the
    scorecard and the site show them: the repository root gives stable names.
    With a `cache`, a file whose modification time and size are unchanged is
    not read again (the cache is pruned to the files seen this time).
    """
    result = ValidationResult()
    by_id: dict[str, str] = {}
    where = base or Path.cwd()
    seen = set()
    found, result.problems = discover(list(paths), where)
    files = [(path, display_path(path, where)) for path in found]
    parallel = _validate_in_parallel(files, today) if cache is None else {}
    for path, display in files:
        result.files += 1
        if cache is None:
            model, problems = parallel.get(display) or validate_file(path, display, today)
        else:
            stat = path.stat()
            key = (display, stat.st_mtime_ns, stat.st_size, today)
            seen.add(key)
            if key not in cache:
                cache[key] = validate_file(path, display, today)
            model, problems = cache[key]
        result.problems += problems
        ident = initiative_id(path)
        if ident in by_id:
            result.problems.append(Problem(display, 1, 1, "error", "duplicate-id",
                                           f"initiative id '{ident}' is also used by {by_id[ident]}",
                                           "rename one of the files"))
            continue
        by_id[ident] = display
        if model is not None:
            result.initiatives.append(LoadedInitiative(ident, display, model))
    if cache is not None:
        for key in cache.keys() - seen:
            del cache[key]
    result.problems += [at_business_unit(p, where) for p in spelling_problems(result.initiatives)]
    result.problems = sort_problems(result.problems)
    return result
