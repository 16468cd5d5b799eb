"""One register row as initiative data (its cells cleaned, typed and checked, its id), and the import's outcome.

Nothing is dropped silently: a value that does not fit is reported as `FILE:ROW: column: what happened` and kept
where it can be (see `scorecard.interop.importer`, which plans and writes the files).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorecard.catalogue import Catalogue, FieldSpec
from scorecard.interop.mapping import Column, Mapping
from scorecard.interop.sheet import Sheet
from scorecard.model import EMAIL_PATTERN, ID_PATTERN, NAME_LIMIT, NOT_BLANK, TEXT_LIMIT, URL_PATTERN
from scorecard.months import parse_date_month, real_date
from scorecard.problem import shown

SHORT_LIMIT = 200
_EMAIL = re.compile(EMAIL_PATTERN)
_URL = re.compile(URL_PATTERN)
_ID = re.compile(ID_PATTERN)
_VISIBLE = re.compile(NOT_BLANK)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")


@dataclass
class Outcome:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    generated_ids: int = 0
    writes: dict[Path, str] = field(default_factory=dict)
    """Every file to write, with its whole new text (nothing is written before all rows are planned)."""

    def summary(self, dry_run: bool) -> str:
        what = (f"{self.rows:,} rows: {len(self.created):,} created, {len(self.updated):,} updated, "
                f"{len(self.unchanged):,} unchanged, {len(self.problems):,} problem{'s' if len(self.problems) != 1 else ''}")
        if self.generated_ids:
            what += f"; {self.generated_ids:,} rows without a usable id got one from their scope and name"
        return what + ("; dry run: nothing written" if dry_run else "")


def slug(text: str, limit: int = 64) -> str:
    """Lower-case letters, digits and single '-': what a file name may hold."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out[:limit].rstrip("-")


def _hash(text: str, n: int) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:n]


def clean(text: str) -> tuple[str, bool]:
    """Cell text without control characters and outer blanks, line breaks as \\n; (text, whether any went)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = _CONTROL.sub("", text).strip()
    if cleaned[:1] == "'" and cleaned[1:2] in ("=", "+", "-", "@"):
        cleaned = cleaned[1:]  # the ' an export puts before text a spreadsheet would run as a formula
        text = text.replace("'", "", 1)
    if not _VISIBLE.search(cleaned):
        cleaned = ""
    return cleaned, cleaned != text.strip()


class Row:
    """One row being turned into an initiative: its values by target, and what was reported."""

    def __init__(self, sheet: Sheet, number: int, cells: dict[str, str], out: Outcome) -> None:
        self.sheet, self.number, self.cells, self.out = sheet, number, cells, out

    def report(self, column: str, what: str) -> None:
        # one printable line: a cell's control, format (bidi) or unassigned characters are shown escaped
        self.out.problems.append(shown(f"{self.sheet.path}:{self.number}: {column}: {what}"))

    def value(self, column: str, rule: Column | None) -> str:
        raw = self.cells.get(column, "")
        text, changed = clean(raw)
        if rule is not None and text in rule.empty_values:
            return ""
        if changed and text:
            self.report(column, "control characters removed")
        return text


def _fit(row: Row, column: str, text: str, limit: int, what: str) -> str:
    if len(text) <= limit:
        return text
    row.report(column, f"{len(text):,} characters, longer than the {limit:,} a {what} may have; cut to {limit:,}")
    return text[:limit - 1].rstrip() + "…"


def row_data(row: Row, mapping: Mapping, catalogue: Catalogue) -> dict[str, Any]:
    """The values a row gives each target: core fields, `fields` and `governance`."""
    data: dict[str, Any] = {"fields": {}, "governance": {}}
    for column, rule in mapping.columns.items():
        text = row.value(column, rule)
        if not text:
            for other in rule.or_:
                text = row.value(other, mapping.columns.get(other))
                if text:
                    row.report(column, f"empty; {' and '.join(rule.targets)} taken from {other}")
                    text = fallback_text(other, text)
                    break
        for target in rule.targets:
            _set(row, column, rule, target, text, data, catalogue)
    return data


def fallback_text(column: str, text: str) -> str:
    """A value taken from another column says so, for the reader and for the export (which writes the empty cell
    back): `From the register's benefits: ...`."""
    return f"{FALLBACK_PREFIX}{column}: {text}"


FALLBACK_PREFIX = "From the register's "


def _typed(row: Row, column: str, spec: FieldSpec | None, text: str) -> str | int | float | None:
    """A custom field's value as its declared type asks; None (reported) when it cannot be one."""
    kind = spec.type if spec else "text"
    if kind == "number":
        try:
            number = float(text.replace(",", "").replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            row.report(column, f"'{text[:80]}' is not a number, as {spec.name if spec else column} must be; left out")
            return None
        if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e15:
            row.report(column, f"'{text[:80]}' is not a usable number; left out")
            return None
        return int(number) if number.is_integer() else number
    if kind == "date":
        day = text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$", text) else text
        if parse_date_month(day) is None or not real_date(day):
            row.report(column, f"'{text[:80]}' is not a date (YYYY-MM or YYYY-MM-DD); left out")
            return None
        return day
    if kind == "choice" and spec is not None:
        match = next((c for c in spec.choices if c.casefold() == text.casefold()), None)
        if match is None:
            row.report(column, f"'{text[:80]}' is not one of the choices of {spec.name} ({', '.join(spec.choices)}); left out")
        return match
    if kind in ("url", "email"):
        pattern = _URL if kind == "url" else _EMAIL
        if not pattern.match(text) or len(text) > 500:
            row.report(column, f"'{text[:80]}' is not {'a link' if kind == 'url' else 'one e-mail address'}; left out")
            return None
    return text


def _set(row: Row, column: str, rule: Column, target: str, text: str, data: dict[str, Any],
         catalogue: Catalogue) -> None:
    kind, _, key = target.partition(".")
    if kind == "fields":
        if text:
            value = _typed(row, column, catalogue.field(key), _fit(row, column, text, TEXT_LIMIT, "field"))
            if value is not None:
                data["fields"][key] = value
        return
    if kind == "governance":
        if not text:
            return
        state = (rule.values or {}).get(text)
        if state is None:
            row.report(column, f"'{text[:80]}' is not an answer the mapping knows; recorded as in progress")
            state = "in_progress"
        note = _fit(row, column, text, TEXT_LIMIT, "note")
        data["governance"][key] = note if state == "done" else {"status": state, "note": note}
        return
    if rule.values is not None:
        mapped = rule.values.get(text) if text else None
        if mapped is None:
            fallback = rule.empty
            if text:
                row.report(column, f"'{text[:80]}' is not a value the mapping knows"
                           + (f"; recorded as {fallback}" if fallback else "; left out"))
            elif fallback:
                row.report(column, f"empty; recorded as {fallback}")
            mapped = fallback
        if mapped:
            data[target] = mapped
        return
    if not text:
        if rule.empty:
            data[target] = rule.empty
        return
    if target == "owner.email":
        if _EMAIL.match(text) and len(text) <= SHORT_LIMIT:
            data[target] = text
        elif rule.else_:
            data["fields"][rule.else_.split(".", 1)[1]] = _fit(row, column, text, TEXT_LIMIT, "field")
            row.report(column, f"'{text[:80]}' is not one e-mail address; kept in {rule.else_}")
        else:
            row.report(column, f"'{text[:80]}' is not one e-mail address; left out")
        return
    limit = NAME_LIMIT if target in ("name", "owner.name") else TEXT_LIMIT if target == "summary" else SHORT_LIMIT
    data[target] = _fit(row, column, text, limit, target.replace(".", " ").replace("_", " "))


def row_id(row: Row, mapping: Mapping, data: dict[str, Any], taken: dict[str, int]) -> str:
    rule = mapping.id
    raw = row.value(rule.column, None) if rule.column else ""
    ident = slug(raw)
    name = data.get("name") or data.get("summary") or " ".join(v for v in row.cells.values())
    if len(ident) < max(rule.min_length, 3) or not _ID.match(ident):
        scope = slug(row.value(rule.scope, None), 40) if rule.scope else ""
        ident = f"{scope or 'initiative'}-{_hash(name, 8)}"
        row.out.generated_ids += 1
        if raw:
            row.report(rule.column or "id", f"'{raw[:40]}' is too short to name a file; imported as {ident}"
                       + (f" (kept in fields.{rule.keep_in})" if rule.keep_in else ""))
    if ident in taken:
        first = ident
        base = f"{first[:55]}-{_hash(name, 6)}" if raw and slug(raw) == first else first[:60]
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        if raw and slug(raw) == first:
            row.report(rule.column or "id", f"'{raw}' is also the id of row {taken[first]}; imported as {ident}")
        else:
            row.report(rule.column or "id", f"row {taken[first]} has the same {rule.scope or 'scope'} and name, and "
                       f"neither has a usable id; imported as {ident}")
    if rule.keep_in and raw:
        data["fields"][rule.keep_in] = raw
    return ident


def seed(row: Row, mapping: Mapping, data: dict[str, Any]) -> dict[str, Any]:
    """What a new file starts with below the block: the team's from then on.

    Nothing the register does not say is made up: a stage it gives is dated as listed (the month the register
    describes, not when the stage was entered); without one the file says proposed, assumed; an unstated
    autonomy or risk tier is `unknown` (an unknown tier is governed as the strictest)."""
    stated = data.get("stage") or mapping.defaults.get("stage")
    stage = stated or "proposed"
    column = next((c for c, rule in mapping.columns.items() if "stage" in rule.targets), None)
    if not stated and column:
        row.report(column, "empty; the stage is not known: recorded as proposed, marked assumed (basis: assumed)")
    owner: dict[str, Any] = {"name": data.get("owner.name") or NO_OWNER}
    if data.get("owner.email"):
        owner["email"] = data["owner.email"]
    seed: dict[str, Any] = {
        "owner": owner, "stage": stage,
        "stage_history": [{"stage": stage, "since": mapping.since, "basis": "listed" if stated else "assumed",
                           "note": _listed(mapping) if stated else NO_STAGE}],
        "autonomy": data.get("autonomy") or mapping.defaults.get("autonomy") or "unknown",
    }
    if "risk_tier" not in data:
        seed["risk_tier"] = mapping.defaults.get("risk_tier") or "unknown"
    if "operating_model" not in data and mapping.defaults.get("operating_model"):
        seed["operating_model"] = mapping.defaults["operating_model"]
    if stage in ("killed", "retired"):
        seed["decisions"] = [{"month": mapping.since, "decision": "kill" if stage == "killed" else "retire",
                              "by": "the register", "note": _listed(mapping)}]
    return seed


NO_STAGE = "The register gives no stage: proposed is assumed until the team records one"


def _listed(mapping: Mapping) -> str:
    return f"As listed in: {mapping.title}" if mapping.title else f"As listed in the register ({mapping.name})"


NO_SUMMARY = "No description in the register."
NO_UNIT = "Not assigned"
NO_OWNER = "Not named in the register"
PLACEHOLDERS = frozenset((NO_SUMMARY, NO_UNIT, NO_OWNER))
"""What the import writes where the register is empty and the format needs a value: the export writes the empty
cell back for each."""


def required(row: Row, data: dict[str, Any], ident: str) -> None:
    if not data.get("name"):
        data["name"] = ident
        row.report("name", f"empty; the initiative is named {ident}")
    if not data.get("summary"):
        data["summary"] = NO_SUMMARY
        row.report("summary", "empty, as is every column the mapping falls back on; recorded as 'No description in the register.'")
    if not data.get("business_unit"):
        data["business_unit"] = NO_UNIT
        row.report("business_unit", "empty; recorded as 'Not assigned'")
