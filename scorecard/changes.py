"""What changed since last month: two scorecards (as report dicts) compared.

Works on the JSON form of the scorecard (`report.to_dict`), so the previous
month may be computed here or read from the `scorecard.json` that an earlier
published version of the site holds.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from scorecard.model import ACTIVE_STAGES, MonthText


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Kpi(_Loose):
    id: str
    name: str
    status: str


class _Item(_Loose):
    id: str
    name: str
    stage: str
    verdict: str | None
    score: float | None
    months_since_update: int | None = None
    kpis: list[_Kpi]


class _Portfolio(_Loose):
    active: int
    active_users: int
    cumulative_cost: float
    cumulative_benefit: float
    net: float
    roi: float | None
    by_verdict: dict[str, int]


class _Previous(_Loose):
    as_of: MonthText
    portfolio: _Portfolio
    initiatives: list[_Item]


def previous_problem(doc: Any) -> str | None:
    """What keeps `doc` from being compared with (a scorecard.json from an earlier build), or None."""
    try:
        _Previous.model_validate(doc, strict=True)  # what is checked is what is used: no "5" taken for 5
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(s) for s in first["loc"]) or "the document"
        return f"{where}: {first['msg'].lower()}"
    return None


def _kpi_statuses(item: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {k["id"]: (k["name"], k["status"]) for k in item["kpis"]}


def compare(previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    """New and removed initiatives, stage, verdict, score and KPI status changes, missing updates."""
    cur = {i["id"]: i for i in current["initiatives"]}
    prev = {i["id"]: i for i in previous["initiatives"]} if previous else {}
    out: dict[str, Any] = {
        "compared_with": previous["as_of"] if previous else None,
        "new": [], "removed": [], "stages": [], "verdicts": [], "kpis": [], "missing_updates": [],
    }
    if previous is not None:
        out["new"] = [cur[i] for i in sorted(cur.keys() - prev.keys())]
        out["removed"] = [prev[i] for i in sorted(prev.keys() - cur.keys())]
    for ident in sorted(cur.keys() & prev.keys()):
        after, before = cur[ident], prev[ident]
        if after["stage"] != before["stage"]:
            out["stages"].append({"item": after, "before": before["stage"], "after": after["stage"]})
        if after["verdict"] != before["verdict"]:
            out["verdicts"].append({"item": after, "before": before["verdict"], "after": after["verdict"],
                                    "score_before": before["score"], "score_after": after["score"]})
        old = _kpi_statuses(before)
        for kpi_id, (name, status) in _kpi_statuses(after).items():
            if kpi_id in old and old[kpi_id][1] != status:
                out["kpis"].append({"item": after, "kpi": kpi_id, "name": name,
                                    "before": old[kpi_id][1], "after": status})
    out["missing_updates"] = [i for i in current["initiatives"]
                              if i["stage"] in ACTIVE_STAGES and (i["months_since_update"] is None or i["months_since_update"] >= 1)]
    return out
