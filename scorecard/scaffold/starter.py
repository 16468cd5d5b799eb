"""`scorecard new ID`: a commented starter file with the right shape."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

from scorecard.errors import UsageError, UserError
from scorecard.model import ID_PATTERN
from scorecard.months import format_month

SCHEMA_FILE = "schema/initiative.schema.json"


def starter_text(month: int, schema_ref: str) -> str:
    template = resources.files("scorecard").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    # the example month block is the month just ended: a block is for a month that has ended
    return template.format(month=format_month(month), example=format_month(month - 1), schema=schema_ref)


def write_starter(ident: str, folder: Path, month: int) -> Path:
    if not re.fullmatch(ID_PATTERN, ident):
        raise UsageError(f"'{ident}' is not a valid initiative id: use lower-case letters, digits and '-', "
                        "3 to 64 characters, e.g. contract-review")
    path = folder / f"{ident}.yaml"
    if path.exists():
        raise UserError(f"{path} already exists; edit it instead")
    folder.mkdir(parents=True, exist_ok=True)
    schema_ref = os.path.relpath(SCHEMA_FILE, folder) if Path(SCHEMA_FILE).exists() else SCHEMA_FILE
    path.write_text(starter_text(month, schema_ref.replace(os.sep, "/")), encoding="utf-8")
    return path
