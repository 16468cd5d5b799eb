"""`scorecard import`: initiative files from a register the organisation already keeps.

Each row becomes one file. The inventory's fields sit in a marked block at the top of the file:

    # >>> scorecard import omb-2025: a re-import rewrites the lines up to the end marker; edit below it
    name: ...
    # <<< scorecard import omb-2025
    owner: ...          # written once, when the file is created; the team's from then on
    stage: proposed
    ...

A re-import rewrites only that block (keeping any key of `fields:` or `governance:` that the mapping does
not feed), so what a team writes below it (months, KPIs, decisions) is never touched, and importing the same
register twice changes no byte. A file without the markers was not made by the import and is left alone.

Nothing is dropped silently: a value that does not fit is reported as `FILE:ROW: column: what happened`
and kept where it can be (a contact that is a URL goes to a custom field, a long name is kept whole up to
the name limit). Ids are stable: the register's id as a slug (`DHS-314` -> `dhs-314`), or, for a row
without one or with one too short to name a file, the scope column and a hash of the name (`dhs-3f2a9c1e`),
never the row number; a repeated id is kept apart with a hash of its name, and reported.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scorecard.catalogue import Catalogue, FieldSpec
from scorecard.validate.checks import check_initiative
from scorecard.load.discover import discover, initiative_id
from scorecard.errors import UserError
from scorecard.interop.mapping import Column, Mapping
from scorecard.interop.sheet import Sheet
from scorecard.load.reader import Document, parse_text
from scorecard.model import EMAIL_PATTERN, ID_PATTERN, NAME_LIMIT, NOT_BLANK, TEXT_LIMIT, URL_PATTERN, Initiative
from scorecard.months import parse_date_month, real_date
from scorecard.problem import shown
from scorecard.validate.schema_errors import validate_model

START = "# >>> scorecard import"
END = "# <<< scorecard import"
BLOCK_KEYS = ("name", "summary", "business_unit", "risk_tier", "operating_model", "governance", "fields")
"""The keys a re-import rewrites, in the order they are written."""
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


class _Dumper(yaml.CSafeDumper):
    """libyaml's emitter (fast), text with line breaks as literal blocks, keys in the order given."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000,
                     default_flow_style=False)


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


class _Row:
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


def plan_import(sheet: Sheet, mapping: Mapping, catalogue: Catalogue, into: Path, base: Path,
                today: int) -> Outcome:
    """Every file the import would create or update, with every problem; nothing is written."""
    require_declared(mapping, catalogue)
    missing = [c for c in mapping.columns if c not in sheet.header]
    if missing:
        raise UserError(f"{sheet.path}:1: the mapping {mapping.name} needs the column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(repr(c) for c in missing)}, which the header does not have")
    out = Outcome()
    found, _ = discover([into], base) if into.exists() else ([], [])
    existing = {initiative_id(p): p for p in found}
    taken: dict[str, int] = {}
    for number, cells in sheet.rows:
        out.rows += 1
        row = _Row(sheet, number, cells, out)
        data = _row_data(row, mapping, catalogue)
        ident = _row_id(row, mapping, data, taken)
        taken[ident] = number
        path = existing.get(ident, into / f"{ident}.yaml")
        _plan_file(row, mapping, catalogue, data, ident, path, base, today)
    return out


def require_declared(mapping: Mapping, catalogue: Catalogue) -> None:
    """The policy declares every custom field the mapping feeds and has every control it records."""
    fields = sorted({t.split(".", 1)[1] for r in mapping.columns.values()
                     for t in (*r.targets, *([r.else_] if r.else_ else [])) if t.startswith("fields.")}
                    | ({mapping.id.keep_in} if mapping.id.keep_in else set()))
    undeclared = [f for f in fields if catalogue.field(f) is None]
    hint = f"scorecard import --print-policy {mapping.name} prints the policy it needs"
    if undeclared:
        raise UserError(f"the policy does not declare the field{'s' if len(undeclared) > 1 else ''} "
                        f"{', '.join(undeclared)}, which the mapping {mapping.name} fills; {hint}")
    for rule in mapping.columns.values():
        for target in rule.targets:
            if not target.startswith("governance."):
                continue
            ident = target.split(".", 1)[1]
            control = catalogue.get(ident)
            if control is None:
                raise UserError(f"the mapping {mapping.name} records the governance control {ident}, which is not in "
                                f"the policy's catalogue ({catalogue.preset}); {hint}")
            if "done" in (rule.values or {}).values() and control.kind != "text":
                raise UserError(f"the mapping {mapping.name} records {ident} in words (the register's answer, "
                                f"without a date), so the policy must declare it kind: text; {hint}")


def _fit(row: _Row, column: str, text: str, limit: int, what: str) -> str:
    if len(text) <= limit:
        return text
    row.report(column, f"{len(text):,} characters, longer than the {limit:,} a {what} may have; cut to {limit:,}")
    return text[:limit - 1].rstrip() + "…"


def _row_data(row: _Row, mapping: Mapping, catalogue: Catalogue) -> dict[str, Any]:
    """The values a row gives each target: core fields, `fields` and `governance`."""
    data: dict[str, Any] = {"fields": {}, "governance": {}}
    for column, rule in mapping.columns.items():
        text = row.value(column, rule)
        if not text:
            for other in rule.or_:
                text = row.value(other, mapping.columns.get(other))
                if text:
                    row.report(column, f"empty; {' and '.join(rule.targets)} taken from {other}")
                    break
        for target in rule.targets:
            _set(row, column, rule, target, text, data, catalogue)
    return data


def _typed(row: _Row, column: str, spec: FieldSpec | None, text: str) -> str | int | float | None:
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


def _set(row: _Row, column: str, rule: Column, target: str, text: str, data: dict[str, Any],
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


def _row_id(row: _Row, mapping: Mapping, data: dict[str, Any], taken: dict[str, int]) -> str:
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


def _block(data: dict[str, Any]) -> dict[str, Any]:
    block = {k: data[k] for k in BLOCK_KEYS if data.get(k)}
    return block


def _seed(row: _Row, mapping: Mapping, data: dict[str, Any]) -> dict[str, Any]:
    """What a new file starts with below the block: the team's from then on."""
    stage = data.get("stage") or mapping.defaults.get("stage") or "proposed"
    owner: dict[str, Any] = {"name": data.get("owner.name") or "Not named in the register"}
    if data.get("owner.email"):
        owner["email"] = data["owner.email"]
    seed: dict[str, Any] = {
        "owner": owner, "stage": stage,
        "stage_history": [{"stage": stage, "since": mapping.since,
                           "note": _listed(mapping)}],
        "autonomy": data.get("autonomy") or mapping.defaults.get("autonomy") or "human_in_the_loop",
    }
    if "risk_tier" not in data:
        seed["risk_tier"] = mapping.defaults.get("risk_tier") or "medium"
    if "operating_model" not in data and mapping.defaults.get("operating_model"):
        seed["operating_model"] = mapping.defaults["operating_model"]
    if stage in ("killed", "retired"):
        seed["decisions"] = [{"month": mapping.since, "decision": "kill" if stage == "killed" else "retire",
                              "by": "the register", "note": _listed(mapping)}]
    return seed


def _listed(mapping: Mapping) -> str:
    return f"As listed in: {mapping.title}" if mapping.title else f"As listed in the register ({mapping.name})"


def _required(row: _Row, data: dict[str, Any], ident: str) -> None:
    if not data.get("name"):
        data["name"] = ident
        row.report("name", f"empty; the initiative is named {ident}")
    if not data.get("summary"):
        data["summary"] = "No description in the register."
        row.report("summary", "empty, as is every column the mapping falls back on; recorded as 'No description in the register.'")
    if not data.get("business_unit"):
        data["business_unit"] = "Not assigned"
        row.report("business_unit", "empty; recorded as 'Not assigned'")


def _markers(mapping: Mapping) -> tuple[str, str]:
    return (f"{START} {mapping.name}: a re-import rewrites the lines up to the end marker; edit below it",
            f"{END} {mapping.name}")


def _plan_file(row: _Row, mapping: Mapping, catalogue: Catalogue, data: dict[str, Any], ident: str, path: Path,
               base: Path, today: int) -> None:
    out = row.out
    shown = _shown(path, base)
    _required(row, data, ident)
    start, end = _markers(mapping)
    if not path.exists() and not path.is_symlink():
        if not data.get("owner.name"):
            row.report("owner", "no name in the register; recorded as 'Not named in the register'")
        text = f"{start}\n{dump(_block(data))}{end}\n{dump(_seed(row, mapping, data))}"
        if _valid(row, text, shown, catalogue, today):
            out.created.append(shown)
            out.writes[path] = text
        return
    if path.is_symlink() or not path.is_file():
        row.report("id", f"{shown} exists but is not a regular file; left alone")
        return
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        row.report("id", f"{shown} cannot be read as UTF-8 text; left alone")
        return
    lines = old.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.startswith(START)), None)
    last = next((i for i, line in enumerate(lines) if line.startswith(END)), None)
    if first is None or last is None or last < first:
        row.report("id", f"{shown} has no import block (it was not made by scorecard import); left alone")
        return
    problems: list = []
    try:
        kept = parse_text("".join(lines[first + 1:last]), shown, problems).data or {}
    except Exception:  # noqa: BLE001 - any unreadable block: reported, file untouched
        kept = None
    if not isinstance(kept, dict) or problems:
        row.report("id", f"{shown}: the import block is not valid YAML; fix or remove it, then import again")
        return
    block = _block(data)
    fed = {t for r in mapping.columns.values() for t in r.targets}
    for section in ("fields", "governance"):
        extra = {k: v for k, v in (kept.get(section) or {}).items()
                 if f"{section}.{k}" not in fed and not (section == "fields" and k == mapping.id.keep_in)
                 and not any(r.else_ == f"fields.{k}" for r in mapping.columns.values())}
        if extra:
            block[section] = {**block.get(section, {}), **extra}
    text = "".join(lines[:first]) + f"{start}\n{dump(block)}{end}\n" + "".join(lines[last + 1:])
    current = _stage_of(text)
    if data.get("stage") and current and current != data["stage"]:
        row.report("stage", f"the register says {data['stage']}, {shown} says {current}; kept the file's "
                   "(record a change of stage in its stage_history)")
    if text == old:
        out.unchanged.append(shown)
    elif _valid(row, text, shown, catalogue, today):
        out.updated.append(shown)
        out.writes[path] = text


def _stage_of(text: str) -> str | None:
    match = re.search(r"^stage: *([a-z]+) *$", text, flags=re.M)
    return match.group(1) if match else None


def _valid(row: _Row, text: str, shown: str, catalogue: Catalogue, today: int) -> bool:
    """The new text validates as an initiative file; otherwise its first error is reported and it is not written."""
    problems: list = []
    doc: Document = parse_text(text, shown, problems)
    model, schema = validate_model(doc, Initiative)
    problems += schema
    if model is not None:
        problems += check_initiative(doc, model, today, catalogue)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        p = errors[0]
        row.report("row", f"the file it makes would not validate ({p.message}; at {shown}:{p.line}); not written")
        return False
    return True


def _shown(path: Path, base: Path) -> str:
    """The path relative to the repository, as the validator names files (a link is not followed)."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    return str(path) if relative.startswith("..") else Path(relative).as_posix()


def write_files(writes: dict[Path, str]) -> None:
    """Each file written whole: a new one created exclusively (nothing that appeared meanwhile is overwritten),
    an updated one through a temporary file in its folder, renamed over it."""
    for path, text in writes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() and not path.is_symlink():
            with open(path, "x", encoding="utf-8", newline="\n") as new:
                new.write(text)
            continue
        fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
