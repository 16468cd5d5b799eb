"""The stage funnel by cohort (issue 22 §7): no conversion exceeds 100%, and an initiative whose early stages were
never recorded entered at the stage it was first recorded at. Expected figures are counted in the test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builders import make, to_dict
from scorecard.policy import Policy
from scorecard.rules.scorecard import compute_scorecard

AS_OF = 2026 * 12 + 9  # 2026-10
ORDER = ["proposed", "pilot", "scaling", "production"]


def initiative(ident: str, stages: list[str]):
    history = [{"stage": s, "since": f"2025-{i + 1:02d}"} for i, s in enumerate(stages)]
    extra = {"decisions": [{"month": "2025-12", "decision": "kill", "by": "council"}]} if stages[-1] == "killed" else {}
    return make(ident, stage=stages[-1], since="2025-01", stage_history=history, month_blocks={}, **extra)


def portfolio(histories: list[list[str]]) -> dict:
    card = compute_scorecard([initiative(f"i-{n:03d}", h) for n, h in enumerate(histories)], AS_OF, Policy())
    return to_dict(card)["portfolio"]


def test_an_import_that_lists_production_is_not_209_percent_of_its_pilots():
    # a: proposed -> pilot -> production; b: entered at pilot, then killed; c: listed at production only
    p = portfolio([["proposed", "pilot", "production"], ["pilot", "killed"], ["production"]])
    assert p["entered_at"] == {"proposed": 1, "pilot": 1, "scaling": 0, "production": 1, "paused": 0, "killed": 0,
                               "retired": 0}
    # a reached proposed..production (scaling passed on the way), b reached pilot, c reached production
    assert {s: p["ever_reached"][s] for s in ORDER} == {"proposed": 1, "pilot": 2, "scaling": 1, "production": 2}
    assert p["ever_reached"]["killed"] == 1
    steps = {(c["start"], c["end"]): (c["reached"], c["moved_on"], c["rate"]) for c in p["conversions"]}
    assert steps == {("proposed", "pilot"): (1, 1, 1.0), ("pilot", "scaling"): (2, 1, 0.5),
                     ("scaling", "production"): (1, 1, 1.0), ("pilot", "production"): (2, 1, 0.5)}
    assert p["pilot_to_production"] == 0.5


HISTORY = st.lists(st.sampled_from(ORDER + ["paused", "killed"]), min_size=1, max_size=5).map(
    lambda h: [s for i, s in enumerate(h) if i == 0 or s != h[i - 1]])


@settings(max_examples=40, deadline=None)
@given(st.lists(HISTORY, min_size=1, max_size=8))
def test_every_conversion_is_a_share_of_those_that_reached_its_first_stage(histories):
    p = portfolio(histories)
    for c in p["conversions"]:
        a, b = ORDER.index(c["start"]), ORDER.index(c["end"])
        # counted here: who first recorded a funnel stage at or before a, and one at or after a (so they passed a
        # on the way up)
        reached = [h for h in histories if any(s in ORDER for s in h)
                   and ORDER.index(next(s for s in h if s in ORDER)) <= a <= max(ORDER.index(s) for s in h if s in ORDER)]
        moved = [h for h in reached if max(ORDER.index(s) for s in h if s in ORDER) >= b]
        assert (c["reached"], c["moved_on"]) == (len(reached), len(moved))
        assert c["rate"] is None or 0 <= c["rate"] <= 1
    assert sum(p["entered_at"].values()) == len(histories)
    now = [h[-1] for h in histories]
    for s in ORDER:  # whoever is at a stage now has reached it
        assert p["ever_reached"][s] >= now.count(s)


def test_one_that_moved_back_has_reached_the_stage_it_is_at_now():
    # production, then back to pilot: it is at pilot now, so it reached pilot (reached is never below there now)
    p = portfolio([["production", "pilot"], ["proposed", "pilot"]])
    assert {s: p["ever_reached"][s] for s in ORDER} == {"proposed": 1, "pilot": 2, "scaling": 1, "production": 1}
    assert p["by_stage"]["pilot"] == 2 and all(p["ever_reached"][s] >= p["by_stage"].get(s, 0) for s in ORDER)
    assert p["moved_back"] == {"proposed": 0, "pilot": 1, "scaling": 1, "production": 0}
    # ... and is no pilot that went on to production: a conversion counts only the way up
    steps = {(c["start"], c["end"]): (c["reached"], c["moved_on"]) for c in p["conversions"]}
    assert steps[("pilot", "production")] == (1, 0)


def test_a_stage_the_import_assumed_is_no_stage_reached_once_a_real_one_follows():
    assumed = make("i-assumed", stage="production", since="2025-01", month_blocks={}, stage_history=[
        {"stage": "proposed", "since": "2025-01", "basis": "assumed"},
        {"stage": "production", "since": "2025-12", "basis": "listed"}])
    only = make("i-only", stage="proposed", since="2025-01", month_blocks={}, stage_history=[
        {"stage": "proposed", "since": "2025-01", "basis": "assumed"}])
    p = to_dict(compute_scorecard([assumed, only], AS_OF, Policy()))["portfolio"]
    assert p["entered_at"]["production"] == 1 and p["entered_at"]["proposed"] == 1
    assert {s: p["ever_reached"][s] for s in ORDER} == {"proposed": 1, "pilot": 0, "scaling": 0, "production": 1}
    steps = {(c["start"], c["end"]): (c["reached"], c["moved_on"]) for c in p["conversions"]}
    assert steps[("proposed", "pilot")] == (1, 0)  # the listed production did not move up from an assumed proposal
