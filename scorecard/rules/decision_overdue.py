"""`decision_overdue`: the pilot paradox, made visible.

When the scorecard has said **scale** or **kill** for `decisions.overdue_months`
(default 2) consecutive months and no matching entry in `decisions` (scale; or
kill, retire or pause) and no matching stage change followed, the initiative
is flagged as waiting for a decision. The months are read from the verdict
history (the verdict as computed as of each of the latest 12 months), and the
reason says since when the verdict has stood. The flag decides no verdict; it
puts the initiative on the decisions page's overdue list.
"""

from __future__ import annotations

from collections.abc import Sequence

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.months import parse_date_month, parse_month
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "decision_overdue"
MATCHING_DECISIONS = {"scale": {"scale"}, "kill": {"kill", "retire", "pause"}}
MATCHING_STAGES = {"scale": {"scaling", "production"}, "kill": {"killed", "retired", "paused"}}


def evaluate(f: Facts, p: Policy, history: Sequence[tuple[int, str | None]]) -> Finding | None:
    """`history`: (month, verdict) of the latest months, oldest first, ending with the as-of month."""
    verdicts = [v for _, v in history]
    n = p.decisions.overdue_months
    current = verdicts[-1] if verdicts else None
    if current not in MATCHING_DECISIONS or len(verdicts) < n or any(v != current for v in verdicts[-n:]):
        return None
    start = f.as_of - n + 1
    decided = any(d.decision in MATCHING_DECISIONS[current] and (parse_month(d.month) or 0) >= start
                  for d in f.decisions)
    moved = any(e.stage in MATCHING_STAGES[current] and (parse_date_month(e.since) or 0) >= start
                and (parse_date_month(e.since) or 0) <= f.as_of for e in f.initiative.stage_history)
    if decided or moved:
        return None
    since = history[-1][0]
    for month, verdict in reversed(history):  # the whole run of this verdict, as far as the history goes
        if verdict != current:
            break
        since = month
    months = f.as_of - since + 1
    return Finding(ID, None, f"decision overdue: the scorecard has said {current} since {fmt.month(since)} "
                   f"({months} months) and no decision or stage change followed",
                   f"record a decision ({' / '.join(sorted(MATCHING_DECISIONS[current]))}) in the file",
                   {"since": fmt.month(since), "months": months, "verdict": current})
