"""The `scorecard` command line: parse arguments, build the run's context, call one command, map errors to exit codes.

Exit codes: 0 success, 1 invalid input or a failed check, 2 a usage error.
The command line is an edge: `context` reads the clock (or `--today`), the
environment and mkdocs.yml once, and every command receives what it read.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from scorecard.cli.parser import build_parser
from scorecard.context import RunContext, edge_context
from scorecard.errors import InvalidPortfolio, UsageError, UserError
from scorecard.extras import install_line, needed
from scorecard.problem import FORMATS, format_report

__all__ = ["build_parser", "context", "main"]


def context(args: argparse.Namespace) -> RunContext:
    """The run's context from the arguments: `--today`, `--as-of` (publish: `--month`) and `--config`.
    A command without `--config` (new, init) reads no mkdocs.yml."""
    from scorecard.config import DEFAULT_CONFIG, settings

    found = None if hasattr(args, "config") else settings(Path(DEFAULT_CONFIG), {})
    return edge_context(found, getattr(args, "config", None), today=args.today, as_of=getattr(args, "as_of", None),
                        asked_by="--month" if args.command == "publish" else "--as-of")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if hasattr(args, "format") and args.format is None:  # like yamllint: annotations when GitHub Actions runs it
        args.format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "standard"
    try:
        return int(args.func(args, context(args)))
    except InvalidPortfolio as exc:
        fmt = getattr(args, "format", "standard")
        fmt = fmt if fmt in FORMATS else "standard"
        from scorecard.validate.run import CHECKS

        # validate's problems are its output (validate --format sarif > problems.sarif), the policy's too; another
        # command's stdout is its own output (report --format json), so the problems go to stderr
        print(format_report(exc.problems, exc.files, fmt, exc.unshown, rules=CHECKS),
              file=sys.stdout if args.command == "validate" else sys.stderr)
        if fmt == "github":
            from scorecard.cli.commands import job_summary

            job_summary(exc.problems, exc.files)
        return 1
    except UsageError as exc:
        print(f"scorecard: error: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"scorecard: error: {exc}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:  # a core install running a command of an extra: say which one
        extra = needed(exc, args.command)
        if extra is None:
            raise
        print(f"scorecard: error: scorecard {args.command} needs the {extra.replace(',', ' and ')} "
              f"{'extras' if ',' in extra else 'extra'} ({exc.name} is not installed): {install_line(extra)}",
              file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        print("scorecard: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the file system or a subprocess refused: say which file and why, without a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"scorecard: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
