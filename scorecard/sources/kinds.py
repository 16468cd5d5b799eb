"""The kinds of source `scorecard pull` reads, one runner each, with the same signature: run a metric once for a
month range and return its rows, grouped by the metric's parameters and month (the source does the aggregation).

- `duckdb`: the office's SQL over its declared files (CSV, Parquet, JSON, xlsx), in an embedded DuckDB that can
  read only the folders of those files.
- `sql`: the office's SQL on any database SQLAlchemy reaches; the password comes from an environment variable.
- `focus`: a FinOps FOCUS cost export, summed per charge-period month by a tag or a column (the tool's SQL).
- `usage`: a usage export, active users counted as distinct ids or e-mail addresses per month (the tool's SQL).

Nothing an initiative file holds reaches a query's text: the month range is bound as parameters, and each
initiative's rows are picked from the grouped result by its parameters' values (`pull.py`).
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorecard.sources.config import Metric, Source


@dataclass(frozen=True)
class Row:
    """One group of a metric's result: its parameters' values, its month, its value and what it was made of."""

    key: tuple[str | None, ...]
    month: str
    value: float | None
    rows: int
    latest: dt.datetime | None = None
    currency: str | None = None


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    query: str
    """The query text that ran, as the office declared it (hashed into each figure's provenance)."""


class SourceError(Exception):
    """A source that cannot be read or a query that fails: one line, with no credential in it."""


Run = Callable[[str, Source, Metric, list[str], dt.date, dt.date, Path, Mapping[str, str]], Result]


def month_of(value: Any) -> str | None:
    """YYYY-MM from a date, a timestamp or text that starts with one."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value) if value is not None else ""
    return text[:7] if re.match(r"^\d{4}-\d{2}", text) else None


def key_text(value: Any) -> str | None:
    """A parameter's value as text, the same for 5, 5.0 and '5'; None for no value (a row that no binding can
    select: unallocated)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _latest(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None


def _rows(records: list[tuple[Any, ...]], columns: list[str], params: list[str], what: str) -> list[Row]:
    """Rows from a result whose columns include month, value and each of params (rows, latest optional)."""
    lower = [c.lower() for c in columns]
    missing = [c for c in ("month", "value", *params) if c not in lower]
    if missing:
        raise SourceError(f"{what}: the query returns no column {', '.join(missing)} (it returns "
                          f"{', '.join(columns) or 'nothing'}); it must return month, value and each of its params")
    at = {c: lower.index(c) for c in lower}
    out = []
    for record in records:
        month = month_of(record[at["month"]])
        if month is None:
            raise SourceError(f"{what}: a row's month is {str(record[at['month']])[:40]!r}; return a date, or text "
                              "that starts with YYYY-MM")
        raw = record[at["value"]]
        try:
            value = None if raw is None else float(raw)
        except (TypeError, ValueError):
            raise SourceError(f"{what}: a row's value is {str(raw)[:40]!r}, not a number") from None
        rows = int(record[at["rows"]]) if "rows" in at and record[at["rows"]] is not None else 1
        out.append(Row(tuple(key_text(record[at[p]]) for p in params), month, value, rows,
                       _latest(record[at["latest"]]) if "latest" in at else None,
                       str(record[at["currency"]]) if "currency" in at and record[at["currency"]] is not None else None))
    return out


# --- DuckDB: the embedded engine of the duckdb, focus and usage kinds ---------------------------------------------

_READERS = {".csv": "read_csv", ".tsv": "read_csv", ".txt": "read_csv", ".parquet": "read_parquet",
            ".json": "read_json_auto", ".jsonl": "read_json_auto", ".ndjson": "read_json_auto"}


def _files(pattern: str, root: Path, what: str) -> list[str]:
    """The files a declared path or glob names, relative to the policy's folder; at least one."""
    full = pattern if os.path.isabs(pattern) else str(root / pattern)
    found = sorted(p for p in glob.glob(full, recursive=True) if os.path.isfile(p))
    if not found:
        raise SourceError(f"{what}: no file matches {pattern} (relative to {root.name or root}/)")
    return found


def _connect(files: list[str]) -> Any:
    """An in-memory DuckDB that reads only the folders of `files`, with its settings locked and no extension
    fetched from the network."""
    import duckdb  # the pull extra
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False, "threads": 2})
    folders = sorted({str(Path(f).resolve().parent) + os.sep for f in files})
    con.execute("SET allowed_directories = $dirs", {"dirs": folders})
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _view(con: Any, name: str, files: list[str], what: str, as_text: bool = False) -> None:
    """Table `name` over `files`, all of one type (CSV is read with NULL written as text taken as null)."""
    kinds = {Path(f).suffix.lower() for f in files}
    if len(kinds) != 1:
        raise SourceError(f"{what}: its files mix {', '.join(sorted(kinds))}; give one kind of file per table")
    [suffix] = kinds
    listed = "[" + ", ".join(_literal(str(Path(f).resolve())) for f in files) + "]"
    if suffix == ".xlsx":
        _xlsx_table(con, name, files, what)
        return
    reader = _READERS.get(suffix)
    if reader is None:
        raise SourceError(f"{what}: cannot read {suffix} files; use CSV, Parquet, JSON or xlsx")
    options = (", union_by_name = true, nullstr = ['NULL', '']" + (", all_varchar = true" if as_text else "")
               if reader == "read_csv" else ", union_by_name = true" if reader == "read_parquet" else "")
    con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM {reader}({listed}{options})')


def _xlsx_table(con: Any, name: str, files: list[str], what: str) -> None:
    """An xlsx table, read with openpyxl (DuckDB's excel extension would have to be fetched from the network)."""
    import openpyxl  # the xlsx extra
    header: list[str] | None = None
    records: list[tuple[Any, ...]] = []
    for f in files:
        book = openpyxl.load_workbook(f, read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        if not rows:
            continue
        if header is None:
            header = [str(h) for h in rows[0]]
        records += [tuple(r) for r in rows[1:] if any(v is not None for v in r)]
    if not header:
        raise SourceError(f"{what}: its xlsx files hold no header row")

    def sql_type(i: int) -> str:
        kinds = {type(r[i]) for r in records if i < len(r) and r[i] is not None}
        if kinds and kinds <= {int}:
            return "BIGINT"
        if kinds and kinds <= {int, float}:
            return "DOUBLE"
        if kinds and kinds <= {dt.datetime, dt.date}:
            return "TIMESTAMP"
        return "VARCHAR"

    columns = ", ".join(f'"{h.replace(chr(34), "")}" {sql_type(i)}' for i, h in enumerate(header))
    con.execute(f'CREATE TABLE "{name}" ({columns})')
    if records:
        width = len(header)
        con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * width)})',
                        [tuple((list(r) + [None] * width)[:width]) for r in records])


def _duckdb_rows(con: Any, sql: str, bind: dict[str, Any], params: list[str], what: str) -> list[Row]:
    try:
        cursor = con.execute(sql, bind)
        columns = [d[0] for d in cursor.description]
        return _rows(cursor.fetchall(), columns, params, what)
    except SourceError:
        raise
    except Exception as exc:  # duckdb's errors: one line, no traceback
        raise SourceError(f"{what}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def run_duckdb(name: str, source: Source, metric: Metric, params: list[str], start: dt.date, end: dt.date,
               root: Path, env: Mapping[str, str]) -> Result:
    what = f"metric {name}"
    tables = {t: _files(p, root, f"{what}: table {t}") for t, p in source.tables.items()}
    con = _connect([f for fs in tables.values() for f in fs])
    try:
        for table, files in tables.items():
            _view(con, table, files, f"{what}: table {table}")
        assert metric.query is not None  # the policy's checks: a duckdb metric has a query
        return Result(_duckdb_rows(con, metric.query, {"start": start, "end": end}, params, what), metric.query)
    finally:
        con.close()


FOCUS_QUERY = """SELECT k AS key, strftime(start_at, '%Y-%m') AS month, sum(cost) AS value, count(*) AS rows,
       max(end_at) AS latest, currency
FROM (SELECT {key} AS k, TRY_CAST("ChargePeriodStart" AS TIMESTAMPTZ) AS start_at,
             TRY_CAST("ChargePeriodEnd" AS TIMESTAMPTZ) AS end_at, TRY_CAST("{cost}" AS DOUBLE) AS cost,
             NULLIF(trim("BillingCurrency"), '') AS currency
      FROM export)
WHERE start_at >= $start AND start_at < $end
GROUP BY ALL ORDER BY ALL"""
"""A FOCUS export summed per allocation key, charge-period month and billing currency. Charge periods may be
hourly or monthly: a charge counts in the month its period starts (UTC)."""

USAGE_QUERY = """SELECT k AS key, strftime(event_at, '%Y-%m') AS month, count(DISTINCT who) AS value,
       count(*) AS rows, max(event_at) AS latest
FROM (SELECT trim(CAST("{key}" AS VARCHAR)) AS k, lower(trim(CAST("{user}" AS VARCHAR))) AS who,
             TRY_CAST("{time}" AS TIMESTAMP) AS event_at
      FROM export)
WHERE event_at >= $start AND event_at < $end AND who IS NOT NULL AND who <> ''
GROUP BY ALL ORDER BY ALL"""
"""Active users: distinct ids or e-mail addresses (case and spaces ignored) per key and month."""


def focus_query(source: Source) -> str:
    allocate = source.allocate
    assert allocate is not None  # the policy's checks
    if allocate.tag is not None:
        key = ("CASE WHEN json_valid(\"Tags\") THEN trim(json_extract_string(\"Tags\", "
               + _literal('$."' + allocate.tag.replace('"', '') + '"') + ")) END")
    else:
        key = f'trim(CAST("{allocate.column}" AS VARCHAR))'
    return FOCUS_QUERY.format(key=key, cost=source.cost_column)


def usage_query(source: Source) -> str:
    return USAGE_QUERY.format(key=source.key_column, user=source.user_column, time=source.time_column)


def _export(name: str, source: Source, root: Path, query: str, start: dt.date, end: dt.date, what: str,
            as_text: bool) -> Result:
    assert source.files is not None  # the policy's checks
    files = _files(source.files, root, what)
    con = _connect(files)
    try:
        _view(con, "export", files, what, as_text=as_text)
        declared = f"-- {source.kind} export: {source.files}\n{query}"
        return Result(_duckdb_rows(con, query, {"start": start, "end": end}, ["key"], what), declared)
    finally:
        con.close()


def run_focus(name: str, source: Source, metric: Metric, params: list[str], start: dt.date, end: dt.date,
              root: Path, env: Mapping[str, str]) -> Result:
    return _export(name, source, root, focus_query(source), start, end, f"metric {name}", as_text=True)


def run_usage(name: str, source: Source, metric: Metric, params: list[str], start: dt.date, end: dt.date,
              root: Path, env: Mapping[str, str]) -> Result:
    return _export(name, source, root, usage_query(source), start, end, f"metric {name}", as_text=False)


# --- SQL databases through SQLAlchemy ------------------------------------------------------------------------------

def _secrets(source: Source, env: Mapping[str, str]) -> list[str]:
    return [s for s in (env.get(source.password_env or ""), env.get(source.url_env or "")) if s]


def scrub(text: str, secrets: list[str]) -> str:
    """`text` with every secret (a password, a URL that holds one) replaced by ***."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def engine_url(source: Source, env: Mapping[str, str], what: str) -> Any:
    import sqlalchemy  # the sql extra
    if source.url_env is not None:
        if not env.get(source.url_env):
            raise SourceError(f"{what}: the environment variable {source.url_env} (the database's URL) is not set")
        raw = env[source.url_env]
    else:
        assert source.url is not None  # the policy's checks
        raw = source.url
    try:
        url = sqlalchemy.engine.make_url(raw)
    except Exception:
        raise SourceError(f"{what}: its URL is not a database URL such as postgresql+psycopg://user@host/db") from None
    if source.password_env is not None:
        password = env.get(source.password_env)
        if not password:
            raise SourceError(f"{what}: the environment variable {source.password_env} (the database password) is "
                              "not set")
        url = url.set(password=password)
    return url


def run_sql(name: str, source: Source, metric: Metric, params: list[str], start: dt.date, end: dt.date,
            root: Path, env: Mapping[str, str]) -> Result:
    import sqlalchemy  # the sql extra
    what = f"metric {name}"
    secrets = _secrets(source, env)
    assert metric.query is not None  # the policy's checks
    try:
        engine = sqlalchemy.create_engine(engine_url(source, env, what), pool_pre_ping=False)
        try:
            with engine.connect() as con:
                cursor = con.execute(sqlalchemy.text(metric.query), {"start": start, "end": end})
                columns = list(cursor.keys())
                records = [tuple(r) for r in cursor.fetchall()]
        finally:
            engine.dispose()
    except SourceError as exc:
        raise SourceError(scrub(str(exc), secrets)) from None
    except Exception as exc:  # the driver's errors: one line, every secret scrubbed
        raise SourceError(scrub(f"{what}: {_first_line(exc)}", secrets)) from None
    return Result(_rows(records, columns, params, what), metric.query)


RUNNERS: dict[str, Run] = {"duckdb": run_duckdb, "sql": run_sql, "focus": run_focus, "usage": run_usage}
"""Every kind of source by name (`sources.config.KINDS`)."""


def run(name: str, source: Source, metric: Metric, params: list[str], start: dt.date, end: dt.date, root: Path,
        env: Mapping[str, str]) -> Result:
    """Metric `name`'s rows for the months from `start` to before `end` (SourceError when it cannot run)."""
    return RUNNERS[source.kind](name, source, metric, params, start, end, root, env)

