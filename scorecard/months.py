"""Calendar months as plain integers, so month arithmetic is exact and cheap.

A month is stored as `year * 12 + (month - 1)`; `parse_month("2026-01")` and
`format_month` convert at the edges. Dates written `YYYY-MM-DD` count as the
month they fall in.
"""

from __future__ import annotations

import re

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")

MONTH_PATTERN = _MONTH.pattern
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"


def parse_month(text: str) -> int | None:
    """`"2026-01"` -> month index, or None when it is not a valid `YYYY-MM`."""
    m = _MONTH.match(text)
    if not m:
        return None
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def parse_date_month(text: str) -> int | None:
    """The month of a `YYYY-MM` or `YYYY-MM-DD` date, or None when invalid."""
    m = _MONTH.match(text) or _DATE.match(text)
    if not m:
        return None
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def format_month(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_arg(text: str) -> int:
    """Parse a month given on the command line; raises ValueError with a clear message."""
    index = parse_month(text)
    if index is None:
        raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2026-11")
    return index
