"""The command line's wiring: formats, exit codes, schema and starter files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE, mutate
from scorecard.cli import main
from scorecard.model import json_schema

F = "sample-initiative.yaml"


@pytest.fixture
def bad_dir(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "hours_saved: 90}", "hours_savd: 90}")
    text = mutate(text, "expires: 2026-12", "expires: 2026-05")
    (tmp_path / F).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_github_format(bad_dir, capsys):
    assert main(["validate", "--format", "github", "--today", "2026-11", "."]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"::warning file={F},line=16,col=103,title=scorecard [exemption-expired]::the exemption of 'governance.monitoring' "
        "expired in 2026-05 and no longer counts; renew it with a new expiry month and approver, or remove it",
        f"::error file={F},line=48,col=28,title=scorecard [kpi-undeclared]::KPI 'hours_savd' in month 2026-02 is not "
        "declared under kpis; did you mean 'hours_saved'?",
        "1 file checked: 1 error, 1 warning",
    ]


def test_json_format(bad_dir, capsys):
    assert main(["validate", "--format", "json", "--today", "2026-11"] + [F]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["files"], report["errors"], report["warnings"]) == (1, 1, 1)
    assert report["problems"][1] == {
        "path": F, "line": 48, "column": 28, "level": "error", "rule": "kpi-undeclared",
        "message": "KPI 'hours_savd' in month 2026-02 is not declared under kpis", "hint": "did you mean 'hours_saved'?"}


def test_warnings_fail_only_with_strict(tmp_path, monkeypatch, capsys):
    (tmp_path / F).write_text(mutate(SAMPLE, "expires: 2026-12", "expires: 2026-05"))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", ".", "--today", "2026-11"]) == 0
    assert main(["validate", ".", "--today", "2026-11", "--strict"]) == 1


def test_missing_path_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "nowhere"]) == 2
    assert capsys.readouterr().err == "scorecard: error: nowhere: no such file or folder\n"


def test_bad_month_argument_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--today", "2026-13"])
    assert exc.value.code == 2
    assert "'2026-13' is not a month: write it as YYYY-MM" in capsys.readouterr().err


def test_committed_schema_is_current():
    committed = json.loads((ROOT / "schema" / "initiative.schema.json").read_text())
    assert committed == json_schema(), "run: scorecard schema > schema/initiative.schema.json"


def test_new_writes_a_starter_that_validates(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "contract-review", "--month", "2026-11"]) == 0
    assert capsys.readouterr().out.startswith("wrote initiatives/contract-review.yaml")
    assert main(["validate", "--today", "2026-11"]) == 0
    assert main(["new", "contract-review"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["new", "Bad_Id"]) == 1


def test_console_script_runs_without_traceback(tmp_path):
    (tmp_path / "x.yaml").write_text("a: !!python/object/apply:os.system ['true']\n")
    proc = subprocess.run([sys.executable, "-m", "scorecard.cli", "validate", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
