"""Missing data is not a verdict (issue 22 §1): an initiative without a single figure is *not measured*, never kill,
never overdue, its money unknown rather than zero, and its verdict history is never back-dated before its figures."""

from __future__ import annotations

from builders import make, months, to_dict

from scorecard.policy import Policy
from scorecard.months import parse_month
from scorecard.rules.scorecard import compute_scorecard

P = Policy()
AS_OF = parse_month("2026-10")


def _item(*initiatives, as_of: int = AS_OF) -> dict:
    return to_dict(compute_scorecard(list(initiatives), as_of, P))


def test_a_production_initiative_without_figures_is_not_measured_not_kill():
    # an import: in production since a date ten months back, and no month block at all
    doc = _item(make("imported", stage="production", since="2025-12", month_blocks={}))
    item = doc["initiatives"][0]
    assert item["measured"] is False
    assert item["verdict"] is None and item["decision_overdue"] is False and item["waiting_since"] is None
    assert [r["rule"] for r in item["reasons"]] == ["not_measured"]
    assert item["reasons"][0]["message"] == "not measured: no figures yet, so no verdict"
    assert {h["verdict"] for h in item["verdict_history"]} == {None}  # no month of it is judged
    fin = item["financials"]
    assert (fin["net"], fin["cumulative_cost"], fin["cumulative_benefit"], fin["roi"]) == (None, None, None, None)
    assert doc["portfolio"]["kill_list"] == [] and doc["portfolio"]["overdue"] == []
    assert (doc["portfolio"]["measured"], doc["portfolio"]["not_measured"]) == (0, 1)
    assert doc["portfolio"]["net"] is None  # not one figure in the portfolio: its net is unknown


def test_a_month_block_without_figures_does_not_make_it_measured():
    withdrawn = {"2026-09": {"restated": "sent by mistake"}, "2026-10": {"note": "nothing to report yet"}}
    item = _item(make("noted", stage="pilot", since="2025-12", month_blocks=withdrawn))["initiatives"][0]
    assert (item["measured"], item["verdict"]) == (False, None)


def test_stale_still_stops_an_initiative_that_had_figures_and_stopped_sending_them():
    # ten months of figures from 2025-09, the last in 2026-06: four months without a block as of 2026-10
    item = _item(make("quiet", stage="pilot", since="2025-09", month_blocks=months("2025-09", 10)))["initiatives"][0]
    assert item["measured"] is True and item["last_update"] == "2026-06"
    assert item["verdict"] == "kill"
    assert item["reasons"][0]["rule"] == "stale"
    assert item["reasons"][0]["message"] == "abandoned: no month block for 4 months (last figures 2026-06)"


def test_the_verdict_history_starts_at_the_first_figures_never_before():
    # in pilot since 2025-12 (a date the register gave), figures only from 2026-06
    li = make("late", stage="pilot", since="2025-12", month_blocks=months("2026-06", 5))
    item = _item(li)["initiatives"][0]
    history = {h["month"]: h["verdict"] for h in item["verdict_history"]}
    assert [m for m, v in history.items() if v is not None] == ["2026-06", "2026-07", "2026-08", "2026-09",
                                                                "2026-10"]
    assert item["verdict_since"] is None or item["verdict_since"] >= "2026-06"


def test_measured_and_unmeasured_are_counted_apart():
    doc = _item(make("a", stage="pilot", since="2026-01"), make("b", stage="production", since="2025-01",
                                                                month_blocks={}))
    assert (doc["portfolio"]["measured"], doc["portfolio"]["not_measured"]) == (1, 1)
    assert doc["portfolio"]["net"] is not None  # the measured one's figures still add up
