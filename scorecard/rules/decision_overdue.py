"""`decision_overdue`: the pilot paradox, made visible.

When the scorecard has said **scale** or **kill** for `decisions.overdue_months`
(default 2) consecutive months and no matching entry in `decisions` (scale; or
kill, retire or pause) and no matching stage change followed, the initiative
is flagged as waiting for a decision. The months are read from the verdict
history (the verdict as computed as of each of the latest 12 months), and the
reason says since when the verdict has stood. A decision or stage change that
acts on the verdict restarts the count from the month after it. The flag
decides no verdict; it puts the initiative on the decisions page's overdue list.
"""

from __future__ import annotations

from collections.abc import Sequence

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.months import parse_date_month, parse_month
from scorecard.policy import Policy
from scorecard.rules.base import Finding

ID = "decision_overdue"
NAME = "Decision overdue"
"""The rule's name in plain words, for the pages."""
MATCHING_DECISIONS = {"scale": {"scale"}, "kill": {"kill", "retire", "pause"}}
MATCHING_STAGES = {"scale": {"scaling", "production"}, "kill": {"killed", "retired", "paused"}}


def standing(history: Sequence[tuple[int, str | None]]) -> int | None:
    """The first month of the latest run of equal verdicts in the history (None when there is no verdict)."""
    if not history or history[-1][1] is None:
        return None
    current = history[-1][1]
    since = history[-1][0]
    for month, verdict in reversed(history):
        if verdict != current:
            break
        since = month
    return since


def acted(f: Facts, verdict: str) -> list[int]:
    """The months, up to the as-of month, of every decision or stage change that acts on `verdict`, oldest first."""
    months = [parse_month(d.month) for d in f.decisions if d.decision in MATCHING_DECISIONS[verdict]]
    months += [parse_date_month(e.since) for e in f.stage_history if e.stage in MATCHING_STAGES[verdict]]
    return sorted(m for m in months if m is not None and m <= f.as_of)


def waiting_since(f: Facts, history: Sequence[tuple[int, str | None]]) -> int | None:
    """For a scale or kill verdict: the month since which it has waited for a decision (None for other verdicts).

    The start of its run of months, restarted after each decision or stage change that acted on it."""
    current = history[-1][1] if history else None
    run = standing(history)
    if current not in MATCHING_DECISIONS or run is None:
        return None
    return max([run] + [m + 1 for m in acted(f, current) if m >= run])


def decide_by(f: Facts, p: Policy, history: Sequence[tuple[int, str | None]]) -> int | None:
    """The last month a decision keeps a scale or kill verdict from being overdue."""
    since = waiting_since(f, history)
    return None if since is None else since + p.decisions.overdue_months - 1


def evaluate(f: Facts, p: Policy, history: Sequence[tuple[int, str | None]]) -> Finding | None:
    """`history`: (month, verdict) of the latest months, oldest first, ending with the as-of month."""
    since = waiting_since(f, history)
    current = history[-1][1] if since is not None else None
    if since is None or current is None:  # a month to wait since comes only with a scale or kill verdict
        return None
    months = f.as_of - since + 1
    if months < p.decisions.overdue_months:
        return None
    whole = since == history[0][0]  # the verdict has stood since before the history begins
    when = f"since {fmt.month(since)} or earlier ({months}+ months)" if whole else f"since {fmt.month(since)} ({months} months)"
    tail = (f", and no decision or stage change has acted on it since the one in {fmt.month(since - 1)}"
            if since - 1 in acted(f, current) else " and no decision or stage change followed")
    return Finding(ID, None, f"decision overdue: the scorecard has said {current} {when}{tail}",
                   f"record a decision ({' / '.join(sorted(MATCHING_DECISIONS[current]))}) in the file",
                   {"since": fmt.month(since), "months": months, "verdict": current})
