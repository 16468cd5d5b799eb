"""`scorecard init DIR`: a new portfolio repository that works at once.

The end-to-end test uses only the installed wheel (built from this clone into a fresh virtual
environment that borrows the test environment's third-party libraries, as in test_package.py): it
writes a portfolio into a clone of a bare origin, commits it, then validates, reports, builds,
publishes a month with mike, and plays a pull request through the commands of the generated
workflows. The other tests check each generated file against its source of truth (the policy
model, the initiative model, this repository's mkdocs.yml, example portfolio and pre-commit hook),
the refusals, and the GitHub Action in action.yml.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import GIT_ENV, ROOT, lint
from scorecard import __version__
from scorecard.cli import main
from scorecard.clock import this_month
from actions import ACTION, _runs, action_inputs, action_step, run_action
from scorecard.release import TOOL_REPO
from scorecard.scaffold.portfolio import EXAMPLE_ID, EXAMPLES_AS_OF, InitOptions, portfolio_files
from scorecard.model import json_schema
from scorecard.months import format_month, parse_month
from scorecard.policy import Policy, load_policy
from scorecard.validate.run import validate_paths

EXAMPLES = ROOT / "scorecard" / "data" / "portfolio" / "examples"
TOOLS = ROOT / "tests" / ".tools"
NAME = 'Acme: "AI" #1'
FILES = {"mkdocs.yml", "policy.yml", f"initiatives/{EXAMPLE_ID}.yaml", "docs/.gitkeep", "schema/initiative.schema.json",
         ".gitignore", ".yamllint", ".pre-commit-config.yaml", ".github/CODEOWNERS", ".github/workflows/validate.yml",
         ".github/workflows/publish.yml", ".vscode/settings.json", "README.md"}


PIN = "0123456789abcdef0123456789abcdef01234567"
"""The commit of ai-scorecard the tests' workflows pin its Action to (the one this copy was built from depends on
whether the checkout the tests run in has changes)."""


def init(folder: Path, *args: str) -> int:
    return main(["init", str(folder), *args, *(() if "--action-ref" in args else ("--action-ref", PIN))])


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def uncommented(text: str) -> str:
    """policy.yml with the '# ' removed in front of every key: the whole policy written out."""
    return re.sub(r"^# (?=\s*[a-z_]+:)", "", text, flags=re.M)


# What init writes --------------------------------------------------------------------------------------------------

def test_init_writes_a_portfolio_whose_example_validates_clean(tmp_path, capsys):
    folder = tmp_path / "acme"
    assert init(folder, "--repo", "acme/ai-portfolio") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {len(FILES)} files in {folder}:\n  mkdocs.yml\n")
    assert f"  cd {folder}\n" in out and "git remote add origin https://github.com/acme/ai-portfolio.git" in out
    assert files_under(folder) == FILES
    result = validate_paths([folder / "initiatives"], today=this_month(), base=folder)
    assert (result.files, result.problems) == (1, [])
    example = yaml.safe_load((folder / "initiatives" / f"{EXAMPLE_ID}.yaml").read_text(encoding="utf-8"))
    assert example["stage"] == "pilot"
    assert list(example["months"]) == [format_month(this_month() - n) for n in (3, 2, 1)]  # up to the month just ended


def test_examples_give_every_packaged_initiative_judged_as_of_their_last_month(tmp_path, capsys):
    assert init(tmp_path / "acme", "--examples") == 0
    written = sorted((tmp_path / "acme" / "initiatives").iterdir())
    assert [p.name for p in written] == sorted(p.name for p in EXAMPLES.glob("*.yaml"))
    n = len(written)
    assert n >= 12
    result = validate_paths([tmp_path / "acme" / "initiatives"], today=this_month(), base=tmp_path / "acme")
    assert (result.files, [p for p in result.problems if p.level == "error"]) == (n, [])
    capsys.readouterr()
    # a snapshot: judged as of its last month however late it is installed
    assert main(["report", "--format", "json", "--today", "2031-01", "--config", str(tmp_path / "acme" / "mkdocs.yml")]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == EXAMPLES_AS_OF
    owners = (tmp_path / "acme" / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert re.search(r"^/initiatives/contract-review\.yaml +@ORG/legal-ai-team$", owners, re.M)
    assert len(re.findall(r"^/initiatives/", owners, re.M)) == n


def test_the_packaged_examples_can_be_refreshed_from_this_repository(update_golden):
    """The wheel carries a snapshot of initiatives/ (package data must live in the package). It is not compared
    with initiatives/, so that changing the example portfolio breaks no test: after changing it, refresh the
    snapshot with `./dev test tests/scaffold/test_init.py --update-golden`."""
    if update_golden:
        shutil.rmtree(EXAMPLES, ignore_errors=True)
        EXAMPLES.mkdir(parents=True)
        for path in (ROOT / "initiatives").glob("*.yaml"):
            shutil.copyfile(path, EXAMPLES / path.name)
    result = validate_paths([EXAMPLES], today=parse_month("2026-11"), base=EXAMPLES)
    assert (result.files, result.problems) == (len(list(EXAMPLES.glob("*.yaml"))), [])
    assert result.files >= 12


@pytest.mark.parametrize("name", [NAME, "it's \\ 'quoted'", "- a dash", "{brace}: [x]", "*star &anchor !tag %",
                                  "@at `tick` | pipe > gt", "財務 ünïcödé 😀", "  padded  ", "123", "null", "yes"])
def test_a_name_round_trips_into_site_name(name):
    files = portfolio_files(InitOptions(name=name), this_month())
    assert yaml.safe_load(files["mkdocs.yml"])["site_name"] == name
    assert files["README.md"].startswith(f"# {name}\n")


def test_mkdocs_yml_has_this_repositorys_theme_and_points_at_the_policy(tmp_path):
    assert init(tmp_path / "acme", "--repo", "acme/ai-portfolio", "--name", NAME) == 0
    ours = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    text = (tmp_path / "acme" / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert config["theme"] == ours["theme"] and config["theme"]["font"] is False and "custom_dir" not in config["theme"]
    assert config["markdown_extensions"] == ours["markdown_extensions"]
    assert config["site_url"] == "https://acme.github.io/ai-portfolio/"
    assert "repo_url" not in config  # commented out: Material would ask api.github.com for stars
    assert "# repo_url: \"https://github.com/acme/ai-portfolio\"" in text
    options = config["plugins"][1]["scorecard"]
    assert options == {"initiatives": "initiatives", "policy": "policy.yml", "templates": "site_templates",
                       "edit_url": "https://github.com/acme/ai-portfolio/edit/main/{path}"}


def test_site_url_given_or_none():
    given = yaml.safe_load(portfolio_files(InitOptions(site_url="https://ai.acme.example/scorecard"), 0)["mkdocs.yml"])
    assert given["site_url"] == "https://ai.acme.example/scorecard/" and "repo_url" not in given
    assert "edit_url" not in given["plugins"][1]["scorecard"]
    none = yaml.safe_load(portfolio_files(InitOptions(), 0)["mkdocs.yml"])
    assert "site_url" not in none and none["site_name"] == "AI initiative scorecard"


def effective(policy: Policy) -> dict:
    """The policy as data, with the governance tiers as the catalogue resolves them (the file spells them out)."""
    data = policy.model_dump(mode="json", by_alias=True)
    for tier in ("low", "medium", "high"):
        data["governance"]["required"][tier] = list(policy.catalogue.required_for(tier))
        data["governance"].pop(tier, None)
    return data


def test_policy_yml_is_every_default_commented_out(tmp_path):
    text = portfolio_files(InitOptions(), this_month())["policy.yml"]
    (tmp_path / "policy.yml").write_text(text, encoding="utf-8")
    assert yaml.safe_load(text) is None  # nothing but comments
    assert load_policy(tmp_path / "policy.yml") == Policy()
    (tmp_path / "policy.yml").write_text(uncommented(text), encoding="utf-8")
    written = yaml.safe_load(uncommented(text))
    assert written == effective(Policy())  # every key, at its default
    assert effective(load_policy(tmp_path / "policy.yml")) == effective(Policy())
    assert load_policy(tmp_path / "policy.yml").catalogue == Policy().catalogue


def test_currency_is_written_uncommented(tmp_path):
    assert init(tmp_path / "acme", "--currency", "EUR") == 0
    path = tmp_path / "acme" / "policy.yml"
    assert load_policy(path) == Policy(currency="EUR")
    assert re.findall(r"^[a-z].*", path.read_text(encoding="utf-8"), re.M) == ["currency: EUR"]
    assert yaml.safe_load(uncommented(path.read_text(encoding="utf-8"))) == effective(Policy(currency="EUR"))


def test_schema_editor_settings_and_pre_commit_hook(tmp_path):
    folder = tmp_path / "acme"
    assert init(folder) == 0
    assert json.loads((folder / "schema" / "initiative.schema.json").read_text(encoding="utf-8")) == json_schema()
    settings = json.loads((folder / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    [(schema, globs)] = settings["yaml.schemas"].items()
    assert (folder / schema).is_file() and "initiatives/*.yaml" in globs
    assert (folder / "initiatives" / f"{EXAMPLE_ID}.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/initiative.schema.json\n")
    # a local hook (issue 23 §1): no placeholder repository, no mutable rev; it runs the installed scorecard
    [repo] = yaml.safe_load((folder / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert repo["repo"] == "local" and "rev" not in repo
    assert [(h["id"], h["entry"], h["language"]) for h in repo["hooks"]] == [(hooks[0]["id"], "scorecard validate", "system")]
    assert "rev: main" not in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").split()
    assert ignored == ["site/", ".venv/", "/.site-new-*", "/.site-old-*"]
    owners = (folder / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert re.search(r"^\*\s+@ORG/ai-program-office$", owners, re.M)
    assert re.search(rf"^/initiatives/{EXAMPLE_ID}\.yaml\s+@ORG/customer-service-ai-team$", owners, re.M)
    workflows = folder / ".github" / "workflows"
    # the workflows use the tool's Action, pinned by its commit with the version beside it (issue 23 §1, §3)
    texts = [(workflows / name).read_text(encoding="utf-8") for name in ("validate.yml", "publish.yml")]
    uses = [line.strip().removeprefix("- ") for text in texts for line in text.splitlines()
            if f"uses: {TOOL_REPO}@" in line]
    assert len(uses) == 3 and set(uses) == {f"uses: {TOOL_REPO}@{PIN}  # v{__version__}"}
    assert not any("pip install" in text for text in texts)


# Refusals ----------------------------------------------------------------------------------------------------------

def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path, capsys):
    folder = tmp_path / "acme"
    (folder / "initiatives").mkdir(parents=True)
    (folder / "README.md").write_text("ours\n", encoding="utf-8")
    assert init(folder) == 1
    assert capsys.readouterr().err == (f"scorecard: error: {folder / 'README.md'} exists; nothing was written "
                                       "(--force replaces the files init writes)\n")
    assert files_under(folder) == {"README.md"}
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    (folder / "mkdocs.yml").symlink_to(outside)
    assert init(folder) == 1
    assert f"{folder / 'mkdocs.yml'} exists" in capsys.readouterr().err  # the first in the order written
    assert init(folder, "--force") == 0
    assert files_under(folder) == FILES
    assert (folder / "README.md").read_text(encoding="utf-8") != "ours\n"
    assert not (folder / "mkdocs.yml").is_symlink() and outside.read_text(encoding="utf-8") == "keep\n"


def test_init_refuses_a_file_in_the_way_even_with_force(tmp_path, capsys):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / ".github").write_text("not a folder\n", encoding="utf-8")
    assert init(folder, "--force") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{folder / '.github'} is in the way of" in err
    assert files_under(folder) == {".github"}


@pytest.mark.parametrize(("args", "message"), [
    (["--site-url", "ftp://acme.example/ai/"], "--site-url must be an http(s) address"),
    (["--site-url", "https://acme.example/a b/"], "--site-url must be an http(s) address"),
    (["--site-url", "javascript:alert(1)"], "--site-url must be an http(s) address"),
    (["--site-url", "https://"], "--site-url must be an http(s) address"),
    (["--repo", "acme"], "--repo must be a GitHub repository written ORG/NAME"),
    (["--repo", "acme/ai/portfolio"], "--repo must be a GitHub repository written ORG/NAME"),
    (["--repo", "acme/.."], "--repo must be a GitHub repository written ORG/NAME"),
    (["--repo=-acme/x"], "--repo must be a GitHub repository written ORG/NAME"),
    (["--repo", "acme/x y"], "--repo must be a GitHub repository written ORG/NAME"),
    (["--currency", "eur"], "--currency must be an ISO code of three capital letters"),
    (["--currency", "EURO"], "--currency must be an ISO code of three capital letters"),
    (["--name", "two\nlines"], "--name must be one line of text"),
    (["--name", "   "], "--name must be one line of text"),
])
def test_a_bad_option_gives_one_line_and_writes_nothing(tmp_path, capsys, args, message):
    assert init(tmp_path / "acme", *args) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"scorecard: error: {message}") and err.count("\n") == 1, err
    assert not (tmp_path / "acme").exists()


def test_a_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["init"])
    assert exc.value.code == 2 and "DIR" in capsys.readouterr().err


# The workflows and the action --------------------------------------------------------------------------------------

def _steps(path: Path) -> list[dict]:
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]




def zizmor(*paths: Path, persona: str = "regular") -> list[str]:
    """zizmor's findings (offline: no GitHub API) as one line each, [] when clean."""
    proc = subprocess.run([str(Path(sys.executable).parent / "zizmor"), "--offline", "--no-progress", f"--persona={persona}",
                           "--format=plain", "--color=never", *map(str, paths)],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    # CI sets FORCE_COLOR/CLICOLOR_FORCE, which win over a pipe: strip any escape left all the same
    findings = [line for line in proc.stdout.splitlines() if re.match(r"^(error|warning|help|info)\[", re.sub(r"\x1b\[[0-9;]*m", "", line))]
    assert proc.returncode == 0 or findings, proc.stderr
    return findings


def test_every_workflow_and_the_action_pass_zizmor(tmp_path):
    assert init(tmp_path / "acme", "--repo", "acme/ai-portfolio") == 0
    written = sorted((tmp_path / "acme" / ".github" / "workflows").glob("*.yml"))
    ours = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(written) == 2 and len(ours) == 2
    assert zizmor(*written, *ours, ROOT / "action.yml") == []
    # the auditor persona too: least-privilege permissions per job, names, concurrency
    assert zizmor(*written, *ours, ROOT / "action.yml", persona="auditor") == []


def test_zizmor_finds_what_the_workflows_avoid(tmp_path):
    """The check above can fail: an unpinned action, a persisted token and an input spliced into a script."""
    bad = tmp_path / "bad.yml"
    bad.write_text("name: bad\non:\n  pull_request:\npermissions: {}\njobs:\n  check:\n    name: check\n"
                   "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n", encoding="utf-8")
    found = " ".join(zizmor(bad))
    assert "unpinned-uses" in found and "artipacked" in found and "template-injection" in found


def test_generated_workflows_pass_actionlint(actionlint, tmp_path):
    assert init(tmp_path / "acme", "--repo", "acme/ai-portfolio") == 0
    workflows = tmp_path / "acme" / ".github" / "workflows"
    assert lint(actionlint, workflows / "validate.yml", workflows / "publish.yml") == []
    assert lint(actionlint, *sorted((ROOT / ".github" / "workflows").glob("*.yml"))) == []  # and this repository's


CALLER = """name: Check initiatives
on:
  pull_request:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: example-org/ai-scorecard@v0.1.0
        with:
          command: check
"""


def test_the_action_declares_every_input_it_uses_and_keeps_them_out_of_scripts():
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    declared = set(ACTION["inputs"])
    assert declared == {"command", "version", "base", "month", "python-version"}
    assert set(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", text)) == declared
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step  # inputs reach the shell through env, never as code
        assert "run" not in step or step["shell"] == "bash"


def test_a_workflow_that_uses_the_action_passes_actionlint(actionlint, tmp_path):
    (tmp_path / "check.yml").write_text(CALLER, encoding="utf-8")
    assert lint(actionlint, tmp_path / "check.yml") == []
    [call] = [s for s in yaml.safe_load(CALLER)["jobs"]["check"]["steps"] if "ai-scorecard" in s["uses"]]
    assert set(call["with"]) <= set(ACTION["inputs"])
    assert {k for k, v in ACTION["inputs"].items() if v.get("required")} <= set(call["with"])


def test_the_action_installs_from_its_own_checkout_and_gives_its_outputs(tmp_path):
    """issue 23 §1: `uses: ORG/ai-scorecard@REF` needs no package index; the action says what it found."""
    assert "required" not in ACTION["inputs"]["version"] or not ACTION["inputs"]["version"]["required"]
    assert action_step("Check the inputs", {"command": "check"}, tmp_path, {}).returncode == 0
    bad = action_step("Check the inputs", {"command": "check", "version": "1.0; rm -rf ~"}, tmp_path, {})
    assert bad.returncode == 1 and "::error::version must be an ai-scorecard version" in bad.stdout
    # the install step, as written, from the action's own checkout: pip builds and installs it (into a folder of
    # the test, without its dependencies; the build backend comes from the package index, as on a runner)
    offline = {"PIP_TARGET": str(tmp_path / "installed"), "PIP_NO_DEPS": "1"}
    # the steps run in the pull request's checkout: a module it adds there must not be what `python` imports
    ran = tmp_path / "PLANTED-RAN"
    planted = f"import pathlib\npathlib.Path({str(ran)!r}).write_text('ran')\n"
    (tmp_path / "pip").mkdir()
    (tmp_path / "pip" / "__init__.py").write_text(planted, encoding="utf-8")
    (tmp_path / "pip" / "__main__.py").write_text(planted, encoding="utf-8")
    done = action_step("Install scorecard", {"command": "check"}, tmp_path, offline)
    assert done.returncode == 0, done.stderr
    assert not ran.exists()
    assert f"Successfully installed ai-scorecard-{__version__}" in done.stdout
    assert (tmp_path / "installed" / "scorecard" / "site_templates" / "pages" / "home.md.j2").is_file()
    # a version asks the package index for that one, not the checkout (0.1.0 is not published: pip finds none)
    done = action_step("Install scorecard", {"command": "check", "version": "0.1.0"}, tmp_path, offline)
    assert done.returncode != 0 and "ai-scorecard==0.1.0" in done.stderr
    # the outputs, in an init'd portfolio: counts from validate and the report, and the paths
    assert init(tmp_path / "acme") == 0
    (tmp_path / "acme" / "json.py").write_text(planted, encoding="utf-8")
    (tmp_path / "acme" / "sys.py").write_text(planted, encoding="utf-8")
    out, temp = tmp_path / "github-output", tmp_path / "runner-temp"
    temp.mkdir()
    done = action_step("The outputs", {"command": "check"}, tmp_path / "acme",
                       {"GITHUB_OUTPUT": str(out), "RUNNER_TEMP": str(temp), "SCORECARD_TODAY": "2026-11"})
    assert done.returncode == 0, done.stderr
    assert not ran.exists()
    outputs = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines())
    assert set(outputs) == set(ACTION["outputs"]) - {"digest"}  # the digest step's own
    report = json.loads((temp / "scorecard-report.json").read_text(encoding="utf-8"))
    assert outputs["report"] == str(temp / "scorecard-report.json") and outputs["site"] == ""
    assert (outputs["errors"], outputs["warnings"]) == ("0", "0")
    assert outputs["overdue"] == str(len(report["portfolio"]["overdue"]))
    for verdict in ("scale", "kill", "fix"):
        assert outputs[verdict] == str(report["portfolio"]["by_verdict"].get(verdict, 0))
    # a portfolio that does not validate: the errors counted, no report
    (tmp_path / "acme" / "initiatives" / f"{EXAMPLE_ID}.yaml").write_text("name: [\n", encoding="utf-8")
    out.unlink()
    done = action_step("The outputs", {"command": "check"}, tmp_path / "acme",
                       {"GITHUB_OUTPUT": str(out), "RUNNER_TEMP": str(temp), "SCORECARD_TODAY": "2026-11"})
    outputs = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines())
    assert done.returncode == 0 and outputs["errors"] == "1" and outputs["report"] == "" and outputs["scale"] == ""


def test_pre_commit_runs_the_hook_init_writes(tmp_path):
    """`pre-commit run --all-files` in an init'd repository: it passes, then names a broken file and fails."""
    folder = tmp_path / "acme"
    assert init(folder) == 0
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "SCORECARD_TODAY": "2026-11",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "The portfolio"]):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True)
    pre_commit = [str(Path(sys.executable).parent / "pre-commit"), "run", "--all-files", "--color", "never"]
    done = subprocess.run(pre_commit, cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^scorecard validate\.+Passed$", done.stdout, re.M)
    path = folder / "initiatives" / f"{EXAMPLE_ID}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("risk_tier: low", "risk_tier: lwo"), encoding="utf-8")
    done = subprocess.run(pre_commit, cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and re.search(r"^scorecard validate\.+Failed$", done.stdout, re.M)
    assert f"initiatives/{EXAMPLE_ID}.yaml:" in done.stdout and "did you mean 'low'?" in done.stdout


def test_the_workflows_run_the_action_and_nothing_else_installs_the_tool(tmp_path):
    """The generated workflows check out and call the Action (issue 23 §1); `command: check` runs validate, diff
    and build, in that order, and publish only what publishing needs."""
    assert init(tmp_path / "acme") == 0
    workflows = tmp_path / "acme" / ".github" / "workflows"
    check = _steps(workflows / "validate.yml")
    assert [s["uses"].split("@")[0] for s in check] == ["actions/checkout", TOOL_REPO]
    assert check[1]["with"] == {"command": "check"}
    commands = {s.get("with", {}).get("command") for s in _steps(workflows / "publish.yml") if "with" in s}
    assert commands == {None, "publish", "digest"} - {None} | ({None} & commands)
    runs = [s["run"].split()[1] for s in ACTION["runs"]["steps"]
            if s.get("run", "").startswith("scorecard ") and _runs(s, action_inputs({"command": "check"}))]
    assert runs == ["validate", "diff", "build"]
    installs = [s["name"] for s in ACTION["runs"]["steps"] if "pip install" in s.get("run", "")]
    assert installs == ["Install scorecard"]


# End to end, from the wheel ----------------------------------------------------------------------------------------

def shell(env: Path, folder: Path, command: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run a command line (a workflow step's `run`) with only the wheel's environment and git on PATH."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SOURCE_DATE_EPOCH")}
    proc = subprocess.run(["bash", "-ec", command], cwd=folder, capture_output=True, text=True, timeout=600,
                          env={**clean, **GIT_ENV, "PATH": f"{env / 'bin'}:/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1",
                               **extra})
    assert proc.returncode == 0, f"{command} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.mark.slow
def test_a_new_portfolio_validates_reports_builds_diffs_and_publishes_from_the_wheel(wheel_venv, tmp_path):
    shell(wheel_venv, tmp_path, "git init -q --bare -b main origin.git && git clone -q origin.git work")
    work = tmp_path / "work"
    out = shell(wheel_venv, work, f"scorecard init . --name '{NAME}' --repo acme/ai-portfolio --currency EUR").stdout
    assert "wrote 13 files in .:" in out
    shell(wheel_venv, work, "git checkout -q -b main && git add -A && git commit -q -m 'The portfolio' && git push -q origin main")

    assert shell(wheel_venv, work, "scorecard validate").stdout == "1 file checked: 0 errors, 0 warnings\n"
    report = shell(wheel_venv, work, "scorecard report").stdout
    assert re.search(rf"^{EXAMPLE_ID} +pilot .*EUR", report, re.M), report
    shell(wheel_venv, work, "scorecard build --strict")
    home = (work / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Acme: &#34;AI&#34; #1</title>" in home
    page = (work / "site" / "initiatives" / EXAMPLE_ID / "index.html").read_text(encoding="utf-8")
    assert f"https://github.com/acme/ai-portfolio/edit/main/initiatives/{EXAMPLE_ID}.yaml" in page
    assert shell(wheel_venv, work, "git status --porcelain").stdout == ""  # site/ is ignored

    shell(wheel_venv, tmp_path, "scorecard init examples --examples")
    assert shell(wheel_venv, tmp_path / "examples", "scorecard validate").stdout == (
        f"{len(list(EXAMPLES.glob('*.yaml')))} files checked: 0 errors, 0 warnings\n")

    last = format_month(this_month() - 1)
    published = shell(wheel_venv, work, f"scorecard publish --month {last} --push").stdout
    assert published == f"published {last} to origin/gh-pages; latest points at it\n"

    # A team's pull request next month: the block of the month just ended, checked by the generated workflow.
    next_month = {"SCORECARD_TODAY": format_month(this_month() + 1)}
    shell(wheel_venv, work, "git checkout -q -b update")
    path = work / "initiatives" / f"{EXAMPLE_ID}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        f"  {format_month(this_month())}:\n    users: 17\n    kpis: {{handle_time: 8.0, csat: 84}}\n"
        "    costs: {licenses: 1500, infrastructure: 350, people: 4500}\n"
        "    benefits: {labor_savings: 3100}\n    status: green\n"), encoding="utf-8")
    shell(wheel_venv, work, "git commit -q -am 'Next month'")
    assert shell(wheel_venv, work, "scorecard diff --base main", **next_month).stdout.startswith("## Scorecard check against <code>main</code>")
    diff = json.loads(shell(wheel_venv, work, "scorecard diff --base main --format json", **next_month).stdout)
    assert [f["path"] for f in diff["files"]] == [f"initiatives/{EXAMPLE_ID}.yaml"]
    assert diff["months_added"] == {f"initiatives/{EXAMPLE_ID}.yaml": [format_month(this_month())]}
    assert (diff["problems"], diff["restatements"], diff["goalposts"], diff["removals"]) == ([], [], [], [])
    # ... checked as the generated workflow checks it: its steps, the tool's Action run from this checkout, with
    # the wheel's environment and no ai-scorecard from any package index (issue 23 §1)
    summary, temp = tmp_path / "summary.md", tmp_path / "runner-temp"
    temp.mkdir()
    runner = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(tmp_path / "output"), "RUNNER_TEMP": str(temp),
              "BASE_REF": "main", "PIP_NO_DEPS": "1", "NO_MKDOCS_2_WARNING": "1", **next_month}
    tools = f"{wheel_venv / 'bin'}:/usr/bin:/bin"
    steps = _steps(work / ".github" / "workflows" / "validate.yml")
    assert [s["uses"].split("@")[0] for s in steps] == ["actions/checkout", TOOL_REPO]
    ran = run_action(steps[1]["with"], work, runner, tools)
    assert ran == ["Check the inputs", "Install scorecard", "Validate the initiative files",
                   "What the change does to the scorecard", "Build the site with the base's configuration",
                   "The outputs"]
    assert format_month(this_month()) in summary.read_text(encoding="utf-8")
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text(encoding="utf-8").splitlines())
    assert (outputs["errors"], outputs["site"]) == ("0", str(work / "site"))

    # The office's monthly publish next month, by the generated workflow's Action: a re-publish of a month
    # chosen by hand, then the scheduled run (no month given), which publishes the month just ended.
    [publish] = [s for s in _steps(work / ".github" / "workflows" / "publish.yml")
                 if s.get("with", {}).get("command") == "publish"]
    run_action({**publish["with"], "month": last}, work, runner, tools)
    ended = format_month(this_month())
    run_action({**publish["with"], "month": ""}, work, runner, tools)
    from scorecard.fmt import month_name

    titles = [ln for ln in summary.read_text(encoding="utf-8").splitlines() if ln.startswith("# ")]
    assert titles[-1].endswith(month_name(ended, long=True))  # the month's digest, in the job summary
    shell(wheel_venv, work, "git fetch -q origin")
    versions = json.loads(shell(wheel_venv, work, "git show origin/gh-pages:versions.json").stdout)
    assert [(v["version"], v["aliases"]) for v in versions] == [(ended, ["latest"]), (last, [])]
    card = json.loads(shell(wheel_venv, work, f"git show origin/gh-pages:{last}/scorecard.json").stdout)
    assert card["as_of"] == last


def test_this_repositorys_workflows_are_the_ones_init_writes_with_its_own_action():
    """The example portfolio's workflows run what a portfolio's run, with `uses: ./` for the pinned release."""
    files = portfolio_files(InitOptions(action_ref=PIN), this_month())
    for name in ("validate.yml", "publish.yml"):
        ours = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        written = files[f".github/workflows/{name}"].replace(
            f"uses: {TOOL_REPO}@{PIN}  # v{__version__}",
            "uses: ./   # this repository's own action.yml, as a portfolio's workflow uses it  # zizmor: ignore[self-repository] actionlint knows no $/")
        assert ours.split("\n", 2)[2] == written, name


def test_without_a_known_commit_init_pins_the_tag_and_says_so(tmp_path, capsys, monkeypatch):
    import scorecard.release

    monkeypatch.setattr(scorecard.release, "tool_commit", lambda: None)
    assert main(["init", str(tmp_path / "acme")]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"scorecard: warning: the workflows use ai-scorecard's Action at the tag v{__version__}, which can be moved: "
        "this copy does not know the commit it was built from; give it with --action-ref COMMIT, or replace "
        f"@v{__version__} in .github/workflows/ with the release's commit"]
    text = (tmp_path / "acme" / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    assert (f"uses: {TOOL_REPO}@v{__version__}  # v{__version__}: a tag, not a pin; init --action-ref COMMIT pins it"
            in text)
    assert main(["init", str(tmp_path / "b"), "--action-ref", "v1; rm -rf ~"]) == 1
    assert capsys.readouterr().err == ("scorecard: error: --action-ref must be the full 40-character commit of "
                                       "ai-scorecard to pin its Action to (a tag can be moved); got 'v1; rm -rf ~'\n")
    assert not (tmp_path / "b").exists()


@pytest.mark.slow
def test_a_wheel_built_from_an_unchanged_checkout_records_its_commit(tmp_path):
    """setup.py's build step: the commit goes into the wheel only when the checkout's tracked files are unchanged."""
    import zipfile

    clone = tmp_path / "tool"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, env={**os.environ, **GIT_ENV})
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True).stdout.strip()

    def built(name: str) -> set[str]:
        out = tmp_path / name
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(clone)],
                       check=True, capture_output=True)
        [wheel] = out.glob("*.whl")
        with zipfile.ZipFile(wheel) as z:
            return {n: z.read(n).decode() for n in z.namelist() if n.endswith("_commit.txt")}

    assert built("clean") == {"scorecard/_commit.txt": head + "\n"}
    (clone / "scorecard" / "fmt.py").write_text("# changed\n", encoding="utf-8")
    assert built("changed") == {}


@pytest.mark.parametrize("examples", [False, True])
def test_yamllint_passes_every_file_init_and_new_write(tmp_path, examples):
    """init writes a .yamllint (issue 23 §4) that its own files, and a starter from `scorecard new`, pass."""
    folder = tmp_path / "acme"
    assert init(folder, *(["--examples"] if examples else [])) == 0
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["new", "claims-triage", "--today", "2026-11"]) == 0
    finally:
        os.chdir(cwd)
    done = subprocess.run([sys.executable, "-m", "yamllint", "-f", "parsable", "."], cwd=folder,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "")
    # and it is yamllint's own check: a slip it is there for fails
    (folder / "initiatives" / "claims-triage.yaml").write_text("name: x\nname: y\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "yamllint", "-f", "parsable", "."], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "duplication of key" in done.stdout
