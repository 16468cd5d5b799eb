"""The governance catalogue (issue 11 §5): presets, the policy's own controls, and controls with a status.

Expected states are worked out by hand as of 2026-10 with the default maximum age of 12 months.
"""

from __future__ import annotations

import pytest

from builders import make
from scorecard.catalogue import PRESETS
from scorecard.cli import main
from scorecard.compute.facts import facts
from scorecard.errors import InvalidPortfolio
from scorecard.months import parse_month
from scorecard.policy import Policy, load_policy
from scorecard.rules.recommend import judge
from builders import to_dict
from scorecard.rules.scorecard import compute_scorecard
from scorecard.validate.run import validate_paths

AS_OF = parse_month("2026-10")


def states(li, policy=Policy()):
    g = facts(li.id, li.model, AS_OF, policy).governance
    return {c.id: c.status for c in g.controls}, g


@pytest.mark.parametrize("value,expected", [
    ("2025-10-01", "done"),                                                  # 12 months old: still in date
    ("2025-09-30", "expired"),                                               # 13 months old
    ("2026-11-02", "missing"),                                               # done after the as-of month
    ({"status": "not_applicable", "note": "No personal data"}, "not_applicable"),
    ({"status": "in_progress", "due": "2026-10"}, "in_progress"),            # due this month: not late yet
    ({"status": "in_progress", "due": "2026-09"}, "past_due"),
    ({"status": "in_progress"}, "in_progress"),
    ({"status": "done", "date": "2026-02-01", "evidence": "https://wiki.example.com/x"}, "done"),
    ({"status": "done", "date": "2025-06-01"}, "expired"),
])
def test_each_way_of_recording_a_control(value, expected):
    li = make(risk_tier="medium", governance={"risk_assessment": "2026-01-10", "privacy_review": value,
                                               "monitoring": "2026-01-10", "rollback_plan": "2026-01-10"})
    got, g = states(li)
    assert got["privacy_review"] == expected
    assert g.complete == (expected in ("done", "not_applicable"))
    assert ("privacy_review" in g.missing) == (expected in ("missing", "in_progress", "past_due"))


def test_the_gap_reason_says_what_is_in_progress_and_what_is_past_due():
    li = make(risk_tier="medium", stage="scaling", governance={
        "risk_assessment": "2026-01-10", "privacy_review": {"status": "in_progress", "due": "2026-12"},
        "monitoring": {"status": "in_progress", "due": "2026-08", "note": "Vendor dashboard"},
        "rollback_plan": {"status": "not_applicable", "note": "Read-only: nothing to roll back"}})
    verdict, reasons, _ = judge(facts(li.id, li.model, AS_OF, Policy()), Policy())
    assert verdict == "fix"
    assert reasons[0].message == ("governance gap at risk tier medium: in progress: Privacy and data-protection review "
                                  "(due 2026-12); past due: Live drift and quality monitoring (due 2026-08)")
    report = to_dict(compute_scorecard([li], AS_OF, Policy()))["initiatives"][0]["governance"]
    assert report["missing"] == ["privacy_review", "monitoring"]  # still required and not done: the v1 meaning
    assert (report["not_applicable"], report["in_progress"], report["past_due"]) == (
        ["rollback_plan"], ["privacy_review", "monitoring"], ["monitoring"])
    assert report["controls"][3] == {"id": "rollback_plan", "name": "Approved rollback plan", "status": "not_applicable",
                                     "date": None, "due": None, "note": "Read-only: nothing to roll back",
                                     "evidence": None, "exempted": False}


def test_a_preset_with_the_policy_s_own_control_and_its_own_maximum_age(tmp_path):
    (tmp_path / "policy.yml").write_text(
        "governance:\n  preset: omb-m-25-21\n  controls:\n"
        "    red_team: {name: Red-team exercise, references: [NIST AI RMF MEASURE 2.7], max_age_months: 6}\n"
        "  required:\n    low: [pre_deployment_testing, red_team]\n", encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yml")
    assert policy.catalogue.required_for("low") == ("pre_deployment_testing", "red_team")
    assert policy.catalogue.required_for("high") == PRESETS["omb-m-25-21"].required_for("high")  # left as the preset's
    assert policy.catalogue.get("red_team").references == ("NIST AI RMF MEASURE 2.7",)
    li = make(governance={"pre_deployment_testing": "2026-05-01", "red_team": "2026-03-15"})
    got, g = states(li, policy)
    assert got == {"pre_deployment_testing": "done", "red_team": "expired"}  # 7 months > its own 6
    assert g.gaps == ("red_team",)


def test_a_version_1_policy_still_sets_the_tiers():
    policy = Policy.model_validate({"governance": {"low": ["risk_assessment", "monitoring"]}})
    assert policy.catalogue.required_for("low") == ("risk_assessment", "monitoring")
    assert policy.catalogue.required_for("medium") == PRESETS["default"].required_for("medium")


def test_every_preset_control_has_a_name_and_a_reference_and_every_tier_lists_its_own_controls():
    for name, catalogue in PRESETS.items():
        assert catalogue.preset == name
        for control in catalogue.controls:
            assert control.name and control.description and control.references, control
        for tier in ("low", "medium", "high"):
            assert set(catalogue.required_for(tier)) <= set(catalogue.ids)
        assert set(catalogue.required_for("high")) == set(catalogue.ids)


def test_validation_and_exemptions_follow_the_catalogue_in_force(tmp_path, capsys):
    (tmp_path / "initiatives").mkdir()
    (tmp_path / "policy.yml").write_text("governance: {preset: eu-ai-act-high-risk}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - scorecard: {policy: policy.yml}\n", encoding="utf-8")
    text = (
        "name: Triage\nsummary: Routes tickets.\nbusiness_unit: IT\nowner: {name: Ada}\nstage: pilot\n"
        "stage_history: [{stage: pilot, since: 2026-01}]\nautonomy: advisory\nrisk_tier: low\n"
        "governance:\n  risk_management_system: 2026-01-05\n  risk_assessment: 2026-01-05\n"
        "exemptions:\n  - {rule: governance.technical_documentation, reason: Drafting, approved_by: CIO, expires: 2026-12}\n")
    (tmp_path / "initiatives" / "triage.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "--config", str(tmp_path / "mkdocs.yml"), str(tmp_path / "initiatives")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("initiatives/triage.yaml:11:3: error [unknown-control] 'risk_assessment' is not a "
                           "governance control of this portfolio (catalogue eu-ai-act-high-risk); its controls are "
                           "risk_management_system, data_governance, technical_documentation, record_keeping, "
                           "transparency_to_deployers, human_oversight, accuracy_robustness_cybersecurity, "
                           "fundamental_rights_impact_assessment")
    assert len(out) == 2  # the exemption of an EU control is known: no error for it
    result = validate_paths([tmp_path / "initiatives"], today=parse_month("2026-11"))
    assert [p.rule for p in result.problems] == ["unknown-control", "exemption"]  # the default catalogue knows neither


def test_a_control_of_another_catalogue_in_the_policy_is_refused_with_its_line(tmp_path):
    (tmp_path / "policy.yml").write_text("governance:\n  required:\n    low: [risk_management_system]\n", encoding="utf-8")
    with pytest.raises(InvalidPortfolio) as exc:
        load_policy(tmp_path / "policy.yml")
    assert exc.value.problems[0].line == 3


def test_version_1_files_keep_their_meaning(tmp_path):
    """A null control was valid in format version 1; `human_review` was words and never expired, whatever they
    looked like."""
    li = make(risk_tier="high", governance={
        "risk_assessment": "2026-06-01", "privacy_review": "2026-06-01", "monitoring": "2026-06-01",
        "rollback_plan": "2026-06-01", "bias_assessment": "2026-06-01", "human_review": "2024-06-01"})
    got, g = states(li)
    assert got["human_review"] == "done" and g.complete
    text = (tmp_path / "old-file.yaml")
    from conftest import SAMPLE
    text.write_text(SAMPLE.replace("  privacy_review: 2025-12-28\n",
                                   "  privacy_review: null\n  human_review: 2026-02-30\n"), encoding="utf-8")
    result = validate_paths([text], today=parse_month("2026-11"), base=tmp_path)
    assert [p for p in result.problems if p.level == "error"] == []


def test_policy_text_reaches_the_methodology_as_text(tmp_path):
    from scorecard.render.methodology import methodology_markdown

    (tmp_path / "policy.yml").write_text(
        "governance:\n  controls:\n    red_team: {name: 'R | <b>x</b>', description: \"a\\n\\nb [c](javascript:alert(1))\"}\n"
        "  required:\n    low: [risk_assessment, red_team]\n", encoding="utf-8")
    page = methodology_markdown(load_policy(tmp_path / "policy.yml"))
    [row] = [line for line in page.splitlines() if "`red_team`" in line]
    assert row == ("| **R &#124; &lt;b&gt;x&lt;/b&gt;**: a  b &#91;c&#93;(javascript:alert(1)) | `red_team` | low | 12 |  |")
