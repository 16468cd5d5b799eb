"""The registry of source kinds, and the built-in one: the figures entered in the initiative files."""

from __future__ import annotations

import pytest
import yaml

from conftest import PORTFOLIO
from scorecard.months import parse_month
from scorecard.sources import SOURCE_KINDS, source
from scorecard.validate.run import validate_paths


def test_the_files_source_yields_every_entered_figure_with_its_provenance():
    result = validate_paths([PORTFOLIO], today=parse_month("2026-11"), base=PORTFOLIO)
    figures = list(source("files").figures(result.initiatives))
    # the reference: the YAML itself, read without the tool
    expected = set()
    for path in sorted(PORTFOLIO.glob("*.yaml")):
        for month, block in (yaml.safe_load(path.read_text(encoding="utf-8")).get("months") or {}).items():
            block = block or {}
            if block.get("users") is not None:
                expected.add((path.stem, str(month), "users", "users", float(block["users"])))
            for measure, key in (("kpi", "kpis"), ("cost", "costs"), ("benefit", "benefits")):
                for name, value in (block.get(key) or {}).items():
                    if value is not None:
                        expected.add((path.stem, str(month), measure, name, float(value)))
    assert {(f.initiative, f.month, f.measure, f.key, f.value) for f in figures} == expected
    assert len(figures) == len(expected) > 500
    assert {(f.provenance.source, f.provenance.how) for f in figures} == {("files", "entered")}
    assert {f.provenance.where for f in figures if f.initiative == "lead-scoring"} == {"lead-scoring.yaml"}


def test_an_unknown_kind_or_option_is_refused():
    assert list(SOURCE_KINDS) == ["files"]
    with pytest.raises(ValueError, match="no source kind 'warehouse'; the kinds are files"):
        source("warehouse")
    with pytest.raises(ValueError, match="the files source takes no options, got path"):
        source("files", {"path": "/etc"})
