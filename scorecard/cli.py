"""The `scorecard` command line: parse arguments, call one library function, map errors to exit codes.

Exit codes: 0 success, 1 invalid input or a failed check, 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from scorecard import __version__
from scorecard.errors import InvalidPortfolio, UsageError, UserError
from scorecard.months import format_month, month_arg
from scorecard.problem import FORMATS, format_report

DEFAULT_DIR = "initiatives"


def _month(text: str) -> int:
    try:
        return month_arg(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def current_month() -> int:
    """The calendar month now: the only place the command line reads the clock."""
    today = datetime.date.today()
    return today.year * 12 + today.month - 1


def cmd_validate(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.validate import validate_paths

    paths = args.paths or [read_settings(args.config).initiatives]
    result = validate_paths(paths, today=args.today or current_month())
    print(format_report(result.problems, result.files, args.format))
    return 1 if result.failed(args.strict) else 0


def cmd_report(args: argparse.Namespace) -> int:
    from scorecard import report
    from scorecard.config import read_settings
    from scorecard.pipeline import compute

    card = compute(read_settings(args.config), today=current_month(), as_of=args.as_of)
    render = {"table": report.to_table, "json": report.to_json, "csv": report.to_csv}[args.format]
    sys.stdout.write(render(card))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.methodology import methodology_markdown

    sys.stdout.write(methodology_markdown(read_settings(args.config).policy()))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from scorecard.model import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from scorecard.starter import write_starter

    path = write_starter(args.id, Path(args.dir), month=args.month or current_month())
    print(f"wrote {path}: fill in the TODOs, then run `scorecard validate {path}`")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scorecard", description="A monthly scorecard of AI initiatives.")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check initiative files and report every problem")
    p.add_argument("paths", nargs="*", help=f"files or folders (default: {DEFAULT_DIR}/)")
    p.add_argument("--format", choices=FORMATS, default="standard", help="output format (default: standard)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--today", type=_month, metavar="YYYY-MM",
                   help="the current month for 'not in the future' checks (default: from the clock)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("report", help="compute the scorecard and print it")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month to judge as of (default: the latest month with data)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output (default: table)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("rules", help="print the rules, their precedence and the policy in force (Markdown)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("schema", help="print the JSON Schema of an initiative file")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="write a commented starter file for a new initiative")
    p.add_argument("id", help="the initiative id, e.g. contract-review")
    p.add_argument("--dir", default=DEFAULT_DIR, help=f"where to write it (default: {DEFAULT_DIR}/)")
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="the start month (default: this month)")
    p.set_defaults(func=cmd_new)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InvalidPortfolio as exc:
        fmt = getattr(args, "format", "standard")
        print(format_report(exc.problems, exc.files, fmt if fmt in FORMATS else "standard"), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"scorecard: error: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"scorecard: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
