"""A program office follows an import (issue 23 §6): --write-policy merges what the mapping needs into the policy
file and keeps what is there, says before it replaces the governance catalogue, and init's example is not left
among the real records."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from scorecard.cli import main

SAMPLE = FIXTURES / "omb-2025-sample.csv"  # 301 unedited rows of the 2025 federal inventory
PIN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def office(tmp_path, monkeypatch):
    folder = tmp_path / "acme"
    assert main(["init", str(folder), "-q", "--action-ref", PIN, "--today", "2026-11"]) == 0
    monkeypatch.chdir(folder)
    return folder


def test_write_policy_keeps_the_file_and_asks_before_it_replaces_the_catalogue(office, capsys):
    policy = office / "policy.yml"
    before = policy.read_text(encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy"]) == 1
    assert capsys.readouterr().err == (
        "scorecard: error: policy.yml: the mapping omb-2025 records the governance controls of the omb-m-25-21 "
        "catalogue, and the policy's is default: merging replaces it, and 1 initiative then records controls it "
        "does not have (errors until they are changed); run again with --replace-catalogue to merge anyway\n")
    assert policy.read_text(encoding="utf-8") == before  # nothing written
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["policy.yml: added stage_requirements, governance, fields"]
    after = policy.read_text(encoding="utf-8")
    assert after.startswith(before)  # every line and comment of the office's file is still there, in order
    assert "  preset: omb-m-25-21\n" in after and "  agency:\n    name: Agency\n" in after
    # run again: nothing more to add
    assert main(["import", "--mapping", "omb-2025", "--write-policy"]) == 0
    assert capsys.readouterr().out == "policy.yml: it has everything the mapping needs\n"
    assert policy.read_text(encoding="utf-8") == after


def test_write_policy_merges_into_the_blocks_the_file_has(office, capsys):
    policy = office / "policy.yml"
    policy.write_text("# ours\ncurrency: EUR   # we report in euros\nfields:\n  vendor: {name: Supplier}\n"
                      "governance:\n  preset: omb-m-25-21\n", encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "policy.yml: kept its own fields.vendor.name (the mapping's differs)"
    text = policy.read_text(encoding="utf-8")
    assert text.startswith("# ours\ncurrency: EUR   # we report in euros\nfields:\n  vendor: {name: Supplier}\n  agency:\n")
    assert "governance:\n  preset: omb-m-25-21\n  controls:\n    pre_deployment_testing:\n" in text
    # a block written inside { } cannot take an entry as text: one line, nothing written
    policy.write_text("fields: {vendor: {name: Supplier}}\n", encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue"]) == 1
    assert capsys.readouterr().err == ("scorecard: error: policy.yml:1: 'fields' is written inside { }; write it as "
                                       "a block (one entry a line) and run again, or merge the mapping's policy by "
                                       "hand\n")
    assert policy.read_text(encoding="utf-8") == "fields: {vendor: {name: Supplier}}\n"


def test_an_import_removes_inits_example_only_when_asked_and_only_as_init_wrote_it(office, capsys):
    example = office / "initiatives" / "support-reply-drafts.yaml"
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue", "-q"]) == 0
    capsys.readouterr()
    args = ["import", str(SAMPLE), "--mapping", "omb-2025", "--today", "2026-11"]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (f"import: {example} is still init's example, as init wrote "
                                                        "it: --remove-example removes it")
    example.write_text(example.read_text(encoding="utf-8") + "# ours now\n", encoding="utf-8")
    assert main([*args, "--remove-example"]) == 0 and example.is_file()  # edited: the team's, kept
    example.write_text(example.read_text(encoding="utf-8").removesuffix("# ours now\n"), encoding="utf-8")
    assert main([*args, "--remove-example"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"import: removed {example}, init's example, as init wrote it"
    assert not example.exists()


def test_init_empty_writes_no_example(tmp_path, capsys):
    folder = tmp_path / "acme"
    assert main(["init", str(folder), "--empty", "-q", "--action-ref", PIN]) == 0
    assert sorted(p.name for p in (folder / "initiatives").iterdir()) == [".gitkeep"]
    assert "/initiatives/" not in (folder / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert main(["init", str(tmp_path / "b"), "--empty", "--examples"]) == 1
    assert capsys.readouterr().err == "scorecard: error: --empty and --examples exclude each other: choose one\n"


@pytest.mark.parametrize("text,expected", [
    ("currency: EUR\nfields:\n\tvendor: {name: Supplier}\n",
     "policy.yml:3:1: error [syntax] a TAB character is used for indentation; YAML allows only spaces; replace the "
     "TAB with spaces (most editors can show TABs and convert them)"),
    ("currency: &c EUR\nmilestones: *c\n", None),
])
def test_write_policy_on_a_file_with_errors_names_them_and_writes_nothing(office, capsys, text, expected):
    policy = office / "policy.yml"
    policy.write_text(text, encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert first.startswith("policy.yml:") and " error [" in first  # named as validate names it
    if expected:
        assert first == expected
    assert policy.read_text(encoding="utf-8") == text


def test_a_dry_run_says_what_it_would_add_and_writes_nothing(office, capsys):
    policy = office / "policy.yml"
    policy.write_text("governance:\n  preset: omb-m-25-21\n", encoding="utf-8")
    before = sorted(p.name for p in (office / "initiatives").iterdir())
    assert main(["import", str(SAMPLE), "--mapping", "omb-2025", "--write-policy", "--dry-run", "-q"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "policy.yml: would add stage_requirements, governance.controls, fields; dry run: nothing written"
    assert [line for line in out if line.startswith("import: ") and line.endswith("; dry run: nothing written")]
    assert "error" not in "\n".join(out)  # the import was planned with the policy it would write
    assert policy.read_text(encoding="utf-8") == "governance:\n  preset: omb-m-25-21\n"
    assert sorted(p.name for p in (office / "initiatives").iterdir()) == before


def test_replacing_the_catalogue_refuses_a_policy_that_requires_the_old_one_s_controls(office, capsys):
    policy = office / "policy.yml"
    text = "governance:\n  preset: default\n  required:\n    high: [risk_assessment, human_review]\n"
    policy.write_text(text, encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "scorecard: error: policy.yml:4: merged with what the mapping needs, the policy would not validate: "
        "'governance.required.high[0]' is 'risk_assessment', which is not a control of the omb-m-25-21 catalogue; "
        "change that line (or merge the mapping's policy by hand), then run again")
    assert policy.read_text(encoding="utf-8") == text


def test_the_merge_reads_the_policy_as_the_tool_does_and_keeps_its_line_ends(office, capsys):
    # `yes` is text to the tool's reader (YAML 1.2), where PyYAML's safe_load would read true and refuse the file
    policy = office / "policy.yml"
    for example in (office / "initiatives").glob("*.yaml"):
        example.unlink()  # init's example records the default catalogue's controls
    text = "# ours\r\nfields:\r\n  vendor: {name: yes}\r\ngovernance:\r\n  preset: omb-m-25-21\r\n"
    policy.write_bytes(text.encode("utf-8"))
    assert main(["import", "--mapping", "omb-2025", "--write-policy"]) == 0
    data = policy.read_bytes()
    assert data.startswith(text.encode("utf-8")[: len("# ours\r\nfields:\r\n  vendor: {name: yes}\r\n")])
    assert data.count(b"\n") == data.count(b"\r\n") > 10  # every line ends as the file's did
    capsys.readouterr()
    assert main(["validate", "-q"]) == 0, capsys.readouterr()


def test_a_policy_with_document_markers_takes_the_merge_inside_its_document(office, capsys):
    policy = office / "policy.yml"
    for example in (office / "initiatives").glob("*.yaml"):
        example.unlink()
    policy.write_text("---\ncurrency: USD\n...\n", encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue"]) == 0
    text = policy.read_text(encoding="utf-8")
    assert text.startswith("---\ncurrency: USD\n\n# added by scorecard import --write-policy\n")
    assert text.endswith("\n...\n")
    capsys.readouterr()
    assert main(["validate", "-q"]) == 0, capsys.readouterr()
