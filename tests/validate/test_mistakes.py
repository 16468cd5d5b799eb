"""The mistakes team leads really make when they edit a file by hand (issue 23 §5): each gets one line with the
file, line and column and what to type, instead of PyYAML's generic message. One case a row of the issue's table."""

from __future__ import annotations

import pytest

from conftest import SAMPLE, mutate
from validate.test_validate import F, run

NOTE = "    note: First month."

KPIS = "kpis: {cycle_time: 19, hours_saved: 40}"
LICENSES = "licenses: 12000"
MONEY = "error [number] 'months.2026-01.costs.licenses' must be a number, got the text"
KPI = f"{F}:40:24: error [number] 'months.2026-01.kpis.cycle_time':"
IN_BRACES = "inside { }, a comma separates entries"

CASES = [
    ("a note that contains ': '", NOTE, "    note: Added the Czech invoices: 120 a day now",
     f"{F}:44:35: error [syntax] the text of 'note' contains ': ', which YAML reads as the start of a new key; put "
     "the whole value in quotes: note: 'Added the Czech invoices: 120 a day now'"),
    ("a note that starts with a quoted word", NOTE, '    note: "Czech" invoices added',
     f"{F}:44:11: error [syntax] the text of 'note' starts with a quoted word, and YAML ends the value at its "
     "closing quote; put the whole value in quotes, the other kind outside: note: '\"Czech\" invoices added'"),
    ("a non-breaking space as indentation", "  target_users: 500", "\u00a0 target_users: 500",
     f"{F}:36:1: error [syntax] the indentation holds a non-breaking space (U+00A0), which YAML does not read as a "
     "space; replace it with an ordinary space (it comes with text copied from a web page or a document)"),
    ("a non-breaking space after a colon", "  target_users: 500", "  target_users:\u00a0500",
     f"{F}:36:16: error [syntax] after 'target_users:' comes a non-breaking space (U+00A0), which YAML does not read "
     "as a space, so the key and its value read as one text; replace it with an ordinary space (it comes with text "
     "copied from a web page or a document)"),
    ("a decimal comma inside { }", "kpis: {cycle_time: 19, hours_saved: 40}", "kpis: {cycle_time: 10,8, hours_saved: 40}",
     f"{F}:40:24: error [number] 'months.2026-01.kpis.cycle_time': '10,8' looks like a decimal comma: write 10.8; "
     "inside { }, a comma separates entries"),
    ("$2,500 inside { }", "costs: {licenses: 12000, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 20000}",
     "costs: {licenses: $2,500, infrastructure: 3000, people: 15000}\n    benefits: {labor_savings: 20000}",
     f"{F}:41:23: error [number] 'months.2026-01.costs.licenses' must be a number, got the text '$2,500'; write 2500: "
     "'$2,500' is one amount, the currency is the portfolio's, and inside { }, a comma separates entries"),
    ("3 spaces instead of 4", "    users: 12\n", "   users: 12\n",
     f"{F}:47:4: error [syntax] 'users' on line 47 is indented 3 spaces, out of line with 'kpis' on line 48 (4): the "
     "keys under '2026-02' line up; indent it 4 spaces, as elsewhere in the file"),
    ("5 spaces instead of 4", "    users: 12\n", "     users: 12\n",
     f"{F}:47:6: error [syntax] 'users' on line 47 is indented 5 spaces, out of line with 'kpis' on line 48 (4): the "
     "keys under '2026-02' line up; indent it 4 spaces, as elsewhere in the file"),
    ("kpis: indented one level too deep", "\nkpis:\n", "\n  kpis:\n",
     f"{F}:19:1: error [syntax] 'kpis' is a top-level key, but it is indented 2 spaces, so YAML reads it as part of "
     "'decisions' above; start 'kpis:' at the beginning of the line"),
]


CASES += [
    ("a quote mark inside single quotes", NOTE, "    note: 'it's done'",
     f"{F}:44:14: error [syntax] the text of 'note' holds the quote mark that encloses it ('), and YAML ends the value "
     "there; enclose it in the other kind of quotes: note: \"it's done\""),
    ("a name with an apostrophe", NOTE, "    note: 'Omar O'Brien'",
     f"{F}:44:18: error [syntax] the text of 'note' holds the quote mark that encloses it ('), and YAML ends the value "
     "there; enclose it in the other kind of quotes: note: \"Omar O'Brien\""),
    ("a quotation inside double quotes", NOTE, '    note: "He said "hi" today"',
     f"{F}:44:20: error [syntax] the text of 'note' holds the quote mark that encloses it (\"), and YAML ends the value "
     "there; enclose it in the other kind of quotes: note: 'He said \"hi\" today'"),
    ("': ' before a comment", NOTE, "    note: Added: 120 a day  # checked",
     f"{F}:44:16: error [syntax] the text of 'note' contains ': ', which YAML reads as the start of a new key; put "
     "the whole value in quotes: note: 'Added: 120 a day'"),
    ("a negative decimal comma", KPIS, "kpis: {cycle_time: -1,5, hours_saved: 40}",
     f"{KPI} '-1,5' looks like a decimal comma: write -1.5; {IN_BRACES}"),
    ("two thousands separators", KPIS, "kpis: {cycle_time: 1,234,567, hours_saved: 40}",
     f"{KPI} '1,234,567' looks like a number with a thousands separator: write 1234567; {IN_BRACES}"),
    ("a thousands separator and decimals", KPIS, "kpis: {cycle_time: 2,500.50, hours_saved: 40}",
     f"{KPI} '2,500.50' looks like a number with a thousands separator: write 2500.50; {IN_BRACES}"),
    ("a leading zero and a comma", KPIS, "kpis: {cycle_time: 0,500, hours_saved: 40}",
     f"{KPI} '0,500' looks like a decimal comma: write 0.500; {IN_BRACES}"),
    ("$1,234,567 inside { }", LICENSES, "licenses: $1,234,567",
     f"{F}:41:23: {MONEY} '$1,234,567'; write 1234567: '$1,234,567' is one amount, the currency is the portfolio's, "
     f"and {IN_BRACES}"),
    ("a top-level key indented under a list", "\nadoption:", "\n  adoption:",
     f"{F}:35:1: error [syntax] 'adoption' is a top-level key, but it is indented 2 spaces, so YAML reads it as part "
     "of 'kpis' above; start 'adoption:' at the beginning of the line"),
    ("a top-level key indented one space", "risk_tier: medium", " risk_tier: medium",
     f"{F}:11:1: error [syntax] 'risk_tier' is a top-level key, but it is indented 1 space, so YAML reads it as part "
     "of 'autonomy' above; start 'risk_tier:' at the beginning of the line"),
    ("a control given a list", "  risk_assessment: 2025-12-20", "  risk_assessment: [2025-12-20]",
     f"{F}:13:20: error [type] 'governance.risk_assessment' must be text or a mapping of keys to values, got a list"),
    ("a control's mapping with a wrong key", "  risk_assessment: 2025-12-20", "  risk_assessment: {stat: done}",
     f"{F}:13:21: error [unknown-key] unknown key 'stat' in 'governance.risk_assessment'; did you mean 'status'?"),
    ("a non-breaking space after a colon inside { }", "  - {stage: pilot, since: 2026-01}",
     "  - {stage:\u00a0pilot, since: 2026-01}",
     f"{F}:8:12: error [syntax] after 'stage:' comes a non-breaking space (U+00A0), which YAML does not read as a "
     "space, so the key and its value read as one text; replace it with an ordinary space (it comes with text copied "
     "from a web page or a document)"),
    ("a non-breaking space before a comment", "stage: scaling", "stage: scaling\u00a0# now",
     f"{F}:6:15: error [syntax] the value ends with a non-breaking space (U+00A0), which YAML does not read as a "
     "space, so it is part of the value; remove it (it comes with text copied from a web page or a document)"),
    ("two non-breaking spaces as indentation", "  risk_assessment: 2025-12-20", "\u00a0\u00a0risk_assessment: 2025-12-20",
     f"{F}:13:1: error [syntax] the indentation holds a non-breaking space (U+00A0), which YAML does not read as a "
     "space; replace it with an ordinary space (it comes with text copied from a web page or a document)"),
    ("$2,500.50 inside { }", LICENSES, "licenses: $2,500.50",
     f"{F}:41:23: {MONEY} '$2,500.50'; write 2500.50: '$2,500.50' is one amount, the currency is the portfolio's, "
     f"and {IN_BRACES}"),
]


@pytest.mark.parametrize("what,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_a_hand_editing_mistake_is_one_line_that_says_what_to_type(tmp_path, monkeypatch, what, old, new, expected):
    assert run(tmp_path, monkeypatch, {F: mutate(SAMPLE, old, new)}) == [expected]


def test_what_looks_like_a_mistake_but_is_not_is_accepted(tmp_path, monkeypatch):
    # a colon in quoted text, a non-breaking space inside text and inside a block of text
    text = mutate(SAMPLE, NOTE, "    note: 'Added the Czech invoices: 120 a day now'")
    text = mutate(text, "name: Sample initiative", "name: Sample\u00a0initiative")
    text = mutate(text, "summary: ", "x_summary: |\n  Indented by hand:\n  \u00a0 like this.\nsummary: ")
    assert run(tmp_path, monkeypatch, {F: text}) == [  # the block of text is read; its key is the one problem
        f"{F}:2:1: error [unknown-key] unknown key 'x_summary'; did you mean 'summary'?"]


ODD_BUT_VALID = [
    ("a plain text's next line", "summary: A small but complete initiative",
     "summary: A small but complete\n  \u00a0initiative"),
    ("a quoted text's next line", "name: Sample initiative", 'name: "Sample\n  \u00a0initiative"'),
    ("a list item of text", "name: Sample initiative", "name: Sample initiative\nx_list:\n  - Note:\u00a0x\n"
     "  - |\n    \u00a0 indented by hand\n  - 'quoted:\u00a0key'"),
    ("a text that ends with one", "name: Sample initiative", "name: Sample initiative\u00a0"),
    ("a quoted key", "name: Sample initiative", "name: Sample initiative\nx_list: {'\u00a0odd': 1, \"b:\u00a0\": 2}"),
]


@pytest.mark.parametrize("what,old,new", ODD_BUT_VALID, ids=[c[0] for c in ODD_BUT_VALID])
def test_an_odd_space_in_text_is_the_writer_s(tmp_path, monkeypatch, what, old, new):
    # valid YAML is never refused for a non-breaking space: only a key or a value the schema then refuses is named
    problems = run(tmp_path, monkeypatch, {F: mutate(SAMPLE, old, new)})
    assert all("non-breaking" not in p for p in problems), problems
    assert all("x_list" in p for p in problems), problems


def test_an_odd_space_after_a_list_item_s_key_is_named(tmp_path, monkeypatch):
    text = mutate(SAMPLE, "  - {stage: pilot, since: 2026-01}", "  - stage:\u00a0pilot\n    since: 2026-01")
    assert run(tmp_path, monkeypatch, {F: text}) == [
        f"{F}:8:11: error [syntax] after 'stage:' comes a non-breaking space (U+00A0), which YAML does not read as a "
        "space, so the key and its value read as one text; replace it with an ordinary space (it comes with text "
        "copied from a web page or a document)"]


def test_the_starters_examples_can_be_uncommented_as_they_are(tmp_path, monkeypatch, capsys):
    """Uncommenting the starter's example KPI and month gives a valid file (no `[]` to remove first)."""
    from scorecard.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["new", "claims-triage", "--today", "2026-11"]) == 0
    path = tmp_path / "initiatives" / "claims-triage.yaml"
    text = path.read_text(encoding="utf-8")
    assert "#   2026-10:" in text  # the example month is the month just ended, not the current one
    lines = []
    for line in text.splitlines():
        if line.startswith(("# kpis:", "#   - ", "#     ", "# months:", "#   2026-10:")):
            line = line[2:]
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--today", "2026-11"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 file checked: 0 errors, 5 warnings"  # the TODOs only


def test_the_starter_points_at_sections_that_exist():
    from importlib import resources

    starter = resources.files("scorecard").joinpath("data/starter.yaml").read_text(encoding="utf-8")
    readme = resources.files("scorecard").joinpath("data/portfolio/README.md").read_text(encoding="utf-8")
    page = resources.files("scorecard.site_templates").joinpath("docs/contribute.md").read_text(encoding="utf-8")
    assert '"Submit a month (teams)"' in starter and "\n## Submit a month (teams)\n" in readme
    assert 'page "How to submit an update"' in starter and page.startswith("# How to submit an update\n")
