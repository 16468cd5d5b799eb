"""The committed JSON Schema works in editors, and says yes and no where scorecard does.

check-jsonschema checks the schema against its metaschema with ECMA-262 regular
expressions (what editors compile, with the `u` flag), then validates the same
documents scorecard validates: every fixture accepted or refused on type, enum,
bound or pattern grounds is accepted or refused the same way.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, mutate
from scorecard.load.reader import parse_text
from scorecard.model import Initiative
from scorecard.validate.schema_errors import validate_model

CHECK = str(Path(sys.executable).parent / "check-jsonschema")  # a test tool: installed with scorecard[test]
SCHEMA = ROOT / "schema" / "initiative.schema.json"

# (what is changed, old, new): scorecard's model accepts or refuses each; the schema must agree.
CASES = [
    ("sample", "", ""),
    ("apostrophe email", "email: dana@example.com", "email: sean.o'brien@example.com"),
    ("apostrophe url", "evidence: https://dashboards.example.com/contract-review",
     "evidence: https://wiki.example.com/display/AP/Sean's+notes"),
    ("upper-case scheme", "evidence: https://dashboards.example.com/contract-review", "evidence: HTTPS://X.EXAMPLE/Y"),
    ("unicode name", "name: Sample initiative", "name: \u8ca1\u52d9 <b>&amp;</b> \"quoted\""),
    ("javascript url", "evidence: https://dashboards.example.com/contract-review", "evidence: javascript:alert(1)"),
    ("url with space", "evidence: https://dashboards.example.com/contract-review", "evidence: \"https://a.example/x y\""),
    ("two emails", "email: dana@example.com", "email: \"a@b.c, d@e.f\""),
    ("blank name", "name: Sample initiative", "name: \"   \""),
    ("empty name", "name: Sample initiative", "name: \"\""),
    ("number as text", "{licenses: 12000,", "{licenses: 12k,"),
    ("negative amount", "{labor_savings: 20000}", "{labor_savings: -20000}"),
    ("huge amount", "{licenses: 12000,", "{licenses: 1.7e308,"),
    ("huge kpi", "    baseline: 20\n", "    baseline: 1.7e300\n"),
    ("fractional users", "users: 12", "users: 12.5"),
    ("unknown tier", "risk_tier: medium", "risk_tier: extreme"),
    ("unknown key", "business_unit: Legal", "buisness_unit: Legal"),
    ("bad month key", "  2026-02:", "  2026-13:"),
    ("arabic digits month", "  2026-02:", "  \u0662\u0660\u0662\u0666-02:"),
    ("year 0000", "  2026-02:", "  0000-02:"),
    ("bad date", "since: 2026-01}", "since: 2026-1}"),
    ("text for a number", "    target: 12\n", "    target: \"12\"\n"),
    ("kpi id", "  - id: cycle_time", "  - id: Cycle-Time"),
    ("long name", "name: Sample initiative", "name: " + "x" * 301),
]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bool, bool]]:
    """{case: (scorecard accepts, the schema accepts)} for every case, with one check-jsonschema run per case."""
    folder = tmp_path_factory.mktemp("schema")
    out = {}
    for name, old, new in CASES:
        doc = parse_text(mutate(SAMPLE, old, new) if old else SAMPLE, "x.yaml", [])
        model, _ = validate_model(doc, Initiative)
        path = folder / (name.replace(" ", "-") + ".json")
        path.write_text(json.dumps(doc.data, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([CHECK, "--schemafile", str(SCHEMA), str(path)], capture_output=True, text=True)
        out[name] = (model is not None, proc.returncode == 0)
    return out


def test_the_schema_is_valid_with_ecma_262_patterns():
    proc = subprocess.run([CHECK, "--check-metaschema", str(SCHEMA)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_metaschema_check_can_fail(tmp_path):
    broken = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken["$defs"]["Owner"]["properties"]["name"]["pattern"] = "[^\\\"]"  # `\"` is not an ECMA-262 unicode escape
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    assert subprocess.run([CHECK, "--check-metaschema", str(path)], capture_output=True).returncode == 1


@pytest.mark.parametrize("case", [c[0] for c in CASES])
def test_schema_and_scorecard_agree(verdicts, case):
    ours, schema = verdicts[case]
    assert ours == schema, f"scorecard {'accepts' if ours else 'refuses'} it, the schema does not agree"


def test_the_cases_cover_both_answers(verdicts):
    answers = [ours for ours, _ in verdicts.values()]
    assert answers.count(True) == 5 and answers.count(False) == len(CASES) - 5
