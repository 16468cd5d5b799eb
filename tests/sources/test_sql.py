"""The sql source against a real PostgreSQL server (tests/postgres.py): the password only from the environment,
never in an error; one query per metric and month range, grouped in the database, whatever the number of
initiatives."""

from __future__ import annotations

import yaml

from postgres import PASSWORD
from pullkit import initiative, portfolio, pull
from scorecard.cli import main

QUERY = """\
SELECT /* scorecard:tickets */ queue, date_trunc('month', closed_at) AS month, avg(cycle_days) AS value,
       count(*) AS rows, max(closed_at) AS latest
FROM tickets WHERE closed_at >= :start AND closed_at < :end GROUP BY queue, date_trunc('month', closed_at)"""


def _policy(server, password_env: str = "OPS_DB_PASSWORD") -> str:
    return ("sources:\n"
            f"  ops: {{kind: sql, url: \"{server.url()}\", password_env: {password_env}}}\n"
            "metrics:\n"
            "  ticket_cycle_time:\n    source: ops\n    params: [queue]\n    query: |\n"
            + "".join(f"      {line}\n" for line in QUERY.splitlines()))


def _tickets(server) -> None:
    server.psql("DROP TABLE IF EXISTS tickets; CREATE TABLE tickets (queue text, closed_at timestamp, cycle_days "
                "numeric); INSERT INTO tickets SELECT 'q' || (i % 20), timestamp '2026-01-01' + (i * interval "
                "'37 minutes'), 4 + (i % 13) FROM generate_series(0, 19999) i;")


def test_a_kpi_is_pulled_from_postgresql_in_one_query_for_all_initiatives(tmp_path, postgres, monkeypatch, capsys):
    _tickets(postgres)
    files = {f"team-{i:02d}": initiative(f"  kpis.cycle_time: {{metric: ticket_cycle_time, params: {{queue: q{i}}}}}\n")
             for i in range(12)}
    root = portfolio(tmp_path, _policy(postgres), {}, files)
    monkeypatch.setenv("OPS_DB_PASSWORD", PASSWORD)
    before = postgres.statements().count("scorecard:tickets")
    assert pull(root, "--from", "2026-03", "--to", "2026-05") == 0
    assert postgres.statements().count("scorecard:tickets") - before == 1  # one query, grouped by queue and month
    reference = {(q, m): (float(v), int(n)) for q, m, v, n in (line.split("|") for line in postgres.psql(
        "SELECT queue, to_char(closed_at, 'YYYY-MM'), avg(cycle_days), count(*) FROM tickets WHERE closed_at >= "
        "'2026-03-01' AND closed_at < '2026-06-01' GROUP BY 1, 2").split())}
    for i in range(12):
        months = yaml.safe_load((root / "initiatives" / f"team-{i:02d}.yaml").read_text(encoding="utf-8"))["months"]
        for month in ("2026-03", "2026-04", "2026-05"):
            value, rows = reference[(f"q{i}", month)]
            assert months[month]["kpis"]["cycle_time"] == round(value, 4)
            assert months[month]["measured"]["kpis.cycle_time"]["rows"] == rows
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
    assert "unallocated: metric ticket_cycle_time 2026-03" in out.out  # q12 to q19 belong to no initiative


def test_a_wrong_or_missing_password_is_one_line_without_the_secret(tmp_path, postgres, monkeypatch, capsys):
    root = portfolio(tmp_path, _policy(postgres), {}, {"team-00": initiative(
        "  kpis.cycle_time: {metric: ticket_cycle_time, params: {queue: q0}}\n")})
    monkeypatch.delenv("OPS_DB_PASSWORD", raising=False)
    assert pull(root, "--month", "2026-03") == 1
    assert ("failed: metric ticket_cycle_time: the environment variable OPS_DB_PASSWORD (the database password) is "
            "not set") in capsys.readouterr().out.splitlines()
    wrong = "not-the-" + PASSWORD
    monkeypatch.setenv("OPS_DB_PASSWORD", wrong)
    assert pull(root, "--month", "2026-03") == 1
    out = capsys.readouterr()
    assert wrong not in out.out + out.err and PASSWORD not in out.out + out.err
    [line] = [x for x in out.out.splitlines() if x.startswith("failed:")]
    assert "password authentication failed for user" in line


def test_sources_check_runs_each_metric_for_the_last_month_and_writes_nothing(tmp_path, postgres, monkeypatch,
                                                                             capsys):
    _tickets(postgres)
    text = initiative("  kpis.cycle_time: {metric: ticket_cycle_time, params: {queue: q0}}\n")
    root = portfolio(tmp_path, _policy(postgres), {}, {"team-00": text})
    monkeypatch.setenv("OPS_DB_PASSWORD", PASSWORD)
    assert main(["sources", "--check", "--today", "2026-03", "-f", str(root / "mkdocs.yml")]) == 0
    count = int(postgres.psql("SELECT count(*) FROM tickets WHERE to_char(closed_at, 'YYYY-MM') = '2026-02'"))
    assert capsys.readouterr().out.splitlines() == [
        f"ok: metric ticket_cycle_time (sql source ops): 20 groups for 2026-02, from {count:,} rows"]
    assert (root / "initiatives/team-00.yaml").read_text(encoding="utf-8") == text
