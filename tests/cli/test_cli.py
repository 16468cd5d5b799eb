"""The command line's wiring: formats, exit codes, schema and starter files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import PORTFOLIO, ROOT, SAMPLE, mutate
from scorecard.cli import main
from sites import project
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
    expected = [
        f"::group::{F}",
        f"::warning file={F},line=16,col=103,title=scorecard [exemption-expired]::the exemption of 'governance.monitoring' "
        "expired in 2026-05 and no longer counts; renew it with a new expiry month and approver, or remove it",
        f"::error file={F},line=48,col=28,title=scorecard [kpi-undeclared]::KPI 'hours_savd' in month 2026-02 is not "
        "declared under kpis; did you mean 'hours_saved'?",
        "::endgroup::",
        "1 file checked: 1 error, 1 warning",
    ]
    assert capsys.readouterr().out.splitlines() == expected
    # like yamllint: the github format by itself under GitHub Actions, when no format is named
    os.environ["GITHUB_ACTIONS"] = "true"
    try:
        assert main(["validate", "--today", "2026-11", "."]) == 1
        assert capsys.readouterr().out.splitlines() == expected
        assert main(["validate", "--today", "2026-11", "--format", "standard", "."]) == 1
        assert capsys.readouterr().out.splitlines()[0].startswith(f"{F}:16:103: warning")
    finally:
        del os.environ["GITHUB_ACTIONS"]


def test_more_problems_than_github_shows_get_a_notice_and_the_job_summary_lists_them_all(tmp_path, monkeypatch, capsys):
    files = {f"init-{n:02d}.yaml": mutate(SAMPLE, "hours_saved: 90}", "hours_savd: 90}") for n in range(12)}
    files["a|b.yaml"] = "name: [\n"  # a hostile name: the summary's table cell stays one cell
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert main(["validate", "--format", "github", "--today", "2026-11", "."]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out.count("::endgroup::") == 13 and out[-2:] == [
        "::notice::13 errors: GitHub shows 10 as annotations; the log above and the job summary list them all",
        "12 files checked: 13 errors, 0 warnings"]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8").splitlines()
    assert summary[0] == "### 12 files checked: 13 errors, 0 warnings"
    rows = [r for r in summary if r.startswith("| <code>")]
    assert len(rows) == 13 and all(r.count(" | ") == 4 for r in rows)  # the '|' of the name is escaped
    assert rows[-1].startswith("| <code>init&#45;11&#46;yaml</code> | 48 | error |")


def test_sarif_format_validates_against_the_sarif_schema(bad_dir, capsys, sarif_schema):
    import jsonschema

    (bad_dir / "déjà vu.yaml").write_text("name: [\n", encoding="utf-8")  # a name to percent-encode
    assert main(["validate", "--format", "sarif", "--today", "2026-11", "."]) == 1
    doc = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    [run] = doc["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["exemption-expired", "file-name", "kpi-undeclared"]
    assert run["tool"]["driver"]["rules"][2]["shortDescription"]["text"] == "month blocks report only KPIs declared under kpis"
    places = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]]
    assert places == [
        ("file-name", "error", "d%C3%A9j%C3%A0%20vu.yaml", {"startLine": 1, "startColumn": 1}),
        ("exemption-expired", "warning", F, {"startLine": 16, "startColumn": 103}),
        ("kpi-undeclared", "error", F, {"startLine": 48, "startColumn": 28})]
    assert run["results"][2]["message"]["text"] == ("KPI 'hours_savd' in month 2026-02 is not declared under kpis; "
                                                    "did you mean 'hours_saved'?")


def test_a_policy_s_problems_are_named_as_the_repository_names_them_in_every_format(tmp_path, monkeypatch, capsys,
                                                                                     sarif_schema):
    import jsonschema

    (tmp_path / "initiatives").mkdir()
    (tmp_path / "initiatives" / F).write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "policy.yml").write_text("currency: 12\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Acme\nplugins:\n  - scorecard:\n      policy: config/policy.yml\n",
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert main(["validate", "--format", "sarif", "--today", "2026-11"]) == 1
    out = capsys.readouterr()
    doc = json.loads(out.out)  # on stdout, as every SARIF report (validate --format sarif > problems.sarif)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    [result] = doc["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "config/policy.yml"
    assert main(["validate", "--format", "github", "--today", "2026-11"]) == 1
    assert capsys.readouterr().out.splitlines()[1] == (
        "::error file=config/policy.yml,line=1,col=11,title=scorecard [type]::'currency' must be text, got 12; put "
        "the value in quotes")
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| <code>config&#47;policy&#46;yml</code> | 1 | error |" in summary


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
    assert main(["new", "Bad_Id"]) == 2  # a usage error


def test_console_script_runs_without_traceback(tmp_path):
    (tmp_path / "x.yaml").write_text("a: !!python/object/apply:os.system ['true']\n")
    proc = subprocess.run([sys.executable, "-m", "scorecard.cli", "validate", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout


def _portfolio(tmp_path):
    from sites import project

    (tmp_path / "initiatives").mkdir()
    (tmp_path / "initiatives" / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    return project(tmp_path, tmp_path / "initiatives")


NO_TRACEBACK = [
    # (arguments, environment, exit code, the one line on stderr)
    (["build", "--previous", "{prev}"], {}, 1,
     "scorecard: error: {prev}: not a complete scorecard.json (currency: field required); "
     "give the scorecard.json of a published month"),
    (["build"], {"SOURCE_DATE_EPOCH": "yesterday"}, 1,
     "scorecard: error: the site build failed, {tmp}/site is unchanged: SOURCE_DATE_EPOCH must be a whole number of "
     "seconds since 1970, got 'yesterday'; unset it to date the build at the end of the as-of month"),
    (["report", "--as-of", "9999-12"], {}, 2,
     "scorecard report: error: argument --as-of: '9999-12' is not a month: write it as YYYY-MM between 1970-01 and "
     "2099-12, e.g. 2026-11"),
    (["publish", "--month", "0000-01"], {}, 2,
     "scorecard publish: error: argument --month: '0000-01' is not a month: write it as YYYY-MM between 1970-01 and "
     "2099-12, e.g. 2026-11"),
    (["build", "--site-dir", "/"], {}, 1,
     "scorecard: error: refusing to build the site into /: it contains the project root ({tmp}), "
     "which the build would empty; choose another --site-dir"),
    (["diff", "--base", "nosuchref"], {}, 1,
     "scorecard: error: 'nosuchref' is not a commit in this repository; fetch it first (git fetch origin nosuchref)"),
    (["validate", "--config", "{tmp}"], {}, 1, "scorecard: error: {tmp}: Is a directory"),
    (["report", "--as-of", "2026-11"], {}, 2,
     "scorecard: error: --as-of 2026-11 has not ended yet (today is in 2026-11): the latest month to judge as of is 2026-10"),
    (["build", "--as-of", "2020-01"], {}, 1,
     "scorecard: error: --as-of 2020-01 is before the first month of figures, 2026-01: give a month from 2026-01 to 2026-10"),
    (["report"], {"SCORECARD_TODAY": "soon"}, 1,
     "scorecard: error: SCORECARD_TODAY: 'soon' is not a month: write it as YYYY-MM between 1970-01 and 2099-12, e.g. 2026-11"),
]


@pytest.mark.parametrize("args,env,code,line", NO_TRACEBACK, ids=[" ".join(a[0][:3]) for a in NO_TRACEBACK])
def test_no_traceback_for_what_a_user_can_type(tmp_path, args, env, code, line):
    config = _portfolio(tmp_path)
    prev = tmp_path / "previous.json"
    prev.write_text('{"report_version": 1, "as_of": "2026-09", "portfolio": {}, "initiatives": []}', encoding="utf-8")
    args = [a.format(prev=prev, tmp=tmp_path) for a in args]
    if "--config" not in args:
        args += ["--config", str(config)]
    if args[0] == "diff":
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    proc = subprocess.run([sys.executable, "-m", "scorecard", *args], cwd=tmp_path, capture_output=True, text=True,
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1", **env}, timeout=300)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    shown = proc.stderr.strip().splitlines()
    # a usage error (2) shows argparse's usage first; anything else is the one line
    assert (shown[-1:] if code == 2 else shown) == [line.format(prev=prev, tmp=tmp_path)]


def test_serve_on_a_port_in_use_says_so(tmp_path):
    import socket

    config = _portfolio(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "scorecard", "serve", "--config", str(config),
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=tmp_path, capture_output=True, text=True,
                              env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        f"scorecard: error: cannot serve on 127.0.0.1:{port}: Address already in use; "
        "choose another address with --dev-addr 127.0.0.1:8001")


@pytest.mark.parametrize("plugins,line", [
    ("- scorecard: x", "scorecard: error: mkdocs.yml: the scorecard plugin's options must be a mapping such as "
                       "{initiatives: initiatives}"),
    ("- scorecard: {initiatives: 5}", "scorecard: error: mkdocs.yml: the scorecard option 'initiatives' must be text, "
                                      "e.g. initiatives: ..."),
])
def test_mistyped_plugin_options_get_one_line(tmp_path, capsys, plugins, line):
    (tmp_path / "mkdocs.yml").write_text(f"plugins:\n  {plugins}\n", encoding="utf-8")
    assert main(["report", "--config", str(tmp_path / "mkdocs.yml")]) == 1
    assert capsys.readouterr().err.splitlines() == [line]


def test_a_previous_scorecard_with_text_for_numbers_is_refused(tmp_path, capsys):
    from builders import to_dict
    from scorecard.rules.scorecard import compute_scorecard
    from scorecard.policy import Policy
    from scorecard.months import parse_month
    from scorecard.report.read import report_problem
    from scorecard.validate.run import validate_paths

    result = validate_paths([PORTFOLIO], today=parse_month("2026-11"), base=PORTFOLIO)
    doc = to_dict(compute_scorecard(result.initiatives, parse_month("2026-10"), Policy()))
    assert report_problem(doc) is None
    doc["portfolio"]["active_users"] = "5"
    assert report_problem(doc) == "portfolio.active_users: input should be a valid integer"


def test_a_configuration_error_in_mkdocs_yml_is_one_line(tmp_path, capsys):
    config = _portfolio(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n",
                                                                  "  name: material\n  custom_dir: nowhere\n"),
                      encoding="utf-8")
    assert main(["build", "--config", str(config), "--site-dir", str(tmp_path / "site")]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"scorecard: error: {config}: Config value 'theme': The path set in custom_dir "
        f"('{tmp_path / 'nowhere'}') does not exist.")


def test_build_prints_the_warnings_it_found_once(tmp_path, capsys):
    config = _portfolio(tmp_path)
    path = tmp_path / "initiatives" / "sample.yaml"
    path.write_text(mutate(SAMPLE, "business_unit: Legal", "business_unit: TODO"), encoding="utf-8")
    assert main(["build", "--config", str(config), "--site-dir", str(tmp_path / "site")]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "initiatives/sample.yaml:3:16: warning [starter-todo] 'business_unit' still holds the starter text 'TODO'; "
        "replace it with the real value (an error under --strict)"]


def test_each_build_in_one_process_dates_itself_and_leaves_the_environment_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = _portfolio(tmp_path)
    for month, day in (("2026-01", "2026-01-31"), ("2026-02", "2026-02-28")):
        site = tmp_path / f"site-{month}"
        assert main(["build", "--config", str(config), "--site-dir", str(site), "--as-of", month]) == 0
        assert f"<lastmod>{day}</lastmod>" in (site / "sitemap.xml").read_text(encoding="utf-8")
        assert "SOURCE_DATE_EPOCH" not in os.environ


def _as_of(capsys, *args: str) -> str:
    code = main(["report", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)["as_of"]


def test_the_reporting_month_is_the_last_complete_month_unless_pinned(tmp_path, capsys):
    config = _portfolio(tmp_path)
    assert _as_of(capsys, "--config", str(config)) == "2026-10"  # the tests' clock says 2026-11
    assert _as_of(capsys, "--config", str(config), "--today", "2026-05") == "2026-04"
    assert _as_of(capsys, "--config", str(config), "--today", "2026-05", "--as-of", "2026-01") == "2026-01"
    pinned = project(tmp_path / "pinned", tmp_path / "initiatives", as_of="2026-02")
    assert _as_of(capsys, "--config", str(pinned)) == "2026-02"
    assert _as_of(capsys, "--config", str(pinned), "--today", "2030-01") == "2026-02"  # a snapshot stays a snapshot
    assert _as_of(capsys, "--config", str(pinned), "--as-of", "2026-04") == "2026-04"  # --as-of overrides the option
    late = project(tmp_path / "late", tmp_path / "initiatives", as_of="2026-11")
    assert main(["report", "--config", str(late)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "scorecard: error: mkdocs.yml: as_of 2026-11 has not ended yet (today is in 2026-11): "
        "the latest month to judge as of is 2026-10")


def test_one_team_s_early_month_cannot_move_everyone_s_month(tmp_path, capsys):
    """The old default took the latest month any file had: one block for the current month turned others stale."""
    config = _portfolio(tmp_path)
    early = tmp_path / "initiatives" / "early.yaml"
    early.write_text(SAMPLE + "  2026-11:\n    note: Half the month so far.\n", encoding="utf-8")
    assert main(["report", "--config", str(config)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{early.relative_to(tmp_path)}:{SAMPLE.count(chr(10)) + 1}:3: error [month-not-ended] 2026-11 has not ended yet; "
        "submit its figures after it ends; remove the 2026-11 block for now (the current month is 2026-11)")


def test_a_command_reads_only_what_it_needs(tmp_path, capsys, monkeypatch):
    """The run's context reads mkdocs.yml and the clock the first time a stage needs them: a broken mkdocs.yml or a
    bad $SCORECARD_TODAY stops only the commands that use them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("plugins: [\n", encoding="utf-8")  # not YAML
    assert main(["schema", "--report"]) == 0
    assert main(["import", "--mapping", "omb-2025", "--print-policy"]) == 0
    capsys.readouterr()
    assert main(["validate"]) == 1
    assert capsys.readouterr().err.startswith("scorecard: error: mkdocs.yml: cannot read it as YAML: ")
    (tmp_path / "mkdocs.yml").unlink()
    monkeypatch.setenv("SCORECARD_TODAY", "bogus")
    assert main(["schema"]) == 0 and main(["rules"]) == 0
    assert main(["new", "foo", "--month", "2026-01", "--dir", str(tmp_path / "new")]) == 0
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "new")]) == 1
    assert capsys.readouterr().err.startswith("scorecard: error: SCORECARD_TODAY: 'bogus' is not a month")


@pytest.mark.parametrize("command", [["publish"], ["serve"], ["build"]])
def test_the_site_commands_need_mkdocs_yml_and_say_so_at_once(tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    assert main(command) == 1
    assert capsys.readouterr().err == "scorecard: error: mkdocs.yml: no such file; the site is configured in mkdocs.yml\n"


def test_a_policy_beside_a_mkdocs_yml_in_a_subfolder_is_named_from_the_working_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "sc" / "initiatives").mkdir(parents=True)
    (tmp_path / "sc" / "initiatives" / F).write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "sc" / "policy.yml").write_text("currency: USD\nbogus: 1\n", encoding="utf-8")
    (tmp_path / "sc" / "mkdocs.yml").write_text("site_name: Acme\nplugins:\n  - scorecard:\n      policy: policy.yml\n",
                                                encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--format", "github", "-f", "sc/mkdocs.yml", "--today", "2026-11"]) == 1
    group, error = capsys.readouterr().out.splitlines()[:2]
    assert group == "::group::sc/policy.yml"
    assert error.startswith("::error file=sc/policy.yml,line=2,col=1,title=scorecard [unknown-key]::unknown key 'bogus';")
