"""Read an earlier `scorecard.json` (a published month's) back into the typed report, or say in one line why not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scorecard.errors import UserError
from scorecard.report.model import SCHEMA_VERSION, Report


def version_problem(doc: Any) -> str | None:
    """Why `doc` is not a scorecard.json of the version this tool reads, or None."""
    version = doc.get("schema_version", doc.get("report_version")) if isinstance(doc, dict) else None
    if version == SCHEMA_VERSION:
        return None
    said = "it has no schema_version" if version is None else f"it says {json.dumps(version)[:20]}"
    return f"not a scorecard.json of schema version {SCHEMA_VERSION} ({said})"


def report_problem(doc: Any) -> str | None:
    """What keeps `doc` (of the right version) from being a complete report, in a few words; None when it is one."""
    try:
        Report.model_validate(doc, strict=True)  # what is read is what is written: no "5" taken for 5
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(s) for s in first["loc"]) or "the document"
        return f"{where}: {first['msg'].lower()}"
    return None


def parse_report(doc: Any) -> Report | None:
    """`doc` (a parsed scorecard.json) as a report; None when it is not a complete one of this version."""
    return None if version_problem(doc) or report_problem(doc) else Report.model_validate(doc, strict=True)


def read_report(path: Path) -> Report:
    """A scorecard.json written by an earlier build (for example the last published month)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot read the previous scorecard: {exc}") from None
    wrong = version_problem(doc)
    if wrong:
        raise UserError(f"{path}: {wrong}; give the scorecard.json of a published month")
    problem = report_problem(doc)
    if problem:
        raise UserError(f"{path}: not a complete scorecard.json ({problem}); give the scorecard.json of a published month")
    return Report.model_validate(doc, strict=True)
