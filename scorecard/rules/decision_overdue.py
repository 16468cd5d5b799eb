"""`decision_overdue`: the pilot paradox, made visible.

When the scorecard has said **scale** or **kill** for `decisions.overdue_months`
(default 2) consecutive months and no matching entry in `decisions` (scale; or
kill, retire or pause) and no matching stage change followed, the initiative
is flagged as waiting for a decision. The months are read from the verdict
history (the verdict as computed as of each of the latest 12 months). A
decision, and the stage change that follows it, stands until the milestone the
decision declares (`milestone: {users: 500, by: 2027-01}`), or for
`decisions.follow_through_months` (default 6) when it declares none: until
then nothing is overdue. After it the verdict waits again, from the month after;
a milestone missed (its users not reached by its month) makes it overdue at
once. *Waiting since* is that one month, the same on every page: the start of
the verdict's run, or the month after the latest decision's cover ended. The
flag decides no verdict; it puts the initiative on the decisions page's overdue
list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.model import Decision, Milestone
from scorecard.months import parse_date_month, parse_month
from scorecard.policy import Policy
from scorecard.problem import plural
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


@dataclass(frozen=True)
class Cover:
    """What stands between a scale or kill verdict and "overdue": the latest decision or stage change acting on it."""

    month: int
    """When it was taken."""
    until: int
    """The last month it stands: its milestone's month, or `follow_through_months` from its own."""
    decision: Decision | None
    """The decision (None: a stage change with no decision of its own)."""
    missed: bool = False
    """Its milestone's month has passed without the milestone reached."""


def cover(f: Facts, p: Policy, verdict: str, start: int | None = None) -> Cover | None:
    """The decision or stage change acting on `verdict` that governs it now (taken up to the as-of month).

    The latest action governs: a newer decision replaces an older one, whatever either declared. A stage change
    taken while a decision's milestone stands is that decision's follow-through: it does not move the milestone,
    so a move to production cannot hide a missed milestone. With `start` (the first month of the verdict's run),
    only what was taken from then on acts on it, besides a decision that declared a milestone: a commitment
    stands whatever the verdict did before."""
    events: list[Cover] = []
    for d in f.decisions:
        month = parse_month(d.month)
        if d.decision not in MATCHING_DECISIONS[verdict] or month is None or month > f.as_of:
            continue
        if start is not None and month < start and d.milestone is None:
            continue
        until = parse_month(d.milestone.by) if d.milestone else None
        events.append(Cover(month, until if until is not None else month + p.decisions.follow_through_months - 1, d))
    for e in f.stage_history:
        month = parse_date_month(e.since)
        if e.stage in MATCHING_STAGES[verdict] and month is not None and (start or month) <= month <= f.as_of:
            events.append(Cover(month, month + p.decisions.follow_through_months - 1, None))
    best: Cover | None = None
    for event in sorted(events, key=lambda c: (c.month, c.decision is not None)):
        committed = best is not None and best.decision is not None and best.decision.milestone is not None
        if committed and event.decision is None and best is not None and event.month <= best.until:
            continue  # the follow-through of the decision whose milestone stands
        best = event
    milestone = best.decision.milestone if best is not None and best.decision else None
    if best is not None and milestone is not None and best.until < f.as_of and not reached(f, milestone, best.until,
                                                                                              verdict):
        return Cover(best.month, best.until, best.decision, missed=True)
    return best


def reached(f: Facts, milestone: Milestone, by: int, verdict: str) -> bool:
    """Whether a milestone was reached by its month: its users (the latest figure up to then), or else the stage."""
    if milestone.users is not None:
        users = [u for m, b in f.blocks if m <= by and (u := b.users) is not None]
        return bool(users) and users[-1] >= milestone.users
    stages = [e.stage for e in f.stage_history if (parse_date_month(e.since) or 0) <= by]
    return bool(stages) and stages[-1] in MATCHING_STAGES[verdict]


@dataclass(frozen=True)
class Wait:
    """A scale or kill verdict and the decision it asks for: computed once, read by the flag and every page."""

    verdict: str
    since: int | None
    """The month since which it has waited for a decision; None while a decision acting on it stands."""
    decide_by: int | None
    """The last month a decision keeps it from being overdue (a missed milestone: the milestone's month)."""
    cover: Cover | None
    """The decision or stage change that governs it: standing (`since` None), ended, or with its milestone missed."""

    @property
    def decided(self) -> Cover | None:
        """The decision (or stage change) that acted on the verdict and still stands."""
        return self.cover if self.since is None else None

    @property
    def missed(self) -> bool:
        """The wait began with a missed milestone: overdue at once."""
        return self.cover is not None and self.cover.missed and self.since == self.cover.until + 1


def acting_from(shown: Sequence[tuple[int, str | None]], raw: Sequence[tuple[int, str | None]]) -> int | None:
    """The first month from which a decision acts on the shown verdict: the start of its run as shown, or of the
    rules' own run of it when that began earlier (a decision taken while the verdict was under review counts)."""
    run = standing(shown)
    if run is None or not raw or raw[-1][1] != shown[-1][1]:
        return run
    return min(run, standing(raw) or run)


def wait(f: Facts, p: Policy, history: Sequence[tuple[int, str | None]],
         raw: Sequence[tuple[int, str | None]] = ()) -> Wait | None:
    """For a scale or kill verdict (the last of `history`, as shown): what it waits for. None for other verdicts.

    `raw`: the verdicts the rules gave, before a new verdict was held (`recommend.held`); by default the same.
    Waiting since is the start of the verdict's run, or the month after the governing decision's cover ended,
    whichever is later."""
    current = history[-1][1] if history else None
    run = standing(history)
    if current not in MATCHING_DECISIONS or run is None:
        return None
    c = cover(f, p, current, acting_from(history, raw or history))
    if c is not None and c.until >= f.as_of:
        return Wait(current, None, None, c)  # decided, and the decision still stands
    since = run if c is None or c.until < run else c.until + 1
    if c is not None and c.missed and since == c.until + 1:
        return Wait(current, since, c.until, c)
    return Wait(current, since, since + p.decisions.overdue_months - 1, c if c is not None and c.until >= run else None)


def evaluate(f: Facts, p: Policy, history: Sequence[tuple[int, str | None]], w: Wait | None = None) -> Finding | None:
    """`history`: (month, verdict) of the latest months, oldest first, ending with the as-of month; `w` its wait
    (computed from it when not given)."""
    w = w if w is not None else wait(f, p, history)
    if w is None or w.since is None:  # a month to wait since comes only with a scale or kill verdict
        return None
    current, since, c = w.verdict, w.since, w.cover
    months = f.as_of - since + 1
    if w.missed and c is not None and c.decision is not None and c.decision.milestone:
        m = c.decision.milestone
        goal = f"{m.users:,} users" if m.users is not None else ("the stage " + " or ".join(sorted(MATCHING_STAGES[current])))
        users = [u for mm, b in f.blocks if mm <= c.until and (u := b.users) is not None]
        had = f" (it had {users[-1]:,})" if m.users is not None and users else ""
        return Finding(ID, None, f"decision overdue: the {current} decision of {fmt.month(c.month)} promised {goal} by "
                       f"{fmt.month(c.until)}{had}, and the milestone was missed",
                       f"record a new decision on it, with a new milestone, or act on the {current} verdict",
                       {"since": fmt.month(since), "months": months, "verdict": current, "missed": fmt.month(c.until)})
    if months < p.decisions.overdue_months:
        return None
    whole = since == history[0][0]  # the verdict has stood since before the history begins
    when = (f"since {fmt.month(since)} or earlier ({months}+ months)" if whole
            else f"since {fmt.month(since)} ({plural(months, 'month')})")
    tail = (f", and nothing has acted on it since the {'decision' if c.decision else 'stage change'} of "
            f"{fmt.month(c.month)}, which stood until {fmt.month(c.until)}" if c is not None and c.until + 1 == since
            else " and no decision or stage change followed")
    return Finding(ID, None, f"decision overdue: the scorecard has said {current} {when}{tail}",
                   f"record a decision ({' / '.join(sorted(MATCHING_DECISIONS[current]))}) in the file, "
                   "with the milestone it commits to",
                   {"since": fmt.month(since), "months": months, "verdict": current})
