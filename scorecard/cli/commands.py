"""The commands: each unpacks its arguments, calls one library function with the run's context and prints.

Each takes the parsed arguments and the `RunContext` the command line built at its edge
(`scorecard.cli.context`); none reads the clock, the environment or mkdocs.yml itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any


from scorecard.context import RunContext
from scorecard.errors import UsageError, UserError
from scorecard.months import format_month
from scorecard.problem import Problem, format_problem, format_report, plural, sort_problems

if TYPE_CHECKING:
    from scorecard.policy import Policy


def cmd_validate(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.validate.run import CHECKS, validate_paths

    paths = args.paths or [ctx.settings.initiatives]
    result = validate_paths(paths, today=ctx.today, catalogue=ctx.policy.catalogue)
    report = format_report(result.problems, result.files, args.format, rules=CHECKS)
    if args.quiet and args.format in ("standard", "github"):  # the problems only; nothing when there are none
        report = "\n".join(report.splitlines()[:-1])
    if report:
        print(report)
    if args.format == "github":
        job_summary(result.problems, result.files)
    return 1 if result.failed(args.strict) else 0


def job_summary(problems: list[Problem], files: int) -> None:
    """Every problem in the GitHub job summary, when there is one: annotations show only the first ten."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and problems:
        from scorecard.render.markdown import render_markdown

        with open(summary, "a", encoding="utf-8") as out:
            out.write(render_markdown("problems.md.j2", problems=sort_problems(problems), files=files))


def cmd_report(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.outputs import OUTPUTS, job
    from scorecard.pipeline import compute
    from scorecard.report.build import build_report

    card = compute(ctx)
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


def _require_config(ctx: RunContext) -> None:
    """Build, publish and serve need the site's mkdocs.yml: refuse at once, before anything is validated or locked."""
    if not ctx.config_file.exists():
        raise UserError(f"{ctx.config_file}: no such file; the site is configured in mkdocs.yml")


def cmd_build(args: argparse.Namespace, ctx: RunContext) -> int:
    if args.base is not None:
        from scorecard.site.trusted import base_build

        with base_build(ctx, args.base, Path.cwd(), Path(args.site_dir)) as base:
            notice = base.notice(args.base)
            if notice:
                print(notice, file=sys.stderr)
            args.site_dir = str(Path(args.site_dir).resolve())
            return _build(args, base.context)
    return _build(args, ctx)


def _build(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.site.build import build_site, site_inputs

    _require_config(ctx)
    inputs = site_inputs(ctx, previous=args.previous)
    for problem in inputs.warnings:
        print(format_problem(problem), file=sys.stderr)
    if inputs.unshown:
        print(f"scorecard: {inputs.unshown.line()}", file=sys.stderr)
    _mkdocs_logging(args.verbose)
    if args.engine == "zensical":
        from scorecard.site.zensical import build_with_zensical

        site = build_with_zensical(Path(args.site_dir), inputs, strict=args.strict)
    else:
        site = build_site(Path(args.site_dir), inputs, strict=args.strict)
    card = inputs.card
    if ctx.public and not card.results:
        print("scorecard: no initiative says visibility: public, so the public record is empty; add "
              "`visibility: public` to the files that may be published", file=sys.stderr)
    if not args.quiet:
        print(f"built {site} as of {format_month(card.as_of)}: {plural(len(card.results), 'initiative')}")
    return 0


def cmd_publish(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.publish import publish

    _require_config(ctx)
    done = publish(ctx, push=args.push, remote=args.remote, branch=args.branch, title=args.title)
    where = f"{args.remote}/{done.branch}" if args.push else f"the local branch {done.branch}"
    moved = "; latest points at it" if done.latest else "; latest is unchanged (a newer month is published)"
    if not args.quiet:
        print(f"published {done.version} to {where}{moved}"
              + (f"; changes compared with {done.compared_with}" if done.compared_with else ""))
    return 0


def cmd_diff(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.diff.check import diff
    from scorecard.diff.comment import to_json, to_markdown

    result = diff(ctx, args.base)
    if args.format in ("sarif", "github"):  # the findings on their lines, for code scanning or annotations
        from scorecard.diff.model import FINDING_RULES
        from scorecard.validate.run import CHECKS

        findings = result.findings()
        print(format_report(findings, len({f.path for f in findings}) or len(result.files), args.format,
                            rules={**CHECKS, **FINDING_RULES}))
    else:
        sys.stdout.write(to_json(result) if args.format == "json" else to_markdown(result))
    return 1 if result.failed(args.strict) else 0


def cmd_serve(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.site.build import serve_site

    _require_config(ctx)
    _mkdocs_logging(verbose=True, errors=True)  # a failed rebuild is shown, and serving goes on
    serve_site(ctx, args.dev_addr, full=args.full)
    return 0


def _internal_only(ctx: RunContext, what: str) -> None:
    """The board pack and the digest are for leadership: a public configuration has neither."""
    if ctx.public:
        raise UserError(f"the scorecard option audience is public, and a public record has no {what}; "
                        "give --config the internal mkdocs.yml")


def cmd_pack(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.outputs.pack import write_pack
    from scorecard.site.build import site_inputs
    from scorecard.render.templates import Templates

    _internal_only(ctx, "board pack")
    inputs = site_inputs(ctx, previous=args.previous)
    found = ctx.settings
    out = write_pack(inputs.report, inputs.previous, Path(args.output), Templates.at(found.templates).layers("pages"),
                     site_name=found.site_name, site_url=found.site_url)
    if not args.quiet:
        print(f"wrote {out} as of {format_month(inputs.card.as_of)}", file=sys.stderr)
    return 0


def cmd_digest(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.outputs.digest import digest_markdown
    from scorecard.site.build import site_inputs

    _internal_only(ctx, "digest")
    inputs = site_inputs(ctx, previous=args.previous)
    found = ctx.settings
    sys.stdout.write(digest_markdown(inputs.report, inputs.previous, site_url=found.site_url, title=found.site_name,
                                     directory_urls=found.directory_urls))
    return 0


def _write_policy(ctx: RunContext, mapping: Any, replace_catalogue: bool, dry_run: bool) -> Policy:
    """Merge what `mapping` needs into the policy file mkdocs.yml names (or policy.yml beside it); the merged
    policy. A dry run writes nothing and says what it would add."""
    from scorecard.interop.mapping import policy_text
    from scorecard.interop.policy_merge import merge_policy, write_atomically
    from scorecard.load.reader import read_document
    from scorecard.policy import Policy

    settings = ctx.settings
    path = settings.policy_file or settings.root / "policy.yml"
    existing = path.read_bytes().decode("utf-8") if path.exists() else ""  # as written: CRLF stays CRLF
    from scorecard.load.discover import display

    path_shown = display(path, Path.cwd())  # as validate names it
    merged = merge_policy(existing, policy_text(mapping), path_shown, replace_catalogue)
    if merged.catalogue is not None:
        old, new = merged.catalogue
        ids = set(merged.policy.catalogue.ids) if replace_catalogue else \
            set(Policy.model_validate({"governance": {"preset": new}}).catalogue.ids)
        stranded = 0
        for file in sorted(settings.initiatives.rglob("*.yaml")) if settings.initiatives.is_dir() else []:
            try:
                doc, _ = read_document(file)
            except UserError:
                continue
            controls = doc.data.get("governance") if isinstance(doc.data, dict) else None
            stranded += isinstance(controls, dict) and bool(set(map(str, controls)) - ids)
        if not replace_catalogue:
            raise UserError(f"{path_shown}: the mapping {mapping.name} records the governance controls of the {new} "
                            f"catalogue, and the policy's is {old}: merging replaces it, and "
                            f"{plural(stranded, 'initiative')} then {'records' if stranded == 1 else 'record'} controls "
                            "it does not have (errors until they are changed); run again with --replace-catalogue "
                            "to merge anyway")
        print(f"scorecard: the governance catalogue {'would be' if dry_run else 'is now'} {new} (it was {old}); "
              f"{plural(stranded, 'initiative')} {'records' if stranded == 1 else 'record'} controls it does not have",
              file=sys.stderr)
    if (merged.added or merged.catalogue) and not dry_run:
        write_atomically(path, merged.text)
    named = ", ".join(merged.added[:8]) + (f" and {len(merged.added) - 8} more" if len(merged.added) > 8 else "")
    dry = "; dry run: nothing written" if dry_run else ""
    print(f"{path_shown}: {'would add' if dry_run else 'added'} {named}{dry}" if merged.added
          else f"{path_shown}: it has everything the mapping needs")
    if merged.kept:
        print(f"{path_shown}: kept its own {', '.join(merged.kept)} (the mapping's differs)")
    if settings.policy_file is None and not dry_run:
        print(f"scorecard: name it in mkdocs.yml, under the scorecard plugin: policy: {path.name}", file=sys.stderr)
    return merged.policy


def _the_example(folder: Path, today: int, remove: bool) -> None:
    """init's example pilot left among real records: removed when asked (and only as init wrote it), else named."""
    from scorecard.scaffold.portfolio import EXAMPLE_ID, untouched_example

    path = folder / f"{EXAMPLE_ID}.yaml"
    if path.is_symlink() or not path.is_file():
        return
    if not untouched_example(path.read_text(encoding="utf-8", errors="replace"), today):
        return  # the team's now: never removed
    if remove:
        path.unlink()
        print(f"import: removed {path}, init's example, as init wrote it")
    else:
        print(f"import: {path} is still init's example, as init wrote it: --remove-example removes it")


def cmd_import(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.interop.importer import plan_import, write_files
    from scorecard.interop.mapping import load_mapping, policy_text
    from scorecard.interop.sheet import read_sheet

    mapping = load_mapping(args.mapping)
    if args.print_policy:
        sys.stdout.write(policy_text(mapping))
        return 0
    merged = None
    if args.write_policy:
        merged = _write_policy(ctx, mapping, args.replace_catalogue, args.dry_run)
        if args.file is None:
            return 0
        ctx = dataclasses.replace(ctx, given_settings=None)  # read the policy just written
    if args.file is None:
        raise UsageError("import needs the register to read: scorecard import FILE --mapping ...")
    settings = ctx.settings
    policy = merged if merged is not None else ctx.policy  # a dry run's: the policy it would write
    limits = policy.limits.import_
    sheet = read_sheet(Path(args.file), args.file, args.sheet, limits)
    into = Path(args.into) if args.into else settings.initiatives
    outcome = plan_import(sheet, mapping, policy.catalogue, into, settings.root, ctx.today)
    shown = outcome.problems if args.all_problems else outcome.problems[:limits.problems_shown]
    for line in shown:
        print(line)
    if len(shown) < len(outcome.problems):
        print(f"import: {len(outcome.problems) - len(shown):,} more problems not shown ({len(outcome.problems):,} "
              "in all); --all-problems prints every one")
    if not args.dry_run:
        write_files(outcome.writes)
    print(f"import: {outcome.summary(args.dry_run)}")
    _the_example(into, ctx.today, args.remove_example and not args.dry_run)
    return 0


def cmd_export(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.interop.export import inventory_csv
    from scorecard.interop.mapping import load_mapping
    from scorecard.outputs import OUTPUTS, job
    from scorecard.pipeline import validated, validated_month
    from scorecard.report.build import build_report

    if args.format == "xlsx":
        from scorecard.rules.scorecard import compute_scorecard

        result, month = validated_month(ctx)
        card = compute_scorecard(result.initiatives, month, ctx.policy)
        (data,) = OUTPUTS["xlsx"].make(job(build_report(card), card)).values()  # a public one: no money, not zeros
        if not isinstance(data, bytes):
            raise TypeError("the xlsx output made text, not a workbook")
        output = Path(args.output or "scorecard.xlsx")
        output.write_bytes(data)
        if not args.quiet:
            print(f"wrote {output} as of {format_month(month)}", file=sys.stderr)
        return 0
    mapping = load_mapping(args.mapping or args.format)
    result = validated(ctx)
    text = inventory_csv([(li.id, li.model) for li in result.initiatives], mapping)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
        if not args.quiet:
            print(f"wrote {args.output}: {len(result.initiatives):,} initiative{'' if len(result.initiatives) == 1 else 's'} in the {mapping.name} layout",
                  file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _pull_months(args: argparse.Namespace, ctx: RunContext) -> list[str]:
    """--month, or --from and --to, or the month before the current one; each an ended month."""
    if args.month is not None and (args.start is not None or args.end is not None):
        raise UsageError("give --month, or --from and --to, not both")
    if args.month is not None:
        first = last = args.month
    elif args.start is not None or args.end is not None:
        first = args.start if args.start is not None else args.end
        last = args.end if args.end is not None else ctx.today - 1
        if first > last:
            raise UsageError(f"--from {format_month(first)} is after --to {format_month(last)}")
    else:
        first = last = ctx.today - 1
    if last >= ctx.today:
        raise UsageError(f"{format_month(last)} has not ended yet (the current month is {format_month(ctx.today)}); "
                         "pull a month once it has ended")
    return [format_month(m) for m in range(first, last + 1)]


def cmd_pull(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.sources.job import pull
    from scorecard.sources.report import pull_lines

    months = _pull_months(args, ctx)
    run = pull(ctx, months, args.only or (), args.dry_run, os.environ)
    lines, summary = pull_lines(run, ctx.policy.currency, months, args.dry_run)
    if not args.quiet:
        for line in lines:
            print(line)
    else:
        for line in lines:
            if line.startswith(("failed", "refused")) or ": failed" in line:
                print(line)
    if args.verbose:
        for phase, seconds in run.seconds.items():
            print(f"timing: {phase} {seconds:.2f}s", file=sys.stderr)
    print(summary, file=sys.stderr)
    return 1 if run.failed else 0


def cmd_sources(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.sources.report import check_sources, source_lines

    policy = ctx.policy
    if not args.check:
        print("\n".join(source_lines(policy)))
        return 0
    from scorecard.sources.job import policy_root

    lines, failed = check_sources(policy, policy_root(ctx), format_month(ctx.today - 1), os.environ)
    print("\n".join(lines))
    return 1 if failed else 0


def cmd_rules(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.render.methodology import methodology_markdown

    sys.stdout.write(methodology_markdown(ctx.policy))
    return 0


def cmd_schema(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.model import json_schema
    from scorecard.report.model import report_schema

    schema = report_schema() if args.report else json_schema(ctx.policy.catalogue)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def cmd_new(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.scaffold.starter import write_starter

    path = write_starter(args.id, Path(args.dir), month=args.month or ctx.today)
    if not args.quiet:
        print(f"wrote {path}: fill in the TODOs, then run `scorecard validate {path}`")
    return 0


def cmd_init(args: argparse.Namespace, ctx: RunContext) -> int:
    from scorecard.release import action_ref
    from scorecard.scaffold.portfolio import DEFAULT_NAME, InitOptions, init_portfolio, next_steps

    options = InitOptions(name=args.name or DEFAULT_NAME, currency=args.currency, site_url=args.site_url,
                          repo=args.repo, examples=args.examples, action_ref=args.action_ref, empty=args.empty)
    written = init_portfolio(Path(args.dir), options, month=ctx.today, force=args.force)
    if not args.quiet:
        print(f"wrote {len(written)} files in {args.dir}:", *written, sep="\n  ")
    ref, _ = action_ref(args.action_ref)
    if not re.fullmatch(r"[0-9a-f]{40}", ref):
        print(f"scorecard: warning: the workflows use ai-scorecard's Action at the tag {ref}, which can be moved: this "
              "copy does not know the commit it was built from; give it with --action-ref COMMIT, or replace "
              f"@{ref} in .github/workflows/ with the release's commit", file=sys.stderr)
    if not args.quiet:
        print(next_steps(Path(args.dir), args.repo))
    return 0
