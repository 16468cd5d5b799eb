"""The `scorecard` command line: parse arguments, call one library function, map errors to exit codes.

Exit codes: 0 success, 1 invalid input or a failed check, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard import __version__
from scorecard.clock import pinned, this_month
from scorecard.errors import InvalidPortfolio, UsageError, UserError
from scorecard.months import format_month, month_arg
from scorecard.problem import FORMATS, format_problem, format_report

if TYPE_CHECKING:
    from scorecard.config import Settings

DEFAULT_DIR = "initiatives"


def _month(text: str) -> int:
    try:
        return month_arg(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_validate(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.validate import validate_paths

    settings = read_settings(args.config)
    paths = args.paths or [settings.initiatives]
    result = validate_paths(paths, today=this_month(), catalogue=settings.policy().catalogue)
    print(format_report(result.problems, result.files, args.format))
    return 1 if result.failed(args.strict) else 0


def cmd_report(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.outputs import OUTPUTS, job
    from scorecard.pipeline import compute
    from scorecard.report.build import build_report

    card = compute(read_settings(args.config), today=this_month(), as_of=args.as_of)
    (text,) = OUTPUTS[args.format].make(job(build_report(card), card)).values()
    sys.stdout.write(str(text))
    return 0


class _Handler(logging.StreamHandler):
    """The handler this command line adds to MkDocs' logger (so that it is added once)."""


def _mkdocs_logging(verbose: bool, errors: bool = False) -> None:
    """Show MkDocs' warnings (and with --verbose its progress) the way `mkdocs build` does."""
    logger = logging.getLogger("mkdocs")
    for old in [h for h in logger.handlers if isinstance(h, _Handler)]:
        logger.removeHandler(old)  # one handler, however often main() runs in a process
    handler = _Handler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    if not errors:
        handler.addFilter(lambda record: record.levelno < logging.ERROR)  # an error comes back as the command's line
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def cmd_build(args: argparse.Namespace) -> int:
    from scorecard.config import DEFAULT_CONFIG, read_settings
    from scorecard.site import build_site, site_inputs

    config = Path(args.config or DEFAULT_CONFIG)
    if not config.exists():
        raise UserError(f"{config}: no such file; the site is configured in mkdocs.yml")
    inputs = site_inputs(read_settings(config), as_of=args.as_of, previous=args.previous)
    for problem in inputs.warnings:
        print(format_problem(problem), file=sys.stderr)
    if inputs.unshown:
        print(f"scorecard: {inputs.unshown.line()}", file=sys.stderr)
    _mkdocs_logging(args.verbose)
    if args.engine == "zensical":
        from scorecard.engines import build_with_zensical

        site = build_with_zensical(config, Path(args.site_dir), inputs, strict=args.strict)
    else:
        site = build_site(config, Path(args.site_dir), inputs, strict=args.strict)
    card = inputs.card
    if inputs.settings.audience == "public" and not card.results:
        print("scorecard: no initiative says visibility: public, so the public record is empty; add "
              "`visibility: public` to the files that may be published", file=sys.stderr)
    print(f"built {site} as of {format_month(card.as_of)}: {len(card.results)} initiatives")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from scorecard.config import DEFAULT_CONFIG, read_settings
    from scorecard.publish import publish

    config = Path(args.config or DEFAULT_CONFIG)
    branch = args.branch or ("gh-pages-public" if read_settings(config).audience == "public" else "gh-pages")
    done = publish(config, args.month, push=args.push, remote=args.remote, branch=branch, title=args.title)
    where = f"{args.remote}/{branch}" if args.push else f"the local branch {branch}"
    moved = "; latest points at it" if done.latest else "; latest is unchanged (a newer month is published)"
    print(f"published {done.version} to {where}{moved}"
          + (f"; changes compared with {done.compared_with}" if done.compared_with else ""))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.diff import diff, to_json, to_markdown

    result = diff(read_settings(args.config), args.base)
    sys.stdout.write(to_json(result) if args.format == "json" else to_markdown(result))
    return 1 if result.failed(args.strict) else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from scorecard.config import DEFAULT_CONFIG
    from scorecard.site import serve_site

    _mkdocs_logging(verbose=True, errors=True)  # a failed rebuild is shown, and serving goes on
    serve_site(Path(args.config or DEFAULT_CONFIG), args.dev_addr, full=args.full)
    return 0


def _internal_only(settings: Settings, what: str) -> None:
    """The board pack and the digest are for leadership: a public configuration has neither."""
    if settings.audience == "public":
        raise UserError(f"the scorecard option audience is public, and a public record has no {what}; "
                        "give --config the internal mkdocs.yml")


def cmd_pack(args: argparse.Namespace) -> int:
    from scorecard.config import DEFAULT_CONFIG, read_settings, read_yaml
    from scorecard.digest import digest_options
    from scorecard.months import format_month
    from scorecard.pack import write_pack
    from scorecard.site import site_inputs
    from scorecard.templates import Templates

    config = Path(args.config or DEFAULT_CONFIG)
    found = read_settings(args.config)
    _internal_only(found, "board pack")
    inputs = site_inputs(found, as_of=args.as_of, previous=args.previous)
    raw = read_yaml(config) if config.exists() else {}
    options = digest_options(raw)
    out = write_pack(inputs.report, inputs.previous, Path(args.output), Templates.at(found.templates).layers("pages"),
                     site_name=options["title"], site_url=options["site_url"])
    print(f"wrote {out} as of {format_month(inputs.card.as_of)}", file=sys.stderr)
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from scorecard.config import DEFAULT_CONFIG, read_settings, read_yaml
    from scorecard.digest import digest_markdown, digest_options
    from scorecard.site import site_inputs

    config = Path(args.config or DEFAULT_CONFIG)
    settings = read_settings(args.config)
    _internal_only(settings, "digest")
    inputs = site_inputs(settings, as_of=args.as_of, previous=args.previous)
    raw = read_yaml(config) if config.exists() else {}
    sys.stdout.write(digest_markdown(inputs.report, inputs.previous, **digest_options(raw)))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.interop.importer import plan_import, write_files
    from scorecard.interop.mapping import load_mapping, policy_text
    from scorecard.interop.sheet import read_sheet

    mapping = load_mapping(args.mapping)
    if args.print_policy:
        sys.stdout.write(policy_text(mapping))
        return 0
    if args.file is None:
        raise UsageError("import needs the register to read: scorecard import FILE --mapping ...")
    settings = read_settings(args.config)
    policy = settings.policy()
    limits = policy.limits.import_
    sheet = read_sheet(Path(args.file), args.file, args.sheet, limits)
    into = Path(args.into) if args.into else settings.initiatives
    outcome = plan_import(sheet, mapping, policy.catalogue, into, settings.root, this_month())
    shown = outcome.problems if args.all_problems else outcome.problems[:limits.problems_shown]
    for line in shown:
        print(line)
    if len(shown) < len(outcome.problems):
        print(f"import: {len(outcome.problems) - len(shown):,} more problems not shown ({len(outcome.problems):,} "
              "in all); --all-problems prints every one")
    if not args.dry_run:
        write_files(outcome.writes)
    print(f"import: {outcome.summary(args.dry_run)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.interop.export import inventory_csv
    from scorecard.interop.mapping import load_mapping
    from scorecard.outputs import OUTPUTS, job
    from scorecard.pipeline import validated, validated_month
    from scorecard.report.build import build_report

    settings = read_settings(args.config)
    if args.format == "xlsx":
        from scorecard.engine import compute_scorecard

        result, month = validated_month(settings, this_month(), args.as_of)
        card = compute_scorecard(result.initiatives, month, settings.policy())
        (data,) = OUTPUTS["xlsx"].make(job(build_report(card), card)).values()  # a public one: no money, not zeros
        output = Path(args.output or "scorecard.xlsx")
        output.write_bytes(data)
        print(f"wrote {output} as of {format_month(month)}", file=sys.stderr)
        return 0
    mapping = load_mapping(args.mapping or args.format)
    result = validated(settings, this_month())
    text = inventory_csv([(li.id, li.model) for li in result.initiatives], mapping)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {args.output}: {len(result.initiatives):,} initiatives in the {mapping.name} layout", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.methodology import methodology_markdown

    sys.stdout.write(methodology_markdown(read_settings(args.config).policy()))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from scorecard.config import read_settings
    from scorecard.model import json_schema
    from scorecard.report.model import report_schema

    schema = report_schema() if args.report else json_schema(read_settings(args.config).policy().catalogue)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from scorecard.starter import write_starter

    path = write_starter(args.id, Path(args.dir), month=args.month or this_month())
    print(f"wrote {path}: fill in the TODOs, then run `scorecard validate {path}`")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from scorecard.init import DEFAULT_NAME, InitOptions, init_portfolio, next_steps

    options = InitOptions(name=args.name or DEFAULT_NAME, currency=args.currency, site_url=args.site_url,
                          repo=args.repo, examples=args.examples)
    written = init_portfolio(Path(args.dir), options, month=this_month(), force=args.force)
    print(f"wrote {len(written)} files in {args.dir}:", *written, sep="\n  ")
    print(next_steps(Path(args.dir), args.repo))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scorecard", description="A monthly scorecard of AI initiatives.")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    clock = argparse.ArgumentParser(add_help=False)
    clock.add_argument("--today", type=_month, metavar="YYYY-MM",
                       help="the current month: months from it on have not ended, and the default as-of month is "
                            "the one before it (default: from the clock)")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[clock])

    p = command("validate", help="check initiative files and report every problem")
    p.add_argument("paths", nargs="*", help=f"files or folders (default: {DEFAULT_DIR}/)")
    p.add_argument("--format", choices=FORMATS, default="standard", help="output format (default: standard)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_validate)

    p = command("report", help="compute the scorecard and print it")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month to judge as of (default: the scorecard option as_of in mkdocs.yml, "
                        "else the last complete month)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output (default: table)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_report)

    p = command("build", help="validate, then build the site into site/ (replaced only when the build succeeds)")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month to judge as of (default: the scorecard option as_of in mkdocs.yml, "
                        "else the last complete month)")
    p.add_argument("--site-dir", default="site", help="where to build it (default: site/)")
    p.add_argument("--previous", type=Path, metavar="FILE",
                   help="a scorecard.json to compare with (default: computed as of the month before)")
    p.add_argument("--strict", action="store_true", help="fail on MkDocs warnings too")
    p.add_argument("--verbose", action="store_true", help="show MkDocs' progress")
    p.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                   help="mkdocs (default: Material for MkDocs with the scorecard plugin) or zensical "
                        "(the same pages as plain files, built by Zensical; pip install 'ai-scorecard[zensical]')")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml to build (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_build)

    p = command("publish", help="validate, then deploy the site as of a month with mike (version YYYY-MM)")
    p.add_argument("--month", type=_month, metavar="YYYY-MM",
                   help="the month to publish (default: the scorecard option as_of in mkdocs.yml, else the last "
                        "complete month)")
    p.add_argument("--push", action="store_true", help="push the pages branch (default: commit locally only)")
    p.add_argument("--remote", default="origin", help="the remote to push to (default: origin)")
    p.add_argument("--branch", help="the pages branch (default: gh-pages; gh-pages-public for audience: public, "
                   "so that the public record never shares a branch with the internal scorecard)")
    p.add_argument("--title", help="the version's title in the selector (default: the month)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml to build (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_publish)

    p = command("diff", help="what the changed initiative files do to the scorecard (for a pull request)")
    p.add_argument("--base", required=True, metavar="REF", help="the git ref to compare with, e.g. origin/main")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output (default: markdown)")
    p.add_argument("--strict", action="store_true",
                   help="fail on warnings too, and on restated months without a `restated:` reason")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_diff)

    p = command("serve", help="preview the site with live reload (runs mkdocs serve)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml to serve (default: ./mkdocs.yml)")
    p.add_argument("--dev-addr", metavar="IP:PORT", help="where to serve (default: 127.0.0.1:8000)")
    p.add_argument("--full", action="store_true",
                   help="rebuild every page on each change (default: only pages whose content changed; "
                        "the search index then covers only those until the next full build)")
    p.set_defaults(func=cmd_serve)

    p = command("digest", help="print this month's decisions with their money, what changed and what is overdue (Markdown)")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month (default: the scorecard option as_of in mkdocs.yml, else the last complete month)")
    p.add_argument("--previous", type=Path, metavar="FILE",
                   help="a scorecard.json to compare with (default: computed as of the month before)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_digest)

    p = command("pack", help="write the board pack: a PDF of this month's decisions, portfolio and the initiatives "
                             "to scale or kill (every build also puts it in the site)")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month (default: the scorecard option as_of in mkdocs.yml, else the last complete month)")
    p.add_argument("--previous", type=Path, metavar="FILE",
                   help="a scorecard.json to compare with (default: computed as of the month before)")
    p.add_argument("--output", "-o", default="board-pack.pdf", metavar="FILE", help="where to write it (default: board-pack.pdf)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_pack)

    p = command("import", help="create and update initiative files from a register (.csv or .xlsx)")
    p.add_argument("file", nargs="?", metavar="FILE", help="the register: a .csv (UTF-8) or .xlsx file")
    p.add_argument("--mapping", required=True, metavar="NAME|FILE",
                   help="how its columns become initiative files: omb-2025 (the US federal AI use-case inventory) "
                        "or a mapping file (.yml)")
    p.add_argument("--into", metavar="DIR", help="where new files go (default: the initiatives folder of mkdocs.yml)")
    p.add_argument("--sheet", metavar="NAME", help="the workbook's sheet to read (default: the first)")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument("--all-problems", action="store_true",
                   help="print every problem (default: the first limits.import.problems_shown of the policy, 200)")
    p.add_argument("--print-policy", action="store_true",
                   help="print the policy the mapping needs (its fields and governance) and exit")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_import)

    p = command("export", help="write the portfolio as a register (omb-2025: the federal inventory's CSV layout) "
                               "or as an Excel workbook (xlsx)")
    p.add_argument("--format", choices=("omb-2025", "xlsx"), default="omb-2025",
                   help="omb-2025 (CSV, one row per initiative, the inventory's columns) or xlsx (a sheet per table)")
    p.add_argument("--mapping", metavar="FILE", help="a mapping file: CSV in its columns instead of omb-2025's")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM", help="the month the workbook's figures are as of "
                   "(default: the scorecard option as_of in mkdocs.yml, else the last complete month)")
    p.add_argument("--output", "-o", metavar="FILE", help="where to write it (default: standard output for CSV, "
                                                         "scorecard.xlsx for a workbook)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_export)

    p = command("rules", help="print the rules, their precedence and the policy in force (Markdown)")
    p.add_argument("--config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_rules)

    p = command("schema", help="print the JSON Schema of an initiative file (--report: of scorecard.json)")
    p.add_argument("--report", action="store_true",
                   help="the schema of the report the build writes (scorecard.json) instead")
    p.add_argument("--config", metavar="FILE",
                   help="the mkdocs.yml whose policy names the governance catalogue (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_schema)

    p = command("new", help="write a commented starter file for a new initiative")
    p.add_argument("id", help="the initiative id, e.g. contract-review")
    p.add_argument("--dir", default=DEFAULT_DIR, help=f"where to write it (default: {DEFAULT_DIR}/)")
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="the start month (default: this month)")
    p.set_defaults(func=cmd_new)

    p = command("init", help="write a new portfolio repository: site, policy, an example, workflows")
    p.add_argument("dir", metavar="DIR", help="the folder to write it into (created if missing)")
    p.add_argument("--name", help="the site's name (default: AI initiative scorecard)")
    p.add_argument("--currency", metavar="CODE", help="the portfolio's currency, e.g. EUR (default: USD)")
    p.add_argument("--site-url", metavar="URL", help="where the site is published (default: from --repo, GitHub Pages)")
    p.add_argument("--repo", metavar="ORG/NAME", help="its GitHub repository, for edit links and CODEOWNERS")
    p.add_argument("--examples", action="store_true", help="the full example portfolio instead of one example pilot")
    p.add_argument("--force", action="store_true", help="replace files that exist (default: refuse, write nothing)")
    p.set_defaults(func=cmd_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with pinned(args.today):  # --today stands for the clock everywhere, the site build included
            return int(args.func(args))
    except InvalidPortfolio as exc:
        fmt = getattr(args, "format", "standard")
        print(format_report(exc.problems, exc.files, fmt if fmt in FORMATS else "standard",
                            exc.unshown), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"scorecard: error: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"scorecard: error: {exc}", file=sys.stderr)
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
