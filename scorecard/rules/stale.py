"""`stale`: figures must arrive every month.

When neither the as-of month nor the month before has a month block, the
initiative is marked **fix** ("update missing"): nobody can judge it without
figures. From `stale.kill_after` months (default 3) without a block it is
marked **kill** ("abandoned"). An initiative that never reported counts from
the month it entered its stage.
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
    last = f.last_update if f.last_update is not None else f.stage_since
    if last is None:
        return None
    gap = f.as_of - last
    since = f"last figures {fmt.month(f.last_update)}" if f.last_update is not None else "no figures yet"
    numbers = {"months_since_update": gap, "last_update": fmt.month(f.last_update)}
    if gap >= p.stale.kill_after:
        return Finding(ID, "kill", f"abandoned: no month block for {gap} months ({since})",
                       f"a month block for {fmt.month(f.as_of)}", numbers)
    if gap >= p.stale.fix_after:
        return Finding(ID, "fix", f"update missing: no month block for {fmt.month(f.as_of - 1)} or "
                       f"{fmt.month(f.as_of)} ({since})", f"a month block for {fmt.month(f.as_of)}", numbers)
    return None
