"""The one place that reads the clock: the calendar month now.

Only the edges use it (the command line's defaults and the validator's
'not in the future' check); the computation takes its month as an argument.
"""

from __future__ import annotations

import datetime


def this_month() -> int:
    today = datetime.date.today()
    return today.year * 12 + today.month - 1
