"""The strict loader: YAML 1.2-style scalars, positions, and what it refuses."""

from __future__ import annotations

import pytest

from scorecard.load.reader import LoadError, parse_text


def load(text: str):
    problems: list = []
    doc = parse_text(text, "f.yaml", problems)
    return doc, problems


@pytest.mark.parametrize("text,value", [
    ("1", 1), ("012", 12), ("-3", -3), ("1.5", 1.5), ("1e3", 1000.0), ("yes", "yes"), ("No", "No"),
    ("on", "on"), ("true", True), ("False", False), ("~", None), ("", None), ("2026-11", "2026-11"),
    ("2026-11-01", "2026-11-01"), ("'12'", "12"), ('"true"', "true"), ("12k", "12k"), ("0x1F", "0x1F"),
    ("1_000", "1_000"), ("12:30", "12:30"),
])
def test_scalars_resolve_the_yaml_12_way(text, value):
    doc, _ = load(f"a: {text}\n")
    assert doc.data == {"a": value}
    assert type(doc.data["a"]) is type(value)


def test_special_floats_are_floats_so_the_model_can_reject_them():
    doc, _ = load("a: .nan\nb: -.inf\n")
    assert doc.data["a"] != doc.data["a"] and doc.data["b"] == float("-inf")


def test_keys_are_always_text():
    doc, _ = load("2026-01: 1\nyes: 2\n1: 3\n")
    assert list(doc.data) == ["2026-01", "yes", "1"]


def test_positions_of_keys_and_values_are_one_based():
    doc, _ = load("a:\n  b: [1, {c: x}]\n")
    assert doc.locate(("a", "b", 1, "c")) == (2, 14)
    assert doc.locate(("a", "b", 1, "c"), key=True) == (2, 11)
    assert doc.locate(("a", "b", 1, "missing")) == (2, 10)
    assert doc.locate(("zzz",)) == (1, 1)


def test_duplicate_keys_are_reported_at_the_second_and_the_first_is_kept():
    doc, problems = load("a: 1\nb:\n  c: 1\n  c: {d: 2}\n")
    assert doc.data == {"a": 1, "b": {"c": 1}}
    assert [(p.line, p.column, p.rule, p.message) for p in problems] == [
        (4, 3, "duplicate-key", "duplicate key 'c' (first on line 3)")]


@pytest.mark.parametrize("text,rule", [
    ("a: *x\n", "yaml-anchor"),
    ("a: &x 1\n", "yaml-anchor"),
    ("a: !custom 1\n", "yaml-tag"),
    ("a: !!binary aGk=\n", "yaml-tag"),
    ("? [a, b]\n: 1\n", "syntax"),
])
def test_refused(text, rule):
    with pytest.raises(LoadError) as exc:
        load(text)
    assert exc.value.problem.rule == rule


def test_deep_block_nesting_is_refused_quickly():
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    with pytest.raises(LoadError) as exc:
        load(text)
    assert exc.value.problem.message == "nesting deeper than 32 levels"
