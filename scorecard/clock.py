"""The one place that reads the clock: the calendar month now.

Only the edges use it (the command line's defaults and the validator's
'not in the future' check); the computation takes its month as an argument.
The command line's `--today YYYY-MM` pins it for the whole command, the site
build that MkDocs or mike runs included; so does the environment variable
SCORECARD_TODAY for every command of a CI job.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from contextlib import contextmanager

from scorecard.errors import UserError
from scorecard.months import month_arg

_pinned: list[int] = []


ENV = "SCORECARD_TODAY"
"""An environment variable that stands for the clock as `--today` does (for CI jobs and tests that run commands)."""


def this_month() -> int:
    """The current calendar month (a month index): the month `--today` pinned, else $SCORECARD_TODAY, else the clock."""
    if _pinned:
        return _pinned[-1]
    pinned_by_env = os.environ.get(ENV)
    if pinned_by_env:
        try:
            return month_arg(pinned_by_env)
        except ValueError as exc:
            raise UserError(f"{ENV}: {exc}") from None
    today = datetime.date.today()
    return today.year * 12 + today.month - 1


@contextmanager
def pinned(month: int | None) -> Iterator[None]:
    """Within the block, `this_month()` is `month` (no change when it is None)."""
    if month is None:
        yield
        return
    _pinned.append(month)
    try:
        yield
    finally:
        _pinned.pop()
