"""From facts to a verdict: apply the rules in precedence order, explain, and score.

Facts are computed first (`compute/`); the rules only read them (OpenSSF
Scorecard's split between probes and evaluation). The verdict comes from the
first precedence group in which a rule fires; every rule that fired is kept as
a reason, with the numbers behind it and what would change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.compute.kpis import AT_RISK, ON_TRACK, TARGET_MET
from scorecard.compute.stake import Stake, ask, stake
from scorecard.model import ACTIVE_STAGES, CLOSED_STAGES, WITHHELD_TEXT
from scorecard.policy import Policy
from scorecard.rules import MONEY_RULES, PRECEDENCE, decision_overdue, healthy, scale_ready
from scorecard.rules.base import Finding

SEVERITY = ("kill", "fix", "scale", "sustain")
NOT_MEASURED = "not_measured"
UNDER_REVIEW = "under_review"
"""The finding of a new scale or kill verdict that has not yet held `hold_months`: the previous verdict stands."""
ASKING = ("scale", "kill")


def held(raw: Sequence[tuple[int, str | None]], hold: int) -> list[tuple[int, str | None]]:
    """The verdicts as shown: a new scale or kill verdict (after another active verdict) is shown once it has held
    `hold` months in a row; until then the verdict shown the month before stands. Nothing else is held: a verdict
    after no verdict (a first judgement) or after closed is shown at once."""
    shown: list[tuple[int, str | None]] = []
    run = 0
    for i, (month, verdict) in enumerate(raw):
        run = run + 1 if i and raw[i - 1][1] == verdict else 1
        before = shown[-1][1] if shown else None
        if verdict in ASKING and before not in (None, "closed", verdict) and run < hold:
            shown.append((month, before))
        else:
            shown.append((month, verdict))
    return shown
"""The finding of an active initiative without a single figure: no verdict is given (see `judge`)."""
STATUS_SCORE = {ON_TRACK: 1.0, TARGET_MET: 1.0, AT_RISK: 0.5}


@dataclass(frozen=True)
class Recommendation:
    verdict: str | None
    """scale, sustain, iterate, fix or kill; `closed` for killed and retired; None for proposed and paused."""
    reasons: tuple[Finding, ...] = ()
    """The deciding findings first, then the other rules that fired, then waived rules."""
    change: str = ""
    """What would change the verdict."""
    score: int | None = None
    score_parts: dict[str, float] = field(default_factory=dict)
    overdue: Finding | None = None
    history: tuple[tuple[int, str | None], ...] = ()
    """The verdict as of each of the latest `HISTORY_MONTHS` months, oldest first, the as-of month last."""
    stake: Stake | None = None
    """The money the verdict moves each month."""
    wait: ScaleWait | None = None
    """The latest episode of scale verdicts in the history, and the decision that ended it."""
    decide_by: int | None = None
    """For scale or kill: the last month a decision keeps the verdict from being overdue."""
    waiting_since: int | None = None
    """For scale or kill: the month since which the verdict has waited for a decision (its run of months, or the
    month after the latest decision's cover ended)."""
    decided: decision_overdue.Cover | None = None
    """For scale or kill: the decision (or stage change) that acted on the verdict and still stands."""
    ask: str | None = None
    """For scale or kill: what the board is asked to decide, in words, with its money."""

    @property
    def since(self) -> int | None:
        """The first month of the run of months, up to the as-of month, with this same verdict."""
        return decision_overdue.standing(self.history)

    @property
    def stood_whole_history(self) -> bool:
        """The verdict has stood through every month of the history: it may have stood longer."""
        return bool(self.history) and self.since == self.history[0][0]


HISTORY_MONTHS = 12
"""How many months of verdict history each initiative carries (the as-of month included)."""


@dataclass(frozen=True)
class ScaleWait:
    """The pilot paradox for one initiative: from a `scale` verdict to the decision that acted on it."""

    first_scale: int
    """The first month of the latest episode of scale verdicts (the history's first month when it began earlier)."""
    decided: int | None
    """The month of the first scale decision or move to scaling/production from then on; None: none yet."""
    months: int
    """Months to the decision (0: the same month); while waiting, the months the verdict has stood; when the
    verdict changed before any decision (lapsed), the months it stood."""
    waiting: bool
    """Still told to scale, and no decision yet."""

    @property
    def lapsed(self) -> bool:
        """The scale verdict ended without a decision acting on it."""
        return self.decided is None and not self.waiting


def scale_wait(f: Facts, history: Sequence[tuple[int, str | None]], p: Policy | None = None) -> ScaleWait | None:
    """The latest episode of scale verdicts in the history, and the decision that ended it.

    An episode starts at a scale verdict and ends with the first decision or stage change acting on it (a
    scale verdict the month after starts a new one: for an initiative already scaling, it asks for the next
    step), or lapses when the verdict changes first. Counted as `decision_overdue` counts, so the two agree.
    """
    actions = decision_overdue.acted(f, "scale")
    first = next((m for m, v in history if v == "scale"), None)
    standing = decision_overdue.cover(f, p, "scale", first) if p is not None and first is not None else None
    latest: ScaleWait | None = None
    start: int | None = None
    for month, verdict in history:
        if start is not None:
            # a decision before this month ends the episode; so does one this month that changed the verdict
            acted = next((a for a in actions if start <= a < month or (a == month and verdict != "scale")), None)
            if acted is not None:
                latest, start = ScaleWait(start, acted, acted - start, False), None
            elif verdict != "scale":  # the verdict changed first: the episode lapsed
                latest, start = ScaleWait(start, None, month - start, False), None
        # while a decision stands (until its milestone), a scale verdict is no new wait
        covered = standing is not None and standing.month < month <= standing.until
        if verdict == "scale" and start is None and not covered:
            start = month
    if start is not None:
        acted = next((a for a in actions if start <= a <= f.as_of), None)
        latest = (ScaleWait(start, acted, acted - start, False) if acted is not None
                  else ScaleWait(start, None, f.as_of - start + 1, True))
    return latest


def judge(f: Facts, p: Policy) -> tuple[str | None, list[Finding], str]:
    """(verdict, reasons, what would change it), without the score or the overdue flag."""
    if f.stage in CLOSED_STAGES:
        return "closed", [], ""
    if f.stage not in ACTIVE_STAGES:
        return None, [], ""
    if not f.measured:  # no figure yet: a state of its own, never a verdict (and so never kill, never overdue)
        return None, [Finding(NOT_MEASURED, None, "not measured: no figures yet, so no verdict",
                              f"a month block with figures (users, KPIs, costs, benefits) for {fmt.month(f.as_of)}")], \
            f"a month block with figures for {fmt.month(f.as_of)}"
    deciding: list[Finding] = []
    others: list[Finding] = []
    waived: list[Finding] = []
    for group in PRECEDENCE:
        fired = []
        for rule in group:
            if rule in MONEY_RULES and not p.judges_money:
                continue
            if rule.ID in f.waived:
                waived.append(_waived(f, rule.ID))
                continue
            finding = rule.evaluate(f, p)
            if finding is not None:
                fired.append(finding)
        if fired and not deciding:
            top = min(SEVERITY.index(x.verdict) for x in fired if x.verdict)
            deciding = [x for x in fired if x.verdict == SEVERITY[top]]
            others += [x for x in fired if x not in deciding]
        else:
            others += fired
    if deciding:
        return deciding[0].verdict, deciding + others + waived, deciding[0].change
    if f.stage == "production":
        change = "to sustain: " + "; ".join(healthy.unmet(f, p))
        message = "no rule decided: in production but not yet healthy"
    else:
        change = "to scale: " + "; ".join(scale_ready.unmet(f, p))
        message = f"no rule decided: in {f.stage} for {f.months_in_stage} months, no conclusion yet"
    return "iterate", [Finding("iterate", "iterate", message, change)] + others + waived, change


def _waived(f: Facts, rule: str) -> Finding:
    ex = next(e for e in f.initiative.exemptions if e.rule == rule)
    if ex.reason == WITHHELD_TEXT:  # a public build: who approved the waiver and why are not on the record
        return Finding(rule, None, f"{rule} waived until {ex.expires}; who approved it and why is withheld from the "
                       "public record")
    return Finding(rule, None, f"{rule} waived until {ex.expires} by {ex.approved_by}: {ex.reason}")


def score(f: Facts, p: Policy) -> tuple[int, dict[str, float]]:
    """The health score 0-100: a weighted mean of five parts, each 0-1."""
    weights = {k.id: (2.0 if k.primary else 1.0) for k in f.kpis}
    value = (sum(STATUS_SCORE.get(k.status, 0.0) * weights[k.id] for k in f.kpis) / sum(weights.values())
             if f.kpis else 0.0)
    fin = f.financials
    if fin.payback_month is not None:
        financials = 1.0
    elif fin.projected_payback_month is not None:
        financials = max(0.0, 1 - (fin.projected_payback_month - f.as_of) / p.payback.horizon_months)
    else:
        financials = 0.0
    a = f.adoption
    if a.target_users and a.users is not None:
        adoption = min(1.0, a.users / a.target_users)
    else:
        levels = a.milestones
        adoption = sum(1 for m in levels.values() if m is not None) / len(levels) if levels else 0.0
    g = f.governance
    needed = len(g.required) + (1 if f.initiative.autonomy == "autonomous" else 0)
    governance = 1.0 if not needed else (needed - len(g.gaps)) / needed
    gap = f.months_since_update
    freshness = 0.0 if gap is None else 1.0 if gap < p.stale.fix_after else 0.5 if gap < p.stale.kill_after else 0.0
    parts = {"value": value, "financials": financials, "adoption": adoption,
             "governance": governance, "freshness": freshness}
    w = p.weights
    total = (w.value * value + w.financials * financials + w.adoption * adoption
             + w.governance * governance + w.freshness * freshness)
    if not p.judges_money:  # a build without money: the other four parts, weighted as the policy weights them
        del parts["financials"]
        total = (total - w.financials * financials) / (1 - w.financials) if w.financials < 1 else 0.0
    return max(0, min(100, round(100 * total))), {k: round(v, 4) for k, v in parts.items()}


Judgement = tuple[str | None, list[Finding], str]


def recommend(f: Facts, p: Policy, earlier: Sequence[tuple[int, str | None]] = (),
              judged: Judgement | None = None) -> Recommendation:
    """The full recommendation; `earlier`: (month, verdict) of the months before the as-of month, oldest first
    (the history, see `engine.verdict_history`).

    `judged` is this month's `judge(f, p)` when the caller already has it.
    """
    verdict, reasons, change = judged if judged is not None else judge(f, p)
    raw = tuple(earlier) + ((f.as_of, verdict),)
    # the months before the window only settle what its first month showed (a verdict under review there)
    history = tuple(held(raw, p.hold_months))[-HISTORY_MONTHS:]
    raw = raw[-HISTORY_MONTHS:]
    if history[-1][1] != verdict:  # a new scale or kill that has not held yet: the verdict shown before stands
        ruled, verdict = verdict, history[-1][1]
        run = next((n for n in range(1, len(raw) + 1) if raw[-n][1] != ruled), len(raw) + 1) - 1
        reasons = [Finding(UNDER_REVIEW, verdict, f"under review: the rules say {ruled} this month ({run} of the "
                           f"{p.hold_months} months a new {ruled} verdict must hold); {verdict} stands until then",
                           f"the {ruled} verdict holding in {fmt.month(f.as_of + p.hold_months - run)} too",
                           {"ruled": ruled, "months": run, "hold": p.hold_months, "stands": verdict}),
                   *reasons]
        change = f"{ruled} is shown if the rules still say so in {fmt.month(f.as_of + p.hold_months - run)}"
    wait = scale_wait(f, history, p)
    if verdict is None or verdict == "closed":
        return Recommendation(verdict, tuple(reasons), change, history=history, wait=wait)
    asked = decision_overdue.wait(f, p, history, raw)
    overdue = None
    if decision_overdue.ID not in f.waived:
        overdue = decision_overdue.evaluate(f, p, history, asked)
    total, parts = score(f, p)
    if overdue is not None:
        reasons.append(overdue)
    money = stake(f, verdict, p.currency)
    decided = asked.decided if asked is not None else None
    return Recommendation(verdict, tuple(reasons), change, total, parts, overdue, history, money, wait,
                          asked.decide_by if asked else None, asked.since if asked else None,
                          decided, None if decided is not None else ask(f, verdict, money, p.currency))
