"""`scorecard diff --base REF`: every change to the past, on real git repositories in temp folders.

Each test starts from a repository whose `main` holds one initiative (the
sample fixture as initiatives/contract-review.yaml), changes the working tree
the way a pull request would, and reads the Markdown or JSON the command
prints, with and without `--strict`.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import asdict
from pathlib import Path

import markdown
import pytest

from conftest import GIT_ENV, SAMPLE, mutate
from scorecard.cli import main
from scorecard.months import parse_month
from scorecard.render.escape import md_inline
from scorecard.validate.run import validate_paths

TODAY = parse_month("2026-11")
PATH = "initiatives/contract-review.yaml"
MARCH = ("  2026-03:\n    users: 40\n    kpis: {cycle_time: 16, hours_saved: 300}\n"
         "    costs: {licenses: 12000, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 40000}\n")
RETIRE_HINT = ("keep the file and retire the initiative: set stage: retired, add a stage_history entry "
               "{stage: retired, since: YYYY-MM} and a decision {month: YYYY-MM, decision: retire, by: ...}")


def git(cwd: Path, *args: str, input: bytes | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode().strip()


def write(repo: Path, path: str, text: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")


def read(repo: Path, path: str = PATH) -> str:
    return (repo / path).read_text(encoding="utf-8")


def edit(repo: Path, old: str, new: str, path: str = PATH) -> str:
    text = mutate(read(repo, path), old, new)
    write(repo, path, text)
    return text


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first `needle` at or after the first `after`."""
    start = text.index(after)
    return text[:text.index(needle, start)].count("\n") + 1


def code(text: str) -> str:
    return f"<code>{md_inline(text)}</code>"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # every temp folder of the run lands here: checked empty
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    write(work, PATH, SAMPLE)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "The portfolio")
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    """`scorecard diff --base main ARGS`: (exit code, stdout, stderr); no temp folder is left behind."""
    def run_diff(*args: str, base: str = "main") -> tuple[int, str, str]:
        code = main(["diff", f"--base={base}", *args])
        out = capsys.readouterr()
        assert list((tmp_path / "tmp").iterdir()) == []
        return code, out.out, out.err
    return run_diff


@pytest.fixture
def doc(run):
    """The JSON output."""
    return lambda: json.loads(run("--format", "json")[1])


@pytest.fixture
def codes(run):
    """(exit code without --strict, exit code with --strict)."""
    return lambda: (run()[0], run("--strict")[0])


# Months added, restated and removed ---------------------------------------------------------------------------------

def test_an_added_month_is_listed_and_passes_strict(repo, run, doc, codes):
    write(repo, PATH, read(repo) + MARCH)
    d = doc()
    assert d["months_added"] == {PATH: ["2026-03"]}
    assert (d["restatements"], d["goalposts"], d["removals"]) == ([], [], [])
    assert d["files"] == [{"status": "M", "path": PATH, "old_path": None}]
    _, out, _ = run()
    assert out.splitlines()[:5] == ["## Scorecard check against <code>main</code>", "",
                                    "**1 initiative file changed: 0 errors, 0 warnings.**", "",
                                    f"- changed {code(PATH)}"]
    assert f"Months added: {code(PATH)}: 2026&#45;03" in out.splitlines()
    assert codes() == (0, 0)


def test_the_verdict_a_month_changes_is_reported(repo, run, doc, monkeypatch):
    monkeypatch.setenv("SCORECARD_TODAY", "2026-04")  # 2026-03 has just ended
    edit(repo, "  privacy_review: 2025-12-28\n", "  privacy_review: 2025-12-28\n  rollback_plan: 2026-01-05\n")
    git(repo, "commit", "-q", "-am", "Rollback plan")
    write(repo, PATH, read(repo) + (
        "  2026-03:\n    users: 300\n    kpis: {cycle_time: 14, hours_saved: 800}\n"
        "    costs: {licenses: 12000, infrastructure: 3000, people: 15000, training: 1000, change_management: 1000,"
        " support: 1000, other: 0}\n    benefits: {labor_savings: 90000}\n"))
    d = doc()
    assert d["as_of"] == "2026-03"
    # a new scale verdict is shown once it has held 2 months (issue 22 §6): this month it is under review
    assert d["changes"]["verdicts"] == []
    assert [(r["id"], r["verdict"], r["ruled"]) for r in d["changes"]["reviews"]] == [("contract-review", "iterate", "scale")]
    assert (f"- **under review** Sample initiative ({code('contract-review')}): the rules now say **scale**; iterate "
            "stands until scale holds 2 months in a row") in run()[1].splitlines()
    # with hold_months 1 the month's change is the verdict's
    write(repo, "mkdocs.yml", "site_name: Test\nplugins:\n  - scorecard:\n      policy: policy.yml\n")
    write(repo, "policy.yml", "hold_months: 1\n")
    d = doc()
    assert [(v["id"], v["before"], v["after"]) for v in d["changes"]["verdicts"]] == [
        ("contract-review", "iterate", "scale")]
    verdicts = [line for line in run()[1].splitlines() if line.startswith("- **verdict**")]
    assert len(verdicts) == 1
    assert verdicts[0].startswith(f"- **verdict** Sample initiative ({code('contract-review')}): iterate -> **scale**")


def test_a_restated_month_names_its_line_and_strict_needs_a_reason(repo, run, doc, codes):
    text = edit(repo, "users: 12", "users: 13")
    line = line_of(text, "users: 13")
    assert doc()["restatements"] == [{"path": PATH, "line": line, "month": "2026-02", "field": "users",
                                      "old": 12, "new": 13, "reason": None, "measured": None}]
    row = f"| {code(f'{PATH}:{line}')} | {code('2026-02')} | <code>users</code> | <code>12</code> | <code>13</code> |"
    assert f"{row} **no reason given** |" in run()[1].splitlines()
    assert codes() == (0, 1)
    edit(repo, "users: 13", "users: 13\n    restated: HR feed double-counted contractors")
    assert doc()["restatements"][0]["reason"] == "HR feed double-counted contractors"
    assert f"{row} HR feed double&#45;counted contractors |" in run()[1].splitlines()
    assert codes() == (0, 0)


def test_a_deleted_month_is_a_removal_until_kept_as_a_restatement(repo, run, doc, codes):
    text = read(repo)
    january = text[text.index("  2026-01:\n"):text.index("  2026-02:\n")]
    text = edit(repo, january, "")
    line = line_of(text, "months:")
    hint = "keep the month block and restate it: 2026-01: {restated: why its figures were withdrawn}"
    assert doc()["removals"] == [{"path": PATH, "line": line, "month": "2026-01", "hint": hint}]
    out = run()[1].splitlines()
    assert f"| {code(f'{PATH}:{line}')} | month {code('2026-01')} | {md_inline(hint)} |" in out
    assert "**1 initiative file changed: 0 errors, 1 warning.**" in out
    assert codes() == (0, 1)

    edit(repo, "  2026-02:\n", "  2026-01: {restated: Duplicate of the February figures}\n  2026-02:\n")
    d = doc()
    assert d["removals"] == []
    assert [(r["month"], r["field"], r["new"], r["reason"]) for r in d["restatements"]] == [
        ("2026-01", field, None, "Duplicate of the February figures")
        for field in ("benefits.labor_savings", "costs.infrastructure", "costs.licenses", "costs.people",
                      "evidence", "kpis.cycle_time", "kpis.hours_saved", "note", "status", "users")]
    assert codes() == (0, 0)


def test_a_deleted_file_is_a_removal_and_retiring_is_the_way(repo, run, doc, codes):
    (repo / PATH).unlink()
    d = doc()
    assert d["files"] == [{"status": "D", "path": PATH, "old_path": None}]
    assert d["removals"] == [{"path": PATH, "line": None, "month": None, "hint": RETIRE_HINT}]
    assert f"| {code(PATH)} | the file | {md_inline(RETIRE_HINT)} |" in run()[1].splitlines()
    assert codes() == (0, 1)

    write(repo, PATH, SAMPLE)
    edit(repo, "stage: scaling\n", "stage: retired\n")
    edit(repo, "  - {stage: scaling, since: 2026-03}\n",
         "  - {stage: scaling, since: 2026-03}\n  - {stage: retired, since: 2026-04}\n")
    edit(repo, "decision: scale, by: AI council}\n",
         "decision: scale, by: AI council}\n  - {month: 2026-04, decision: retire, by: AI council}\n")
    assert doc()["removals"] == []
    assert codes() == (0, 0)


# Moved and renamed files ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("committed", [True, False], ids=["committed", "moved-without-git-add"])
def test_a_moved_file_is_compared_with_its_old_version(repo, run, doc, codes, committed):
    new = "initiatives/legal/contract-review.yaml"
    if committed:
        git(repo, "checkout", "-q", "-b", "update")
        (repo / "initiatives/legal").mkdir()
        git(repo, "mv", PATH, new)
    else:
        (repo / "initiatives/legal").mkdir()
        (repo / PATH).rename(repo / new)
    text = edit(repo, "users: 12", "users: 13", path=new)
    if committed:
        git(repo, "commit", "-q", "-am", "Move and restate")
    index = (repo / ".git/index").read_bytes()
    d = doc()
    assert d["files"] == [{"status": "R", "path": new, "old_path": PATH}]
    assert d["restatements"] == [{"path": new, "line": line_of(text, "users: 13"), "month": "2026-02",
                                  "field": "users", "old": 12, "new": 13, "reason": None, "measured": None}]
    assert (d["removals"], d["goalposts"], d["months_added"]) == ([], [], {})
    assert f"- moved {code(PATH)} -> {code(new)}" in run()[1].splitlines()
    assert codes() == (0, 1)
    edit(repo, "users: 13", "users: 13\n    restated: Recounted", path=new)
    assert codes() == (0, 0)
    assert (repo / ".git/index").read_bytes() == index  # the real index is never written


def test_a_renamed_file_is_compared_with_its_old_version(repo, run, doc, codes):
    new = "initiatives/contract-review-v2.yaml"
    (repo / PATH).rename(repo / new)
    text = edit(repo, "users: 12", "users: 13\n    restated: Recounted", path=new)
    d = doc()
    assert d["files"] == [{"status": "R", "path": new, "old_path": PATH}]
    assert d["restatements"] == [{"path": new, "line": line_of(text, "users: 13"), "month": "2026-02",
                                  "field": "users", "old": 12, "new": 13, "reason": "Recounted", "measured": None}]
    assert [i["id"] for i in d["changes"]["removed"]] == ["contract-review"]
    assert [i["id"] for i in d["changes"]["new"]] == ["contract-review-v2"]
    assert codes() == (0, 0)
    edit(repo, "    restated: Recounted\n", "", path=new)
    assert codes() == (0, 1)


def test_paths_git_would_quote_survive_exactly(repo, run, doc):
    names = ["initiatives/café.yaml", 'initiatives/say "hi".yaml', "initiatives/new\nline.yaml"]
    for name in names:
        write(repo, name, SAMPLE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Oddly named files")
    texts = {name: edit(repo, "users: 12", "users: 13", path=name) for name in names}
    d = doc()
    assert d["files"] == [{"status": "M", "path": name, "old_path": None} for name in sorted(names)]
    assert d["restatements"] == [{"path": name, "line": line_of(texts[name], "users: 13"), "month": "2026-02",
                                  "field": "users", "old": 12, "new": 13, "reason": None, "measured": None} for name in sorted(names)]
    head = validate_paths([repo / "initiatives"], today=TODAY, base=repo)
    assert head.failed()  # names an initiative id can't have
    assert d["problems"] == [asdict(p) for p in head.problems]
    code_, out, _ = run()
    assert code_ == 1 and "No initiative file changed." not in out
    assert out.splitlines()[4:7] == [
        "- changed <code>initiatives&#47;café&#46;yaml</code>",
        "- changed <code>initiatives&#47;new&#10;line&#46;yaml</code>",
        "- changed <code>initiatives&#47;say &#34;hi&#34;&#46;yaml</code>"]


# The base as git stores it -------------------------------------------------------------------------------------------

def test_export_ignore_on_the_base_hides_nothing(repo, doc, codes):
    write(repo, ".gitattributes", "* export-ignore\ninitiatives/** export-ignore\n")
    write(repo, "initiatives/.gitattributes", "* export-ignore\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Attributes")
    (repo / "initiatives/.gitattributes").unlink()
    write(repo, PATH, read(repo).replace("users: 12", "users: 13\n    restated: Recounted") + MARCH)
    d = doc()
    assert d["months_added"] == {PATH: ["2026-03"]}
    assert d["changes"]["new"] == [] and d["changes"]["removed"] == []
    assert [(r["month"], r["field"], r["old"], r["new"]) for r in d["restatements"]] == [("2026-02", "users", 12, 13)]
    assert codes() == (0, 0)


def test_links_submodules_and_unsafe_names_on_the_base_are_never_written(repo, tmp_path, doc, codes):
    """A base commit holding an absolute, a dangling and an escaping symlink, a submodule and '..' and '.git' trees."""
    def blob(content: str) -> str:
        return git(repo, "hash-object", "-w", "--stdin", input=content.encode())

    def tree(*entries: tuple[str, str, str, str]) -> str:
        return git(repo, "mktree", input="".join(f"{m} {t} {o}\t{n}\n" for m, t, o, n in entries).encode())

    evil = tree(("100644", "blob", blob(SAMPLE), "pwned.yaml"))
    initiatives = tree(
        ("100644", "blob", blob(SAMPLE), "contract-review.yaml"),
        ("120000", "blob", blob("/etc/passwd"), "absolute.yaml"),
        ("120000", "blob", blob("missing.yaml"), "dangling.yaml"),
        ("120000", "blob", blob("../../outside.yaml"), "escaping.yaml"),
        ("160000", "commit", git(repo, "rev-parse", "HEAD"), "module"),
        ("040000", "tree", tree(("040000", "tree", evil, "..")), ".."),
        ("040000", "tree", evil, ".git"),
    )
    commit = git(repo, "commit-tree", tree(("040000", "tree", initiatives, "initiatives")), "-m", "Hostile base")
    git(repo, "update-ref", "refs/heads/main", commit)
    write(repo, PATH, read(repo) + MARCH)
    d = doc()
    assert d["months_added"] == {PATH: ["2026-03"]}
    assert d["removals"] == []  # a link or a submodule was never an initiative
    assert [(f["status"], f["path"]) for f in d["files"]] == [
        ("D", "initiatives/../../pwned.yaml"), ("D", "initiatives/.git/pwned.yaml"),
        ("D", "initiatives/absolute.yaml"), ("M", PATH), ("D", "initiatives/dangling.yaml"),
        ("D", "initiatives/escaping.yaml"), ("D", "initiatives/module")]
    assert codes() == (0, 0)
    assert not (tmp_path / "pwned.yaml").exists() and not (tmp_path / "outside.yaml").exists()


# Moved goalposts --------------------------------------------------------------------------------------------------

GOALPOSTS = {
    "baseline": ([("baseline: 20", "baseline: 22")], [("cycle_time", "baseline", 20, 22, "baseline: 22")]),
    "target": ([("target: 12", "target: 10")], [("cycle_time", "target", 12, 10, "target: 10")]),
    "target_month": ([("target_month: 2026-12", "target_month: 2027-06")],
                     [("cycle_time", "target_month", "2026-12", "2027-06", "target_month: 2027-06")]),
    "unit": ([("unit: days", "unit: business days")], [("cycle_time", "unit", "days", "business days", "unit: ")]),
    "direction": ([("direction: decrease", "direction: increase"), ("baseline: 20", "baseline: 12"),
                   ("target: 12", "target: 20")],
                  [("cycle_time", "baseline", 20, 12, "baseline: 12"), ("cycle_time", "target", 12, 20, "target: 20"),
                   ("cycle_time", "direction", "decrease", "increase", "direction: ")]),
    "primary": ([("    primary: true\n", ""),
                 ("target_month: 2026-12\nadoption", "target_month: 2026-12\n    primary: true\nadoption")],
                [("cycle_time", "primary", True, False, "id: cycle_time"),
                 ("hours_saved", "primary", False, True, "primary: ")]),
}


@pytest.mark.parametrize("name", list(GOALPOSTS))
def test_a_moved_goalpost_names_its_line_and_strict_needs_a_reason(repo, run, doc, codes, name):
    edits, expected = GOALPOSTS[name]
    for old, new in edits:
        text = edit(repo, old, new)
    d = doc()
    assert d["goalposts"] == [{"path": PATH, "line": line_of(text, needle, after=f"- id: {kpi}"), "kpi": kpi,
                               "field": field, "old": old, "new": new, "reason": None}
                              for kpi, field, old, new, needle in expected]
    assert d["restatements"] == [] and d["removals"] == [] and d["problems"] == []
    kpi, field, old, new, needle = expected[0]
    line = line_of(text, needle, after=f"- id: {kpi}")
    assert (f"| {code(f'{PATH}:{line}')} | {code(kpi)} | {code(field)} | {code(json.dumps(old))} "
            f"| {code(json.dumps(new))} | **no reason given** |") in run()[1].splitlines()
    assert codes() == (0, 1)
    for kpi in dict.fromkeys(k for k, *_ in expected):
        edit(repo, f"  - id: {kpi}\n", f"  - id: {kpi}\n    restated: Finance re-based the KPI\n")
    assert {g["reason"] for g in doc()["goalposts"]} == {"Finance re-based the KPI"}
    assert codes() == (0, 0)


def test_a_removed_kpi_is_a_moved_goalpost_no_reason_clears(repo, run, doc, codes):
    text = read(repo)
    edit(repo, text[text.index("  - id: hours_saved\n"):text.index("adoption:")], "")
    edit(repo, ", hours_saved: 40}", "}")
    text = edit(repo, ", hours_saved: 90}", "}\n    restated: The KPI is no longer measured")
    old = {"id": "hours_saved", "name": "Lawyer hours recovered", "unit": "hours/month", "direction": "increase",
           "baseline": 0, "target": 1200, "target_month": "2026-12"}
    d = doc()
    line = line_of(text, "kpis:")
    assert d["goalposts"] == [{"path": PATH, "line": line, "kpi": "hours_saved", "field": None,
                               "old": old, "new": None, "reason": None}]
    assert [(r["month"], r["field"], r["reason"]) for r in d["restatements"]] == [
        ("2026-01", "kpis.hours_saved", None), ("2026-02", "kpis.hours_saved", "The KPI is no longer measured")]
    assert (f"| {code(f'{PATH}:{line}')} | {code('hours_saved')} | the whole KPI | "
            f"{code(json.dumps(old))} | (none) | **no reason given** |") in run()[1].splitlines()
    edit(repo, "    kpis: {cycle_time: 19}\n", "    kpis: {cycle_time: 19}\n    restated: Not measured\n")
    assert codes() == (0, 1)


# Hostile text in the Markdown -------------------------------------------------------------------------------------

FORGED = "```\n## ✅ Scorecard check passed\n| ok | <script>alert(1)</script> |"


def test_hostile_keys_values_and_paths_stay_inside_their_cells(repo, run, doc):
    hostile = "initiatives/```\n## passed |<script>.yaml"
    write(repo, hostile, SAMPLE)
    edit(repo, "    status: green\n", f"    status: green\n    {json.dumps(FORGED)}: 1\n")
    text = edit(repo, "    benefits: {labor_savings: 26000}\n",
                f"    benefits: {{labor_savings: 26000}}\n    note: {json.dumps(FORGED)}\n"
                f"    restated: {json.dumps('fine |' + FORGED)}\n")
    code_, out, _ = run()
    assert code_ == 1  # the unknown key and the file name are errors
    lines = out.splitlines()
    note = line_of(text, "note:", after="  2026-02:")
    assert [line for line in lines if line.startswith("#")] == [
        "## Scorecard check against <code>main</code>", "### Validation", "### Restated months"]
    assert "```" not in out and "<script" not in out
    assert ("- added <code>initiatives&#47;&#96;&#96;&#96;&#10;&#35;&#35; passed &#124;&#60;script&#62;&#46;yaml</code>"
            in lines)
    assert (f"| {code(f'{PATH}:{note}')} | {code('2026-02')} | <code>note</code> | (none) "
            f"| {code(json.dumps(FORGED, ensure_ascii=False))} | {md_inline('fine |' + FORGED)} |") in lines
    rows = [line for line in lines if line.startswith("|")]
    assert rows and all(line.count("|") == 7 for line in rows)
    head = validate_paths([repo / "initiatives"], today=TODAY, base=repo)
    problems = [line for line in lines if line.startswith("- <code>")]
    assert problems == [f"- {code(f'{p.path}:{p.line}:{p.column}')} {p.level} {md_inline(f'[{p.rule}]')} "
                        f"{md_inline(p.text())}" for p in head.problems]
    html = markdown.markdown(out, extensions=["tables"])
    assert "<script" not in html and len(re.findall(r"<h\d>", html)) == 3
    assert doc()["restatements"][-1]["new"] == FORGED  # JSON keeps the text as it is


def test_an_invalid_change_shows_the_problem_and_fails(repo, run):
    edit(repo, "risk_tier: medium", "risk_tier: extreme")
    head = validate_paths([repo / "initiatives"], today=TODAY, base=repo)
    assert head.failed()
    code_, out, _ = run()
    assert code_ == 1
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("- <code>")] == [
        f"- {code(f'{p.path}:{p.line}:{p.column}')} error {md_inline(f'[{p.rule}]')} {md_inline(p.text())}"
        for p in head.problems]
    assert "The scorecard was not computed: fix the errors above first." in lines


# The base ref -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ref,what", [
    ("nosuchref", "fetch it first (git fetch origin nosuchref)"),
    ("origin/main", "fetch it first (git fetch origin main)"),
    ("refs/heads/gone", "fetch it first (git fetch origin refs/heads/gone)"),
    ("--output=evil.txt", "name a branch, tag or commit id, e.g. origin/main"),
    (":/no such message", "name a branch, tag or commit id, e.g. origin/main"),  # nothing a fetch could bring
    ("main:initiatives", "name a branch, tag or commit id, e.g. origin/main"),
])
def test_a_base_that_is_not_a_commit_says_what_to_do(repo, run, ref, what):
    assert run(base=ref) == (1, "", f"scorecard: error: {ref!r} is not a commit in this repository; {what}\n")
    assert not (repo / "evil.txt").exists()


def test_a_ref_starting_with_a_dash_is_a_ref_not_an_option(repo, run):
    git(repo, "update-ref", "refs/heads/-base", "HEAD")
    write(repo, PATH, read(repo) + MARCH)
    code_, out, _ = run(base="-base")
    assert code_ == 0 and out.startswith("## Scorecard check against <code>&#45;base</code>\n")


def test_outside_a_git_repository_diff_says_so(tmp_path, monkeypatch, capsys):
    plain = tmp_path / "plain"
    write(plain, PATH, SAMPLE)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(plain)
    assert main(["diff", "--base", "main"]) == 1
    assert capsys.readouterr().err == (f"scorecard: error: {plain} is not in a git repository; "
                                       "diff compares the working tree with a commit\n")


@pytest.mark.parametrize("target", ["initiatives/README.md", "initiatives/contract-review.yml", "initiatives/Legal/contract-review.yaml"])
def test_moving_an_initiative_to_a_name_that_is_not_read_is_a_removal(repo, capsys, target):
    (repo / target).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", PATH, target)
    assert main(["diff", "--base", "main", "--format", "json"]) in (0, 1)
    result = json.loads(capsys.readouterr().out)
    assert [(r["path"], r["month"]) for r in result["removals"]] == [(PATH, None)]
    assert main(["diff", "--base", "main", "--strict"]) == 1


def test_a_reason_the_base_already_had_does_not_explain_a_new_change(repo, capsys):
    edit(repo, "    status: green\n    note: First month.", "    status: green\n    restated: fixed a typo\n    note: First month.")
    git(repo, "commit", "-qam", "restated once")
    edit(repo, "benefits: {labor_savings: 20000}", "benefits: {labor_savings: 90000}")
    assert main(["diff", "--base", "main", "--format", "json"]) == 0
    [r] = json.loads(capsys.readouterr().out)["restatements"]
    assert (r["field"], r["old"], r["new"], r["reason"]) == ("benefits.labor_savings", 20000, 90000, None)
    assert main(["diff", "--base", "main", "--strict"]) == 1


def test_a_change_that_renames_another_teams_unit_warns(repo, capsys):
    for name in ("legal-two", "legal-three"):
        write(repo, f"initiatives/{name}.yaml", SAMPLE)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "three Legal files")
    for name in ("new-one", "new-two", "new-three", "new-four"):
        write(repo, f"initiatives/{name}.yaml", mutate(SAMPLE, "business_unit: Legal", "business_unit: LEGAL"))
    assert main(["diff", "--base", "main", "--format", "json"]) == 0
    warned = [(p["path"], p["message"]) for p in json.loads(capsys.readouterr().out)["problems"]
              if p["rule"] == "unit-spelling" and p["message"].startswith("this change")]
    assert warned == [(f"initiatives/{n}.yaml", "this change makes the site show the business unit 'Legal' as 'LEGAL'")
                      for n in ("new-four", "new-one", "new-three", "new-two")]
    assert main(["diff", "--base", "main", "--strict"]) == 1


def test_a_control_marked_not_applicable_is_shown_for_review_and_fails_nothing(repo, run, doc, codes):
    text = edit(repo, "  privacy_review: 2025-12-28", "  privacy_review: {status: not_applicable, note: No personal data}")
    line = line_of(text, "privacy_review:")
    assert doc()["not_applicable"] == [{"path": PATH, "line": line, "control": "privacy_review", "old": "2025-12-28",
                                        "new": {"status": "not_applicable", "note": "No personal data"},
                                        "note": "No personal data"}]
    row = (f"| {code(f'{PATH}:{line}')} | {code('privacy_review')} | {code(chr(34) + '2025-12-28' + chr(34))} | "
           f"{code('{' + chr(34) + 'status' + chr(34) + ': ' + chr(34) + 'not_applicable' + chr(34) + ', ' + chr(34) + 'note' + chr(34) + ': ' + chr(34) + 'No personal data' + chr(34) + '}')} | No personal data |")
    assert row in run()[1].splitlines()
    assert codes() == (0, 0)
    edit(repo, "  privacy_review: {status: not_applicable, note: No personal data}", "  privacy_review: 2026-01-05")
    assert doc()["not_applicable"] == []  # back to what the base had: nothing to review


def test_sarif_and_github_put_the_changes_to_the_past_on_their_lines(repo, run, sarif_schema):
    import jsonschema

    edit(repo, "users: 12", "users: 13")
    text = read(repo)
    january = text[text.index("  2026-01:\n"):text.index("  2026-02:\n")]
    text = edit(repo, january, "")
    months, line = line_of(text, "months:"), line_of(text, "users: 13")
    code_, out, _ = run("--format", "sarif")
    doc = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    [sarif_run] = doc["runs"]
    found = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"], r["message"]["text"])
             for r in sarif_run["results"]]
    hint = "keep the month block and restate it: 2026-01: {restated: why its figures were withdrawn}"
    assert sorted(found) == sorted([
        ("removed", "warning", PATH, months, f"month 2026-01 was removed; history is kept, not deleted; {hint}"),
        ("restated", "warning", PATH, line,
         "month 2026-02 was in the scorecard and its users changed from '12' to '13'; add restated: <why> to the "
         "month block")])
    assert {r["id"] for r in sarif_run["tool"]["driver"]["rules"]} == {"removed", "restated"}
    assert code_ == 0 and run("--format", "sarif", "--strict")[0] == 1
    code_, out, _ = run("--format", "github")
    assert f"::warning file={PATH},line={line},col=1,title=scorecard [restated]::month 2026-02 " \
           "was in the scorecard and its users changed from '12' to '13'; add restated: <why> to the month block" \
           in out.splitlines()
