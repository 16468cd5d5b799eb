"""The recommendation rules: one module each, listed here in precedence order.

Each module has an `ID`, a docstring that is its user documentation (the
methodology page is generated from it), and an `evaluate(facts, policy)` that
returns a `Finding` or None. No rule is found by name at run time.
"""

from __future__ import annotations

from types import ModuleType

from scorecard import model
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
PRECEDENCE: tuple[tuple[ModuleType, ...], ...] = (
    (stale,),
    (kpi_off_track, no_payback, pilot_purgatory),
    (governance_gap, incomplete_costs, business_case_shortfall),
    (scale_ready,),
    (healthy,),
)
VERDICT_RULES: tuple[ModuleType, ...] = tuple(m for group in PRECEDENCE for m in group)
#: The rules that judge cost and benefit alone: a build that holds no money (a public one) does not apply them.
MONEY_RULES: tuple[ModuleType, ...] = (no_payback, incomplete_costs, business_case_shortfall)
FLAG_RULES: tuple[ModuleType, ...] = (decision_overdue,)
RULE_IDS: tuple[str, ...] = tuple(m.ID for m in VERDICT_RULES + FLAG_RULES)
if RULE_IDS != model.RULE_IDS:  # the file vocabulary (model.RULE_IDS) and the registry are one list
    raise ImportError(f"scorecard.rules registers {RULE_IDS}, but scorecard.model.RULE_IDS is {model.RULE_IDS}")
RULE_NAMES: dict[str, str] = {m.ID: m.NAME for m in VERDICT_RULES + FLAG_RULES} | {"iterate": "No rule decided"}
"""Each rule id (and `iterate`, the finding when no rule decides) with its name in plain words."""
