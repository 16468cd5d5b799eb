"""Calendar months as plain integers, so month arithmetic is exact and cheap.

A month is stored as `year * 12 + (month - 1)`; `parse_month("2026-01")` and
`format_month` convert at the edges. Dates written `YYYY-MM-DD` count as the
month they fall in.
"""

from __future__ import annotations

import calendar
import functools
import re

# ASCII digits only (`\d` would take `٢٠٢٦` too), and years 1970-2099: a month outside them is a typo,
# and every build date (the end of the as-of month, in seconds since 1970) fits a gzip header and a sitemap.
_YEAR = r"(19[7-9][0-9]|20[0-9]{2})"
_MONTH = re.compile(rf"^{_YEAR}-(0[1-9]|1[0-2])$")
_DATE = re.compile(rf"^{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")

MONTH_PATTERN = _MONTH.pattern
DATE_PATTERN = r"^(?:19[7-9][0-9]|20[0-9]{2})-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"


@functools.lru_cache(maxsize=8192)  # the same few hundred months are parsed again for each month of history
def parse_month(text: str) -> int | None:
    """`"2026-01"` -> month index, or None when it is not a valid `YYYY-MM`."""
    m = _MONTH.fullmatch(text)
    if not m:
        return None
    return month_index(int(m.group(1)), int(m.group(2)))


@functools.lru_cache(maxsize=8192)
def parse_date_month(text: str) -> int | None:
    """The month of a `YYYY-MM` or `YYYY-MM-DD` date, or None when invalid."""
    m = _MONTH.fullmatch(text) or _DATE.fullmatch(text)
    if not m:
        return None
    return month_index(int(m.group(1)), int(m.group(2)))


def real_date(text: str) -> bool:
    """Whether a `YYYY-MM-DD` date exists in the calendar (`2026-02-30` does not); a `YYYY-MM` month always does."""
    m = _DATE.fullmatch(text)
    if not m:
        return True
    return int(m.group(3)) <= calendar.monthrange(int(m.group(1)), int(m.group(2)))[1]


def month_index(year: int, month: int) -> int:
    """The index of a calendar month (`month` 1 to 12): the one formula from a year and a month to an index."""
    return year * 12 + month - 1


def year_month(index: int) -> tuple[int, int]:
    """(year, month 1 to 12) of a month index."""
    year, month0 = divmod(index, 12)
    return year, month0 + 1


def format_month(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_arg(text: str) -> int:
    """Parse a month given on the command line; raises ValueError with a clear message."""
    index = parse_month(text)
    if index is None:
        raise ValueError(f"'{text}' is not a month: write it as YYYY-MM between 1970-01 and 2099-12, e.g. 2026-11")
    return index
