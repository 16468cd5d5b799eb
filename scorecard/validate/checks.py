"""The semantic checks of one initiative file: pure functions of its document, its model and the month.

The model (`model.py`) checks each value on its own; these relate values to
each other and to the current month. Every finding is a `Problem` with its own
rule id (listed in `validate.CHECKS`). Nothing here reads a file or the clock:
`validate.py` does, and calls `check_initiative`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from scorecard.load.reader import Document
from scorecard.catalogue import DEFAULT, Catalogue
from scorecard.validate.plausible import check_plausible
from scorecard.model import (BENEFIT_CATEGORIES, CLOSED_STAGES, COST_CATEGORIES, EMAIL_PATTERN, MAX_USERS, RULE_IDS,
                             URL_PATTERN, Decision, Initiative)
from scorecard.sources.provenance import edited, figure_of
from scorecard.months import format_month, parse_date_month, parse_month, real_date
from scorecard.problem import withholdable, Level, Problem
from scorecard.validate.schema_errors import suggest

MIN_SPAN = 1e-9
"""A KPI's target must differ from its baseline by at least this: progress is measured against the gap."""

TEXT_KEYS = frozenset(("name", "summary", "business_unit", "title", "note", "reason", "approved_by", "by",
                       "human_review", "restated", "unit", "integrations", "tags"))
"""Keys whose values are free text (or lists of it): where an unquoted ` #` cuts a sentence."""


@functools.cache
def exemptable_rules(catalogue: Catalogue = DEFAULT) -> frozenset[str]:
    return frozenset(RULE_IDS) | {f"governance.{c}" for c in catalogue.ids} | {"governance.autonomy"}


class _Checker:
    """Collects the semantic problems of one file, with positions from its document."""

    def __init__(self, doc: Document, today: int, catalogue: Catalogue = DEFAULT) -> None:
        self.doc = doc
        self.today = today
        self.catalogue = catalogue
        self.problems: list[Problem] = []

    def add(self, loc: tuple, rule: str, message: str, hint: str = "",
            key: bool = False, level: Level = "error") -> None:
        line, column = self.doc.locate(loc, key=key)
        self.problems.append(Problem(self.doc.path, line, column, level, rule, message, hint, withholdable(loc)))

    def not_future(self, loc: tuple, month: int | None, what: str, key: bool = False) -> None:
        if month is not None and month > self.today:
            self.add(loc, "future", f"{what} {format_month(month)} is after the current month "
                     f"{format_month(self.today)}", "record it once it has happened (a plan goes in a note)", key=key)

    def month_ended(self, key: str, month: int | None) -> None:
        """A month block is for a month that has ended: an unfinished month would move everyone's as-of month."""
        if month is not None and month >= self.today:
            self.add(("months", key), "month-not-ended", f"{key} has not ended yet; submit its figures after it ends",
                     f"remove the {key} block for now (the current month is {format_month(self.today)})", key=True)


def check_initiative(doc: Document, ini: Initiative, today: int, catalogue: Catalogue = DEFAULT) -> list[Problem]:
    c = _Checker(doc, today, catalogue)
    _check_months(c, ini)
    _check_stage_history(c, ini)
    _check_kpis(c, ini)
    _check_stage_requirements(c, ini)
    if ini.risk_tier == "unknown":
        c.add(("risk_tier",), "risk-unknown", "risk_tier is unknown: the initiative is governed as high, the strictest "
              "tier, until it is set", "set risk_tier: low, medium or high once its risk is assessed", level="warning")
    _check_exemptions(c, ini)
    for i, d in enumerate(ini.decisions):
        c.not_future(("decisions", i, "month"), parse_month(d.month), "decision month")
        _check_milestone(c, i, d)
    if ini.business_case is not None:
        c.not_future(("business_case", "approved"), parse_month(ini.business_case.approved), "business case approval month")
    _check_governance(c, ini)
    _check_fields(c, ini)
    _check_dates(c, ini)
    check_plausible(c, ini)
    _check_pull(c, ini)
    _check_provenance(c, ini)
    _check_text(c)
    return c.problems


MILESTONE_DECISIONS = ("scale", "kill", "retire", "pause")
"""The decisions a milestone holds to account: the ones that act on a scale or kill verdict."""


def _check_milestone(c: _Checker, i: int, d: Decision) -> None:
    """A milestone is due after its decision and within the policy's reach, and counts users only for a scale."""
    m, month = d.milestone, parse_month(d.month)
    if m is None or month is None:
        return
    loc, by = ("decisions", i, "milestone"), parse_month(m.by)
    if d.decision not in MILESTONE_DECISIONS:
        c.add(loc, "milestone", f"{'an' if d.decision[0] in 'aeiou' else 'a'} {d.decision} decision has no milestone to keep: only a scale, kill, retire or "
              "pause decision is held to one", "move what it commits to into the decision's note", key=True)
        return
    if m.users is not None and d.decision != "scale":
        c.add((*loc, "users"), "milestone", f"the {d.decision} decision's milestone counts users, which only a scale "
              "decision grows", f"remove users: the milestone is met when the initiative is {d.decision}ed by its "
              "month" if d.decision != "pause" else "remove users: the milestone is met when the initiative is "
              "paused by its month", key=True)
    if by is None:
        return
    if by <= month:
        c.add((*loc, "by"), "milestone", f"milestone.by {m.by} is not after the decision month {d.month}",
              f"give the month it is due, {format_month(month + 1)} or later", key=True)
    elif by - month > c.catalogue.milestone_max_months:
        c.add((*loc, "by"), "milestone", f"milestone.by {m.by} is {by - month} months after the decision of "
              f"{d.month}; the policy allows at most {c.catalogue.milestone_max_months} "
              "(decisions.milestone_max_months)", f"set a nearer milestone, "
              f"{format_month(month + c.catalogue.milestone_max_months)} at the latest, and record a new decision "
              "when it is reached", key=True)


def _check_governance(c: _Checker, ini: Initiative) -> None:
    """Every control is in the portfolio's catalogue, recorded the way its kind and status allow."""
    catalogue = c.catalogue
    for ident, value in ini.governance.items():
        loc = ("governance", ident)
        control = catalogue.get(ident)
        if control is None:
            c.add(loc, "unknown-control", f"'{ident}' is not a governance control of this portfolio "
                  f"(catalogue {catalogue.preset})",
                  suggest(ident, list(catalogue.ids)) or f"its controls are {', '.join(catalogue.ids)}", key=True)
            continue
        if value is None:
            continue
        if isinstance(value, str):
            if parse_date_month(value) is None and control.kind == "date":
                hint = ("write the date as YYYY-MM or YYYY-MM-DD" if _LOOKS_LIKE_A_DATE.match(value) else
                        "write the date it was done (YYYY-MM-DD), or {status: in_progress, due: YYYY-MM} "
                        "or {status: not_applicable, note: why}")
                c.add(loc, "governance-status", f"governance.{ident} is recorded by the date it was done, not "
                      f"'{value[:60]}'", hint)
            continue
        if value.status == "done" and value.date is None:
            c.add(loc, "governance-status", f"governance.{ident} is done but has no date",
                  "add date: YYYY-MM-DD (the day it was done)")
        elif value.status == "not_applicable" and value.note is None:
            c.add(loc, "governance-status", f"governance.{ident} is not applicable without a note saying why",
                  "add note: why it does not apply (a reviewer reads it)")
        elif value.status != "in_progress" and value.due is not None:
            c.add((*loc, "due"), "governance-status", f"governance.{ident} has a due month but is {value.status}",
                  "a due month belongs to an in_progress control: remove it")


_FIELD_TEXT = {"url": (re.compile(URL_PATTERN), "a link starting with http:// or https://, without spaces"),
               "email": (re.compile(EMAIL_PATTERN), "one address such as name@example.com")}


def _check_fields(c: _Checker, ini: Initiative) -> None:
    """Every field is declared in the policy and holds a value of its declared type."""
    fields = c.catalogue.fields
    known = [f.id for f in fields]
    for ident, value in ini.fields.items():
        loc = ("fields", ident)
        spec = c.catalogue.field(ident)
        if spec is None:
            c.add(loc, "unknown-field", f"'{ident}' is not a field of this portfolio",
                  suggest(ident, known) or (f"its fields are {', '.join(known)}" if known else
                                            "declare it under fields: in the policy file"), key=True)
            continue
        shown = str(value)[:60]
        if spec.type == "text":
            continue
        if spec.type == "number":
            if isinstance(value, str):
                c.add(loc, "field-value", f"fields.{ident} ({spec.name}) is a number, not '{shown}'",
                      "write the number alone, e.g. 1200")
        elif not isinstance(value, str):
            c.add(loc, "field-value", f"fields.{ident} ({spec.name}) is {spec.type}, not the number {value:g}",
                  "write it in quotes" if spec.type in ("choice", "text") else "write it as the field's type asks")
        elif spec.type == "choice":
            if value not in spec.choices:
                c.add(loc, "field-value", f"fields.{ident} ({spec.name}) is '{shown}', which is not one of its choices",
                      suggest(value, list(spec.choices)) or f"write one of: {', '.join(spec.choices)}")
        elif spec.type == "date":
            if parse_date_month(value) is None or not real_date(value):
                c.add(loc, "field-value", f"fields.{ident} ({spec.name}) is '{shown}', not a date",
                      "write the date as YYYY-MM or YYYY-MM-DD")
        else:
            pattern, what = _FIELD_TEXT[spec.type]
            if not pattern.match(value) or len(value) > 500:
                c.add(loc, "field-value", f"fields.{ident} ({spec.name}) is '{shown}', not {spec.type == 'url' and 'a link' or 'an e-mail address'}",
                      f"write {what}")


_LOOKS_LIKE_A_DATE = re.compile(r"^\s*[0-9]{2,4}[-/.][0-9]")


def _check_dates(c: _Checker, ini: Initiative) -> None:
    dated: list[tuple[tuple[Any, ...], str]] = [
        (("stage_history", i, "since"), e.since) for i, e in enumerate(ini.stage_history)]
    for key, value in ini.governance.items():
        if value is None:
            continue
        if isinstance(value, str):
            control = c.catalogue.get(key)
            if parse_date_month(value) is not None and (control is None or control.kind == "date"):
                dated.append((("governance", key), value))
        elif value.date is not None:
            dated.append((("governance", key, "date"), value.date))
            c.not_future(("governance", key, "date"), parse_date_month(value.date), f"governance.{key} date")
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
        c.month_ended(key, parse_month(key))
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
    for i, entry in enumerate(history):
        if entry.basis == "assumed" and entry.stage != "proposed":
            c.add(("stage_history", i, "basis"), "stage-history", f"basis: assumed stands for a stage nobody gave, "
                  f"so its stage is proposed, not {entry.stage}", "write basis: listed or remove the basis line")
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
        level: Level = "warning" if c.catalogue.stage_requirements == "warning" else "error"
        if ini.sponsor is None:
            c.add(("stage",), "stage-requirements",
                  f"an initiative in stage '{ini.stage}' needs a sponsor",
                  "add sponsor: {name: ..., title: ...}", key=True, level=level)
        if not ini.kpis:
            c.add(("stage",), "stage-requirements",
                  f"an initiative in stage '{ini.stage}' needs at least one KPI",
                  "declare the business outcome it is measured by under kpis", key=True, level=level)
    if ini.stage in CLOSED_STAGES:
        wanted = "kill" if ini.stage == "killed" else "retire"
        if not any(d.decision == wanted for d in ini.decisions):
            c.add(("stage",), "stage-requirements",
                  f"stage is '{ini.stage}' but no decision says {wanted}",
                  f"add to decisions: {{month: YYYY-MM, decision: {wanted}, by: ...}}", key=True)


def _check_exemptions(c: _Checker, ini: Initiative) -> None:
    known = exemptable_rules(c.catalogue)
    for i, ex in enumerate(ini.exemptions):
        if ex.rule not in known:
            c.add(("exemptions", i, "rule"), "exemption", f"exemption names an unknown rule '{ex.rule}'",
                  suggest(ex.rule, sorted(known)) or f"known rules: {', '.join(sorted(known))}")
        expires = parse_month(ex.expires)
        if expires is not None and expires < c.today and ini.stage not in CLOSED_STAGES:
            c.add(("exemptions", i, "expires"), "exemption-expired",
                  f"the exemption of '{ex.rule}' expired in {ex.expires} and no longer counts",
                  "renew it with a new expiry month and approver, or remove it", level="warning")


def _figure_problem(ini: Initiative, path: str) -> tuple[str, str] | None:
    """Why `path` names no figure this initiative can have: (message, hint), or None."""
    part, _, name = path.partition(".")
    known = {"costs": COST_CATEGORIES, "benefits": BENEFIT_CATEGORIES,
             "kpis": tuple(dict.fromkeys(k.id for k in ini.kpis))}.get(part)
    if known is None or name in known:
        return None
    what = "KPI" if part == "kpis" else f"{part[:-1]} category"
    hint = suggest(name, list(known)) or (f"the {what.split()[-1]}s are {', '.join(known)}" if known
                                          else "declare the KPI under kpis first")
    return f"'{path}' names no {what} of this initiative", hint


def _check_pull(c: _Checker, ini: Initiative) -> None:
    """Each binding names a figure of the initiative and a metric of the policy, with exactly its parameters."""
    metrics = dict(c.catalogue.metrics)
    for path, binding in ini.pull.items():
        wrong = _figure_problem(ini, path)
        if wrong is not None:
            c.add(("pull", path), "pull", *wrong, key=True)
        if binding.metric not in metrics:
            c.add(("pull", path, "metric"), "pull", f"the policy declares no metric '{binding.metric}'",
                  suggest(binding.metric, list(metrics)) or (f"the metrics are {', '.join(metrics)}" if metrics else
                  "the program office declares metrics in its policy (scorecard sources lists them)"))
            continue
        params = metrics[binding.metric]
        missing = [p for p in params if p not in binding.params]
        unknown = [p for p in binding.params if p not in params]
        if missing:
            c.add(("pull", path), "pull", f"the metric '{binding.metric}' needs a value for {', '.join(missing)}",
                  f"add params: {{{', '.join(f'{p}: ...' for p in params)}}}", key=True)
        for p in unknown:
            c.add(("pull", path, "params", p), "pull", f"the metric '{binding.metric}' has no parameter '{p}'",
                  f"its parameters are {', '.join(params)}" if params else "remove params: it takes none", key=True)


def _check_provenance(c: _Checker, ini: Initiative) -> None:
    """A measured or estimated entry names a figure the month has; a measured one still holds what was pulled."""
    for key, block in ini.months.items():
        for path in block.measured:
            if figure_of(block, path) is None:
                c.add(("months", key, "measured", path), "measured", f"'{path}' in month {key} has provenance but "
                      "no figure", f"remove measured.{path}, or pull the month again: scorecard pull --month {key}",
                      key=True)
            elif path in block.estimated:
                c.add(("months", key, "estimated"), "measured", f"'{path}' in month {key} is both measured and "
                      "estimated", f"remove it from estimated: it was pulled from {block.measured[path].source}")
            elif edited(key, path, block) and block.restated is None:
                c.add(("months", key, *path.split(".")), "measured-edited",
                      f"'{path}' in month {key} was pulled from {block.measured[path].source}, and has been changed "
                      "by hand since", f"say why under restated: in month {key}, or pull it again: scorecard pull "
                      f"--month {key}", level="warning")
        for i, path in enumerate(block.estimated):
            if figure_of(block, path) is None:
                c.add(("months", key, "estimated", i), "measured", f"'{path}' in month {key} is marked estimated "
                      "but the month has no such figure", "remove it from estimated, or add the figure")
