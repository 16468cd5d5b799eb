"""How the example portfolio's exports were made (run once; the files are a fixed snapshot, like the example).

- `focus/cloud-bill-2026.csv`: a FOCUS 1.2 cost export from two providers, daily charge periods, `NULL` written as
  text, allocated by the `application` tag. It includes spend that no initiative owns (an untagged notebook
  cluster, and a team's own chat assistant): `scorecard pull` reports it as unallocated.
- `usage/forecast-planner-logins.csv`: the demand-forecast planner's sign-ins (an e-mail address per event).
- `warehouse/month-end-close.parquet`: the finance close calendar, one row per entity and month.

    python data/generate.py   # needs duckdb (pip install 'ai-scorecard[pull]')
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
DAYS = {"2026-05": 31, "2026-06": 30, "2026-07": 31, "2026-08": 31, "2026-09": 30, "2026-10": 31}
INFRASTRUCTURE = {"contract-review": [2500] * 6, "demand-forecast": [5824, 6059, 6294, 6529, 6765, 7000],
                  "finance-anomaly": [3500] * 6}
USERS = [53, 57, 59, 61, 62, 62]
CLOSE_DAYS = [7.2, 7.0, 6.9, 6.7, 6.5, 6.3]
HEADER = ["BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd",
          "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodStart", "ChargePeriodEnd", "BilledCost",
          "EffectiveCost", "ProviderName", "ServiceName", "ServiceCategory", "ResourceId", "Tags"]


def _split(total_cents: int, parts: int) -> list[int]:
    base, rest = divmod(total_cents, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def focus() -> None:
    rows = []
    for m, month in enumerate(MONTHS):
        days = DAYS[month]
        y, mo = int(month[:4]), int(month[5:])
        nxt = f"{y + (mo == 12)}-{mo % 12 + 1:02d}"
        period = (f"{month}-01T00:00:00Z", f"{nxt}-01T00:00:00Z")
        for app, amounts in INFRASTRUCTURE.items():
            cents = amounts[m] * 100
            compute, tokens = cents * 7 // 10, cents - cents * 7 // 10
            for provider, service, category, share in (("AWS", "Amazon EC2", "Compute", compute),
                                                       ("Microsoft", "Azure OpenAI", "AI and Machine Learning", tokens)):
                for d, c in enumerate(_split(share, days), start=1):
                    end = f"{month}-{d + 1:02d}T00:00:00Z" if d < days else f"{nxt}-01T00:00:00Z"
                    rows.append(["acct-1001", "Example Corp", "USD", *period, "Usage", "NULL",
                                 f"{service} for {app}", f"{month}-{d:02d}T00:00:00Z", end, f"{c / 100:.2f}",
                                 f"{c / 100:.2f}", provider, service, category, f"{app}-{service.split()[-1].lower()}",
                                 json.dumps({"application": app, "env": "prod"})])
        for d in range(1, days + 1):  # spend nobody owns
            end = f"{month}-{d + 1:02d}T00:00:00Z" if d < days else f"{nxt}-01T00:00:00Z"
            rows.append(["acct-1001", "Example Corp", "USD", *period, "Usage", "NULL", "GPU notebook cluster",
                         f"{month}-{d:02d}T00:00:00Z", end, "41.60", "41.60", "AWS", "Amazon SageMaker",
                         "AI and Machine Learning", "ml-notebooks", "NULL"])
            rows.append(["acct-1001", "Example Corp", "USD", *period, "Usage", "NULL", "Chat assistant tokens",
                         f"{month}-{d:02d}T00:00:00Z", end, "12.90", "12.90", "Microsoft", "Azure OpenAI",
                         "AI and Machine Learning", "sales-chat", json.dumps({"application": "sales-chat"})])
    out = HERE / "focus" / "cloud-bill-2026.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)


def usage() -> None:
    rnd = random.Random(2026)
    people = [f"planner{i:02d}@example.com" for i in range(70)]
    rows = []
    for m, month in enumerate(MONTHS):
        active = people[:USERS[m]]
        for i, who in enumerate(active):
            for k in range(1 + (i % 3)):
                day = rnd.randint(1, DAYS[month])
                rows.append([who.upper() if k == 1 else who, f"{month}-{day:02d} {8 + k:02d}:{(i * 7) % 60:02d}:00",
                             "demand-forecast"])
        rows.append([active[0], f"{month}-{DAYS[month]:02d} 17:30:00", "demand-forecast"])  # the last day's sign-in
    rows.sort(key=lambda r: r[1])
    out = HERE / "usage" / "forecast-planner-logins.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["user_email", "signed_in_at", "application"])
        w.writerows(rows)


def warehouse() -> None:
    out = HERE / "warehouse" / "month-end-close.parquet"
    out.parent.mkdir(exist_ok=True)
    offsets = (-0.3, 0.1, 0.2, 0.0)
    values = ", ".join(f"('{entity}', DATE '{month}-01', {round(v + o, 1)})" for month, v in zip(MONTHS, CLOSE_DAYS)
                       for entity, o in zip(("US", "UK", "DE", "SG"), offsets))
    con = duckdb.connect()
    con.execute(f"CREATE TABLE close AS SELECT * FROM (VALUES {values}) t(entity, period, days_to_close)")
    con.execute(f"COPY close TO '{out}' (FORMAT parquet)")
    con.close()


if __name__ == "__main__":
    focus()
    usage()
    warehouse()
