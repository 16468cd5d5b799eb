"""`scorecard pull` from files through the embedded DuckDB: FOCUS cost exports, usage exports and SQL over
Parquet, each figure compared with an independent reading of the same file (Python's csv and json modules), its
provenance, byte-stable re-pulls, typed figures kept, hand edits as restatements and unverified figures."""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import FIXTURES
from pullkit import focus_csv, initiative, portfolio, pull, read_csv, usage_csv
from scorecard.cli import main

FOCUS_POLICY = """\
sources:
  bill: {kind: focus, files: data/focus/*.csv, allocate: {tag: application}, description: Cloud bill (FOCUS)}
metrics:
  cloud_bill: {source: bill}
"""


def _month_block(root: Path, ident: str, month: str) -> dict:
    data = yaml.safe_load((root / "initiatives" / f"{ident}.yaml").read_text(encoding="utf-8"))
    return data["months"][month]


def _hourly(month: str, days: int, cost: float, tags: object, provider: str = "AWS") -> list[dict]:
    rows = []
    for d in range(1, days + 1):
        for h in range(24):
            end = f"{month}-{d:02d}T{h + 1:02d}:00:00Z" if h < 23 else f"{month}-{d:02d}T23:59:59Z"
            rows.append({"ChargePeriodStart": f"{month}-{d:02d}T{h:02d}:00:00Z", "ChargePeriodEnd": end,
                         "EffectiveCost": cost, "Tags": tags, "ProviderName": provider})
    return rows


def test_a_focus_export_is_allocated_by_tag_with_null_as_text_hourly_periods_and_mixed_providers(tmp_path, capsys):
    rows = (_hourly("2026-05", 31, 0.25, {"application": "contract-review", "env": "prod"})
            + _hourly("2026-05", 31, 0.5, {"application": "contract-review"}, provider="Microsoft")
            + _hourly("2026-05", 2, 1.0, None)                              # NULL as text: unallocated
            + _hourly("2026-05", 1, 2.0, {"application": "shadow-gpt"})     # tagged for no initiative
            + _hourly("2026-04", 1, 9.0, {"application": "contract-review"}))  # another month
    root = portfolio(tmp_path, FOCUS_POLICY, {"data/focus/bill.csv": focus_csv(rows)}, {
        "contract-review": initiative("  costs.infrastructure: {metric: cloud_bill, params: {key: contract-review}}\n")})
    assert pull(root, "--month", "2026-05") == 0
    out = capsys.readouterr()
    # the reference: Python's csv and json modules over the same file
    ref = sum(float(r["EffectiveCost"]) for r in read_csv(root / "data/focus/bill.csv")
              if r["ChargePeriodStart"].startswith("2026-05") and r["Tags"] != "NULL"
              and json.loads(r["Tags"]).get("application") == "contract-review")
    block = _month_block(root, "contract-review", "2026-05")
    assert block["costs"] == {"infrastructure": pytest.approx(round(ref, 2), abs=1e-9)} == {"infrastructure": 558}
    m = block["measured"]["costs.infrastructure"]
    assert (m["source"], m["metric"], m["params"], m["rows"]) == ("bill", "cloud_bill", {"key": "contract-review"},
                                                                   2 * 31 * 24)
    unallocated = 2 * 24 * 1.0 + 24 * 2.0
    assert f"unallocated: metric cloud_bill 2026-05: USD {unallocated:,.2f} in 72 rows that no initiative binds" \
        in out.out.splitlines()
    assert out.err.strip() == ("pull 2026-05: 1 binding, 1 figures filled, 0 kept as typed, 0 unverified, 0 failed; "
                               "wrote 1 file")


def test_a_real_world_focus_export_allocates_by_its_owner_tag(tmp_path, capsys):
    """The real FOCUS 1.2 sample (hourly and daily charges, purchases, empty cells), allocated by the Owner tag."""
    policy = FOCUS_POLICY.replace("{tag: application}", "{tag: Owner}")
    root = portfolio(tmp_path, policy, {}, {
        "payments-bot": initiative("  costs.infrastructure: {metric: cloud_bill, params: {key: team-payments}}\n")})
    (root / "data/focus").mkdir(parents=True)
    shutil.copy(FIXTURES / "focus" / "aws-focus-1.2-excerpt.csv", root / "data/focus/aws.csv")
    assert pull(root, "--month", "2026-05") == 0
    rows = read_csv(root / "data/focus/aws.csv")
    mine = [r for r in rows if json.loads(r["Tags"])["Owner"] == "team-payments"]
    others = [r for r in rows if json.loads(r["Tags"])["Owner"] != "team-payments"]
    block = _month_block(root, "payments-bot", "2026-05")
    assert block["costs"]["infrastructure"] == round(sum(float(r["EffectiveCost"]) for r in mine), 2) == 38.62
    assert block["measured"]["costs.infrastructure"]["rows"] == len(mine) == 4
    spent = sum(float(r["EffectiveCost"]) for r in others)
    assert (f"unallocated: metric cloud_bill 2026-05: USD {spent:,.2f} in {len(others)} rows that no initiative binds"
            in capsys.readouterr().out.splitlines())


def test_a_bill_in_another_currency_is_refused_in_one_line_and_nothing_is_written(tmp_path, capsys):
    rows = _hourly("2026-05", 1, 1.0, {"application": "contract-review"})
    rows[3]["BillingCurrency"] = "EUR"
    text = initiative("  costs.infrastructure: {metric: cloud_bill, params: {key: contract-review}}\n")
    root = portfolio(tmp_path, FOCUS_POLICY, {"data/focus/bill.csv": focus_csv(
        [{**r, **({"BillingCurrency": "EUR"} if i == 3 else {})} for i, r in enumerate(rows)])},
        {"contract-review": text})
    assert pull(root, "--month", "2026-05") == 1
    out = capsys.readouterr()
    assert "failed: metric cloud_bill: 1 rows are billed in EUR, not the portfolio's USD; export the bill in USD " \
           "(or convert it) before pulling" in out.out.splitlines()
    assert (root / "initiatives/contract-review.yaml").read_text(encoding="utf-8") == text


def _usage_root(tmp_path: Path, pull_lines: str, rows: list[tuple[str, str, str]], metric: str = "") -> Path:
    policy = ("sources:\n  usage: {kind: usage, files: data/usage.csv, user_column: user, time_column: at, "
              "key_column: app}\nmetrics:\n  active_users: {source: usage" + metric + "}\n")
    return portfolio(tmp_path, policy, {"data/usage.csv": usage_csv(rows)},
                     {"contract-review": initiative(pull_lines)})


def test_active_users_are_distinct_ids_per_month_whatever_their_case(tmp_path):
    rows = [(f"User{i % 40}@Example.com" if i % 2 else f"user{i % 40}@example.com ", f"2026-05-{i % 28 + 1:02d} 09:00",
             "contract-review") for i in range(500)]
    rows += [("someone@example.com", "2026-05-03 10:00", "other-app"), ("late@example.com", "2026-06-01 00:00",
                                                                        "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows)
    assert pull(root, "--month", "2026-05") == 0
    expected = {u.strip().lower() for u, at, app in rows if app == "contract-review" and at.startswith("2026-05")}
    block = _month_block(root, "contract-review", "2026-05")
    assert block["users"] == len(expected) == 40
    assert block["measured"]["users"]["rows"] == 500


def test_a_kpi_from_parquet_through_duckdb_sql_binds_its_parameter_and_re_pulls_byte_for_byte(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT CASE WHEN i % 3 = 0 THEN 'legal' ELSE 'hr' END AS queue, "
                "TIMESTAMP '2026-05-01' + to_hours(i * 7) AS closed_at, 5 + (i % 11) * 1.5 AS cycle_days "
                "FROM range(200) r(i)")
    con.execute(f"COPY t TO '{data / 'tickets.parquet'}' (FORMAT parquet)")
    reference = con.execute("SELECT avg(cycle_days), count(*) FROM t WHERE queue = 'legal' AND "
                            "closed_at >= DATE '2026-05-01' AND closed_at < DATE '2026-06-01'").fetchone()
    con.close()
    policy = """\
sources:
  warehouse: {kind: duckdb, tables: {tickets: data/tickets.parquet}}
metrics:
  ticket_cycle_time:
    source: warehouse
    params: [queue]
    query: |
      SELECT queue, date_trunc('month', closed_at) AS month, avg(cycle_days) AS value, count(*) AS rows
      FROM tickets WHERE closed_at >= $start AND closed_at < $end GROUP BY ALL
"""
    root = portfolio(tmp_path, policy, {}, {"contract-review": initiative(
        "  kpis.cycle_time: {metric: ticket_cycle_time, params: {queue: legal}}\n")})
    assert pull(root, "--month", "2026-05") == 0
    block = _month_block(root, "contract-review", "2026-05")
    assert block["kpis"]["cycle_time"] == round(reference[0], 4)
    m = block["measured"]["kpis.cycle_time"]
    assert m["rows"] == reference[1]
    query = yaml.safe_load(policy)["metrics"]["ticket_cycle_time"]["query"]
    assert m["query"] == "sha256:" + hashlib.sha256(query.encode()).hexdigest()
    path = root / "initiatives/contract-review.yaml"
    first = path.read_bytes()
    capsys.readouterr()
    assert pull(root, "--month", "2026-05") == 0
    assert path.read_bytes() == first
    assert capsys.readouterr().err.strip().endswith("0 figures filled, 0 kept as typed, 0 unverified, 0 failed; "
                                                    "no file changed")


def test_a_typed_figure_is_kept_and_the_difference_reported(tmp_path, capsys):
    rows = [("a@x.com", "2026-02-03", "contract-review"), ("b@x.com", "2026-02-04", "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows)
    path = root / "initiatives/contract-review.yaml"
    before = path.read_text(encoding="utf-8")
    assert pull(root, "--month", "2026-02") == 0
    assert path.read_text(encoding="utf-8") == before
    assert capsys.readouterr().out.splitlines() == [
        "contract-review: left users 2026-02: kept 12 as typed; usage says 2"]


def test_the_rest_of_the_file_keeps_every_byte(tmp_path):
    rows = [("a@x.com", "2026-03-03", "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}  # the log\n", rows)
    path = root / "initiatives/contract-review.yaml"
    before = path.read_text(encoding="utf-8")
    assert pull(root, "--month", "2026-03") == 0
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # a new month goes after the last one, which ends the file
    assert after[len(before):].splitlines()[:2] == ["  2026-03:", "    users: 1"]


def test_a_hand_edit_of_a_measured_figure_is_a_restatement(tmp_path, capsys, monkeypatch):
    rows = [("a@x.com", "2026-03-03", "contract-review"), ("b@x.com", "2026-03-05", "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows)
    assert pull(root, "--month", "2026-03") == 0
    path = root / "initiatives/contract-review.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = lines.index("    users: 2") + 1
    path.write_text(text.replace("    users: 2\n", "    users: 20\n"), encoding="utf-8")
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["validate", "--today", "2026-11", "--strict"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"initiatives/contract-review.yaml:{at}:12: warning [measured-edited] 'users' in month 2026-03 was pulled "
        "from usage, and has been changed by hand since; say why under restated: in month 2026-03, or pull it "
        "again: scorecard pull --month 2026-03")
    # a later pull keeps the person's figure, and says what the source says
    assert pull(root, "--month", "2026-03") == 0
    assert "contract-review: left users 2026-03: kept 20 as typed; usage says 2" in capsys.readouterr().out
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    users: 20\n", "    users: 20\n    restated: The log missed the Paris office.\n"), encoding="utf-8")
    assert main(["validate", "--today", "2026-11", "--strict"]) == 0


def test_a_figure_that_fails_its_expectations_is_written_unverified(tmp_path, capsys):
    rows = [(f"u{i}@x.com", "2026-03-03", "contract-review") for i in range(90)]
    rows += [("u1@x.com", "2026-04-03", "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows,
                       ", expect: {max_fall: 3}")
    assert pull(root, "--from", "2026-03", "--to", "2026-04") == 0
    block = _month_block(root, "contract-review", "2026-04")
    assert block["users"] == 1
    assert block["measured"]["users"]["problem"] == "it fell from 90 to 1, more than 3 times"
    assert "contract-review: unverified users 2026-04: it fell from 90 to 1, more than 3 times" \
        in capsys.readouterr().out.splitlines()


def test_freshness_makes_a_figure_unverified_when_its_data_stops_before_the_month_ends(tmp_path):
    rows = [(f"u{i}@x.com", f"2026-03-{i % 10 + 1:02d} 12:00", "contract-review") for i in range(30)]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows,
                       ", freshness: {warn_after: 2, error_after: 7}")
    assert pull(root, "--month", "2026-03") == 0
    problem = _month_block(root, "contract-review", "2026-03")["measured"]["users"]["problem"]
    assert problem == "its data ends 2026-03-10, 21 days before the month's end (error_after: 7)"


def test_dry_run_writes_nothing(tmp_path, capsys):
    rows = [("a@x.com", "2026-03-03", "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows)
    path = root / "initiatives/contract-review.yaml"
    before = path.read_bytes()
    assert pull(root, "--month", "2026-03", "--dry-run") == 0
    assert path.read_bytes() == before
    out = capsys.readouterr()
    assert out.out.splitlines() == ["contract-review: would fill users 2026-03 = 1"]
    assert out.err.strip().endswith("nothing written (dry run)")


def test_a_month_that_has_not_ended_is_a_usage_error(tmp_path, capsys):
    root = _usage_root(tmp_path, "", [])
    assert pull(root, "--month", "2026-11") == 2
    assert "2026-11 has not ended yet (the current month is 2026-11); pull a month once it has ended" \
        in capsys.readouterr().err


def test_provenance_entries_name_figures_the_month_has(tmp_path, capsys, monkeypatch):
    rows = [("a@x.com", "2026-03-03", "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows)
    assert pull(root, "--month", "2026-03") == 0
    path = root / "initiatives/contract-review.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    users: 1\n", "    kpis: {cycle_time: 15}\n    estimated: [kpis.cycle_time, "
                                 "benefits.revenue]\n"), encoding="utf-8")
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["validate", "--today", "2026-11"]) == 1
    lines = [line.split(": ", 1)[1] for line in capsys.readouterr().out.splitlines()[:-1]]
    assert lines == [
        "error [measured] 'benefits.revenue' in month 2026-03 is marked estimated but the month has no such figure; "
        "remove it from estimated, or add the figure",
        "error [measured] 'users' in month 2026-03 has provenance but no figure; remove measured.users, or pull the "
        "month again: scorecard pull --month 2026-03"]


def _git(repo: Path, *args: str) -> str:
    import subprocess

    from conftest import GIT_ENV

    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**__import__("os").environ,
                                                                                          **GIT_ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_pull_request_says_which_figures_are_newly_measured_and_which_measured_ones_were_edited(
        tmp_path, capsys, monkeypatch):
    rows = [("a@x.com", "2026-02-03", "contract-review"), ("a@x.com", "2026-03-03", "contract-review"),
            ("b@x.com", "2026-03-04", "contract-review")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows)
    path = root / "initiatives/contract-review.yaml"
    # the typed February figure is kept; March is new
    path.write_text(path.read_text(encoding="utf-8").replace("    users: 12\n", ""), encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    assert pull(root, "--from", "2026-02", "--to", "2026-03") == 0
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["diff", "--base", "main", "--today", "2026-11"]) == 0
    comment = html.unescape(capsys.readouterr().out)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    provenance = [i for i, line in enumerate(lines, 1) if line.startswith("      users: {source: usage")]
    assert comment.split("### Newly measured\n", 1)[1].split("\n\n###")[0].splitlines()[-2:] == [
        f"| <code>initiatives/contract-review.yaml:{provenance[0]}</code> | <code>2026-02</code> | <code>users</code> "
        "| <code>usage</code> | <code>active_users</code> | an empty figure |",
        f"| <code>initiatives/contract-review.yaml:{provenance[1]}</code> | <code>2026-03</code> | <code>users</code> "
        "| <code>usage</code> | <code>active_users</code> | an empty figure |"]
    # February was in the scorecard: its new figure is also a restatement (March is a new month)
    assert "| <code>2026-02</code> | <code>users</code> | (none) | <code>1</code> | **no reason given** |" in comment
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "pulled")
    path.write_text(text.replace("    users: 2\n", "    users: 3\n"), encoding="utf-8")
    capsys.readouterr()
    assert main(["diff", "--base", "main", "--today", "2026-11", "--strict"]) == 1
    comment = html.unescape(capsys.readouterr().out)
    assert ("| <code>2026-03</code> | <code>users</code> (measured from <code>usage</code>, edited by hand) | "
            "<code>2</code> | <code>3</code> | **no reason given** |") in comment
    assert "### Newly measured" not in comment


def test_a_file_the_pulled_figures_would_make_invalid_is_left_as_it_was_with_one_line(tmp_path, capsys):
    """The sample starts its stage history in 2026-01: a figure for 2025-12 would come before it."""
    rows = [("a@x.com", "2025-12-03", "contract-review"), ("a@x.com", "2026-03-03", "hr-bot")]
    root = _usage_root(tmp_path, "  users: {metric: active_users, params: {key: contract-review}}\n", rows)
    (root / "initiatives/hr-bot.yaml").write_text(initiative(
        "  users: {metric: active_users, params: {key: hr-bot}}\n"), encoding="utf-8")
    path = root / "initiatives/contract-review.yaml"
    before = path.read_bytes()
    assert pull(root, "--from", "2025-12", "--to", "2026-03") == 1
    out = capsys.readouterr().out.splitlines()
    assert path.read_bytes() == before
    assert ("refused: initiatives/contract-review.yaml: not written, since it would not validate: "
            "initiatives/contract-review.yaml:8:27: stage_history starts 2026-01, after the first month of figures "
            "2025-12; date the first stage no later than the first month block") in out
    assert _month_block(root, "hr-bot", "2026-03")["users"] == 1  # the other files are written
