"""The optional parts of the install, and the one line that says which to add when a command needs one.

The core (`pip install ai-scorecard`) is what a team lead's hook and editor need: PyYAML, pydantic and Jinja2, for
`validate`, `new`, `schema`, `rules`, `init` and `import` from CSV. Everything else is an extra:

- `report`: pandas, for the computed scorecard (`report`, `diff`, `digest`, `export`);
- `site`: the report, MkDocs, Material, mike, Altair and vl-convert, for `build`, `serve` and `publish`;
- `pack`: the site and WeasyPrint, for the board pack (PDF) a build adds;
- `xlsx`: openpyxl, for Excel workbooks in `import` and `export`;
- `pull`: DuckDB, for `pull` and `sources` from files (CSV, Parquet, JSON, FOCUS and usage exports);
- `sql`: the pull, SQLAlchemy and psycopg, for sources in a SQL database;
- `all`: all of them.
"""

from __future__ import annotations

EXTRA_OF = {"pandas": "report", "numpy": "report", "mkdocs": "site", "material": "site", "mike": "site",
            "altair": "site", "vl_convert": "site", "weasyprint": "pack", "openpyxl": "xlsx",
            "duckdb": "pull", "sqlalchemy": "sql", "psycopg": "sql"}
"""The extra that installs each optional top-level module."""


COMMAND_EXTRA = {"build": "site", "serve": "site", "publish": "site", "report": "report", "diff": "report",
                 "digest": "report", "export": "report", "pull": "pull", "sources": "pull"}
"""What each command needs beyond the core, so that the one line names all of it at once (not pandas, then MkDocs)."""
INCLUDES = {"site": {"report"}, "pack": {"site", "report"}, "sql": {"pull"},
            "all": {"report", "site", "pack", "xlsx", "pull", "sql"}}


def needed(exc: ModuleNotFoundError, command: str = "") -> str | None:
    """The extras to install for `command`, whose run raised `exc`, comma-separated (None: a module that is no
    extra's, a real bug)."""
    extra = EXTRA_OF.get((exc.name or "").partition(".")[0])
    if extra is None:
        return None
    wanted = {extra, COMMAND_EXTRA.get(command, extra)}
    wanted -= {e for w in wanted for e in INCLUDES.get(w, ())}
    return ",".join(sorted(wanted))


def install_line(extra: str) -> str:
    return f"pip install 'ai-scorecard[{extra}]'"
