"""Portfolio roll-up: totals, business units, the stage funnel, lists, and duplicated effort."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd

from scorecard.model import ACTIVE_STAGES, FUNNEL_STAGES, STAGES, VERDICTS
from scorecard.months import format_month
from scorecard.load.units import spellings, unit_key

_WORD = re.compile(r"[a-z][a-z0-9]+")
STOPWORDS = frozenset(
    "the and for from with that this into its their them they are was were has have had not but can "
    "when what which who whom than then also only every each all any per via our your ai".split()
)
TOP = 5


def tokens(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2)


def similar_pairs(items: Sequence[tuple[str, str, str]], threshold: float) -> list[dict[str, Any]]:
    """Pairs in different business units whose words are alike (Jaccard >= threshold).

    `items` are (id, business unit, text); units are compared by `unit_key`. An
    inverted index keeps this near linear: only pairs that share a word are
    ever compared.
    """
    sets = [tokens(text) for _, _, text in items]
    units = [unit_key(unit) for _, unit, _ in items]
    index: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(sets):
        for w in words:
            index[w].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for postings in index.values():
        if len(postings) > max(50, len(items) // 4):
            continue  # a word most initiatives use says nothing about duplication
        for a_pos, a in enumerate(postings):
            for b in postings[a_pos + 1:]:
                shared[(a, b)] += 1
    pairs = []
    for (a, b), common in shared.items():
        if units[a] == units[b]:
            continue
        similarity = common / len(sets[a] | sets[b])
        if similarity >= threshold:
            pairs.append({"a": items[a][0], "b": items[b][0], "similarity": round(similarity, 3)})
    return sorted(pairs, key=lambda p: (-p["similarity"], p["a"], p["b"]))


def cumulative(monthly: dict[int, list[float]]) -> list[dict[str, Any]]:
    """The one cumulative series: each month's cost and benefit, and their running totals, oldest first."""
    series = []
    cum_c = cum_b = 0.0
    for month in sorted(monthly):
        c, b = monthly[month]
        cum_c += c
        cum_b += b
        series.append({"month": format_month(month), "cost": round(c, 2), "benefit": round(b, 2),
                       "cumulative_cost": round(cum_c, 2), "cumulative_benefit": round(cum_b, 2)})
    return series


def rollup(rows: list[dict[str, Any]], monthly: dict[int, list[float]], history: list[dict[str, Any]],
           duplicates: list[dict[str, Any]]) -> dict[str, Any]:
    """The portfolio object of the report. `rows` hold one flat record per initiative.

    Business units are grouped by `unit_key` and keyed by their one spelling
    (`units.spellings`), so `Sales` and `sales ` are one row.
    """
    df = pd.DataFrame(rows, columns=["id", "name", "business_unit", "stage", "verdict", "score", "users",
                                     "cumulative_cost", "cumulative_benefit", "net", "overdue", "stake",
                                     "scale_wait", "scale_state", "planned_benefit", "realised_benefit"])
    df["business_unit"] = df["business_unit"].map(spellings(df["business_unit"]))
    active = df[df["stage"].isin(ACTIVE_STAGES)]

    def totals(frame: pd.DataFrame) -> dict[str, Any]:
        c, b = float(frame["cumulative_cost"].sum()), float(frame["cumulative_benefit"].sum())
        act = frame[frame["stage"].isin(ACTIVE_STAGES)]
        return {
            "initiatives": int(len(frame)), "active": int(len(act)),
            "users": int(act["users"].fillna(0).sum()),
            "cumulative_cost": round(c, 2), "cumulative_benefit": round(b, 2), "net": round(b - c, 2),
            "roi": round(b / c - 1, 4) if c > 0 else None,
            "by_stage": {s: int(n) for s, n in frame["stage"].value_counts().items()},
            "by_verdict": {str(v): int(n) for v, n in frame["verdict"].dropna().value_counts().items()},
            "business_case": plan_against_actual(act),
        }

    by_unit = {unit: totals(frame) for unit, frame in sorted(df.groupby("business_unit"), key=lambda x: x[0])}
    cohorts = funnel_cohorts([h["stages"] for h in history])
    ranked = df[df["stage"].isin(ACTIVE_STAGES)].sort_values(["net", "id"], ascending=[False, True])

    def ids(verdict: str) -> list[str]:
        return sorted(df.loc[df["verdict"] == verdict, "id"])

    series = cumulative(monthly)
    out = totals(df)
    out.update({
        "active_users": int(active["users"].fillna(0).sum()),
        "funnel": {s: int((df["stage"] == s).sum()) for s in FUNNEL_STAGES},
        **cohorts,
        "by_business_unit": by_unit,
        "top_by_net": list(ranked["id"].head(TOP)),
        "scale_list": ids("scale"), "kill_list": ids("kill"), "fix_list": ids("fix"),
        "overdue": sorted(df.loc[df["overdue"], "id"]),
        "duplicates": duplicates,
        "monthly": series,
        "stake_by_verdict": stake_by_verdict(df),
        "scale_wait": scale_waits(df),
    })
    return out


def funnel_cohorts(histories: list[list[str]]) -> dict[str, Any]:
    """The funnel by cohort, from the stages each initiative recorded (oldest first, up to the as-of month).

    An initiative enters the funnel at its first recorded stage (one whose history starts at pilot *entered at
    pilot*: it is not a proposal that went missing) and reaches every funnel stage from there up to the furthest
    it recorded (one that went from proposed straight to production passed the gates between). A conversion from
    one stage to a later one counts, among those that reached the first on the way up, those that reached the
    second: its numerator is a subset of its denominator, so no conversion exceeds 100%. One that moved back (from
    production to pilot) has reached every stage between, counted apart as *moved back*. A stage the import
    assumed (the register gave none) is no stage reached once a real one follows it. Paused, killed and retired are not
    funnel stages; an initiative that recorded only those entered outside the funnel."""
    order = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    spans = []  # (first, lowest, highest) funnel step of each initiative
    entered = {s: 0 for s in STAGES}
    for stages in histories:
        if stages:
            entered[stages[0]] += 1
        steps = [order[s] for s in stages if s in order]
        if steps:
            spans.append((steps[0], min(steps), max(steps)))
    # reached: every stage from the lowest it was at to the highest (one that went back to pilot from production
    # has been at pilot: "reached" is never below "there now")
    reached = {s: sum(1 for _, lo, hi in spans if lo <= order[s] <= hi) for s in FUNNEL_STAGES}
    moved_back = {s: sum(1 for first, lo, _ in spans if lo <= order[s] < first) for s in FUNNEL_STAGES}
    closed = {s: sum(1 for stages in histories if s in stages) for s in STAGES if s not in order}
    conversions = []
    pairs = list(zip(FUNNEL_STAGES, FUNNEL_STAGES[1:])) + [("pilot", "production")]
    for start, end in pairs:
        # a conversion counts only the way up: one that reached `start` by moving back from above is not its cohort
        base = [(first, hi) for first, _, hi in spans if first <= order[start] <= hi]
        moved = sum(1 for _, hi in base if hi >= order[end])
        conversions.append({"start": start, "end": end, "reached": len(base), "moved_on": moved,
                            "rate": round(moved / len(base), 4) if base else None})
    return {"ever_reached": {**reached, **closed}, "entered_at": entered, "moved_back": moved_back,
            "conversions": conversions,
            "pilot_to_production": conversions[-1]["rate"]}


def plan_against_actual(active: pd.DataFrame) -> dict[str, Any]:
    """Active initiatives with an approved business case: the annual benefit planned against the benefit run rate."""
    cased = active[active["planned_benefit"].notna()]
    planned = float(cased["planned_benefit"].sum())
    realised = float(cased["realised_benefit"].sum())
    return {"initiatives": int(len(cased)), "planned_annual_benefit": round(planned, 2),
            "realised_annual_benefit": round(realised, 2),
            "realisation": round(realised / planned, 4) if planned >= 1 and math.isfinite(realised / planned) else None}


def stake_by_verdict(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """For each verdict: how many initiatives, and the money at stake a month summed over them; and apart, the sum
    of the positive stakes and of the negative ones (as a positive amount), so that a total never nets a kill that
    makes money into the burn the others avoid."""
    out = {}
    for verdict in VERDICTS:
        rows = df[df["verdict"] == verdict]
        if len(rows):
            stakes = rows["stake"].fillna(0)
            out[verdict] = {"initiatives": int(len(rows)), "monthly": round(float(stakes.sum()), 2),
                            "gains": round(float(stakes[stakes > 0].sum()), 2),
                            "losses": round(float(-stakes[stakes < 0].sum()), 2), "losing": int((stakes < 0).sum())}
    return out


def scale_waits(df: pd.DataFrame) -> dict[str, Any]:
    """The pilot paradox as a number: months from the first scale verdict to a decision acting on it.

    Waits still open count with the months so far (a lower bound), so the median never hides them; a wait
    that lapsed (the verdict changed before any decision) counts with the months the verdict stood."""
    told = df[df["scale_wait"].notna()].sort_values(["scale_wait", "id"], ascending=[False, True])
    waits = [int(w) for w in told["scale_wait"]]
    states = list(told["scale_state"])
    return {
        "initiatives": len(waits), "decided": states.count("decided"), "waiting": states.count("waiting"),
        "lapsed": states.count("lapsed"),
        "median_months": float(pd.Series(waits).median()) if waits else None,
        "longest_months": waits[0] if waits else None,
        "longest": str(told["id"].iloc[0]) if waits else None,
    }
