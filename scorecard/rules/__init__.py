"""The recommendation rules: one module each, listed here in precedence order.

Each module satisfies `base.Rule`: an `ID`, a `NAME` and a docstring that is its user
documentation (the methodology page is generated from it); a verdict rule has an
`evaluate(facts, policy)` that returns a `Finding` or None (`base.VerdictRule`), a
flag also reads the verdict history (`base.FlagRule`). mypy checks every module
against its protocol. No rule is found by name at run time.
"""

from __future__ import annotations

from scorecard import model
from scorecard.rules.base import FlagRule, Rule, VerdictRule
from scorecard.rules import (
    business_case_shortfall,
    decision_overdue,
    governance_gap,
    healthy,
    incomplete_costs,
    kpi_off_track,
    no_payback,
    pilot_purgatory,
    scale_ready,
    stale,
)

#: The verdict rules by precedence: when several fire, the first group decides.
#: Stale figures come first (nothing else can be judged without them); then the
#: reasons to stop; then what blocks (a governance gap, incomplete costs, a business case falling short);
#: then the reasons to grow; `iterate` is what remains.
PRECEDENCE: tuple[tuple[VerdictRule, ...], ...] = (
    (stale,),
    (kpi_off_track, no_payback, pilot_purgatory),
    (governance_gap, incomplete_costs, business_case_shortfall),
    (scale_ready,),
    (healthy,),
)
VERDICT_RULES: tuple[VerdictRule, ...] = tuple(m for group in PRECEDENCE for m in group)
#: The rules that judge cost and benefit alone: a build that holds no money (a public one) does not apply them.
MONEY_RULES: tuple[VerdictRule, ...] = (no_payback, incomplete_costs, business_case_shortfall)
FLAG_RULES: tuple[FlagRule, ...] = (decision_overdue,)
RULES: tuple[Rule, ...] = (*VERDICT_RULES, *FLAG_RULES)
"""Every rule module, verdict rules first in precedence order: each satisfies the `Rule` protocol (mypy checks it)."""
RULE_IDS: tuple[str, ...] = tuple(m.ID for m in RULES)
if RULE_IDS != model.RULE_IDS:  # the file vocabulary (model.RULE_IDS) and the registry are one list
    raise ImportError(f"scorecard.rules registers {RULE_IDS}, but scorecard.model.RULE_IDS is {model.RULE_IDS}")
RULE_NAMES: dict[str, str] = {m.ID: m.NAME for m in RULES} | {"iterate": "No rule decided",
                                                               "not_measured": "Not measured",
                                                               "under_review": "Under review"}
"""Each rule id (and `iterate`, the finding when no rule decides) with its name in plain words."""
