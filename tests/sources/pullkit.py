"""A portfolio in a temporary folder for the pull tests: mkdocs.yml, the office's policy, its data files and
initiative files made from the validator's sample, each binding figures to the policy's metrics."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import SAMPLE
from scorecard.cli import main

MKDOCS = "site_name: t\nplugins:\n  - scorecard:\n      initiatives: initiatives\n      policy: policy.yml\n"


def initiative(pull: str, months: str = "") -> str:
    """The sample initiative with a `pull:` block (YAML lines, indented by two) and extra month blocks."""
    text = SAMPLE.replace("months:\n", f"pull:\n{pull}months:\n", 1) if pull else SAMPLE
    return text + months


def portfolio(root: Path, policy: str, files: dict[str, str], initiatives: dict[str, str]) -> Path:
    (root / "initiatives").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "policy.yml").write_text(policy, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for ident, text in initiatives.items():
        (root / "initiatives" / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return root


def focus_csv(rows: list[dict[str, object]]) -> str:
    """A FOCUS export's text with the columns the focus source reads (and a provider, as real exports mix them)."""
    header = ["ProviderName", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd", "EffectiveCost", "Tags"]
    lines = [",".join(header)]
    for r in rows:
        tags = r.get("Tags")
        cells = [r.get("ProviderName", "AWS"), r.get("BillingCurrency", "USD"), r["ChargePeriodStart"],
                 r.get("ChargePeriodEnd", "NULL"), r["EffectiveCost"],
                 tags if isinstance(tags, str) else json.dumps(tags) if tags is not None else "NULL"]
        lines.append(",".join(_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def usage_csv(rows: list[tuple[str, str, str]]) -> str:
    lines = ["user,at,app"] + [",".join(r) for r in rows]
    return "\n".join(lines) + "\n"


def pull(root: Path, *args: str) -> int:
    return main(["pull", "--today", "2026-11", "-f", str(root / "mkdocs.yml"), *args])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
