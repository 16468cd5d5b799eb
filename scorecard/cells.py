"""The one guard for every cell the tool writes into a CSV or a workbook: no cell may start a formula."""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
_FORMULA_AFTER_BLANKS = re.compile(r"^[\s\x00-\x1f\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
"""Some spreadsheets skip leading blanks and control characters, or read full-width signs (＝) as signs: same risk."""


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula."""
    return text.startswith(FORMULA_START) or bool(_FORMULA_AFTER_BLANKS.match(text))


def csv_cell(value: Any) -> Any:
    """A value as the CSV writer gets it: numbers stay numbers, everything else becomes safe text.

    A whole float becomes an int (`93`, not `93.0`); other floats are already
    rounded. Booleans are `true`/`false`, None stays None (an empty cell). Text
    that starts with = + - @, a tab or a carriage return gets a leading `'`, as
    OWASP advises, so a spreadsheet shows it instead of running it; that holds
    for `-12` in a text column too.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value)
    return "'" + text if formula_like(text) else text
