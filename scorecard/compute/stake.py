"""Money at stake: the monthly money each verdict moves, so that decisions can be ranked and added up.

- kill: the net run rate now when negative, the monthly burn that stopping saves (0 when it makes money:
  stopping then saves no burn, and the basis says what it gives up);
- scale: the monthly benefit at target users, from the benefit per active user now;
- fix, iterate and sustain: the net run rate now.
"""

from __future__ import annotations

from dataclasses import dataclass

from scorecard import fmt
from scorecard.compute.facts import Facts
from scorecard.model import VERDICTS


@dataclass(frozen=True)
class Stake:
    monthly: float | None
    """Money a month, in the portfolio's currency (None: no figures to base it on)."""
    basis: str
    """How it was computed, in words."""


def stake(f: Facts, verdict: str | None, currency: str = "USD") -> Stake | None:
    """The money `verdict` moves each month; None for no verdict (proposed, paused, closed)."""
    if verdict not in VERDICTS:
        return None
    fin, a = f.financials, f.adoption
    if verdict == "scale":
        per_month = fin.benefit_run_rate
        if per_month is not None and a.users and a.target_users:
            return Stake(per_month / a.users * a.target_users,
                         f"benefit per active user over the latest 3 months with figures, times {a.target_users:,} "
                         "target users")
        return Stake(per_month, "benefit run rate now (no users or target users to scale it by)")
    if verdict == "kill":
        if fin.run_rate is not None and fin.run_rate > 0:
            return Stake(0.0, f"no burn to save: its net run rate is {fmt.money(fin.run_rate, currency)} a month, "
                         "which stopping gives up")
        return Stake(fin.run_rate, "net run rate over the latest 3 months with figures: the monthly burn that "
                     "stopping saves")
    return Stake(fin.run_rate, "net run rate over the latest 3 months with figures")
