"""The typed report: scorecard.json validates against the committed schema, and an older one is read back
through the same model or refused in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from scorecard.cli import main
from scorecard.report.model import report_schema
from sites import build
from test_audience import fixture

SCHEMA = ROOT / "schema" / "scorecard.schema.json"


def check_jsonschema(*documents: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run([str(tool), "--schemafile", str(SCHEMA), *map(str, documents)],
                          capture_output=True, text=True)


def test_the_committed_schema_is_the_model_s():
    """`scorecard schema --report > schema/scorecard.schema.json` rewrites it."""
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == report_schema()


def test_every_scorecard_json_a_build_writes_validates(example_site, tmp_path, capsys):
    assert build(fixture(tmp_path, "public"), tmp_path / "public-site") == 0
    capsys.readouterr()
    assert main(["report", "--format", "json", "--config", str(example_site.parent / "mkdocs.yml"),
                 "--as-of", "2026-10"]) == 0
    printed = tmp_path / "printed.json"
    printed.write_text(capsys.readouterr().out, encoding="utf-8")
    written = [example_site / "scorecard.json", tmp_path / "public-site" / "scorecard.json", printed]
    assert "withheld" in json.loads(written[1].read_text(encoding="utf-8"))  # the public one holds no money
    proc = check_jsonschema(*written)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_schema_refuses_what_the_model_does_not_write(example_site, tmp_path):
    doc = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    doc["initiatives"][0]["surprise"] = 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    proc = check_jsonschema(bad)
    assert proc.returncode == 1 and "surprise" in proc.stdout


@pytest.mark.parametrize("version, said", [(2, "it says 2"), ("1", 'it says "1"'), (None, "it has no schema_version")])
def test_a_previous_scorecard_of_another_version_is_refused_in_one_line(example_site, tmp_path, capsys, version, said):
    doc = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    doc.pop("schema_version")
    if version is not None:
        doc["schema_version"] = version
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    assert build(example_site.parent / "mkdocs.yml", tmp_path / "site", "--previous", str(old)) == 1
    assert capsys.readouterr().err == (f"scorecard: error: {old}: not a scorecard.json of schema version 1 ({said}); "
                                       "give the scorecard.json of a published month\n")


def test_a_scorecard_json_written_before_the_schema_was_named_is_read(example_site, tmp_path):
    """Version 1 was written as `report_version` (published months before the schema had its name)."""
    doc = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    doc = {"report_version": doc.pop("schema_version"), **doc}
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    assert build(example_site.parent / "mkdocs.yml", tmp_path / "site", "--previous", str(old), "--as-of", "2026-10") == 0
