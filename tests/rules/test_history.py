"""Verdict history, how long a verdict has stood, the wait for a scale decision, and money at stake (issue 11 §6, §7).

The reference for the history is the definition itself: the verdict computed as of each month from a copy of
the file with every later month removed, one whole scorecard per month. The engine reads each file once and
slices; these tests hold it to the slow, obvious way.
"""

from __future__ import annotations

import pytest

from builders import make, months
from conftest import PORTFOLIO
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import format_month, parse_month
from scorecard.policy import Policy
from builders import to_csv, to_dict
from scorecard.model import LoadedInitiative
from scorecard.validate.run import validate_paths

P = Policy()
M = parse_month
AS_OF = M("2026-10")


def truncated(li: LoadedInitiative, month: int) -> LoadedInitiative:
    """The initiative as its file stood at the end of `month`: later month blocks removed."""
    kept = {k: v for k, v in li.model.months.items() if M(k) <= month}
    return LoadedInitiative(li.id, li.path, li.model.model_copy(update={"months": kept}))


def reference_history(li: LoadedInitiative, as_of: int) -> list[tuple[str, str | None]]:
    return [(format_month(m), compute_scorecard([truncated(li, m)], m, P).results[0].rec.verdict)
            for m in range(as_of - 11, as_of + 1)]


def test_the_history_of_every_test_initiative_matches_a_scorecard_computed_each_month():
    result = validate_paths([PORTFOLIO], today=M("2026-11"), base=PORTFOLIO)
    card = compute_scorecard(result.initiatives, AS_OF, P)
    report = {i["id"]: i for i in to_dict(card)["initiatives"]}
    changed = 0
    for li in result.initiatives:
        expected = reference_history(li, AS_OF)
        assert [(h["month"], h["verdict"]) for h in report[li.id]["verdict_history"]] == expected, li.id
        changed += len({v for _, v in expected}) > 1
    assert changed >= 5  # the fixture's verdicts do move: this compares histories, not twelve copies of one verdict


def test_how_long_a_verdict_has_stood_and_the_overdue_flag_read_the_history():
    li = make("a", stage="scaling")  # figures from 2026-01; payback in its first month, so scale from 2026-02
    r = to_dict(compute_scorecard([li], AS_OF, P))["initiatives"][0]
    assert [h["verdict"] for h in r["verdict_history"]] == [None] * 2 + ["iterate"] + ["scale"] * 9
    assert (r["verdict_since"], r["verdict_months"]) == ("2026-02", 9)
    assert r["overdue"]["numbers"] == {"since": "2026-02", "months": 9, "verdict": "scale"}


def test_the_wait_for_a_scale_decision_and_its_portfolio_median():
    waiting = make("a", stage="scaling")  # told to scale from 2026-02, nothing since: waits 9 months
    decided = make("b", stage="scaling", decisions=[{"month": "2026-06", "decision": "scale", "by": "council"}])
    moved = make("c", stage="pilot", since="2026-01", stage_history=[
        {"stage": "pilot", "since": "2026-01"}, {"stage": "production", "since": "2026-06"}])
    moved = LoadedInitiative("c", "c.yaml", moved.model.model_copy(update={"stage": "production"}))
    never = make("d", month_blocks=months("2026-01", 10, kpi=lambda i: 25.0 + i))  # KPI worse than baseline: never scale
    card = compute_scorecard([waiting, decided, moved, never], AS_OF, P)
    report = {i["id"]: i for i in to_dict(card)["initiatives"]}
    # waiting: the months the verdict has stood (2026-02 to 2026-10: 9), as the overdue reason counts them
    assert report["a"]["scale_wait"] == {"first_scale": "2026-02", "decided": None, "months": 9, "waiting": True,
                                         "lapsed": False}
    assert report["a"]["verdict_months"] == 9
    # a scale decision in 2026-06 while the verdict still says scale: the next step's wait starts in 2026-07
    assert report["b"]["scale_wait"] == {"first_scale": "2026-07", "decided": None, "months": 4, "waiting": True,
                                         "lapsed": False}
    # moved to production in 2026-06, and healthy there: the wait ended with that move
    assert report["c"]["verdict"] == "sustain"
    assert report["c"]["scale_wait"] == {"first_scale": "2026-02", "decided": "2026-06", "months": 4, "waiting": False,
                                         "lapsed": False}
    assert report["d"]["scale_wait"] is None
    assert card.portfolio["scale_wait"] == {"initiatives": 3, "decided": 1, "waiting": 2, "lapsed": 0,
                                            "median_months": 4.0, "longest_months": 9, "longest": "a"}


def test_a_scale_verdict_that_changed_before_any_decision_lapses_instead_of_waiting_forever():
    # good figures to 2026-05, then the KPI slides back: scale for a while, then no longer
    li = make("e", stage="scaling", month_blocks=months("2026-01", 10, kpi=lambda i: 20 - i if i < 5 else 15 + 2 * (i - 4)))
    r = to_dict(compute_scorecard([li], AS_OF, P))["initiatives"][0]
    history = [h["verdict"] for h in r["verdict_history"]]
    first = history.index("scale")
    end = first + history[first:].index(next(v for v in history[first:] if v != "scale"))
    assert r["verdict"] != "scale"
    assert r["scale_wait"] == {"first_scale": r["verdict_history"][first]["month"], "decided": None,
                               "months": end - first, "waiting": False, "lapsed": True}


def test_the_overdue_count_restarts_after_a_decision_and_says_when_the_verdict_is_older_than_the_history():
    # told to scale from 2026-02; moved to scaling in 2026-04: the clock restarts in 2026-05
    moved = make("m", stage="scaling", since="2026-01", stage_history=[
        {"stage": "pilot", "since": "2026-01"}, {"stage": "scaling", "since": "2026-04"}])
    moved = LoadedInitiative("m", "m.yaml", moved.model.model_copy(update={"stage": "scaling"}))
    r = to_dict(compute_scorecard([moved], AS_OF, P))["initiatives"][0]
    assert r["overdue"]["message"] == ("decision overdue: the scorecard has said scale since 2026-05 (6 months), and "
                                       "no decision or stage change has acted on it since the one in 2026-04")
    assert r["scale_wait"] == {"first_scale": "2026-05", "decided": None, "months": 6, "waiting": True, "lapsed": False}
    assert r["decide_by"] == "2026-06"  # 2026-05 plus the policy's 2 months, the last one inclusive
    old = make("o", stage="scaling", since="2025-01", month_blocks=months("2025-01", 22),
               governance={"risk_assessment": "2025-10-01"})
    r = to_dict(compute_scorecard([old], AS_OF, P))["initiatives"][0]
    assert r["verdict_stood_whole_history"] is True
    assert r["overdue"]["message"] == ("decision overdue: the scorecard has said scale since 2025-11 or earlier "
                                       "(12+ months) and no decision or stage change followed")


def test_money_at_stake_by_verdict_against_hand_computed_figures():
    # scale: benefit 6,000 a month with 100 users now (10 * (9 + 1)) and 400 target users -> 24,000 a month
    scale = make("scale", stage="scaling", adoption={"target_users": 400},
                 month_blocks=months("2026-01", 10, users=lambda i: 10 * (i + 1)),
                 decisions=[{"month": "2026-02", "decision": "scale", "by": "council"}])
    # kill: cost 4,500 and benefit 1,000 a month, flat KPI -> run rate -3,500 (what stopping saves)
    kill = make("kill", month_blocks=months("2026-01", 10, kpi=lambda i: 20.0,
                                            benefit=lambda i: {"labor_savings": 1000}))
    card = compute_scorecard([scale, kill], AS_OF, P)
    report = {i["id"]: i for i in to_dict(card)["initiatives"]}
    assert report["kill"]["verdict"] == "kill" and report["scale"]["verdict"] == "scale"
    assert report["scale"]["stake"]["monthly"] == pytest.approx(6000 / 100 * 400)
    assert report["kill"]["stake"]["monthly"] == pytest.approx(1000 - 4500)
    assert card.portfolio["stake_by_verdict"] == {"scale": {"initiatives": 1, "monthly": 24000.0},
                                                  "kill": {"initiatives": 1, "monthly": -3500.0}}
    # a kill that makes money saves no burn: it adds 0, not its profit, to the kill total
    profitable = make("kill-2", month_blocks=months("2026-01", 10, kpi=lambda i: 20.0))
    card = compute_scorecard([kill, profitable], AS_OF, P)
    item = to_dict(card)["initiatives"][1]
    assert item["verdict"] == "kill" and item["stake"] == {
        "monthly": 0.0, "basis": "no burn to save: its net run rate is USD 1.50k a month, which stopping gives up"}
    assert card.portfolio["stake_by_verdict"]["kill"] == {"initiatives": 2, "monthly": -3500.0}
    rows = to_csv(card).lstrip("\ufeff").splitlines()
    header = rows[0].split(",")
    kill_row = next(r for r in rows if r.startswith('"kill"')).split(",")
    assert kill_row[header.index('"stake"')] == "-3500"
