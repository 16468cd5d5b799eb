"""Plausible numbers (issue 22 §8): a valid figure that is probably a typing slip gets a warning with the file and
the line, and the data is kept (the file still validates; --strict refuses it; `confirmed:` says it is right)."""

from __future__ import annotations

import pytest

from conftest import SAMPLE, mutate
from scorecard.cli import main
from validate.test_validate import F, run

CASES = [
    ("european thousands in a cost", "{licenses: 12000, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 20000}",
     "{licenses: 12.000, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 20000}",
     [f"{F}:41:23: warning [implausible] 'costs.licenses' in month 2026-01 is written 12.000, which reads as 12: a dot "
      "followed by three digits looks like a thousands separator; if you meant 12,000, write 12000; if you meant 12, "
      "write 12"]),
    ("european thousands in a benefit", "    benefits: {labor_savings: 26000}", "    benefits: {labor_savings: 8.000}",
     [f"{F}:50:31: warning [implausible] 'benefits.labor_savings' in month 2026-02 is written 8.000, which reads as 8: "
      "a dot followed by three digits looks like a thousands separator; if you meant 8,000, write 8000; if you meant "
      "8, write 8"]),
]


@pytest.mark.parametrize("what,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_a_probable_slip_is_one_warning_line(tmp_path, monkeypatch, what, old, new, expected):
    assert run(tmp_path, monkeypatch, {F: mutate(SAMPLE, old, new)}) == expected


def percent_kpi(actual: str) -> str:
    text = mutate(SAMPLE, "    unit: hours/month\n    direction: increase\n    baseline: 0\n    target: 1200\n",
                  "    unit: '%'\n    direction: increase\n    baseline: 35\n    target: 60\n")
    text = mutate(text, "kpis: {cycle_time: 19, hours_saved: 40}", "kpis: {cycle_time: 19, hours_saved: 38}")
    return mutate(text, "kpis: {cycle_time: 18, hours_saved: 90}", f"kpis: {{cycle_time: 18, hours_saved: {actual}}}")


def test_a_share_written_in_a_percent_kpi_is_a_warning(tmp_path, monkeypatch):
    assert run(tmp_path, monkeypatch, {F: percent_kpi("0.46")}) == [
        f"{F}:48:41: warning [implausible] KPI 'hours_saved' in month 2026-02 is 0.46%, while its baseline 35% and "
        "target 60% are above 1: it looks like a share, not a percentage; if you meant 46%, write 46; if it is right, "
        "add confirmed: [kpis] to the month"]
    assert run(tmp_path, monkeypatch, {F: percent_kpi("46")}) == []


def jump(first: int, second: int) -> str:
    text = mutate(SAMPLE, "    users: 5\n", f"    users: {first}\n")
    return mutate(text, "    users: 12\n", f"    users: {second}\n")


def test_a_tenfold_jump_between_months_is_a_warning_and_confirmed_silences_it(tmp_path, monkeypatch):
    assert run(tmp_path, monkeypatch, {F: jump(90, 900)}) == [
        f"{F}:47:5: warning [implausible] users in 2026-02 is 900, 10 times the 90 of 2026-01 (the policy warns from "
        "10 times); check for a slipped digit; if it is right, add confirmed: [users] to the month"]
    assert run(tmp_path, monkeypatch, {F: jump(90, 899)}) == []  # just under ten times
    assert run(tmp_path, monkeypatch, {F: jump(5, 60)}) == []  # a pilot's first users: growth from a handful
    assert run(tmp_path, monkeypatch, {F: mutate(jump(90, 900), "    users: 900\n",
                                                 "    users: 900\n    confirmed: [users]\n")}) == []
    # a total cost that falls to a tenth: 30,000 then 3,000
    dropped = mutate(SAMPLE, "    costs: {licenses: 12000, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 26000}",
                     "    costs: {licenses: 1200, infrastructure: 300, people: 1500}\n    benefits: {labor_savings: 26000}")
    assert run(tmp_path, monkeypatch, {F: dropped}) == [
        f"{F}:49:5: warning [implausible] total cost in 2026-02 is 3,000, 1/10 of the 30,000 of 2026-01 (the policy "
        "warns from 10 times); check for a slipped digit; if it is right, add confirmed: [costs] to the month"]


def test_users_far_above_target_are_a_warning(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "  target_users: 500\n", "  target_users: 5\n")
    assert run(tmp_path, monkeypatch, {F: text})[-1:] == [
        f"{F}:{text.splitlines().index('    users: 12') + 1}:12: warning [implausible] 12 active users in 2026-02 is "
        "more than 2 times the target of 5; report people who used it that month, not sessions or requests; if it "
        "is right, raise adoption.target_users or add confirmed: [users] to the month"]


def test_a_warning_keeps_the_data_and_strict_refuses_it(tmp_path, monkeypatch, capsys):
    (tmp_path / "initiatives").mkdir()
    (tmp_path / "initiatives" / F).write_text(jump(90, 900), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "initiatives", "--today", "2026-11"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 file checked: 0 errors, 1 warning"
    assert main(["validate", "initiatives", "--today", "2026-11", "--strict"]) == 1


def adoption(extra: str) -> str:
    return mutate(SAMPLE, "  target_users: 500\n", f"  target_users: 500\n{extra}")


def test_the_money_outside_the_month_blocks_is_checked_too(tmp_path, monkeypatch):
    # a thousands slip in every amount outside the month blocks (the review found exit_cost and the run cost unchecked)
    assert run(tmp_path, monkeypatch, {F: SAMPLE + "exit_cost: 25.000\n"}) == [
        f"{F}:51:12: warning [implausible] 'exit_cost' is written 25.000, which reads as 25: a dot followed by three "
        "digits looks like a thousands separator; if you meant 25,000, write 25000; if you meant 25, write 25"]
    assert run(tmp_path, monkeypatch, {F: adoption("  run_cost_at_target: 40.000\n")}) == [
        f"{F}:37:23: warning [implausible] 'adoption.run_cost_at_target' is written 40.000, which reads as 40: a dot "
        "followed by three digits looks like a thousands separator; if you meant 40,000, write 40000; if you meant "
        "40, write 40"]
    # 2026-02 cost 30,000 for 12 users, the target is 500 users
    assert run(tmp_path, monkeypatch, {F: adoption("  run_cost_at_target: 0\n")}) == [
        f"{F}:37:23: warning [implausible] adoption.run_cost_at_target is 0 a month, less than 1/10 of the 30,000 "
        "2026-02 cost: running it for more users would cost a fraction of what it costs now; check it is a month's "
        "running cost at target users (not a year's), in the portfolio's currency; if it is right, add confirmed: "
        "[run_cost] to the file"]
    assert run(tmp_path, monkeypatch, {F: adoption("  run_cost_at_target: 400000000\n")}) == [
        f"{F}:37:23: warning [implausible] adoption.run_cost_at_target is 400,000,000 a month, more than 10 times the "
        "1,250,000 that 2026-02's cost comes to if it grew with the users to the target of 500; check it is a "
        "month's running cost at target users (not a year's), in the portfolio's currency; if it is right, add "
        "confirmed: [run_cost] to the file"]
    # a pilot's fixed costs do not grow with its users: any run cost between the bounds is plausible
    assert run(tmp_path, monkeypatch, {F: adoption("  run_cost_at_target: 45000\n")}) == []
    assert run(tmp_path, monkeypatch, {F: adoption("  run_cost_at_target: 0\n") + "confirmed: [run_cost]\n"}) == []
    # an exit cost of 1,000 times all it has cost so far (60,000)
    assert run(tmp_path, monkeypatch, {F: SAMPLE + "exit_cost: 60000000\n"}) == [
        f"{F}:51:12: warning [implausible] exit_cost is 60,000,000, 1,000 times the 60,000 the initiative has cost "
        "so far (the policy warns from 10 times); check for a slipped digit: it is the one-off cost of stopping; if "
        "it is right, add confirmed: [exit_cost] to the file"]
    assert run(tmp_path, monkeypatch, {F: SAMPLE + "exit_cost: 60000000\nconfirmed: [exit_cost]\n"}) == []
    assert run(tmp_path, monkeypatch, {F: SAMPLE + "exit_cost: 0\n"}) == []  # nothing to break off: plausible


def test_what_is_plausible_is_not_warned_about(tmp_path, monkeypatch):
    # 0.500 is half a unit of money, not five hundred: no one groups thousands after a zero
    assert run(tmp_path, monkeypatch, {F: mutate(SAMPLE, "    benefits: {labor_savings: 26000}",
                                                 "    benefits: {labor_savings: 26000, other: 0.500}")}) == []
    # an error rate decreasing from 5% to a target of 2%, at 0.8%: better than target, and written as a percent
    text = mutate(SAMPLE, "    unit: hours/month\n    direction: increase\n    baseline: 0\n    target: 1200\n",
                  "    unit: '%'\n    direction: decrease\n    baseline: 5\n    target: 2\n")
    text = mutate(text, "kpis: {cycle_time: 19, hours_saved: 40}", "kpis: {cycle_time: 19, hours_saved: 3}")
    assert run(tmp_path, monkeypatch, {F: mutate(text, "kpis: {cycle_time: 18, hours_saved: 90}",
                                                 "kpis: {cycle_time: 18, hours_saved: 0.8}")}) == []
    # ... while 0.03 (3% written as a share) is a slip even for a decreasing KPI
    assert run(tmp_path, monkeypatch, {F: mutate(text, "kpis: {cycle_time: 18, hours_saved: 90}",
                                                 "kpis: {cycle_time: 18, hours_saved: 0.03}")}) == [
        f"{F}:48:41: warning [implausible] KPI 'hours_saved' in month 2026-02 is 0.03%, while its baseline 5% and "
        "target 2% are above 1: it looks like a share, not a percentage; if you meant 3%, write 3; if it is right, "
        "add confirmed: [kpis] to the month"]
