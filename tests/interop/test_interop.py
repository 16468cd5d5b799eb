"""scorecard import and export: a register in (CSV or Excel, the federal inventory or the organisation's own
mapping), the portfolio out (the inventory's layout, a workbook), on real files in temporary folders."""

from __future__ import annotations

import json

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from scorecard.cli import main
from sites import build, project

SAMPLE = FIXTURES / "omb-2025-sample.csv"
TODAY = "2026-11"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    code = main([*args, "--today", TODAY])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def omb_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A portfolio folder whose policy is the one the omb-2025 mapping prints."""
    folder = tmp_path / "portfolio"
    config = project(folder, Path("initiatives"), policy="policy.yml")
    code, out, _ = run(capsys, "import", "--mapping", "omb-2025", "--print-policy")
    assert code == 0
    (folder / "policy.yml").write_text("\n".join(out) + "\n", encoding="utf-8")
    (folder / "initiatives").mkdir()
    return config


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_federal_sample_imports_validates_and_builds(tmp_path, capsys):
    config = omb_project(tmp_path, capsys)
    code, out, _ = run(capsys, "import", str(SAMPLE), "--mapping", "omb-2025", "--config", str(config))
    assert code == 0
    assert out[-1] == ("import: 301 rows: 301 created, 0 updated, 0 unchanged, 130 problems; 65 rows without a usable "
                       "id got one from their scope and name")
    shown = str(SAMPLE)
    # every kind of value that does not fit is reported, one line each, and kept where it can be
    assert f"{shown}:139: contact_email: 'https://www.federalreserve.gov/apps/ContactUs/feedback.aspx?refurl=" \
           "/aiusecaseinv' is not one e-mail address; kept in fields.contact" in out
    assert f"{shown}:130: id: '65' is too short to name a file; imported as epa-bce89e91 (kept in " \
           "fields.inventory_id)" in out
    assert f"{shown}:127: id: row 126 has the same agency and name, and neither has a usable id; imported as " \
           "ed-eef44e8b-2" in out
    initiatives = config.parent / "initiatives"
    assert len(list(initiatives.glob("*.yaml"))) == 301
    epa = (initiatives / "epa-bce89e91.yaml").read_text(encoding="utf-8")
    assert "  inventory_id: '65'\n" in epa
    fed = (initiatives / "frb-1.yaml").read_text(encoding="utf-8") if (initiatives / "frb-1.yaml").exists() else ""
    assert fed == "" or "contact: https://www.federalreserve.gov" in fed

    code, out, _ = run(capsys, "validate", "--config", str(config))
    assert code == 0
    assert out[-1] == "301 files checked: 0 errors, 212 warnings"
    assert {line.split(" [")[1].split("]")[0] for line in out[:-1]} == {"stage-requirements", "risk-unknown"}
    # what the inventory does not say is not made up (issue 22 §2): 36 empty high-impact answers are unknown, governed
    # as high; no autonomy is invented; an empty stage is proposed, marked assumed; a given stage is dated as listed
    assert sum("[risk-unknown]" in line for line in out) == 36
    texts = [p.read_text(encoding="utf-8") for p in sorted(initiatives.glob("*.yaml"))]
    assert sum("\nrisk_tier: unknown\n" in t for t in texts) == 36
    assert all("\nautonomy: unknown\n" in t for t in texts)
    assert sum("basis: assumed" in t for t in texts) == 29 and sum("basis: listed" in t for t in texts) == 272

    site = tmp_path / "site"
    assert build(config, site, "--as-of", "2026-10") == 0
    assert (site / "initiatives" / "dhs-314" / "index.html").is_file()
    page = (site / "initiatives" / "dhs-314" / "index.html").read_text(encoding="utf-8")
    assert "<dt>Topic area</dt><dd>Admin Functions</dd>" in page and "<dt>Bureau</dt><dd>CBP</dd>" in page
    assert (site / "scorecard.xlsx").is_file()
    exported = (site / "inventory-omb-2025.csv").read_text(encoding="utf-8-sig")
    assert exported.startswith('"agency","agency_name","id","use_case_name",')
    # the inventory has no figures: it reads as a coverage report, with no verdict, kill or overdue (issue 22 §1)
    doc = json.loads((site / "scorecard.json").read_text(encoding="utf-8"))
    assert (doc["portfolio"]["measured"], doc["portfolio"]["not_measured"]) == (0, 301)
    assert doc["portfolio"]["kill_list"] == [] and doc["portfolio"]["overdue"] == []
    assert {i["verdict"] for i in doc["initiatives"]} <= {None, "closed"}
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "inventory only, no figures yet: <strong>301</strong> (not judged)" in home
    assert "stopping them saves" not in home


def test_a_reimport_changes_no_byte_and_keeps_what_the_team_wrote(tmp_path, capsys):
    config = omb_project(tmp_path, capsys)
    initiatives = config.parent / "initiatives"
    assert run(capsys, "import", str(SAMPLE), "--mapping", "omb-2025", "--config", str(config))[0] == 0
    first = snapshot(initiatives)
    code, out, _ = run(capsys, "import", str(SAMPLE), "--mapping", "omb-2025", "--config", str(config))
    assert code == 0 and out[-1].startswith("import: 301 rows: 0 created, 0 updated, 301 unchanged,")
    assert snapshot(initiatives) == first

    path = initiatives / "dhs-314.yaml"
    text = path.read_text(encoding="utf-8")
    team = ("kpis:\n  - {id: repairs, name: Days to repair a monitor, unit: days, direction: decrease, baseline: 30,"
            " target: 16, target_month: 2026-12, primary: true}\n# the team's own note\n")
    edited = (text.replace("name: Advance RPM Maintenance Operating Reporter (ARMOR)", "name: Renamed by hand")
              .replace("  bureau: CBP\n", "  bureau: CBP\n  local_note: kept\n") + team)
    path.write_text(edited, encoding="utf-8")
    (config.parent / "policy.yml").write_text((config.parent / "policy.yml").read_text(encoding="utf-8")
                                              + "  local_note: {name: Local note}\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(SAMPLE), "--mapping", "omb-2025", "--config", str(config), "--dry-run")
    assert out[-1].startswith("import: 301 rows: 0 created, 1 updated, 300 unchanged,")
    assert out[-1].endswith("; dry run: nothing written")
    assert path.read_text(encoding="utf-8") == edited
    run(capsys, "import", str(SAMPLE), "--mapping", "omb-2025", "--config", str(config))
    after = path.read_text(encoding="utf-8")
    assert "name: Advance RPM Maintenance Operating Reporter (ARMOR)\n" in after  # the block is the register's
    assert "  local_note: kept\n" in after  # a field the mapping does not feed stays
    assert after.endswith(team)  # below the block: the team's, byte for byte
    assert "  local_note: kept\n# <<< scorecard import omb-2025\n" in after  # a field the mapping does not feed stays
    assert after.replace("  local_note: kept\n", "") == text + team


def test_export_then_import_round_trips_the_sample(tmp_path, capsys):
    config = omb_project(tmp_path, capsys)
    _, reported, _ = run(capsys, "import", str(SAMPLE), "--mapping", "omb-2025", "--config", str(config))
    exported = tmp_path / "exported.csv"
    code, _, err = run(capsys, "export", "--format", "omb-2025", "--output", str(exported), "--config", str(config))
    assert code == 0 and err == [f"wrote {exported}: 301 initiatives in the omb-2025 layout"]

    again = omb_project(tmp_path / "again", capsys)
    assert run(capsys, "import", str(exported), "--mapping", "omb-2025", "--config", str(again))[0] == 0
    assert snapshot(again.parent / "initiatives") == snapshot(config.parent / "initiatives")

    # cell by cell: every mapped column comes back as it was, except the cells the import reported
    original = list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))
    back = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert len(back) == len(original) == 301
    reported_cells = {(int(line.split(":")[1]), line.split(": ")[1]) for line in reported[:-1]}
    pool: dict[tuple[str, str, str], list[tuple[int, dict[str, str]]]] = {}
    for number, row in enumerate(original, 2):
        pool.setdefault((row["agency"], row["use_case_name"], row["id"]), []).append((number, row))
    differences, filled = [], []
    for row in back:
        number, old = pool[(row["agency"], row["use_case_name"], row["id"])].pop(0)
        for column, value in old.items():
            if not value.strip() and row[column].strip():
                filled.append((number, column, row[column]))
            if row[column] != value and (number, column) not in reported_cells:
                differences.append((number, column, value[:40], row[column][:40]))
    # unknown stays unknown (issue 22 §2): an empty cell comes back empty, reported or not; the sample has 36 empty
    # high-impact answers and 29 empty stages, which read "Not High-impact" and "Pre-deployment" before
    assert sum(1 for r in original if not r["is_high_impact"].strip()) == 36
    assert sum(1 for r in original if not r["development_stage"].strip()) == 29
    assert filled == []
    # the one cell that starts with '-' goes out as text ('-...): a spreadsheet would read it as a formula
    assert differences == [(276, "benefits", "- Improved data security by automaticall",
                            "'- Improved data security by automatical")]


MAPPING = """\
title: Our AI register
id: {column: Ref, keep_in: ref, min_length: 3, scope: Division}
since: 2026-01
defaults: {autonomy: advisory}
columns:
  Ref: {to: fields.ref}
  Title: {to: name}
  Division: {to: business_unit}
  Lead: {to: owner.name}
  Email: {to: owner.email, else: fields.contact}
  What: {to: summary}
  Phase: {to: stage, values: {Idea: proposed, Trial: pilot, Live: production}, empty: proposed}
  Risk: {to: risk_tier, values: {Low: low, Medium: medium, High: high}, empty: medium}
  Approved: {to: fields.approved}
  Budget: {to: fields.budget}
"""
POLICY = """\
stage_requirements: warning
fields:
  ref: {name: Register ref}
  contact: {name: Contact}
  approved: {name: Approved on, type: date}
  budget: {name: Budget, type: number}
"""


def own_project(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    config = project(folder, Path("initiatives"), policy="policy.yml")
    (folder / "policy.yml").write_text(POLICY, encoding="utf-8")
    (folder / "mapping.yml").write_text(MAPPING, encoding="utf-8")
    (folder / "initiatives").mkdir()
    return config


def test_an_excel_register_with_its_own_mapping(tmp_path, capsys):
    import datetime as dt

    from openpyxl import Workbook

    config = own_project(tmp_path)
    book = Workbook()
    ws = book.active
    ws.title = "Register"
    ws.append(["Ref", "Title", "Division", "Lead", "Email", "What", "Phase", "Risk", "Approved", "Budget"])
    ws.append(["AI-001", "Invoice matching", "Finance", "Ana Ruiz", "ana@example.com", "Matches invoices to POs.",
               "Live", "Low", dt.datetime(2025, 11, 3), 120000])
    ws.append(["AI-002", "Claims triage", "Claims", "Bo Chen", "bo@example.com; ops@example.com",
               "Routes claims.", "Scaling", "Extreme", None, 4.5])
    ws.append([None, None, None, None, None, None, None, None, None, None])  # a blank row: skipped
    ws.append(["7", "x" * 320, "Claims", None, None, None, "Idea", None, None, None])
    workbook = tmp_path / "register.xlsx"
    book.save(workbook)

    code, out, _ = run(capsys, "import", str(workbook), "--mapping", str(config.parent / "mapping.yml"),
                       "--config", str(config))
    w = str(workbook)
    assert code == 0
    assert out == [
        f"{w}:3: Email: 'bo@example.com; ops@example.com' is not one e-mail address; kept in fields.contact",
        f"{w}:3: Phase: 'Scaling' is not a value the mapping knows; recorded as proposed",
        f"{w}:3: Risk: 'Extreme' is not a value the mapping knows; recorded as medium",
        f"{w}:5: Title: 320 characters, longer than the 300 a name may have; cut to 300",
        f"{w}:5: Risk: empty; recorded as medium",
        f"{w}:5: Ref: '7' is too short to name a file; imported as claims-{_hash('x' * 299 + '…')} (kept in fields.ref)",
        f"{w}:5: summary: empty, as is every column the mapping falls back on; recorded as 'No description in the "
        "register.'",
        f"{w}:5: owner: no name in the register; recorded as 'Not named in the register'",
        "import: 3 rows: 3 created, 0 updated, 0 unchanged, 8 problems; 1 rows without a usable id got one from "
        "their scope and name",
    ]
    invoice = (config.parent / "initiatives" / "ai-001.yaml").read_text(encoding="utf-8")
    # typed as the policy declares: a date cell as YYYY-MM-DD, a number as a number
    assert "  approved: '2025-11-03'\n  budget: 120000\n" in invoice
    assert "stage: production\n" in invoice and "autonomy: advisory\n" in invoice
    claims = (config.parent / "initiatives" / "ai-002.yaml").read_text(encoding="utf-8")
    assert "  contact: bo@example.com; ops@example.com\n  budget: 4.5\n" in claims
    code, out, _ = run(capsys, "validate", "--config", str(config))
    assert code == 0, out


def _hash(text: str) -> str:
    from scorecard.interop.rows import _hash as h

    return h(text, 8)


@pytest.mark.parametrize("header,mapping,expected", [
    ("Ref,Title,Division\n", "mapping.yml",
     "scorecard: error: {sheet}:1: the mapping mapping needs the columns 'Lead', 'Email', 'What', 'Phase', 'Risk', "
     "'Approved', 'Budget', which the header does not have"),
    (None, "nope.yml", "scorecard: error: --mapping nope.yml: no such file, and not a built-in mapping (omb-2025)"),
    ("a,a\n1,2\n", "mapping.yml", "scorecard: error: {sheet}:1: the column 'a' appears twice; rename one of them"),
])
def test_an_import_that_cannot_start_says_why_in_one_line_and_writes_nothing(tmp_path, capsys, header, mapping,
                                                                             expected):
    config = own_project(tmp_path)
    sheet = tmp_path / "register.csv"
    sheet.write_text(header or "Ref\n", encoding="utf-8")
    spec = str(config.parent / mapping) if mapping == "mapping.yml" else mapping
    code, out, err = run(capsys, "import", str(sheet), "--mapping", spec, "--config", str(config))
    assert (code, out, err) == (1, [], [expected.format(sheet=sheet)])
    assert list((config.parent / "initiatives").iterdir()) == []


def test_the_policy_must_declare_what_the_mapping_fills(tmp_path, capsys):
    config = own_project(tmp_path)
    (config.parent / "policy.yml").write_text("fields:\n  ref: {name: Ref}\n", encoding="utf-8")
    sheet = tmp_path / "register.csv"
    sheet.write_text("Ref,Title,Division,Lead,Email,What,Phase,Risk,Approved,Budget\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(sheet), "--mapping", str(config.parent / "mapping.yml"),
                         "--config", str(config))
    assert (code, out) == (1, [])
    mapping = str(config.parent / "mapping.yml")
    assert err == ["scorecard: error: the policy does not declare the fields approved, budget, contact, which the "
                   f"mapping mapping fills; scorecard import --mapping {mapping} --print-policy prints the policy it needs"]
    # the command the hint gives works (issue 23 §6)
    hint = err[0].split("; ")[1].removesuffix(" prints the policy it needs").split()
    assert hint[:2] == ["scorecard", "import"]
    code, out, _ = run(capsys, *hint[1:])
    assert code == 0 and {"  approved: {name: \"Approved\"}", "  budget: {name: \"Budget\"}"} <= set(out)


def test_files_the_import_did_not_make_are_left_alone(tmp_path, capsys):
    config = own_project(tmp_path)
    initiatives = config.parent / "initiatives"
    (initiatives / "ai-001.yaml").write_text("# written by hand\nname: Mine\n", encoding="utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep me\n", encoding="utf-8")
    (initiatives / "ai-002.yaml").symlink_to(outside)
    sheet = tmp_path / "register.csv"
    sheet.write_text("Ref,Title,Division,Lead,Email,What,Phase,Risk,Approved,Budget\n"
                     "AI-001,One,Finance,Ana,ana@example.com,Does one thing.,Live,Low,,\n"
                     "AI-002,Two,Finance,Ana,ana@example.com,Does two things.,Live,Low,,\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(sheet), "--mapping", str(config.parent / "mapping.yml"),
                       "--config", str(config))
    assert code == 0
    assert out == [
        f"{sheet}:2: id: initiatives/ai-001.yaml has no import block (it was not made by scorecard import); left alone",
        f"{sheet}:3: id: initiatives/ai-002.yaml exists but is not a regular file; left alone",
        "import: 2 rows: 0 created, 0 updated, 0 unchanged, 2 problems",
    ]
    assert (initiatives / "ai-001.yaml").read_text(encoding="utf-8") == "# written by hand\nname: Mine\n"
    assert outside.read_text(encoding="utf-8") == "keep me\n" and (initiatives / "ai-002.yaml").is_symlink()


def test_the_workbook_has_a_sheet_per_table_real_cells_and_no_formula(tmp_path, capsys):
    from openpyxl import load_workbook

    folder = tmp_path / "portfolio"
    shutil.copytree(FIXTURES / "portfolio", folder / "initiatives")
    path = folder / "initiatives" / "contract-review.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: AI contract review", "name: '=HYPERLINK(\"x\")'"),
                    encoding="utf-8")
    config = project(folder, Path("initiatives"), as_of="2026-10")
    out = tmp_path / "book.xlsx"
    code, _, err = run(capsys, "export", "--format", "xlsx", "--output", str(out), "--config", str(config))
    assert code == 0 and err == [f"wrote {out} as of 2026-10"]
    first = out.read_bytes()
    assert run(capsys, "export", "--format", "xlsx", "--output", str(out), "--config", str(config))[0] == 0
    assert out.read_bytes() == first  # the same bytes for the same month

    book = load_workbook(out)
    assert book.sheetnames == ["Initiatives", "KPIs", "Monthly figures", "KPI actuals", "Governance"]
    ws = book["Initiatives"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["id", "name", "business_unit"] and ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}{ws.max_row}"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    review = rows["contract-review"]
    assert review[1].value == '=HYPERLINK("x")' and review[1].data_type == "s"
    net = review[head.index("net")]
    assert isinstance(net.value, (int, float)) and net.number_format == "#,##0"
    since = review[head.index("stage_since")]
    assert since.value.year == 2026 and since.number_format == "yyyy-mm"
    with zipfile.ZipFile(out) as z:
        assert all(b"<f>" not in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    months = book["Monthly figures"]
    assert [c.value for c in months[1]] == ["initiative", "month", "users", "cost", "benefit", "net",
                                            "cumulative_cost", "cumulative_benefit"]
    assert months.max_row > 12


def test_the_inventory_csv_never_starts_a_cell_with_a_formula(tmp_path, capsys):
    config = omb_project(tmp_path, capsys)
    sheet = tmp_path / "register.csv"
    header = SAMPLE.read_text(encoding="utf-8-sig").splitlines()[0]
    columns = next(csv.reader([header]))
    row = {c: "" for c in columns}
    row.update({"agency": "XYZ", "agency_name": "Agency", "id": "XYZ-1", "use_case_name": "=cmd|' /C calc'!A0",
                "problem_solved": "@SUM(1)", "topic_area": "+1"})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns)
    writer.writeheader()
    writer.writerow(row)
    sheet.write_text(buf.getvalue(), encoding="utf-8")
    assert run(capsys, "import", str(sheet), "--mapping", "omb-2025", "--config", str(config))[0] == 0
    code, out, _ = run(capsys, "export", "--config", str(config))
    back = next(csv.DictReader(io.StringIO("\n".join(out).lstrip("\ufeff"))))
    assert (back["use_case_name"], back["problem_solved"], back["topic_area"]) == \
        ("'=cmd|' /C calc'!A0", "'@SUM(1)", "'+1")


def test_the_root_readme_documents_import_and_export():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for words in ("scorecard import", "scorecard export", "--print-policy", "fields:", "stage_requirements"):
        assert words in readme


def test_the_export_blanks_only_the_unknown_it_set_itself():
    """An empty risk answer imports as `unknown` and goes back empty; a name that is the word "unknown" stays."""
    from builders import make
    from scorecard.interop.export import inventory_rows
    from scorecard.interop.mapping import load_mapping

    mapping = load_mapping("omb-2025")
    ini = make("dhs-1", name="unknown", summary="unknown", risk_tier="unknown").model
    head, row = inventory_rows([("dhs-1", ini)], mapping)
    cells = dict(zip(head, row))
    assert cells["use_case_name"] == "unknown"
    assert cells["is_high_impact"] == ""
