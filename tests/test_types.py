"""The package's types: mypy checks the whole package (pyproject.toml's [tool.mypy]), every rule module against its
protocol (`scorecard.rules.base`) included. A finding is a failure; nothing is silenced with `# type: ignore`."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOT


def test_mypy_finds_nothing_in_the_package_and_does_find_a_rule_that_breaks_its_protocol(tmp_path):
    """One test, so that the second run reuses the first one's cache (on another worker it would start cold)."""
    cache = str(tmp_path / "cache")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", cache], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("Success: no issues found")

    # the check can fail: a rule whose evaluate lost its policy argument is refused by the registry's type
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "scorecard", copy / "scorecard", ignore=shutil.ignore_patterns("__pycache__"))
    stale = copy / "scorecard" / "rules" / "stale.py"
    text = stale.read_text(encoding="utf-8")
    assert "def evaluate(f: Facts, p: Policy) -> Finding | None:" in text
    stale.write_text(text.replace("def evaluate(f: Facts, p: Policy)", "def evaluate(f: Facts, _p: None = None)"),
                     encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", cache, "--config-file",
                           str(ROOT / "pyproject.toml"), "scorecard"], cwd=copy, capture_output=True, text=True)
    assert proc.returncode == 1
    assert 'variable has type "tuple[tuple[VerdictRule, ...], ...]"' in proc.stdout


def test_pyflakes_finds_nothing_in_the_package():
    """No unused import and no undefined name: a moved function leaves no stale import behind."""
    proc = subprocess.run([sys.executable, "-m", "pyflakes", "scorecard"], cwd=ROOT, capture_output=True, text=True)
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")
