"""The command line's arguments: one subcommand per command of `scorecard.cli.commands`."""

from __future__ import annotations

import argparse
from pathlib import Path

from scorecard import __version__
from scorecard.cli.commands import (cmd_build, cmd_diff, cmd_digest, cmd_export, cmd_import, cmd_init, cmd_new,
                                    cmd_pack, cmd_publish, cmd_pull, cmd_report, cmd_rules, cmd_schema,
                                    cmd_serve, cmd_sources, cmd_validate)
from scorecard.months import month_arg
from scorecard.problem import FORMATS

DEFAULT_DIR = "initiatives"


def _month(text: str) -> int:
    try:
        return month_arg(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _ref(text: str) -> str:
    """A git ref for --base: never empty (an unset variable must not build with the change's own configuration)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("it is empty: give the base branch or commit, e.g. origin/main")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scorecard", description="A monthly scorecard of AI initiatives.")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    clock = argparse.ArgumentParser(add_help=False)
    clock.add_argument("-q", "--quiet", action="store_true",
                       help="print only problems and what was asked for: no summary or progress lines")
    clock.add_argument("--today", type=_month, metavar="YYYY-MM",
                       help="the current month: months from it on have not ended, and the default as-of month is "
                            "the one before it (default: from the clock)")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[clock])

    p = command("validate", help="check initiative files and report every problem")
    p.add_argument("paths", nargs="*", help=f"files or folders (default: {DEFAULT_DIR}/)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="output format (default: github when run by GitHub Actions, else standard; sarif for code "
                        "scanning)")
    p.add_argument("-s", "--strict", action="store_true", help="fail on warnings too")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_validate)

    p = command("report", help="compute the scorecard and print it")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month to judge as of (default: the scorecard option as_of in mkdocs.yml, "
                        "else the last complete month)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output (default: table)")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_report)

    p = command("build", help="validate, then build the site into site/ (replaced only when the build succeeds)")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month to judge as of (default: the scorecard option as_of in mkdocs.yml, "
                        "else the last complete month)")
    p.add_argument("-d", "--site-dir", default="site", help="where to build it (default: site/)")
    p.add_argument("--previous", type=Path, metavar="FILE",
                   help="a scorecard.json to compare with (default: computed as of the month before)")
    p.add_argument("-s", "--strict", action="store_true", help="fail on MkDocs warnings too")
    p.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress")
    p.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                   help="mkdocs (default: Material for MkDocs with the scorecard plugin) or zensical "
                        "(the same pages as plain files, built by Zensical; pip install 'ai-scorecard[zensical]')")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml to build (default: ./mkdocs.yml)")
    p.add_argument("--base", metavar="REF", type=_ref,
                   help="build the working tree's initiatives with the configuration of this commit (mkdocs.yml, "
                        "policy, templates, docs): a pull request's check, which must not run what it changes")
    p.set_defaults(func=cmd_build)

    p = command("publish", help="validate, then deploy the site as of a month with mike (version YYYY-MM)")
    p.add_argument("--month", dest="as_of", type=_month, metavar="YYYY-MM",
                   help="the month to publish (default: the scorecard option as_of in mkdocs.yml, else the last "
                        "complete month)")
    p.add_argument("--push", action="store_true", help="push the pages branch (default: commit locally only)")
    p.add_argument("--remote", default="origin", help="the remote to push to (default: origin)")
    p.add_argument("--branch", help="the pages branch (default: gh-pages; gh-pages-public for audience: public, "
                   "so that the public record never shares a branch with the internal scorecard)")
    p.add_argument("--title", help="the version's title in the selector (default: the month)")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml to build (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_publish)

    p = command("diff", help="what the changed initiative files do to the scorecard (for a pull request)")
    p.add_argument("--base", required=True, metavar="REF", type=_ref, help="the git ref to compare with, e.g. origin/main")
    p.add_argument("--format", choices=("markdown", "json", "sarif", "github"), default="markdown",
                   help="output (default: markdown, the pull request's comment); sarif and github give the problems "
                        "and the unexplained changes to the past on their lines")
    p.add_argument("-s", "--strict", action="store_true",
                   help="fail on warnings too, and on restated months without a `restated:` reason")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_diff)

    p = command("serve", help="preview the site with live reload (runs mkdocs serve)")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml to serve (default: ./mkdocs.yml)")
    p.add_argument("-a", "--dev-addr", metavar="IP:PORT", help="where to serve (default: 127.0.0.1:8000)")
    p.add_argument("--full", action="store_true",
                   help="rebuild every page on each change (default: only pages whose content changed; "
                        "the search index then covers only those until the next full build)")
    p.set_defaults(func=cmd_serve)

    p = command("digest", help="print this month's decisions with their money, what changed and what is overdue (Markdown)")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month (default: the scorecard option as_of in mkdocs.yml, else the last complete month)")
    p.add_argument("--previous", type=Path, metavar="FILE",
                   help="a scorecard.json to compare with (default: computed as of the month before)")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_digest)

    p = command("pack", help="write the board pack: a PDF of this month's decisions, portfolio and the initiatives "
                             "to scale or kill (every build also puts it in the site)")
    p.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="the month (default: the scorecard option as_of in mkdocs.yml, else the last complete month)")
    p.add_argument("--previous", type=Path, metavar="FILE",
                   help="a scorecard.json to compare with (default: computed as of the month before)")
    p.add_argument("--output", "-o", default="board-pack.pdf", metavar="FILE", help="where to write it (default: board-pack.pdf)")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
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
    p.add_argument("--write-policy", action="store_true",
                   help="merge the policy the mapping needs into the policy file, keeping what is there (then "
                        "import FILE, if given)")
    p.add_argument("--remove-example", action="store_true",
                   help="remove init's example initiative once the import is in, if it is as init wrote it")
    p.add_argument("--replace-catalogue", action="store_true",
                   help="with --write-policy: let the mapping's governance catalogue replace the policy's")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
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
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_export)

    p = command("pull", help="fill the month blocks' figures from the program office's sources (the policy's "
                             "sources and metrics), with their provenance; typed figures are kept")
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="the month to pull (default: the month before "
                   "the current one)")
    p.add_argument("--from", dest="start", type=_month, metavar="YYYY-MM", help="the first month of a range")
    p.add_argument("--to", dest="end", type=_month, metavar="YYYY-MM",
                   help="the last month of a range (default: the month before the current one)")
    p.add_argument("--only", nargs="+", metavar="ID", help="pull only these initiatives (their file names)")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument("-v", "--verbose", action="store_true", help="also say how long each phase took")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_pull)

    p = command("sources", help="list the policy's sources and metrics (--check: run each for the last month)")
    p.add_argument("--check", action="store_true",
                   help="connect to each source and run each metric for the month before the current one, "
                        "writing nothing")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_sources)

    p = command("rules", help="print the rules, their precedence and the policy in force (Markdown)")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE", help="the mkdocs.yml holding the scorecard options (default: ./mkdocs.yml)")
    p.set_defaults(func=cmd_rules)

    p = command("schema", help="print the JSON Schema of an initiative file (--report: of scorecard.json)")
    p.add_argument("--report", action="store_true",
                   help="the schema of the report the build writes (scorecard.json) instead")
    p.add_argument("-f", "--config-file", "--config", dest="config", metavar="FILE",
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
    p.add_argument("--empty", action="store_true", help="no example initiative (the portfolio's own come next)")
    p.add_argument("--action-ref", metavar="COMMIT",
                   help="the commit of ai-scorecard whose GitHub Action the workflows pin (default: the one this "
                        "copy was built from)")
    p.add_argument("--force", action="store_true", help="replace files that exist (default: refuse, write nothing)")
    p.set_defaults(func=cmd_init)
    return parser
