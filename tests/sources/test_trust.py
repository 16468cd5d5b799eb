"""The trust boundary of `pull`: an initiative file (anyone's pull request) names a metric and gives values; it
cannot make pull run SQL of its choosing, read a file outside the declared sources, or see another initiative's
rows. And the policy's own mistakes get one line each."""

from __future__ import annotations

import hashlib

import yaml

from pullkit import initiative, portfolio, pull, usage_csv
from scorecard.cli import main

POLICY = """\
sources:
  usage: {kind: usage, files: data/usage.csv, user_column: user, time_column: at, key_column: app}
  warehouse: {kind: duckdb, tables: {events: data/usage.csv}}
metrics:
  active_users: {source: usage}
  events:
    source: warehouse
    params: [app]
    query: |
      SELECT app, strftime("at", '%Y-%m') AS month, count(*) AS value FROM events
      WHERE "at" >= $start AND "at" < $end GROUP BY ALL
"""
ROWS = [("a@x.com", "2026-03-03", "contract-review"), ("b@x.com", "2026-03-04", "contract-review"),
        ("c@x.com", "2026-03-04", "hr-bot"), ("d@x.com", "2026-03-05", "hr-bot"), ("e@x.com", "2026-03-05", "hr-bot")]


def _root(tmp_path, files: dict[str, str]):
    return portfolio(tmp_path, POLICY, {"data/usage.csv": usage_csv(ROWS)}, files)


def _months(root, ident):
    return yaml.safe_load((root / "initiatives" / f"{ident}.yaml").read_text(encoding="utf-8")).get("months", {})


def test_a_parameter_value_is_matched_never_run_as_sql(tmp_path, capsys):
    hostile = "hr-bot' OR '1'='1"
    root = _root(tmp_path, {"contract-review": initiative(
        f"  kpis.hours_saved: {{metric: events, params: {{app: \"{hostile}\"}}}}\n")})
    assert pull(root, "--month", "2026-03") == 0
    assert "2026-03" not in _months(root, "contract-review")  # no row carries that value: nothing to fill
    out = capsys.readouterr().out
    assert "contract-review: no rows in the source for kpis.hours_saved 2026-03" in out.splitlines()


def test_an_initiative_cannot_give_a_query_a_path_or_a_connection(tmp_path, capsys, monkeypatch):
    root = _root(tmp_path, {"contract-review": initiative(
        "  users: {metric: active_users, params: {key: contract-review}, query: SELECT 1, files: /etc/passwd}\n")})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2026-11"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any("[unknown-key] unknown key 'query' in 'pull.users'" in line for line in lines), lines
    assert any("[unknown-key] unknown key 'files' in 'pull.users'" in line for line in lines), lines


def test_an_initiative_cannot_bind_another_initiative_s_rows(tmp_path, capsys):
    root = _root(tmp_path, {
        "hr-bot": initiative("  users: {metric: active_users, params: {key: hr-bot}}\n"),
        "contract-review": initiative("  users: {metric: active_users, params: {key: hr-bot}}\n")})
    assert pull(root, "--month", "2026-03") == 1
    out = capsys.readouterr().out.splitlines()
    assert ("refused: initiatives/hr-bot.yaml: pull.users binds the rows of metric active_users (key: hr-bot) that "
            "contract-review binds; each initiative's rows belong to it alone, so give it its own value") in out
    assert _months(root, "contract-review")["2026-03"]["users"] == 3
    assert "2026-03" not in _months(root, "hr-bot")


def test_a_metric_the_policy_does_not_declare_is_a_validation_error(tmp_path, capsys, monkeypatch):
    root = _root(tmp_path, {"contract-review": initiative("  users: {metric: active_user, params: {key: x}}\n")})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2026-11"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "initiatives/contract-review.yaml:38:19: error [pull] the policy declares no metric 'active_user'; "
        "did you mean 'active_users'?")


def test_a_metric_s_parameters_are_the_policy_s(tmp_path, capsys, monkeypatch):
    root = _root(tmp_path, {"contract-review": initiative("  users: {metric: active_users, params: {app: x}}\n")})
    monkeypatch.chdir(root)
    assert main(["validate", "--today", "2026-11"]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "initiatives/contract-review.yaml:38:3: error [pull] the metric 'active_users' needs a value for key; "
        "add params: {key: ...}",
        "initiatives/contract-review.yaml:38:42: error [pull] the metric 'active_users' has no parameter 'app'; "
        "its parameters are key"]


def test_the_office_s_own_sql_cannot_read_outside_the_declared_files(tmp_path, capsys):
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("app,at,v\ncontract-review,2026-03-01,777777\n", encoding="utf-8")
    policy = POLICY.replace("FROM events", f"FROM read_csv('{secret}')")
    root = portfolio(tmp_path / "p", policy, {"data/usage.csv": usage_csv(ROWS)},
                     {"contract-review": initiative("  kpis.hours_saved: {metric: events, params: {app: x}}\n")})
    assert pull(root, "--month", "2026-03") == 1
    out = capsys.readouterr().out
    assert "777777" not in out
    assert f'failed: metric events: Permission Error: Cannot access file "{secret}"' in out


def test_a_pull_request_that_changes_only_values_changes_no_query_hash(tmp_path):
    root = _root(tmp_path, {"hr-bot": initiative("  kpis.hours_saved: {metric: events, params: {app: hr-bot}}\n")})
    assert pull(root, "--month", "2026-03") == 0
    m = _months(root, "hr-bot")["2026-03"]["measured"]["kpis.hours_saved"]
    query = yaml.safe_load(POLICY)["metrics"]["events"]["query"]
    assert m["query"] == "sha256:" + hashlib.sha256(query.encode()).hexdigest()
    assert _months(root, "hr-bot")["2026-03"]["kpis"]["hours_saved"] == 3


def test_the_policy_s_mistakes_get_one_line_each(tmp_path, capsys, monkeypatch):
    policy = """\
sources:
  db: {kind: sql, url: "postgresql://u:hunter2@db/ops"}
  bill: {kind: focus, files: bill.csv}
  files: {kind: duckdb, tables: {t: t.csv}, url: "sqlite://"}
metrics:
  m1: {source: db}
  m2: {source: nowhere, query: SELECT 1}
  m3: {source: bill, query: SELECT 1}
"""
    portfolio(tmp_path, policy, {}, {})
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--today", "2026-11"]) == 1
    out = capsys.readouterr().out
    assert "hunter2" not in out
    assert out.splitlines()[:6] == [
        "policy.yml:2:24: error [value] 'sources.db.url' holds a password; remove it from the URL and name the "
        "variable that holds it: password_env: OPS_DB_PASSWORD",
        "policy.yml:3:3: error [value] the focus source 'bill' has no allocate; add allocate: {tag: application} "
        "(a key of Tags) or {column: BillingAccountId}",
        "policy.yml:4:45: error [value] 'sources.files.url' is not read by a duckdb source; remove it: only a sql "
        "source reads it",
        "policy.yml:6:3: error [value] the metric 'm1' reads the sql source 'db' but has no query; add query: SQL "
        "that returns month, value and each of params",
        "policy.yml:7:16: error [value] the metric 'm2' reads the source 'nowhere', which the policy does not "
        "declare; declare it under sources: (the sources are db, bill, files)",
        "policy.yml:8:22: error [value] the metric 'm3' reads the focus source 'bill', which has its own query; "
        "remove query and params: an initiative binds the value its rows carry (params: {key: ...})"]
