"""What changed since last month: two typed reports compared.

The previous month may be computed here or read from the `scorecard.json` that
an earlier published version of the site holds (`report.read`).
"""

from __future__ import annotations

from typing import Any

from scorecard.model import ACTIVE_STAGES
from scorecard.report.model import InitiativeReport, Report


def _kpi_statuses(item: InitiativeReport) -> dict[str, tuple[str, str]]:
    return {k.id: (k.name, k.status) for k in item.kpis}


def compare(previous: Report | None, current: Report) -> dict[str, Any]:
    """New and removed initiatives, stage, verdict, score and KPI status changes, missing updates."""
    cur = current.by_id()
    prev = previous.by_id() if previous else {}
    out: dict[str, Any] = {
        "compared_with": previous.as_of if previous else None,
        "new": [], "removed": [], "stages": [], "verdicts": [], "reviews": [], "kpis": [], "missing_updates": [],
    }
    if previous is not None:
        out["new"] = [cur[i] for i in sorted(cur.keys() - prev.keys())]
        out["removed"] = [prev[i] for i in sorted(prev.keys() - cur.keys())]
    for ident in sorted(cur.keys() & prev.keys()):
        after, before = cur[ident], prev[ident]
        if after.stage != before.stage:
            out["stages"].append({"item": after, "before": before.stage, "after": after.stage})
        if after.verdict != before.verdict:
            out["verdicts"].append({"item": after, "before": before.verdict, "after": after.verdict,
                                    "score_before": before.score, "score_after": after.score})
        if after.under_review and after.under_review != before.under_review:
            # the rules now give a new scale or kill that has not held yet: the shown verdict stands, under review
            out["reviews"].append({"item": after, "ruled": after.under_review, "stands": after.verdict})
        old = _kpi_statuses(before)
        for kpi_id, (name, status) in _kpi_statuses(after).items():
            if kpi_id in old and old[kpi_id][1] != status:
                out["kpis"].append({"item": after, "kpi": kpi_id, "name": name,
                                    "before": old[kpi_id][1], "after": status})
    out["missing_updates"] = [i for i in current.initiatives
                              if i.stage in ACTIVE_STAGES and (i.months_since_update is None or i.months_since_update >= 1)]
    return out
