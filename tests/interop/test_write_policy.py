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
        f"scorecard: error: {policy}: the mapping omb-2025 records the governance controls of the omb-m-25-21 "
        "catalogue, and the policy's is default: merging replaces it, and 1 initiative then records controls it "
        "does not have (errors until they are changed); run again with --replace-catalogue to merge anyway\n")
    assert policy.read_text(encoding="utf-8") == before  # nothing written
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [f"{policy}: added stage_requirements, governance, fields"]
    after = policy.read_text(encoding="utf-8")
    assert after.startswith(before)  # every line and comment of the office's file is still there, in order
    assert "  preset: omb-m-25-21\n" in after and "  agency:\n    name: Agency\n" in after
    # run again: nothing more to add
    assert main(["import", "--mapping", "omb-2025", "--write-policy"]) == 0
    assert capsys.readouterr().out == f"{policy}: it has everything the mapping needs\n"
    assert policy.read_text(encoding="utf-8") == after


def test_write_policy_merges_into_the_blocks_the_file_has(office, capsys):
    policy = office / "policy.yml"
    policy.write_text("# ours\ncurrency: EUR   # we report in euros\nfields:\n  vendor: {name: Supplier}\n"
                      "governance:\n  preset: omb-m-25-21\n", encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"{policy}: kept its own fields.vendor.name (the mapping's differs)"
    text = policy.read_text(encoding="utf-8")
    assert text.startswith("# ours\ncurrency: EUR   # we report in euros\nfields:\n  vendor: {name: Supplier}\n  agency:\n")
    assert "governance:\n  preset: omb-m-25-21\n  controls:\n    pre_deployment_testing:\n" in text
    # a block written inside { } cannot take an entry as text: one line, nothing written
    policy.write_text("fields: {vendor: {name: Supplier}}\n", encoding="utf-8")
    assert main(["import", "--mapping", "omb-2025", "--write-policy", "--replace-catalogue"]) == 1
    assert capsys.readouterr().err == (f"scorecard: error: {policy}:1: 'fields' is written inside {{ }}; write it as "
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
