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
from builders import site_pages, to_csv, to_dict
from sites import Html
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
    li = make("a", stage="scaling")  # figures from 2026-01; payback in its first month, so the rules say scale from
    # 2026-02; a new scale verdict is shown once it has held the policy's 2 months, so from 2026-03 (issue 22 §6)
    r = to_dict(compute_scorecard([li], AS_OF, P))["initiatives"][0]
    assert [h["verdict"] for h in r["verdict_history"]] == [None] * 2 + ["iterate"] * 2 + ["scale"] * 8
    assert (r["verdict_since"], r["verdict_months"]) == ("2026-03", 8)
    assert r["overdue"]["numbers"] == {"since": "2026-03", "months": 8, "verdict": "scale"}
    # with hold_months 1 nothing is held: scale from 2026-02
    r = to_dict(compute_scorecard([li], AS_OF, Policy.model_validate({"hold_months": 1})))["initiatives"][0]
    assert [h["verdict"] for h in r["verdict_history"]] == [None] * 2 + ["iterate"] + ["scale"] * 9


def test_the_wait_for_a_scale_decision_and_its_portfolio_median():
    waiting = make("a", stage="scaling")  # told to scale from 2026-03 (held from 2026-02), nothing since: waits 8 months
    decided = make("b", stage="scaling", decisions=[{"month": "2026-06", "decision": "scale", "by": "council"}])
    moved = make("c", stage="pilot", since="2026-01", stage_history=[
        {"stage": "pilot", "since": "2026-01"}, {"stage": "production", "since": "2026-06"}])
    moved = LoadedInitiative("c", "c.yaml", moved.model.model_copy(update={"stage": "production"}))
    never = make("d", month_blocks=months("2026-01", 10, kpi=lambda i: 25.0 + i))  # KPI worse than baseline: never scale
    card = compute_scorecard([waiting, decided, moved, never], AS_OF, P)
    report = {i["id"]: i for i in to_dict(card)["initiatives"]}
    # waiting: the months the verdict has stood (2026-03 to 2026-10: 8), as the overdue reason counts them
    assert report["a"]["scale_wait"] == {"first_scale": "2026-03", "decided": None, "months": 8, "waiting": True,
                                         "lapsed": False}
    assert report["a"]["verdict_months"] == 8
    # a scale decision in 2026-06 ends the wait; without a milestone it stands the policy's 6 months (to 2026-11),
    # so the verdict still saying scale is no new wait (issue 22 §5)
    assert report["b"]["scale_wait"] == {"first_scale": "2026-03", "decided": "2026-06", "months": 3, "waiting": False,
                                         "lapsed": False}
    assert (report["b"]["decision_overdue"], report["b"]["waiting_since"]) == (False, None)
    assert report["b"]["decided"] == {"month": "2026-06", "until": "2026-11", "decision": "scale", "by": "council",
                                      "milestone_users": None, "milestone": False}
    # moved to production in 2026-06, and healthy there: the wait ended with that move
    assert report["c"]["verdict"] == "sustain"
    assert report["c"]["scale_wait"] == {"first_scale": "2026-03", "decided": "2026-06", "months": 3, "waiting": False,
                                         "lapsed": False}
    assert report["d"]["scale_wait"] is None
    assert card.portfolio["scale_wait"] == {"initiatives": 3, "decided": 2, "waiting": 1, "lapsed": 0,
                                            "median_months": 3.0, "longest_months": 8, "longest": "a"}


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
    # the move stands the policy's 6 follow-through months (2026-04 to 2026-09): the wait starts again in 2026-10
    assert (r["overdue"], r["waiting_since"], r["decide_by"]) == (None, "2026-10", "2026-11")
    brief = Policy.model_validate({"decisions": {"follow_through_months": 1}})  # a move stands its own month only
    r = to_dict(compute_scorecard([moved], AS_OF, brief))["initiatives"][0]
    assert r["overdue"]["message"] == ("decision overdue: the scorecard has said scale since 2026-05 (6 months), and "
                                       "nothing has acted on it since the stage change of 2026-04, which stood until "
                                       "2026-04")
    assert r["scale_wait"] == {"first_scale": "2026-05", "decided": None, "months": 6, "waiting": True, "lapsed": False}
    assert r["decide_by"] == "2026-06"  # 2026-05 plus the policy's 2 months, the last one inclusive
    old = make("o", stage="scaling", since="2025-01", month_blocks=months("2025-01", 22),
               governance={"risk_assessment": "2025-10-01"})
    r = to_dict(compute_scorecard([old], AS_OF, P))["initiatives"][0]
    assert r["verdict_stood_whole_history"] is True
    assert r["overdue"]["message"] == ("decision overdue: the scorecard has said scale since 2025-11 or earlier "
                                       "(12+ months) and no decision or stage change followed")


def test_money_at_stake_by_verdict_against_hand_computed_figures():
    # one sign (issue 22 §3): what following the verdict is worth a month against its alternative
    # scale: benefit 6,000 and cost 4,500 a month with 100 users now (10 * (9 + 1)) and 400 target users. At target:
    # benefit 6,000 / 100 * 400 = 24,000 (+18,000); with no run cost declared, cost 4,500 / 100 * 400 = 18,000
    # (+13,500): the increment is 18,000 - 13,500 = 4,500 a month, not the 24,000 total
    scale = make("scale", stage="scaling", adoption={"target_users": 400},
                 month_blocks=months("2026-01", 10, users=lambda i: 10 * (i + 1)),
                 decisions=[{"month": "2026-02", "decision": "scale", "by": "council"}])
    # kill: cost 4,500 and benefit 1,000 a month, flat KPI -> run rate -3,500: stopping avoids a burn of 3,500
    kill = make("kill", month_blocks=months("2026-01", 10, kpi=lambda i: 20.0,
                                            benefit=lambda i: {"labor_savings": 1000}))
    card = compute_scorecard([scale, kill], AS_OF, P)
    report = {i["id"]: i for i in to_dict(card)["initiatives"]}
    assert report["kill"]["verdict"] == "kill" and report["scale"]["verdict"] == "scale"
    s = report["scale"]["stake"]
    assert (s["monthly"], s["benefit_change"], s["cost_change"]) == (4500.0, 18000.0, 13500.0)
    assert s["label"] == "added net at 400 users"
    assert s["basis"] == ("incremental net a month from 100 to 400 users: benefit +USD 18.0k (the benefit per active "
                          "user now, extrapolated), less run cost +USD 13.5k (the cost per active user now, "
                          "extrapolated: no run cost at target is declared)")
    assert report["kill"]["stake"]["monthly"] == pytest.approx(4500 - 1000)
    assert card.portfolio["stake_by_verdict"] == {
        "scale": {"initiatives": 1, "monthly": 4500.0, "gains": 4500.0, "losses": 0.0, "losing": 0},
        "kill": {"initiatives": 1, "monthly": 3500.0, "gains": 3500.0, "losses": 0.0, "losing": 0}}
    # a kill that makes money (run rate +1,500) is negative at stake: stopping gives up its net
    profitable = make("kill-2", month_blocks=months("2026-01", 10, kpi=lambda i: 20.0))
    card = compute_scorecard([kill, profitable], AS_OF, P)
    item = to_dict(card)["initiatives"][1]
    assert item["verdict"] == "kill" and (item["stake"]["monthly"], item["stake"]["label"]) == (-1500.0, "net given up")
    total = card.portfolio["stake_by_verdict"]["kill"]
    assert total == {"initiatives": 2, "monthly": 3500.0 - 1500.0, "gains": 3500.0, "losses": 1500.0, "losing": 1}
    # ... and the total says so: the profitable one is not netted into the burn the other avoids
    from scorecard import fmt
    from scorecard.compute.stake import total_words
    from scorecard.report.model import VerdictStake

    words = total_words("kill", VerdictStake.model_validate(total), fmt.money)
    assert words == ("USD 3.50k a month at stake: the net burn that stopping them avoids; 1 of them makes money: "
                     "stopping it gives up USD 1.50k a month")
    pages = site_pages(card)
    assert words in Html(pages["index.md"]).visible and words in Html(pages["decisions.md"]).visible
    only = compute_scorecard([profitable], AS_OF, P).portfolio["stake_by_verdict"]["kill"]
    assert total_words("kill", VerdictStake.model_validate(only), fmt.money) == ("stopping it gives up USD 1.50k a "
                                                                                 "month: it makes money")
    rows = to_csv(card).lstrip("\ufeff").splitlines()
    header = rows[0].split(",")
    kill_row = next(r for r in rows if r.startswith('"kill"')).split(",")
    assert kill_row[header.index('"stake"')] == "3500"  # the same sign as on the cards


def test_scale_money_takes_the_declared_run_cost_and_is_reconciled_with_the_business_case():
    def scale(**extra):
        ini = make("scale", stage="scaling", adoption={"target_users": 400, **extra.pop("adoption", {})},
                   month_blocks=months("2026-01", 10, users=lambda i: 10 * (i + 1)),
                   decisions=[{"month": "2026-02", "decision": "scale", "by": "council"}], **extra)
        return to_dict(compute_scorecard([ini], AS_OF, P))["initiatives"][0]["stake"]
    # declared: 8,000 a month at target, so the run cost adds 8,000 - 4,500 = 3,500: 18,000 - 3,500 = 14,500
    assert scale(adoption={"run_cost_at_target": 8000})["monthly"] == 14500.0
    # the business case's run cost: 120,000 a year at its 400 users = 10,000 a month, adding 5,500: 12,500
    # (the case's 96,000 a year is realised at 6,000 * 12 / 96,000 = 75%, so the verdict stays scale)
    case = {"approved": "2026-01", "by": "council", "annual_benefit": 96000, "users": 400, "annual_run_cost": 120000}
    s = scale(business_case=case)
    assert (s["monthly"], s["cost_change"]) == (12500.0, 5500.0)
    # reconciled: the projection is 24,000 * 12 = 288,000 a year against the case's 96,000: 200% above
    assert s["vs_case"] == pytest.approx(288000 / 96000 - 1)
    assert s["case_note"] == ("the business case plans USD 96.0k a year at 400 users; the per-user projection gives "
                              "USD 288k a year at 400 users, 200% above it")
    # a case at 200 users: its run cost is scaled per user to the 400 target (20,000 a month), and it says so
    s = scale(business_case={**case, "users": 200})
    assert s["cost_change"] == 20000.0 - 4500.0 and "at 200 users scaled per user to 400" in s["basis"]


def test_kill_money_is_the_burn_avoided_with_the_exit_cost_beside_it():
    kill = make("kill", month_blocks=months("2026-01", 10, kpi=lambda i: 20.0,
                                            benefit=lambda i: {"labor_savings": 1000}), exit_cost=10000)
    s = to_dict(compute_scorecard([kill], AS_OF, P))["initiatives"][0]["stake"]
    # 3,500 a month avoided; the exit cost once: 12 * 3,500 - 10,000 = 32,000 over the first year
    assert (s["monthly"], s["one_off"]) == (3500.0, -10000.0)
    assert s["basis"] == ("the net burn a month that stopping avoids (latest 3 months with figures); less a one-off "
                          "exit cost of USD 10.0k: USD 32.0k over the first year")
    # ... and wherever the kill is listed: its card, the digest, the CSV
    card = compute_scorecard([kill], AS_OF, P)
    line = "USD 3.50k a month, net burn avoided, after a one-off exit cost of USD 10.0k"
    assert line in Html(site_pages(card)["index.md"]).visible
    from scorecard.outputs.digest import digest_markdown
    from scorecard.report.build import build_report

    assert line in digest_markdown(build_report(card), None)
    rows = [r.split(",") for r in to_csv(card).lstrip("\ufeff").splitlines()]
    row = dict(zip(rows[0], rows[1]))
    assert (row['"exit_cost"'], row['"waiting_since"'], row['"decide_by"']) == ("10000", '"2026-07"', '"2026-08"')
