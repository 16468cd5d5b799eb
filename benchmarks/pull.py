"""`scorecard pull` at the size of a large portfolio: 1,000 initiatives x 36 months, from Parquet and PostgreSQL.

    ./dev bench-pull            # median of 3 runs of each, interleaved with the baseline
    ./dev bench-pull --write    # and record the table in RESULTS.md

Each initiative binds one KPI to a metric with its own parameter value (`team: t0001`, ...). The source holds
20 rows per team and month (720,000 rows). The baseline, run side by side, is the same aggregation done by hand
with DuckDB in one query over the same Parquet file (and, for PostgreSQL, the same query sent once with psycopg):
what any pull must at least cost. `pull` is a whole process, as a user runs it: it validates the portfolio, runs
the metric once for the 36 months, writes 36,000 figures with their provenance into the 1,000 files and checks
each file it would write. A second pull of the same data must change no file. Target (issue 24): under 30 s,
and the aggregation (the metric's query, grouped in the source) within 1.5x of the baseline.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results import record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "pull"
SAMPLE = (ROOT / "tests" / "fixtures" / "sample-initiative.yaml").read_text(encoding="utf-8")
N, MONTHS, ROWS = 1000, 36, 20
FIRST, LAST = "2023-11", "2026-10"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SCORECARD_TODAY": "2026-11"}
SCORECARD = [sys.executable, "-m", "scorecard.cli"]
QUERY_DUCKDB = ("SELECT team, date_trunc('month', closed_at) AS month, avg(cycle_days) AS value, count(*) AS rows "
                "FROM tickets WHERE closed_at >= $start AND closed_at < $end GROUP BY ALL")
QUERY_PG = ("SELECT team, date_trunc('month', closed_at) AS month, avg(cycle_days) AS value, count(*) AS rows "
            "FROM tickets WHERE closed_at >= :start AND closed_at < :end GROUP BY 1, 2")


def initiative(i: int) -> str:
    text = SAMPLE[:SAMPLE.index("months:\n")].replace("since: 2026-01}", "since: 2023-01}")
    text = text.replace("since: 2026-03}", "since: 2023-06}").replace("{month: 2026-02,", "{month: 2023-05,")
    return text + f"pull:\n  kpis.cycle_time: {{metric: cycle_time, params: {{team: t{i:04d}}}}}\n"


def portfolio(folder: Path, policy: str) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "initiatives").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text("site_name: bench\nplugins:\n  - scorecard:\n      initiatives: initiatives\n"
                                       "      policy: policy.yml\n", encoding="utf-8")
    (folder / "policy.yml").write_text(policy, encoding="utf-8")
    for i in range(N):
        (folder / "initiatives" / f"team-{i:04d}.yaml").write_text(initiative(i), encoding="utf-8")
    return folder


def policy(source: str, query: str) -> str:
    lines = "".join(f"      {line}\n" for line in query.split(" FROM "))
    return (f"sources:\n{source}metrics:\n  cycle_time:\n    source: tickets\n    params: [team]\n    query: |\n"
            + lines.replace("\n      ", "\n      FROM ", 1))


def tickets(parquet: Path) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 't' || lpad(CAST(i % {N} AS VARCHAR), 4, '0') AS team,
                        TIMESTAMP '{FIRST}-01' + to_months(CAST(floor(i / {N * ROWS}) AS INTEGER))
                          + to_hours(CAST((i % {ROWS}) * 30 AS BIGINT)) AS closed_at,
                        2 + (i % 17) * 0.5 AS cycle_days
                 FROM range({N * MONTHS * ROWS}) r(i)) TO '{parquet}' (FORMAT parquet)""")
    con.close()


def baseline_duckdb(parquet: Path) -> float:
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    rows = con.execute(QUERY_DUCKDB.replace("FROM tickets", f"FROM read_parquet('{parquet}')"),
                       {"start": f"{FIRST}-01", "end": "2026-11-01"}).fetchall()
    con.close()
    assert len(rows) == N * MONTHS, len(rows)
    return time.perf_counter() - start


def baseline_pg(url: str) -> float:
    import psycopg

    start = time.perf_counter()
    with psycopg.connect(url) as con:
        rows = con.execute(QUERY_PG.replace(":start", "%(start)s").replace(":end", "%(end)s"),
                           {"start": f"{FIRST}-01", "end": "2026-11-01"}).fetchall()
    assert len(rows) == N * MONTHS, len(rows)
    return time.perf_counter() - start


def timed_pull(folder: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, the source's part of them, the summary line)."""
    start = time.perf_counter()
    done = subprocess.run([*SCORECARD, "pull", "--from", FIRST, "--to", LAST, "-f", str(folder / "mkdocs.yml"), "-q",
                           "-v"], env=env, capture_output=True, text=True, cwd=folder)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"pull failed:\n{done.stdout}\n{done.stderr}")
    lines = done.stderr.strip().splitlines()
    gather = next(float(line.split()[-1].rstrip("s")) for line in lines if line.startswith("timing: query"))
    return seconds, gather, lines[-1]


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((folder / "initiatives").iterdir()):
        h.update(path.read_bytes())
    return h.hexdigest()


def postgres() -> tuple[str, str, object] | None:
    """A private PostgreSQL server (tests/postgres.py), loaded with the same tickets: (URL for pull, for psycopg,
    the fixture to stop it), or None without Debian's server."""
    sys.path.insert(0, str(ROOT / "tests"))
    import postgres as pg

    binary = pg._bin()
    if binary is None:
        return None
    fixture = pg.server(binary)
    server = fixture.__enter__()
    parquet = WORK / "tickets.parquet"
    csv = WORK / "tickets.csv"
    import duckdb

    duckdb.connect().execute(f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{csv}' (HEADER false)")
    server.psql("CREATE TABLE tickets (team text, closed_at timestamp, cycle_days numeric)")
    env = {**os.environ, "PGPASSWORD": pg.PASSWORD}
    with csv.open("rb") as f:
        subprocess.run([str(server.bin / "psql"), "-h", server.host, "-p", str(server.port), "-U", pg.USER, "-d",
                        pg.DATABASE, "-c", "COPY tickets FROM STDIN (FORMAT csv)"], stdin=f, env=env, check=True,
                       capture_output=True)
    server.psql("ANALYZE tickets")
    plain = f"postgresql://{pg.USER}:{pg.PASSWORD}@{server.host}:{server.port}/{pg.DATABASE}"
    return server.url(), plain, fixture


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="record the table in RESULTS.md")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    parquet = WORK / "tickets.parquet"
    tickets(parquet)
    cases: list[tuple[str, Path, dict[str, str], object]] = []
    duck = portfolio(WORK / "duckdb", policy(f"  tickets: {{kind: duckdb, tables: {{tickets: {parquet}}}}}\n",
                                             QUERY_DUCKDB))
    cases.append(("Parquet through DuckDB", duck, ENV, lambda: baseline_duckdb(parquet)))
    pg = postgres()
    if pg is not None:
        url, plain, _ = pg
        folder = portfolio(WORK / "postgres", policy(f"  tickets: {{kind: sql, url: \"{url}\", "
                                                     "password_env: BENCH_PG_PASSWORD}\n", QUERY_PG))
        sys.path.insert(0, str(ROOT / "tests"))
        import postgres as pgmod

        cases.append(("PostgreSQL through SQLAlchemy", folder, {**ENV, "BENCH_PG_PASSWORD": pgmod.PASSWORD},
                      lambda: baseline_pg(plain)))
    rows = []
    for name, folder, env, baseline in cases:
        pulls, gathers, bases, again = [], [], [], []
        for run in range(args.runs):
            bases.append(baseline())
            shutil.rmtree(folder / "initiatives")
            (folder / "initiatives").mkdir()
            for i in range(N):
                (folder / "initiatives" / f"team-{i:04d}.yaml").write_text(initiative(i), encoding="utf-8")
            seconds, gather, summary = timed_pull(folder, env)
            pulls.append(seconds)
            gathers.append(gather)
            before = digest(folder)
            seconds2, _, summary2 = timed_pull(folder, env)
            again.append(seconds2)
            assert digest(folder) == before and summary2.endswith("no file changed"), summary2
            print(f"{name} run {run + 1}: baseline {bases[-1]:.2f} s, pull {seconds:.2f} s (source {gather:.2f} s), "
                  f"again {seconds2:.2f} s; {summary}", file=sys.stderr)
        b, p, g, a = (statistics.median(x) for x in (bases, pulls, gathers, again))
        rows.append(f"| {name} | {b:.2f} s | {g:.2f} s | {g / b:.2f} × | {p:.2f} s | {a:.2f} s |")
    if pg is not None:
        pg[2].__exit__(None, None, None)
    table = "\n".join([
        f"{N:,} initiatives × {MONTHS} months, one KPI each ({N * MONTHS:,} figures from {N * MONTHS * ROWS:,} "
        f"rows); median of {args.runs} runs, each beside its baseline.",
        "",
        "| source | baseline: one query by hand | pull: the metric's query | against the baseline | "
        "whole pull (validate, query, write 1,000 files) | pull again (no file changes) |",
        "| --- | --: | --: | --: | --: | --: |",
        *rows,
        "",
        "Targets: the whole pull under 30 s; its query within 1.5 × of the baseline. A second pull of the same data "
        "changed no byte of any file (checked by a digest of the files).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}.",
        "",
        "Command: `./dev bench-pull --write`"])
    print(table)
    if args.write:
        record("pull", "./dev bench-pull --write", "Figures from their sources (issue 24)", table)


if __name__ == "__main__":
    main()
