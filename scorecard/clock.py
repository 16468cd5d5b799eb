"""The one place that reads the clock: the calendar month now.

Only the edges read it, once, into the run's context (`scorecard.context`):
the command line, unless `--today YYYY-MM` is given, and the MkDocs plugin of a
plain `mkdocs build` or `serve`. The environment variable SCORECARD_TODAY
stands for the clock, for every command of a CI job.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from contextlib import contextmanager

from scorecard.errors import UserError
from scorecard.months import format_month, month_arg, month_index

ENV = "SCORECARD_TODAY"
"""An environment variable that stands for the clock as `--today` does (for CI jobs and tests that run commands)."""


def this_month() -> int:
    """The current calendar month (a month index): $SCORECARD_TODAY, else the clock. Only an edge calls it
    (`scorecard.context.edge_context`)."""
    pinned_by_env = os.environ.get(ENV)
    if pinned_by_env:
        try:
            return month_arg(pinned_by_env)
        except ValueError as exc:
            raise UserError(f"{ENV}: {exc}") from None
    today = datetime.date.today()
    return month_index(today.year, today.month)


@contextmanager
def clock_stand_in(month: int) -> Iterator[None]:
    """Within the block, the clock of an edge this process does not build itself (the plugin MkDocs makes for
    `scorecard serve`) reads `month`: SCORECARD_TODAY is set, then put back as it was."""
    before = os.environ.get(ENV)
    os.environ[ENV] = format_month(month)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before
