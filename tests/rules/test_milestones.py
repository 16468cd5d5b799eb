"""A decision's milestone and what follows it (issue 22 §5, and the review of it): a missed milestone is overdue at
once, whatever stage change followed the decision; a decision taken while the verdict was under review counts; a
history does not depend on the as-of month it was computed in."""

from __future__ import annotations

from builders import make, months, to_dict
from scorecard.model import LoadedInitiative
from scorecard.months import parse_month
from scorecard.policy import Policy
from scorecard.rules.scorecard import compute_scorecard

P = Policy()
M = parse_month


def moved(decisions: list[dict], stage_history: list[dict] | None = None, **kw) -> LoadedInitiative:
    """Figures from 2026-01 (users 10, 20, ... 100): the rules say scale from 2026-02, shown from 2026-03."""
    li = make("m", stage="scaling", since="2026-01", decisions=decisions, stage_history=stage_history or [
        {"stage": "pilot", "since": "2026-01"}, {"stage": "scaling", "since": "2026-04"}], **kw)
    return LoadedInitiative("m", "m.yaml", li.model.model_copy(update={"stage": "scaling"}))


def report(li: LoadedInitiative, as_of: str, policy: Policy = P) -> dict:
    return to_dict(compute_scorecard([li], M(as_of), policy))["initiatives"][0]


MISSED = {"month": "2026-03", "decision": "scale", "by": "council", "milestone": {"users": 500, "by": "2026-06"}}


def test_a_missed_milestone_is_overdue_at_once_though_the_stage_moved_after_the_decision():
    li = moved([MISSED])  # scale decided in 2026-03 with 500 users by 2026-06; moved to scaling in 2026-04
    r = report(li, "2026-06")  # the milestone stands through its month
    assert (r["decision_overdue"], r["waiting_since"], r["decided"]["until"]) == (False, None, "2026-06")
    assert r["decided"]["milestone_users"] == 500
    for as_of in ("2026-07", "2026-08", "2026-09", "2026-10"):  # the move's 6 months of follow-through do not hide it
        r = report(li, as_of)
        assert r["decision_overdue"] is True, as_of
        assert r["overdue"]["message"] == ("decision overdue: the scale decision of 2026-03 promised 500 users by "
                                           "2026-06 (it had 60), and the milestone was missed"), as_of
        assert (r["waiting_since"], r["decide_by"]) == ("2026-07", "2026-06")
    # a milestone reached is no wait: 600 users by June
    reached = moved([MISSED], month_blocks=months("2026-01", 10, users=lambda i: 100 * (i + 1)),
                    adoption={"target_users": 1000})
    r = report(reached, "2026-07")
    assert r["decision_overdue"] is False and r["overdue"] is None


def test_a_stage_change_after_the_milestone_month_acts_on_the_verdict_again():
    li = moved([MISSED], [{"stage": "pilot", "since": "2026-01"}, {"stage": "scaling", "since": "2026-08"}])
    assert report(li, "2026-07")["decision_overdue"] is True
    r = report(li, "2026-10")  # the move of 2026-08 came after the milestone: it stands its 6 months
    assert (r["decision_overdue"], r["decided"]["month"], r["decided"]["until"]) == (False, "2026-08", "2027-01")


def test_a_newer_decision_replaces_the_milestone_it_follows():
    later = {"month": "2026-07", "decision": "scale", "by": "council", "milestone": {"users": 200, "by": "2026-12"}}
    r = report(moved([MISSED, later]), "2026-10")
    assert (r["decision_overdue"], r["decided"]["month"], r["decided"]["until"]) == (False, "2026-07", "2026-12")


def test_a_decision_taken_while_the_verdict_was_under_review_counts():
    # the rules say scale from 2026-02; it is shown from 2026-03. A decision in 2026-02 acted on it.
    li = make("a", stage="scaling", decisions=[{"month": "2026-02", "decision": "scale", "by": "council"}])
    r = report(li, "2026-05")
    assert r["verdict"] == "scale"
    assert (r["decision_overdue"], r["waiting_since"]) == (False, None)
    assert r["decided"] == {"month": "2026-02", "until": "2026-07", "decision": "scale", "by": "council",
                            "milestone_users": None, "milestone": False}
    r = report(li, "2026-09")  # stood 2026-02 to 2026-07: waits from 2026-08, overdue in its second month
    assert r["overdue"]["message"] == ("decision overdue: the scorecard has said scale since 2026-08 (2 months), and "
                                       "nothing has acted on it since the decision of 2026-02, which stood until "
                                       "2026-07")


def test_a_verdict_history_does_not_depend_on_the_month_it_was_computed_in():
    # fix until the risk assessment of 2025-10, then scale: a window that began with that first scale month showed
    # it at once, while a longer one held it a month; in every history that holds a month, it now reads the same
    li = make("h", stage="scaling", since="2025-06", month_blocks=months("2025-06", 17),
              governance={"risk_assessment": "2025-10-01"})
    histories = {}
    for as_of in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10"):
        for h in report(li, as_of)["verdict_history"]:
            histories.setdefault(h["month"], set()).add(h["verdict"])
    assert all(len(v) == 1 for v in histories.values()), histories
