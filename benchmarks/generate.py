"""Write a deterministic synthetic portfolio of valid initiative files.

    python benchmarks/generate.py OUT_DIR --count 1000 --months 36 --seed 1 [--end 2026-10]

N initiatives over M months, 1 to 6 KPIs each, every stage and verdict
represented, realistic text lengths, a mix of business units. The same
arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

UNITS = ["Legal", "Customer Service", "Procurement", "Finance", "Sales", "HR", "Supply Chain", "IT",
         "Marketing", "Operations", "Risk", "R&D"]
VERBS = ["Classifies", "Summarises", "Drafts", "Routes", "Forecasts", "Scores", "Extracts", "Reconciles",
         "Recommends", "Translates", "Detects", "Matches"]
OBJECTS = ["support tickets", "supplier invoices", "contracts", "purchase requests", "journal entries",
           "sales leads", "job applications", "demand per SKU", "IT incidents", "campaign briefs",
           "insurance claims", "quality reports", "meeting notes", "customer e-mails", "maintenance logs"]
SYSTEMS = ["Salesforce", "SAP S/4HANA", "ServiceNow", "Workday", "Zendesk", "Coupa", "Snowflake", "Jira"]
KPI_DEFS = [
    ("cycle_time", "Cycle time", "days", "decrease", 20, 8),
    ("first_response", "Time to first response", "hours", "decrease", 8, 2),
    ("hours_saved", "Hours recovered", "hours/month", "increase", 0, 1500),
    ("csat", "Customer satisfaction", "%", "increase", 70, 85),
    ("error_rate", "Error rate", "%", "decrease", 12, 4),
    ("conversion", "Conversion", "%", "increase", 3, 5),
]
PROFILES = ["good", "good", "slow", "failing", "costly", "stale", "gap"]
STAGES = ["pilot", "scaling", "production", "production", "scaling", "pilot", "killed", "retired", "proposed"]


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def sentence(rng: random.Random, words: int) -> str:
    pool = ("the team reviewed results with the business owner and adjusted the workflow so that "
            "reviewers only see exceptions while the model handles routine cases with audit trails").split()
    return " ".join(rng.choice(pool) for _ in range(words)).capitalize() + "."


def initiative(i: int, months: int, end: int, rng: random.Random) -> str:
    unit = UNITS[i % len(UNITS)]
    stage = STAGES[i % len(STAGES)]
    profile = PROFILES[(i // len(STAGES)) % len(PROFILES)]
    n_months = 0 if stage == "proposed" else rng.randint(max(3, months // 3), months)
    start = end - n_months + 1
    verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
    lines = [
        f"name: {verb} {obj} ({unit} {i})",
        f"summary: >-\n  {verb} {obj} inside the {rng.choice(SYSTEMS)} workflow of {unit} "
        f"{i}, so that people handle only the cases that need judgement. {sentence(rng, 18)}",
        f"business_unit: {unit}",
        f"owner: {{name: Owner {i}, email: owner{i}@example.com}}",
        f"sponsor: {{name: Sponsor {i % 37}, title: Vice President {unit}}}",
        f"stage: {stage}",
        "stage_history:",
    ]
    history = [("pilot", start)] if stage != "proposed" else [("proposed", end - 1)]
    if stage in ("scaling", "production", "killed", "retired"):
        history.append(("scaling" if stage != "killed" else "killed", start + n_months // 3))
    if stage in ("production", "retired"):
        history.append(("production", start + n_months // 2))
    if stage == "retired":
        history.append(("retired", end - 1))
    lines += [f"  - {{stage: {s}, since: {month_name(m)}}}" for s, m in history]
    tier = ["low", "medium", "high"][i % 3]
    lines += [f"autonomy: {'advisory' if i % 4 else 'human_in_the_loop'}", f"risk_tier: {tier}",
              f"integrations: [{rng.choice(SYSTEMS)}]", "governance:"]
    fresh = month_name(end - 3)
    controls = {"low": ["risk_assessment"], "medium": ["risk_assessment", "privacy_review", "monitoring", "rollback_plan"],
                "high": ["risk_assessment", "privacy_review", "monitoring", "rollback_plan", "bias_assessment"]}[tier]
    if profile == "gap":
        controls = controls[:-1] or []
    lines += [f"  {c}: {fresh}-15" for c in controls]
    if tier == "high" and profile != "gap":
        lines.append("  human_review: A reviewer confirms every recommendation; appeals go to the process owner.")
    if not controls and tier != "high":
        lines[-1] = "governance: {}"
    if stage in ("killed", "retired"):
        lines.append(f"decisions:\n  - {{month: {month_name(end - 1)}, decision: {'kill' if stage == 'killed' else 'retire'}, by: AI council}}")
    kpis = rng.sample(KPI_DEFS, rng.randint(1, 6))
    lines.append("kpis:")
    for j, (kid, name, unit_, direction, base, target) in enumerate(kpis):
        lines += [f"  - id: {kid}", f"    name: {name}", f"    unit: \"{unit_}\"", f"    direction: {direction}",
                  f"    baseline: {base}", f"    target: {target}", f"    target_month: {month_name(end + 6)}"]
        if j == 0:
            lines.append("    primary: true")
    target_users = rng.choice([50, 200, 500, 2000])
    lines += [f"adoption: {{target_users: {target_users}}}", "months:" if n_months else "months: {}"]
    last = end - (3 if profile == "stale" else 0)
    for k in range(n_months):
        m = start + k
        if m > last:
            break
        t = k / max(1, n_months - 1)
        users = max(1, int(target_users * (0.05 + 0.9 * t if profile != "failing" else 0.1)))
        block = [f"  {month_name(m)}:", f"    users: {users}"]
        actuals = []
        for kid, _, _, _, base, target in kpis:
            reach = {"good": 1.0, "slow": 0.5, "failing": 0.05}.get(profile, 0.8)
            value = base + (target - base) * min(1.0, t * reach * 1.1) + rng.uniform(-0.3, 0.3)
            actuals.append(f"{kid}: {round(value, 2)}")
        block.append(f"    kpis: {{{', '.join(actuals)}}}")
        scale = 1 + 2 * t
        people = round(12000 * scale)
        cost_parts = [f"licenses: {round(3000 * scale)}", f"infrastructure: {round(1500 * scale)}",
                      f"people: {people}", "training: 800", "support: 600"]
        if profile == "costly":
            cost_parts = [f"licenses: {round(30000 * scale)}", f"people: {people}", "infrastructure: 4000"]
        benefit = round((4000 + 60000 * t * {"costly": 0.2, "failing": 0.1}.get(profile, 1.0)) * (1 + 0.05 * math.sin(k)))
        block.append(f"    costs: {{{', '.join(cost_parts)}}}")
        block.append(f"    benefits: {{labor_savings: {benefit}, cost_avoidance: {round(benefit * 0.2)}}}")
        block.append(f"    status: {rng.choice(['green', 'green', 'amber', 'red'])}")
        if k % 3 == 0:
            block.append(f"    note: {sentence(rng, rng.randint(8, 30))}")
        lines += block
    return "\n".join(lines) + "\n"


def generate(out: Path, count: int, months: int, seed: int, end: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    rng = random.Random(seed)
    for i in range(count):
        (out / f"initiative-{i:05d}.yaml").write_text(initiative(i, months, end, rng), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", default="2026-10", help="the last month with data (YYYY-MM)")
    args = parser.parse_args()
    y, m = args.end.split("-")
    generate(args.out, args.count, args.months, args.seed, int(y) * 12 + int(m) - 1)


if __name__ == "__main__":
    main()
