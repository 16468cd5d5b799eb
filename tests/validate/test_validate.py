"""The validator: one case per rule id, each asserting the exact problem line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PORTFOLIO, ROOT, SAMPLE, mutate
from scorecard.cli import main
from scorecard.months import parse_month
from scorecard.validate.run import CHECKS, validate_paths

TODAY = parse_month("2026-11")
F = "sample-initiative.yaml"


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes],
        today: int = TODAY) -> list[str]:
    monkeypatch.chdir(tmp_path)
    for name, content in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = validate_paths(["."], today=today)
    from scorecard.problem import format_problem
    return [format_problem(p) for p in result.problems]


# (rule, old text, new text, expected problem lines)
CASES = [
    ("unknown-key", "business_unit: Legal", "buisness_unit: Legal",
     [f"{F}:3:1: error [unknown-key] unknown key 'buisness_unit'; did you mean 'business_unit'?"]),
    ("missing-key", "name: Sample initiative\n", "",
     [f"{F}:1:1: error [missing-key] missing required key 'name'"]),
    ("type", "name: Sample initiative", "name: 42",
     [f"{F}:1:7: error [type] 'name' must be text, got 42; put the value in quotes"]),
    ("value", "risk_tier: medium", "risk_tier: meduim",
     [f"{F}:11:12: error [value] 'risk_tier' must be one of low, medium, high, unknown; got 'meduim'; did you mean 'medium'?"]),
    ("number", "{licenses: 12000, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 20000}",
     "{licenses: 12k, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 20000}",
     [f"{F}:41:23: error [number] 'months.2026-01.costs.licenses' must be a number, got the text '12k'; "
      "write 12000"]),
    ("negative-amount", "{labor_savings: 20000}", "{labor_savings: -20000}",
     [f"{F}:42:31: error [negative-amount] 'months.2026-01.benefits.labor_savings' must be 0 or more, got -20000; "
      "record a refund or saving as a benefit, not a negative cost"]),
    ("month", "  2026-02:", "  2026-13:",
     [f"{F}:46:3: error [month] key '2026-13' in 'months' is not a valid month; write the month as YYYY-MM, e.g. 2026-11"]),
    ("date", "since: 2026-01}", "since: 2026-1}",
     [f"{F}:8:27: error [date] 'stage_history[0].since' is not a valid date: '2026-1'; write the date as YYYY-MM or YYYY-MM-DD"]),
    ("url", "evidence: https://dashboards.example.com/contract-review", "evidence: javascript:alert(1)",
     [f"{F}:45:15: error [url] 'months.2026-01.evidence' is not an http(s) link: 'javascript:alert(1)'; "
      "use a full http:// or https:// address, with no spaces (write %20)"]),
    ("future", "{month: 2026-02, decision", "{month: 2026-12, decision",
     [f"{F}:18:13: error [future] decision month 2026-12 is after the current month 2026-11; record it once it has "
      "happened (a plan goes in a note)"]),
    ("unknown-control", "  privacy_review: 2025-12-28", "  privacy_reveiw: 2025-12-28",
     [f"{F}:14:3: error [unknown-control] 'privacy_reveiw' is not a governance control of this portfolio (catalogue "
      "default); did you mean 'privacy_review'?"]),
    ("governance-status", "  privacy_review: 2025-12-28", "  privacy_review: done",
     [f"{F}:14:19: error [governance-status] governance.privacy_review is recorded by the date it was done, not "
      "'done'; write the date it was done (YYYY-MM-DD), or {status: in_progress, due: YYYY-MM} or "
      "{status: not_applicable, note: why}"]),
    ("governance-status", "  privacy_review: 2025-12-28", "  privacy_review: 28/12/2025",
     [f"{F}:14:19: error [governance-status] governance.privacy_review is recorded by the date it was done, not "
      "'28/12/2025'; write the date as YYYY-MM or YYYY-MM-DD"]),
    ("governance-status", "  privacy_review: 2025-12-28", "  privacy_review: {status: not_applicable}",
     [f"{F}:14:19: error [governance-status] governance.privacy_review is not applicable without a note saying why; "
      "add note: why it does not apply (a reviewer reads it)"]),
    ("governance-status", "  privacy_review: 2025-12-28", "  privacy_review: {status: done, note: Signed off}",
     [f"{F}:14:19: error [governance-status] governance.privacy_review is done but has no date; "
      "add date: YYYY-MM-DD (the day it was done)"]),
    ("governance-status", "  privacy_review: 2025-12-28", "  privacy_review: {status: done, date: 2025-12-28, due: 2026-01}",
     [f"{F}:14:57: error [governance-status] governance.privacy_review has a due month but is done; "
      "a due month belongs to an in_progress control: remove it"]),
    ("future", "  privacy_review: 2025-12-28", "  privacy_review: {status: done, date: 2026-12-01}",
     [f"{F}:14:40: error [future] governance.privacy_review date 2026-12 is after the current month 2026-11; "
      "record it once it has happened (a plan goes in a note)"]),
    ("month-not-ended", "  2026-02:", "  2026-11:",
     [f"{F}:46:3: error [month-not-ended] 2026-11 has not ended yet; submit its figures after it ends; "
      "remove the 2026-11 block for now (the current month is 2026-11)"]),
    ("month-not-ended", "  2026-02:", "  2027-01:",
     [f"{F}:46:3: error [month-not-ended] 2027-01 has not ended yet; submit its figures after it ends; "
      "remove the 2027-01 block for now (the current month is 2026-11)"]),
    ("stage-history", "since: 2026-03}", "since: 2025-12}",
     [f"{F}:9:29: error [stage-history] stage_history is not in date order: 2025-12 comes after 2026-01; list the stages oldest first"]),
    ("kpi-undeclared", "hours_saved: 90}", "hours_savd: 90}",
     [f"{F}:48:28: error [kpi-undeclared] KPI 'hours_savd' in month 2026-02 is not declared under kpis; did you mean 'hours_saved'?"]),
    ("duplicate-kpi", "  - id: hours_saved\n    name: Lawyer", "  - id: cycle_time\n    name: Lawyer",
     [f"{F}:28:9: error [duplicate-kpi] KPI id 'cycle_time' is used twice (first in kpis[0]); give each KPI its own id",
      f"{F}:40:28: error [kpi-undeclared] KPI 'hours_saved' in month 2026-01 is not declared under kpis; declared KPIs: cycle_time",
      f"{F}:48:28: error [kpi-undeclared] KPI 'hours_saved' in month 2026-02 is not declared under kpis; declared KPIs: cycle_time"]),
    ("primary-kpi", "    primary: true\n", "",
     [f"{F}:19:1: error [primary-kpi] no KPI is marked primary: true; mark the KPI that decides the initiative's fate with primary: true"]),
    ("kpi-target", "target: 12\n", "target: 25\n",
     [f"{F}:25:13: error [kpi-target] KPI 'cycle_time' should decrease, so its target 25 must be below its baseline 20; "
      "check the direction, baseline and target"]),
    ("users-bound", "users: 12", "users: 20000000",
     [f"{F}:47:12: error [users-bound] 20,000,000 active users is above the sanity bound of 10,000,000; "
      "report active users of the month, not events or requests"]),
    ("stage-requirements", "sponsor: {name: Omar Haddad, title: General Counsel}\n", "",
     [f"{F}:5:1: error [stage-requirements] an initiative in stage 'scaling' needs a sponsor; add sponsor: {{name: ..., title: ...}}"]),
    ("exemption", "rule: governance.monitoring", "rule: governance.monitorin",
     [f"{F}:16:12: error [exemption] exemption names an unknown rule 'governance.monitorin'; did you mean 'governance.monitoring'?"]),
    ("exemption-expired", "expires: 2026-12", "expires: 2026-05",
     [f"{F}:16:103: warning [exemption-expired] the exemption of 'governance.monitoring' expired in 2026-05 and no longer counts; "
      "renew it with a new expiry month and approver, or remove it"]),
    ("duplicate-key", "stage: scaling\n", "stage: scaling\nstage: pilot\n",
     [f"{F}:7:1: error [duplicate-key] duplicate key 'stage' (first on line 6); keep only one of them"]),
    ("blank", "name: Sample initiative", 'name: "   "',
     [f"{F}:1:7: error [blank] 'name' is blank; write the text, or leave the key out where it is optional"]),
    ("date", "risk_assessment: 2025-12-20", "risk_assessment: 2026-02-30",
     [f"{F}:13:20: error [date] '2026-02-30' is not a date in the calendar; check the day of the month"]),
    ("comment-in-text", "note: First month.", "note: tracked in ticket #4521",
     [f"{F}:44:11: warning [comment-in-text] the text of 'note' ends at ' #': the rest of the line is a YAML comment, "
      "so it reads only 'tracked in ticket'; put the whole value in quotes: \"... #4521\""]),
    ("stage-history", "{stage: pilot, since: 2026-01}", "{stage: pilot, since: 2026-01, basis: assumed}",
     [f"{F}:8:43: error [stage-history] basis: assumed stands for a stage nobody gave, so its stage is proposed, "
      "not pilot; write basis: listed or remove the basis line"]),
    ("risk-unknown", "risk_tier: medium", "risk_tier: unknown",
     [f"{F}:11:12: warning [risk-unknown] risk_tier is unknown: the initiative is governed as high, the strictest tier, "
      "until it is set; set risk_tier: low, medium or high once its risk is assessed"]),
    ("milestone", "decision: scale, by: AI council}", "decision: scale, by: AI council, milestone: {users: 500, by: 2099-01}}",
     [f"{F}:18:79: error [milestone] milestone.by 2099-01 is 875 months after the decision of 2026-02; the policy allows "
      "at most 24 (decisions.milestone_max_months); set a nearer milestone, 2028-02 at the latest, and record a new "
      "decision when it is reached"]),
    ("milestone", "decision: scale, by: AI council}", "decision: scale, by: AI council, milestone: {by: 2026-02}}",
     [f"{F}:18:67: error [milestone] milestone.by 2026-02 is not after the decision month 2026-02; give the month it "
      "is due, 2026-03 or later"]),
    ("milestone", "decision: scale, by: AI council}", "decision: kill, by: AI council, milestone: {users: 5, by: 2026-05}}",
     [f"{F}:18:66: error [milestone] the kill decision's milestone counts users, which only a scale decision grows; "
      "remove users: the milestone is met when the initiative is killed by its month"]),
    ("milestone", "decision: scale, by: AI council}", "decision: iterate, by: AI council, milestone: {by: 2026-05}}",
     [f"{F}:18:57: error [milestone] an iterate decision has no milestone to keep: only a scale, kill, retire or pause "
      "decision is held to one; move what it commits to into the decision's note"]),
    ("starter-todo", "business_unit: Legal", "business_unit: TODO",
     [f"{F}:3:16: warning [starter-todo] 'business_unit' still holds the starter text 'TODO'; "
      "replace it with the real value (an error under --strict)"]),
]


@pytest.mark.parametrize("rule,old,new,expected", CASES, ids=[c[0] + f"-{i}" for i, c in enumerate(CASES)])
def test_rule(tmp_path, monkeypatch, rule, old, new, expected):
    lines = run(tmp_path, monkeypatch, {F: mutate(SAMPLE, old, new)})
    assert lines == expected
    assert all(f"[{rule}]" in line for line in lines[:1])


def test_sample_is_clean(tmp_path, monkeypatch):
    assert run(tmp_path, monkeypatch, {F: SAMPLE}) == []


def test_stage_history_must_end_with_stage(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "stage: scaling\n", "stage: production\n")
    assert run(tmp_path, monkeypatch, {F: text}) == [
        f"{F}:9:13: error [stage-history] the last stage_history entry is 'scaling' but stage is 'production'; "
        "add an entry {stage: production, since: YYYY-MM} at the end"]


def test_stage_history_must_start_before_first_month(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "since: 2026-01}", "since: 2026-02}")
    assert run(tmp_path, monkeypatch, {F: text}) == [
        f"{F}:8:27: error [stage-history] stage_history starts 2026-02, after the first month of figures 2026-01; "
        "date the first stage no later than the first month block"]


def test_two_primary_kpis(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "    target_month: 2026-12\nadoption", "    target_month: 2026-12\n    primary: true\nadoption")
    assert run(tmp_path, monkeypatch, {F: text}) == [
        f"{F}:35:5: error [primary-kpi] more than one primary KPI: 'cycle_time' and 'hours_saved'; keep primary: true on one KPI only"]


def test_killed_needs_a_kill_decision(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "stage: scaling\n", "stage: killed\n")
    text = mutate(text, "  - {stage: scaling, since: 2026-03}", "  - {stage: scaling, since: 2026-03}\n  - {stage: killed, since: 2026-04}")
    assert run(tmp_path, monkeypatch, {F: text}) == [
        f"{F}:6:1: error [stage-requirements] stage is 'killed' but no decision says kill; "
        "add to decisions: {month: YYYY-MM, decision: kill, by: ...}"]


def test_scaling_needs_a_kpi(tmp_path, monkeypatch):
    text = SAMPLE.split("kpis:\n  - id")[0] + "adoption:\n  target_users: 5\n"
    assert run(tmp_path, monkeypatch, {F: text}) == [
        f"{F}:6:1: error [stage-requirements] an initiative in stage 'scaling' needs at least one KPI; "
        "declare the business outcome it is measured by under kpis"]


def test_file_name_and_duplicate_id(tmp_path, monkeypatch):
    lines = run(tmp_path, monkeypatch, {"Bad Name.yaml": SAMPLE, "a/dup-one.yaml": SAMPLE, "b/dup-one.yaml": SAMPLE})
    assert lines == [
        "Bad Name.yaml:1:1: error [file-name] 'Bad Name.yaml' is not a valid initiative file name; it is not read; use lower-case "
        "letters, digits and '-', 3 to 64 characters, then .yaml, e.g. contract-review.yaml",
        "b/dup-one.yaml:1:1: error [duplicate-id] initiative id 'dup-one' is also used by a/dup-one.yaml; rename one of the files",
    ]


def test_three_separate_problems_all_reported(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "business_unit: Legal", "buisness_unit: Legal")
    text = mutate(text, "{licenses: 12000,", "{licenses: 12k,")
    text = mutate(text, "users: 12", "users: -3")
    lines = run(tmp_path, monkeypatch, {F: text})
    assert [line.split(" ")[2] for line in lines] == ["[unknown-key]", "[number]", "[value]"]
    assert [line.split(":")[1] for line in lines] == ["3", "41", "47"]


BAD_INPUTS = [
    ("empty", b"", f"{F}:1:1: error [empty] the file is empty; start from `scorecard new ID`"),
    ("top-level", b"- a\n- b\n", f"{F}:1:1: error [top-level] the top level of an initiative file must be a mapping "
     "of keys to values; start from `scorecard new ID`"),
    ("syntax", b"name: [unclosed\nsummary: x\n", f"{F}:2:8: error [syntax] YAML syntax error: while parsing a flow "
     "sequence: did not find expected ',' or ']'; check the indentation and quoting on this line and the one above"),
    ("encoding", b"name: ok\nsummary: caf\xe9\n", f"{F}:2:13: error [encoding] the file is not UTF-8 text (byte 0xe9); "
     "save it with UTF-8 encoding"),
    ("file-size", b"name: x\n" + b"# padding\n" * 110_000, f"{F}:1:1: error [file-size] file is 1,100,008 bytes, over "
     "the limit of 1,048,576; an initiative file is a few kilobytes; move long text elsewhere and link it"),
    ("yaml-anchor", b"a: &a [lol, lol]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n".encode() for i in range(9)),
     f"{F}:1:4: error [yaml-anchor] YAML anchors and aliases (&name, *name) are not allowed; write the value out in full"),
    ("yaml-tag", b"name: !!python/object/apply:os.system ['touch pwned']\n",
     f"{F}:1:7: error [yaml-tag] YAML tags such as '!!python/object/apply:os.system' are not allowed; "
     "remove the tag and write a plain value"),
    ("syntax", b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
     f"{F}:1:35: error [syntax] nesting deeper than 32 levels; initiative files are never this deep; check the indentation"),
    ("syntax", b"name: a\n---\nname: b\n",
     f"{F}:2:1: error [syntax] a second YAML document ('---') in one file; keep one initiative per file"),
]


@pytest.mark.parametrize("rule,content,expected", BAD_INPUTS, ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_INPUTS)])
def test_bad_input_gives_one_line_and_exit_1(tmp_path, monkeypatch, capsys, rule, content, expected):
    (tmp_path / F).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    code = main(["validate", F, "--today", "2026-11"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [expected, "1 file checked: 1 error, 0 warnings"]
    assert err == ""
    assert not (tmp_path / "pwned").exists()


def test_unreadable_path_is_a_file_problem(tmp_path):
    from scorecard.validate.run import validate_file
    (tmp_path / "folder.yaml").mkdir()
    problems = validate_file(tmp_path / "folder.yaml", "folder.yaml", TODAY).problems
    assert [p.rule for p in problems] == ["file"]


def test_every_rule_id_has_a_test():
    covered = {c[0] for c in CASES} | {c[0] for c in BAD_INPUTS} | {"file", "file-name", "duplicate-id", "unit-spelling"}
    covered |= {"unknown-field", "field-value"}  # with a policy that declares fields: tests/test_fields.py
    covered |= {"implausible"}  # tests/validate/test_plausible.py
    covered |= {"pull", "measured", "measured-edited"}  # with a policy that declares metrics: tests/sources/
    assert covered == set(CHECKS)


def test_example_portfolio_is_clean(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["validate", "--today", "2026-11"]) == 0
    assert re.fullmatch(r"\d+ files? checked: 0 errors, 0 warnings\n", capsys.readouterr().out)


def test_parallel_validation_gives_what_sequential_gives(tmp_path, monkeypatch):
    import shutil

    import scorecard.validate.run as v

    shutil.copytree(PORTFOLIO, tmp_path / "initiatives")
    (tmp_path / "initiatives" / "broken.yaml").write_text("name: [x\n", encoding="utf-8")
    (tmp_path / "initiatives" / "bad-tier.yaml").write_text(
        SAMPLE.replace("risk_tier: medium", "risk_tier: extreme"), encoding="utf-8")
    monkeypatch.setattr(v, "PARALLEL_FROM", 10**9)
    sequential = v.validate_paths([tmp_path / "initiatives"], today=2026 * 12 + 10, base=tmp_path)
    monkeypatch.setattr(v, "PARALLEL_FROM", 2)
    parallel = v.validate_paths([tmp_path / "initiatives"], today=2026 * 12 + 10, base=tmp_path)
    assert parallel.problems == sequential.problems and len(parallel.problems) == 2
    assert [(i.id, i.model) for i in parallel.initiatives] == [(i.id, i.model) for i in sequential.initiatives]


def test_validation_cache_reads_only_changed_files(tmp_path, monkeypatch):
    import scorecard.validate.run as v

    for name in ("one-file", "two-file"):
        (tmp_path / f"{name}.yaml").write_text(SAMPLE, encoding="utf-8")
    calls = []
    real = v._validate
    monkeypatch.setattr(v, "_validate", lambda path, *args: calls.append(path.name) or real(path, *args))
    cache: dict = {}
    v.validate_paths([tmp_path], today=2026 * 12 + 10, base=tmp_path, cache=cache)
    assert sorted(calls) == ["one-file.yaml", "two-file.yaml"]
    calls.clear()
    (tmp_path / "two-file.yaml").write_text(SAMPLE.replace("risk_tier: medium", "risk_tier: extreme"), encoding="utf-8")
    result = v.validate_paths([tmp_path], today=2026 * 12 + 10, base=tmp_path, cache=cache)
    assert calls == ["two-file.yaml"]
    assert [p.path for p in result.problems] == ["two-file.yaml"] and len(cache) == 2


def test_two_spellings_of_one_unit_warn_at_the_business_unit_line(tmp_path, monkeypatch):
    files = {"one-file.yaml": SAMPLE, "two-file.yaml": SAMPLE,
             "three-file.yaml": mutate(SAMPLE, "business_unit: Legal", "business_unit: 'legal '")}
    assert run(tmp_path, monkeypatch, files) == [
        "three-file.yaml:3:16: warning [unit-spelling] business unit 'legal ' is written 'Legal' in 2 other files; "
        "use one spelling; write 'Legal': units are compared without regard to case and spacing, so these files "
        "are already one unit, shown with its most common spelling"]
