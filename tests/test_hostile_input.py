"""Hostile and mistaken input: every path under initiatives/ and every value gets one clear line.

Paths: only regular files named ID.yaml in folders named like ids are read; links,
FIFOs and odd names are reported, never followed or waited on. Values: numbers are
bounded so that whatever validates also computes; valid links and addresses are
accepted; the mistakes people really make get a hint that says what to write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, mutate
from scorecard.cli import main
from scorecard.months import parse_month
from scorecard.problem import format_problem
from scorecard.validate.run import validate_paths

TODAY = parse_month("2026-11")
F = "sample.yaml"
NAME_HINT = "use lower-case letters, digits and '-', 3 to 64 characters, then .yaml, e.g. contract-review.yaml"


def lines(folder: Path, *paths: str | Path) -> list[str]:
    result = validate_paths(list(paths) or [folder], today=TODAY, base=folder)
    return [format_problem(p) for p in result.problems]


def write(folder: Path, name: str, text: str = SAMPLE) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- paths -----------------------------------------------------------------------------------------

def test_a_payload_folder_name_is_refused_and_nothing_in_it_is_read(tmp_path):
    write(tmp_path, '"><img src=x onerror=alert(1)>/harmless-x.yaml')
    write(tmp_path, "legal/contract-review.yaml")
    result = validate_paths([tmp_path], today=TODAY, base=tmp_path)
    assert [format_problem(p) for p in result.problems] == [
        "\"><img src=x onerror=alert(1)>:1:1: error [file-name] folder name '\"><img src=x onerror=alert(1)>' is not "
        "allowed; nothing in it is read; name folders with lower-case letters, digits and '-'"]
    assert [i.path for i in result.initiatives] == ["legal/contract-review.yaml"]


@pytest.mark.parametrize("name", ["Bad Name.yaml", "x.YAML", "sample.yml", "sample.Yml", "ab.yaml", "-abc.yaml",
                                  "sample\u00e9.yaml", "s\u0430mple.yaml"])
def test_file_names_outside_the_id_characters_are_not_read(tmp_path, name):
    write(tmp_path, name)
    assert lines(tmp_path) == [f"{name}:1:1: error [file-name] '{name}' is not a valid initiative file name; "
                               f"it is not read; {NAME_HINT}"]


def test_a_newline_in_a_file_name_stays_on_one_line(tmp_path):
    write(tmp_path, "evil\nname.yaml")
    assert lines(tmp_path) == ["evil\\nname.yaml:1:1: error [file-name] 'evil\\nname.yaml' is not a valid initiative "
                               f"file name; it is not read; {NAME_HINT}"]


def test_other_files_are_reported_as_ignored(tmp_path):
    write(tmp_path, "notes.txt", "hello")
    write(tmp_path, "README.md", "# initiatives")
    write(tmp_path, ".gitkeep", "")
    assert lines(tmp_path) == ["notes.txt:1:1: warning [file-name] 'notes.txt' is not an initiative file (*.yaml) "
                               "and is ignored; keep only initiative files in this folder"]


def test_a_link_out_of_the_repository_is_reported_and_never_read(tmp_path, capsys):
    secret = tmp_path / "outside" / "secret.yaml"
    write(secret.parent, "secret.yaml", "name: TOPSECRET-VALUE\naws_key: AKIA-SECRET\n")
    repo = tmp_path / "repo"
    (repo / "initiatives").mkdir(parents=True)
    (repo / "initiatives" / "leak.yaml").symlink_to(secret)
    (repo / "initiatives" / "gone.yaml").symlink_to(repo / "nowhere.yaml")
    (repo / "initiatives" / "folder-link").symlink_to(secret.parent, target_is_directory=True)
    os.chdir(repo)
    try:
        code = main(["validate", "--today", "2026-11", "--format", "github", "initiatives"])
    finally:
        os.chdir(tmp_path)
    out = capsys.readouterr().out
    assert code == 1
    assert "TOPSECRET" not in out and "AKIA" not in out
    hint = "commit the file itself: links may point outside the repository"
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert [line.split("::")[2] for line in annotations] == [f"is a symbolic link; it is not read; {hint}"] * 3
    assert [line.split(",")[0] for line in annotations] == [
        "::error file=initiatives/folder-link", "::error file=initiatives/gone.yaml", "::error file=initiatives/leak.yaml"]


def test_a_link_named_explicitly_is_not_followed_either(tmp_path):
    write(tmp_path, "real.yaml", "name: TOPSECRET\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    (tmp_path / "initiatives").symlink_to(tmp_path, target_is_directory=True)
    assert lines(tmp_path, tmp_path / "link.yaml", tmp_path / "initiatives") == [
        "initiatives:1:1: error [file] is a symbolic link; it is not read; "
        "commit the file itself: links may point outside the repository",
        "link.yaml:1:1: error [file] is a symbolic link; it is not read; "
        "commit the file itself: links may point outside the repository"]


def test_a_fifo_never_hangs_validate(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "other.yaml")
    proc = subprocess.run([sys.executable, "-m", "scorecard", "validate", "--today", "2026-11", "pipe.yaml", "."],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        "other.yaml:1:1: error [file] is not a regular file (a FIFO, socket or device); it is not read; "
        "initiative files are plain text files",
        "pipe.yaml:1:1: error [file] is not a regular file (a FIFO, socket or device); it is not read; "
        "initiative files are plain text files",
        "0 files checked: 2 errors, 0 warnings"]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to drop to 'nobody'")
def test_an_unreadable_folder_is_reported(tmp_path):
    work = tmp_path / "w"
    write(work, "ok-one.yaml")
    write(work, "locked/hidden-one.yaml")
    (work / "locked").chmod(0o000)
    for p in (tmp_path, work):
        p.chmod(0o755)
    proc = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-m",
                           "scorecard", "validate", "--today", "2026-11", "."],
                          cwd=work, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert proc.stdout.splitlines()[0] == ("locked:1:1: error [file] cannot read the folder: Permission denied; "
                                           "make it readable, or remove it"), proc.stderr


# ---- values that validate must compute -------------------------------------------------------------

BOUNDS = [
    ("{licenses: 12000,", "{licenses: 1.7e308,",
     f"{F}:41:23: error [value] 'months.2026-01.costs.licenses' must be at most 1,000,000,000,000, got 1.7e+308"),
    ("    baseline: 20\n", "    baseline: 1.7e308\n",
     f"{F}:24:15: error [value] 'kpis[0].baseline' must be at most 1,000,000,000,000,000, got 1.7e+308"),
    ("    target: 12\n", "    target: -1.7e308\n",
     f"{F}:25:13: error [value] 'kpis[0].target' must be -1,000,000,000,000,000 or more, got -1.7e+308"),
    ("users: 12", "users: " + "9" * 5000,
     f"{F}:47:12: error [type] 'months.2026-02.users' must be a whole number, got inf"),
    ("  2026-02:", "  \u0662\u0660\u0662\u0666-02:",
     f"{F}:46:3: error [month] key '\u0662\u0660\u0662\u0666-02' in 'months' is not a valid month; "
     "write the month as YYYY-MM, e.g. 2026-11"),
    ("  2026-02:", "  0000-02:",
     f"{F}:46:3: error [month] key '0000-02' in 'months' is not a valid month; write the month as YYYY-MM, e.g. 2026-11"),
]


def test_two_largest_amounts_still_sum_to_a_finite_report(tmp_path, monkeypatch, capsys):
    import json

    from scorecard.model import MAX_AMOUNT
    text = mutate(SAMPLE, "{licenses: 12000,", f"{{licenses: {MAX_AMOUNT:.0f}, other: {MAX_AMOUNT:.0f},")
    write(tmp_path / "initiatives", F, text)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--format", "json", "--as-of", "2026-02"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["initiatives"][0]["financials"]["cumulative_cost"] == 2 * MAX_AMOUNT + 3000 + 15000 + 30000


# ---- valid input is never refused --------------------------------------------------------------------

VALID = [
    ("email: dana@example.com", "email: sean.o'brien@example.com"),
    ("evidence: https://dashboards.example.com/contract-review",
     "evidence: https://wiki.example.com/display/AP/Sean's+notes"),
    ("evidence: https://dashboards.example.com/contract-review",
     "evidence: https://app.powerbi.com/groups/me/reports/1?filter=Store/Territory%20eq%20'AP'"),
    ("evidence: https://dashboards.example.com/contract-review", "evidence: HTTPS://DASHBOARDS.EXAMPLE.COM/X"),
    ("name: Sample initiative", "name: \u8ca1\u52d9 \u2014 Finan\u00e7as & Contr\u00f4le <beta>"),
]


@pytest.mark.parametrize("old,new", VALID)
def test_valid_values_are_accepted(tmp_path, old, new):
    write(tmp_path, F, mutate(SAMPLE, old, new))
    assert lines(tmp_path) == []


REFUSED = [
    ("evidence: https://dashboards.example.com/contract-review", "evidence: javascript:alert(1)//https://x"),
    ("evidence: https://dashboards.example.com/contract-review", "evidence: \"https://a.example.com/x y\""),
    ("evidence: https://dashboards.example.com/contract-review", "evidence: \"https://a.example.com/\\x01\""),
    ("evidence: https://dashboards.example.com/contract-review", "evidence: data:text/html,hi"),
    ("email: dana@example.com", "email: \"dana@example.com\\nBcc: x@y.z\""),
    ("email: dana@example.com", "email: \"a@b.c, d@e.f\""),
]


@pytest.mark.parametrize("old,new", REFUSED)
def test_unsafe_links_and_addresses_are_refused(tmp_path, old, new):
    write(tmp_path, F, mutate(SAMPLE, old, new))
    found = lines(tmp_path)
    assert len(found) == 1 and (" [url] " in found[0] or " [value] " in found[0]), found


# ---- the mistakes people really make -----------------------------------------------------------------

MISTAKES = [
    ("{licenses: 12000, infrastructure: 3000, people: 15000}",
     "{licenses: 12000, infrastructure: 3000, support: 1,200}",
     f"{F}:41:61: error [number] 'months.2026-01.costs.support': '1,200' looks like a number with a thousands separator: "
     "write 1200; inside { }, a comma separates entries"),
    ("{licenses: 12000, infrastructure: 3000, people: 15000}",
     "{licenses: 12000, infrastructure: 3000, people: 12.000,50}",
     f"{F}:41:60: error [number] 'months.2026-01.costs.people': '12.000,50' looks like a number with a thousands "
     "separator: write 12000.50; inside { }, a comma separates entries"),
    ("    users: 5\n", "    users: 1,200\n",
     f"{F}:39:12: error [number] 'months.2026-01.users' must be a number, got the text '1,200'; '1,200' looks like "
     "a number with a thousands separator: write 1200"),
    ("    baseline: 20\n", "    baseline: 45%\n",
     f"{F}:24:15: error [number] 'kpis[0].baseline' must be a number, got the text '45%'; write 45 "
     "(the percent sign is implied by the unit)"),
    ("{licenses: 12000,", "{licenses: $12000,",
     f"{F}:41:23: error [number] 'months.2026-01.costs.licenses' must be a number, got the text '$12000'; "
     "write 12000: the currency is the portfolio's"),
    ("    users: 5\n", "    users: 12.5\n",
     f"{F}:39:12: error [type] 'months.2026-01.users' must be a whole number, got 12.5"),
    ("    users: 5\n", "\tusers: 5\n",
     f"{F}:39:1: error [syntax] a TAB character is used for indentation; YAML allows only spaces; "
     "replace the TAB with spaces (most editors can show TABs and convert them)"),
    ("summary: A small", "summary: \"A small",
     f"{F}:2:10: error [syntax] YAML syntax error: while scanning a quoted scalar: found unexpected end of stream; "
     "check the indentation and quoting on this line and the one above"),
]


@pytest.mark.parametrize("old,new,expected", MISTAKES)
def test_common_mistakes_say_what_to_write(tmp_path, old, new, expected):
    write(tmp_path, F, mutate(SAMPLE, old, new))
    assert expected in lines(tmp_path)


def test_the_untouched_starter_warns_and_fails_under_strict(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-pilot", "--month", "2026-10"]) == 0
    capsys.readouterr()
    assert main(["validate", "--today", "2026-11"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 file checked: 0 errors, 5 warnings"
    assert all("[starter-todo]" in line for line in out[:-1])
    assert main(["validate", "--today", "2026-11", "--strict"]) == 1


# ---- found by attacking the hardened tool ----------------------------------------------------------------

ATTACKS = [
    ("name: Sample initiative", 'name: "\\u200b\\u2060"',
     f"{F}:1:7: error [blank] 'name' is blank; write the text, or leave the key out where it is optional"),
    ("business_unit: Legal", 'business_unit: "\\u202eLEGAL"',
     f"{F}:3:16: error [value] 'business_unit' holds the invisible direction control U+202E, which makes text read "
     "otherwise than it is written; remove it"),
    ("note: First month.", "note: First \u2067month.",
     f"{F}:44:11: error [value] 'note' holds the invisible direction control U+2067, which makes text read "
     "otherwise than it is written; remove it"),
    ("{licenses: 12000,", "{licenses: 5e-324,",
     f"{F}:41:23: error [value] 'costs.licenses' in month 2026-01 is 4.94066e-324, less than a cent; "
     "write amounts in the portfolio's currency, e.g. 1200 or 0"),
    ("    target: 1200\n", "    target: 1e-300\n",
     f"{F}:33:13: error [kpi-target] KPI 'hours_saved': its target 1e-300 is almost equal to its baseline 0; "
     "set a target that differs from the baseline by a measurable amount"),
    ("  2026-02:", "  1969-12:",
     f"{F}:46:3: error [month] key '1969-12' in 'months' is not a valid month; write the month as YYYY-MM, e.g. 2026-11"),
]


@pytest.mark.parametrize("old,new,expected", BOUNDS + ATTACKS)
def test_values_out_of_bounds_and_attacks_that_once_got_through_get_one_line(tmp_path, old, new, expected):
    write(tmp_path, F, mutate(SAMPLE, old, new))
    found = lines(tmp_path)
    assert expected in found
    assert all("Traceback" not in line for line in found)


def test_unicode_line_separators_count_as_text_not_lines(tmp_path):
    text = mutate(SAMPLE, "summary: A small", "summary: A\u2028small\u2029\u0085")
    write(tmp_path, F, mutate(text, "risk_tier: medium", "risk_tier: meduim"))
    assert lines(tmp_path) == [f"{F}:11:12: error [value] 'risk_tier' must be one of low, medium, high, unknown; got 'meduim'; "
                               "did you mean 'medium'?"]
    write(tmp_path, F, text)
    result = validate_paths([tmp_path], today=TODAY, base=tmp_path)
    assert result.problems == [] and result.initiatives[0].model.summary.startswith("A\u2028small\u2029\u0085 but")
