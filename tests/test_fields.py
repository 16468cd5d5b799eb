"""The organisation's own fields: declared in the policy, recorded under `fields:`, checked by type, and
carried to the page, the tables' filters, the JSON, the CSV and the JSON Schema."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from scorecard.cli import main
from sites import ROOT, Html, build, project

FIXTURES = ROOT / "tests" / "fixtures" / "portfolio"
POLICY = """\
fields:
  topic_area: {name: Topic area, type: text}
  vendor: {name: Vendor}
  has_pii: {name: Uses personal data, type: choice, choices: ["yes", "no", "unknown"]}
  ato_date: {name: Authority to operate, type: date, description: When the system was authorised}
  budget_line: {name: Budget line, type: number}
  record: {name: Public record, type: url}
  contact: {name: Inventory contact, type: email}
"""
FIELDS = """\
fields:
  topic_area: Legal & <Compliance>
  vendor: Ironclad
  has_pii: "yes"
  ato_date: 2025-11-03
  budget_line: 4410
  record: https://example.org/ai/contract-review?x=1&y=2
  contact: legal-ai@example.com
"""


def portfolio(tmp_path: Path, fields: str = FIELDS, policy: str = POLICY) -> Path:
    folder = tmp_path / "initiatives"
    shutil.copytree(FIXTURES, folder)
    path = folder / "contract-review.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kpis:\n", fields + "kpis:\n", 1), encoding="utf-8")
    (tmp_path / "policy.yml").write_text(policy, encoding="utf-8")
    return project(tmp_path, Path("initiatives"), as_of="2026-10", policy="policy.yml")


def validate(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", "--config", str(config), "--today", "2026-11"])
    out = capsys.readouterr().out.replace(f"{config.parent}/", "")
    return code, [line for line in out.splitlines() if "contract-review" in line or "policy.yml" in line]


def field_line(config: Path, key: str) -> int:
    text = (config.parent / "initiatives" / "contract-review.yaml").read_text(encoding="utf-8")
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"  {key}:"))


def test_declared_fields_of_every_type_validate(tmp_path, capsys):
    code, lines = validate(portfolio(tmp_path), capsys)
    assert (code, lines) == (0, [])


@pytest.mark.parametrize("key,value,expected", [
    ("vendr", "Ironclad", "error [unknown-field] 'vendr' is not a field of this portfolio; did you mean 'vendor'?"),
    ("colour", "red", "error [unknown-field] 'colour' is not a field of this portfolio; its fields are topic_area, "
                      "vendor, has_pii, ato_date, budget_line, record, contact"),
    ("has_pii", "Yes", "error [field-value] fields.has_pii (Uses personal data) is 'Yes', which is not one of its "
                       "choices; did you mean 'yes'?"),
    ("has_pii", "maybe", "error [field-value] fields.has_pii (Uses personal data) is 'maybe', which is not one of its "
                         "choices; write one of: yes, no, unknown"),
    ("ato_date", "2025-02-30", "error [field-value] fields.ato_date (Authority to operate) is '2025-02-30', not a date; "
                               "write the date as YYYY-MM or YYYY-MM-DD"),
    ("ato_date", "last spring", "error [field-value] fields.ato_date (Authority to operate) is 'last spring', not a "
                                "date; write the date as YYYY-MM or YYYY-MM-DD"),
    ("budget_line", "4k", "error [field-value] fields.budget_line (Budget line) is a number, not '4k'; write the "
                          "number alone, e.g. 1200"),
    ("record", "javascript:alert(1)", "error [field-value] fields.record (Public record) is 'javascript:alert(1)', "
                                      "not a link; write a link starting with http:// or https://, without spaces"),
    ("contact", "a@example.com, b@example.com", "error [field-value] fields.contact (Inventory contact) is "
                                                "'a@example.com, b@example.com', not an e-mail address; write one "
                                                "address such as name@example.com"),
    ("has_pii", "12", "error [field-value] fields.has_pii (Uses personal data) is choice, not the number 12; "
                      "write it in quotes"),
])
def test_a_wrong_field_is_one_line_with_the_file_the_line_and_what_to_do(tmp_path, capsys, key, value, expected):
    raw = value if key != "has_pii" or value == "12" else f'"{value}"'
    config = portfolio(tmp_path, fields=f"fields:\n  {key}: {raw}\n")
    code, lines = validate(config, capsys)
    line = field_line(config, key)
    column = 3 if "unknown-field" in expected else len(f"  {key}: ") + 1
    assert code == 1
    assert lines == [f"initiatives/contract-review.yaml:{line}:{column}: {expected}"]


@pytest.mark.parametrize("policy,expected", [
    ("fields:\n  has_pii: {name: PII, type: choice}\n",
     "policy.yml:2:3: error [value] the field 'has_pii' is a choice without choices; add choices: the allowed values, "
     'e.g. choices: ["yes", "no", "unknown"]'),
    ("fields:\n  vendor: {name: Vendor, choices: [a, b]}\n",
     "policy.yml:2:3: error [value] the field 'vendor' has choices but its type is text; add type: choice, or remove "
     "choices"),
    ("fields:\n  vendor: {name: Vendor, type: list}\n",
     "policy.yml:2:32: error [value] 'fields.vendor.type' must be one of text, number, date, choice, url, email; got 'list'"),
    ("fields:\n  Vendor: {name: Vendor}\n", None),
])
def test_a_wrong_field_declaration_is_one_line(tmp_path, capsys, policy, expected):
    config = portfolio(tmp_path, fields="", policy=policy)
    code = main(["validate", "--config", str(config), "--today", "2026-11"])
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).replace(f"{config.parent}/", "").splitlines()
    assert code == 1
    if expected is None:  # a key that is not snake_case: refused, with the line, whatever the wording
        assert len(lines) == 2 and lines[0].startswith("policy.yml:2:3: error") and "Vendor" in lines[0], lines
    else:
        assert lines == [expected, "1 file checked: 1 error, 0 warnings"]


def test_fields_reach_the_page_the_tables_the_json_the_csv_and_the_schema(tmp_path):
    config = portfolio(tmp_path)
    site = tmp_path / "site"
    assert build(config, site) == 0
    html = (site / "initiatives" / "contract-review" / "index.html").read_text(encoding="utf-8")
    text = Html(html).visible
    assert ("Topic area Legal & <Compliance> Vendor Ironclad Uses personal data yes Authority to operate 2025-11-03 "
            "Budget line 4,410 Public record https://example.org/ai/contract-review?x=1&y=2 "
            "Inventory contact legal-ai@example.com") in text
    assert "Legal &amp; &lt;Compliance&gt;" in html and "<Compliance>" not in html
    assert 'href="https://example.org/ai/contract-review?x=1&amp;y=2"' in html
    assert 'href="mailto:legal-ai@example.com"' in html

    report = json.loads((site / "scorecard.json").read_text(encoding="utf-8"))
    by_id = {i["id"]: i for i in report["initiatives"]}
    assert by_id["contract-review"]["fields"] == {
        "topic_area": "Legal & <Compliance>", "vendor": "Ironclad", "has_pii": "yes", "ato_date": "2025-11-03",
        "budget_line": 4410, "record": "https://example.org/ai/contract-review?x=1&y=2",
        "contact": "legal-ai@example.com"}
    assert by_id["lead-scoring"]["fields"] == {}

    rows = list(csv.DictReader(io.StringIO((site / "scorecard.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["id"] == "contract-review")
    assert list(row)[-7:] == ["fields.topic_area", "fields.vendor", "fields.has_pii", "fields.ato_date",
                              "fields.budget_line", "fields.record", "fields.contact"]
    assert (row["fields.has_pii"], row["fields.budget_line"], row["fields.vendor"]) == ("yes", "4410", "Ironclad")
    assert next(r for r in rows if r["id"] == "lead-scoring")["fields.vendor"] == ""

    schema = json.loads((site / "initiative.schema.json").read_text(encoding="utf-8"))
    fields = schema["properties"]["fields"]
    assert fields["additionalProperties"] is False
    assert fields["properties"]["has_pii"] == {"title": "Uses personal data", "enum": ["yes", "no", "unknown"]}
    assert fields["properties"]["ato_date"]["description"] == "When the system was authorised"
    assert fields["properties"]["budget_line"] == {"title": "Budget line", "type": "number"}

    table = json.loads(next((site / "assets" / "scorecard").glob("initiatives*.json")).read_text(encoding="utf-8"))
    # choice fields and text fields with few values filter the tables; long text is left out of the data
    assert table["facets"] == [["f.topic_area", "Topic area", "Topic area: all"], ["f.vendor", "Vendor", "Vendor: all"],
                               ["f.has_pii", "Uses personal data", "Uses personal data: all"]]
    at = table["rows"]["id"].index("contract-review")
    assert (table["rows"]["f.has_pii"][at], table["rows"]["f.has_pii"][table["rows"]["id"].index("lead-scoring")]) \
        == ("yes", "")
    assert "Ironclad" in table["rows"]["words"][at]
