"""Verdicts that don't flicker (issue 22 §6): a new scale or kill verdict is shown once it has held `hold_months`
(default 2) in a row; until then the verdict shown before stands, under review."""

from __future__ import annotations

from builders import make, to_dict
from scorecard.months import parse_month
from scorecard.policy import Policy
from scorecard.rules.recommend import held
from scorecard.rules.scorecard import compute_scorecard


def shown(verdicts: list[str | None], hold: int = 2) -> list[str | None]:
    return [v for _, v in held(list(enumerate(verdicts, 1)), hold)]


def test_the_best_initiative_is_never_a_kill_the_month_before_it_is_a_scale():
    # the contract review of the issue: fix, fix, fix, kill, scale, scale, ...
    assert shown(["fix", "fix", "fix", "kill", "scale", "scale", "scale"]) == \
        ["fix", "fix", "fix", "fix", "fix", "scale", "scale"]
    # flipping every month, neither is ever shown
    assert shown(["fix", "kill", "scale", "kill", "scale"]) == ["fix"] * 5
    # a kill that holds is shown in its second month; three months' hold waits for the third
    assert shown(["iterate", "kill", "kill", "kill"]) == ["iterate", "iterate", "kill", "kill"]
    assert shown(["iterate", "kill", "kill", "kill"], hold=3) == ["iterate", "iterate", "iterate", "kill"]
    # other verdicts are not held, nor is a first judgement (nothing was shown before) or hold 1
    assert shown(["scale", "fix", "sustain"]) == ["scale", "fix", "sustain"]
    assert shown([None, "kill", "kill"]) == [None, "kill", "kill"]
    assert shown(["fix", "kill", "scale"], hold=1) == ["fix", "kill", "scale"]


def test_a_new_scale_verdict_is_under_review_and_says_when_it_is_shown():
    li = make("a", stage="scaling")  # the rules say iterate in 2026-01 and scale from 2026-02 (see test_history)
    r = to_dict(compute_scorecard([li], parse_month("2026-02"), Policy()))["initiatives"][0]
    assert r["verdict"] == "iterate" and r["decision_overdue"] is False
    assert r["reasons"][0]["message"] == ("under review: the rules say scale this month (1 of the 2 months a new scale "
                                          "verdict must hold); iterate stands until then")
    assert r["change"] == "scale is shown if the rules still say so in 2026-03"
    r = to_dict(compute_scorecard([li], parse_month("2026-03"), Policy()))["initiatives"][0]
    assert r["verdict"] == "scale" and r["reasons"][0]["rule"] != "under_review"
