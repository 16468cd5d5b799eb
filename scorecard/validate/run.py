"""Validate initiative files and a whole portfolio: the edge that reads files.

Discovery (`discover.py`) finds the files, `load.py` parses each, the model
checks each value and `checks.py` relates them; this module runs that per file
(in worker processes for large portfolios, or from a cache for `mkdocs serve`)
and checks across files (ids, business-unit spellings). Every finding is a
`Problem` with its own rule id, documented in `CHECKS` (the contributor guide
lists them).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from scorecard.catalogue import DEFAULT, Catalogue
from scorecard.validate.checks import check_initiative
from scorecard.load.discover import discover, display as display_path, initiative_id
from scorecard.load.reader import Document, LoadError, parse_text, read_document
from scorecard.model import MAX_USERS, Initiative, LoadedInitiative
from scorecard.problem import Problem, Unshown, sort_problems
from scorecard.validate.schema_errors import validate_model
from scorecard.load.units import spelling_problems

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
    "future": "no date or decision lies after the current month",
    "unknown-control": "governance names only controls of the portfolio's catalogue (a close match is suggested)",
    "governance-status": "a date control is recorded by a date; done has a date, not_applicable a note, due only when in_progress",
    "month-not-ended": "month blocks are for months that have ended (the current month's figures come after it ends)",
    "stage-history": "stage_history is in date order, ends with the current stage and starts no later than the first month of figures",
    "kpi-undeclared": "month blocks report only KPIs declared under kpis",
    "duplicate-kpi": "KPI ids are unique in the file",
    "primary-kpi": "exactly one KPI is primary once there is any KPI",
    "kpi-target": "each KPI's target is better than its baseline in its direction",
    "users-bound": f"active users are at most {MAX_USERS:,}",
    "stage-requirements": "from scaling on: a sponsor and a KPI; killed or retired: a decision that says so",
    "unknown-field": "fields names only fields the policy declares (a close match is suggested)",
    "field-value": "each custom field holds a value of its declared type: a number, a date, one of its choices, a link or an address",
    "milestone": "a decision's milestone is due after the decision and within decisions.milestone_max_months "
                 "(default 24), belongs to a scale, kill, retire or pause decision, and counts users only for a scale",
    "exemption": "exemptions name a real rule id or governance control",
    "exemption-expired": "(warning) an exemption whose expiry month has passed",
    "comment-in-text": "(warning) a ` #` after unquoted text starts a YAML comment, which cuts the text",
    "starter-todo": "(warning) the starter file's TODO text or todo@example.com address is still there",
    "implausible": "(warning) a figure that is valid but probably a slip: 8.000 as money, a share in a % KPI, "
                   "a 10x jump between months, users far above target (confirmed: [figure] says it is right)",
    "risk-unknown": "(warning) risk_tier is unknown, so the initiative is governed as high, the strictest tier",
    "pull": "each figure under pull names a figure of the initiative and a metric of the policy, with a value for "
            "each of the metric's parameters and no other",
    "measured": "a month's measured and estimated entries name figures the month has, and none is both",
    "measured-edited": "(warning) a measured figure still holds what scorecard pull wrote; a figure changed by hand "
                       "is a restatement and needs restated: in its month",
    "unit-spelling": "(warning) a business unit is written the same way in every file (case and spaces included)",
}

@dataclass
class ValidationResult:
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    initiatives: list[LoadedInitiative] = field(default_factory=list)
    public: set[str] = field(default_factory=set)
    """The files that say `visibility: public`, valid or not: what a public build may quote from."""
    unshown: Unshown = field(default_factory=Unshown)
    """What a public build took out of `problems` (see `problem.quotable`)."""

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == "error") + self.unshown.errors

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.level == "warning") + self.unshown.warnings

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


class Checked(NamedTuple):
    """One file checked: its model when it has no error, every problem, and whether it says it is public."""
    model: Initiative | None
    problems: list[Problem]
    public: bool = False


def validate_file(path: Path, display: str, today: int, catalogue: Catalogue = DEFAULT) -> Checked:
    """Every problem of one file, and its model when it has no error (governance checked against `catalogue`)."""
    model, problems, _, public = _validate(path, display, today, catalogue)
    return Checked(model, problems, public)


def validate_text(text: str, display: str, today: int, catalogue: Catalogue = DEFAULT) -> Checked:
    """validate_file for a file's text that is not written yet (`pull` checks what it would write)."""
    problems: list[Problem] = []
    try:
        doc = parse_text(text, display, problems)
    except LoadError as exc:
        return Checked(None, [exc.problem])
    model, problems, _, public = _validated(doc, problems, display, today, catalogue)
    return Checked(model, problems, public)


def _validate(path: Path, display: str, today: int,
              catalogue: Catalogue = DEFAULT) -> tuple[Initiative | None, list[Problem], Any, bool]:
    """validate_file, also giving the parsed data the model was made from."""
    try:
        doc, problems = read_document(path, display)
    except LoadError as exc:
        return None, [exc.problem], None, False
    return _validated(doc, problems, display, today, catalogue)


def _validated(doc: Document, problems: list[Problem], display: str, today: int,
               catalogue: Catalogue) -> tuple[Initiative | None, list[Problem], Any, bool]:
    if doc.data is None:
        return None, problems + [Problem(display, 1, 1, "error", "empty", "the file is empty",
                                         "start from `scorecard new ID`")], None, False
    if not isinstance(doc.data, dict):
        line, column = doc.locate(())
        return None, problems + [Problem(display, line, column, "error", "top-level",
                                         "the top level of an initiative file must be a mapping of keys to values",
                                         "start from `scorecard new ID`")], None, False
    public = doc.data.get("visibility") == "public"
    model, schema_problems = validate_model(doc, Initiative)
    problems += schema_problems
    if model is not None:
        problems += check_initiative(doc, model, today, catalogue)
    if any(p.level == "error" for p in problems):
        return None, problems, None, public
    return model, problems, doc.data, public


PARALLEL_FROM = 200
"""Portfolios of this many files are parsed by one worker process per core."""


def _validate_chunk(chunk: list[tuple[Path, str]], today: int,
                    catalogue: Catalogue) -> list[tuple[Any, list[Problem], bool]]:
    """In a worker: (the data of a valid file or None, its problems) for each file.

    The data, plain dicts and lists, travel back several times faster than
    pickled models; the parent makes the models again (pydantic's core is fast).
    """
    out = []
    for path, display in chunk:
        _, problems, data, public = _validate(path, display, today, catalogue)
        out.append((data, problems, public))
    return out


def _validate_in_parallel(files: list[tuple[Path, str]], today: int,
                          catalogue: Catalogue) -> dict[str, Checked]:
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
        done = list(pool.map(_validate_chunk, chunks, [today] * len(chunks), [catalogue] * len(chunks)))
    return {display: Checked(None if data is None else Initiative.model_validate(data), problems, public)
            for chunk, outs in zip(chunks, done) for (_, display), (data, problems, public) in zip(chunk, outs)}


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


FileCache = dict[tuple[str, int, int, int, Catalogue], Checked]
"""Results of validate_file by (path, modification time, size, today, catalogue): what `mkdocs serve` keeps
between rebuilds."""


def validate_paths(paths: Iterable[str | os.PathLike[str]], today: int, base: Path | None = None,
                   cache: FileCache | None = None, catalogue: Catalogue = DEFAULT) -> ValidationResult:
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
    parallel = _validate_in_parallel(files, today, catalogue) if cache is None else {}
    for path, display in files:
        result.files += 1
        if cache is None:
            checked = parallel.get(display) or validate_file(path, display, today, catalogue)
        else:
            stat = path.stat()
            key = (display, stat.st_mtime_ns, stat.st_size, today, catalogue)
            seen.add(key)
            if key not in cache:
                cache[key] = validate_file(path, display, today, catalogue)
            checked = cache[key]
        model, problems = checked.model, checked.problems
        if checked.public:
            result.public.add(display)
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
