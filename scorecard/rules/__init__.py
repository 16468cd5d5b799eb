"""The recommendation rules, one module each, in an explicit registry."""

RULE_IDS = (
    "stale",
    "governance_gap",
    "pilot_purgatory",
    "kpi_off_track",
    "no_payback",
    "scale_ready",
    "healthy",
    "decision_overdue",
)
