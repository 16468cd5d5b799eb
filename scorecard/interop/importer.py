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

import os
import shlex
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from scorecard.catalogue import Catalogue
from scorecard.validate.checks import check_initiative
from scorecard.load.discover import discover, initiative_id
from scorecard.errors import UserError
from scorecard.interop.mapping import Mapping
from scorecard.interop.rows import Outcome, Row, required, row_data, row_id, seed
from scorecard.interop.sheet import Sheet
from scorecard.load.reader import Document, parse_text
from scorecard.model import Initiative
from scorecard.validate.schema_errors import validate_model

START = "# >>> scorecard import"
END = "# <<< scorecard import"
BLOCK_KEYS = ("name", "summary", "business_unit", "risk_tier", "operating_model", "governance", "fields")
"""The keys a re-import rewrites, in the order they are written."""


class _Dumper(yaml.CSafeDumper):
    """libyaml's emitter (fast), text with line breaks as literal blocks, keys in the order given."""


def _str(dumper: _Dumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000,
                     default_flow_style=False)


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
        row = Row(sheet, number, cells, out)
        data = row_data(row, mapping, catalogue)
        ident = row_id(row, mapping, data, taken)
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
    hint = (f"scorecard import --mapping {shlex.quote(mapping.source or mapping.name)} --print-policy prints the "
            "policy it needs")
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


def _markers(mapping: Mapping) -> tuple[str, str]:
    return (f"{START} {mapping.name}: a re-import rewrites the lines up to the end marker; edit below it",
            f"{END} {mapping.name}")


def _plan_file(row: Row, mapping: Mapping, catalogue: Catalogue, data: dict[str, Any], ident: str, path: Path,
               base: Path, today: int) -> None:
    out = row.out
    shown = _shown(path, base)
    required(row, data, ident)
    start, end = _markers(mapping)
    if not path.exists() and not path.is_symlink():
        if not data.get("owner.name"):
            row.report("owner", "no name in the register; recorded as 'Not named in the register'")
        text = f"{start}\n{dump(_block(data))}{end}\n{dump(seed(row, mapping, data))}"
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


def _block(data: dict[str, Any]) -> dict[str, Any]:
    block = {k: data[k] for k in BLOCK_KEYS if data.get(k)}
    return block


def _stage_of(text: str) -> str | None:
    match = re.search(r"^stage: *([a-z]+) *$", text, flags=re.M)
    return match.group(1) if match else None


def _valid(row: Row, text: str, shown: str, catalogue: Catalogue, today: int) -> bool:
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
