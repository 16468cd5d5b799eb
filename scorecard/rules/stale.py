"""`stale`: figures must arrive every month.

When an initiative that has sent figures has no month block for the as-of
month or the month before, it is marked **fix** ("update missing"): nobody can
judge it without figures. From `stale.kill_after` months (default 3) without a
block it is marked **kill** ("abandoned"). An initiative that never sent a
figure is *not measured*: it gets no verdict at all, and is never stale.
"""

from __future__ import annotations

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "stale"
NAME = "Figures missing"
"""The rule's name in plain words, for the pages."""


def evaluate(f: Facts, p: Policy) -> Finding | None:
    last = f.last_update
    if last is None or not f.measured:  # never measured: no verdict at all (see recommend.judge)
        return None
    gap = f.as_of - last
    since = f"last figures {fmt.month(last)}"
    numbers = {"months_since_update": gap, "last_update": fmt.month(f.last_update)}
    if gap >= p.stale.kill_after:
        return Finding(ID, "kill", f"abandoned: no month block for {gap} months ({since})",
                       f"a month block for {fmt.month(f.as_of)}", numbers)
    if gap >= p.stale.fix_after:
        return Finding(ID, "fix", f"update missing: no month block for {fmt.month(f.as_of - 1)} or "
                       f"{fmt.month(f.as_of)} ({since})", f"a month block for {fmt.month(f.as_of)}", numbers)
    return None
