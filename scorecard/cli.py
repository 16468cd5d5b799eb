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
    from scorecard.validate import validate_paths

    result = validate_paths(args.paths or [DEFAULT_DIR], today=args.today or current_month())
    print(format_report(result.problems, result.files, args.format))
    return 1 if result.failed(args.strict) else 0


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
    p.set_defaults(func=cmd_validate)

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
        print(format_report(exc.problems, getattr(exc, "files", 0) or len({p.path for p in exc.problems}),
                            getattr(args, "format", "standard")
                            if getattr(args, "format", "standard") in FORMATS else "standard"))
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
