"""Money at stake: the money a month that following the verdict is worth, so that decisions can be ranked and added up.

One meaning and one sign on every page, card, table, pack and digest: the change in monthly net (benefit less
full cost) that following the verdict brings against its alternative. Positive: following it is worth that much
a month; negative: it costs that much a month.

- **scale**: the incremental monthly net of reaching target users: the benefit at target less the benefit now, less
  the run cost it adds (the run cost at target, declared as `adoption.run_cost_at_target` or the business case's
  `annual_run_cost`, less the cost now). The benefit at target is the benefit per active user now times the target
  users: a per-user extrapolation, said as such, and set beside the business case;
- **kill**: the net burn that stopping avoids (minus the net run rate: negative when the initiative makes money,
  which stopping gives up), with any declared one-off exit cost beside it;
- **fix**, **iterate** and **sustain**: the net run rate now, which keeping the initiative going earns (or burns) a month.

Each run rate is the average over the latest 3 months with figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.model import VERDICTS


@dataclass(frozen=True)
class Stake:
    monthly: float | None
    """Money a month, in the portfolio's currency (None: no figures to base it on)."""
    basis: str
    """What it counts, in words."""
    label: str = ""
    """What it counts, in three or four words, for a card: "added net at 500 users", "net burn avoided"."""
    benefit_change: float | None = None
    """scale: the benefit a month that reaching target users adds."""
    cost_change: float | None = None
    """scale: the run cost a month that reaching target users adds."""
    one_off: float | None = None
    """kill: the declared exit cost, once (negative: money spent)."""
    vs_case: float | None = None
    """scale: the projected annual benefit at target against the business case's (0.4: 40% above it)."""
    case_note: str | None = None
    """scale: the projection reconciled with the business case, in words."""


def stake(f: Facts, verdict: str | None, currency: str = "USD") -> Stake | None:
    """The money `verdict` moves each month; None for no verdict (proposed, paused, closed, not measured)."""
    if verdict not in VERDICTS:
        return None
    fin = f.financials
    if verdict == "scale":
        return scale_stake(f, currency)
    if verdict == "kill":
        exit_cost = f.initiative.exit_cost
        one_off = -exit_cost if exit_cost else None
        if fin.run_rate is None:
            return Stake(None, "no figures to say what stopping saves", "no figures", one_off=one_off)
        saved = -fin.run_rate
        basis = ("the net burn a month that stopping avoids" if saved >= 0 else
                 "negative: it makes money, and stopping gives up its net run rate") + " (latest 3 months with figures)"
        if exit_cost:
            basis += (f"; less a one-off exit cost of {fmt.money(exit_cost, currency)}: "
                      f"{fmt.money(12 * saved - exit_cost, currency)} over the first year")
        return Stake(saved, basis, "net burn avoided" if saved >= 0 else "net given up", one_off=one_off)
    if fin.run_rate is None:
        return Stake(None, "no figures yet for a net run rate", "no figures")
    earns = "earns" if fin.run_rate >= 0 else "burns"
    return Stake(fin.run_rate, f"net run rate now (latest 3 months with figures): what keeping it going {earns} a month",
                 "net run rate")


def scale_stake(f: Facts, currency: str) -> Stake:
    fin, a, ini = f.financials, f.adoption, f.initiative
    benefit_now, net_now = fin.benefit_run_rate, fin.run_rate
    if benefit_now is None or net_now is None:
        return Stake(None, "no figures to project from", "no figures")
    users, target = a.users, a.target_users
    if not users or not target:
        return Stake(None, "no active users or no target users to project to", "no target to scale to")
    if users >= target:
        return Stake(0.0, f"already at its target of {target:,} users: scaling further needs a new target",
                     "at target already", benefit_change=0.0, cost_change=0.0)
    cost_now = benefit_now - net_now
    benefit_at_target = benefit_now / users * target
    case = ini.business_case
    if ini.adoption.run_cost_at_target is not None:
        cost_at_target, source = ini.adoption.run_cost_at_target, "the run cost at target declared in the file"
    elif case is not None and case.annual_run_cost is not None:
        cost_at_target = case.annual_run_cost / 12
        source = "the business case's run cost"
        if case.users and case.users != target:
            cost_at_target *= target / case.users
            source += f", at {case.users:,} users scaled per user to {target:,}"
    else:
        cost_at_target, source = cost_now / users * target, "the cost per active user now, extrapolated: no run cost at target is declared"
    added_benefit, added_cost = benefit_at_target - benefit_now, cost_at_target - cost_now
    basis = (f"incremental net a month from {users:,} to {target:,} users: benefit +{fmt.money(added_benefit, currency)} "
             f"(the benefit per active user now, extrapolated), less run cost "
             f"{'+' if added_cost >= 0 else '−'}{fmt.money(abs(added_cost), currency)} ({source})")
    vs_case = case_note = None
    if case is not None and case.annual_benefit > 0:
        projected = benefit_at_target * 12
        at = f" at {case.users:,} users" if case.users else ""
        vs_case = projected / case.annual_benefit - 1
        side = "above" if vs_case >= 0 else "below"
        case_note = (f"the business case plans {fmt.money(case.annual_benefit, currency)} a year{at}; the per-user "
                     f"projection gives {fmt.money(projected, currency)} a year at {target:,} users, "
                     f"{abs(vs_case) * 100:.0f}% {side} it")
    return Stake(added_benefit - added_cost, basis, f"added net at {target:,} users", benefit_change=added_benefit, cost_change=added_cost,
                 vs_case=vs_case, case_note=case_note)


def ask(f: Facts, verdict: str | None, money: Stake | None, currency: str = "USD") -> str | None:
    """What a scale or kill verdict asks the board to decide, in words: for an initiative already scaling, the
    expansion it asks for, not "scale" again."""
    a = f.adoption
    if verdict == "kill":
        exit_cost = f.initiative.exit_cost
        if money is None or money.monthly is None:
            return "approve stopping it"
        gain = (f"{fmt.money(money.monthly, currency)} a month of net burn avoided" if money.monthly >= 0
                else f"it gives up {fmt.money(-money.monthly, currency)} a month of net")
        return f"approve stopping it: {gain}" + (f", after a one-off exit cost of {fmt.money(exit_cost, currency)}"
                                                  if exit_cost else "")
    if verdict != "scale":
        return None
    users, target = a.users, a.target_users
    if not target:
        return "approve scaling it (no adoption target is set: set one to size the ask)"
    if users is not None and users >= target:
        return f"set a new adoption target: it has reached its {target:,} users"
    what = "scaling from pilot" if f.stage == "pilot" else "expansion"
    text = f"approve {what} from {users or 0:,} to {target:,} users"
    if money is not None and money.cost_change is not None and money.monthly is not None:
        text += (f"; added run cost {fmt.money(money.cost_change, currency)} a month, added net "
                 f"{fmt.money(money.monthly, currency)} a month")
    return text


def total_words(verdict: str, total: Any, money: Callable[[float | None], str]) -> str:
    """A verdict's total at stake in words (`total`: its `VerdictStake`), the gains and the losses apart: stopping
    an initiative that makes money is not "burn avoided", and is not netted into the burn the others avoid."""
    count, losing = total.initiatives, total.losing
    if verdict == "kill":
        them = "it" if losing == 1 else "them"
        lost = (f"{losing} of them {'makes' if losing == 1 else 'make'} money: stopping {them} gives up "
                f"{money(total.losses)} a month")
        if losing == count:
            return f"stopping {'it' if count == 1 else 'them'} gives up {money(total.losses)} a month: " \
                   f"{'it makes' if count == 1 else 'they make'} money"
        gained = f"{money(total.gains)} a month at stake: the net burn that stopping them avoids"
    elif verdict == "scale":
        lost = f"for {losing} of them the net would fall, by {money(total.losses)} a month"
        if losing == count:
            return f"the net would fall by {money(total.losses)} a month at target users"
        gained = f"{money(total.gains)} a month at stake: the net that reaching target users adds"
    else:
        return f"{money(total.monthly)} a month at stake: the net run rate now"
    return gained + (f"; {lost}" if losing else "")
