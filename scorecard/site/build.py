"""The site's edges: gather its inputs, and build it into `site/` atomically.

`site_inputs` is what the MkDocs plugin needs: the validated portfolio, the
scorecard as of the month and the previous month's scorecard to compare with.
`build_site` runs MkDocs into a fresh folder beside the target and swaps it in
only when the build succeeded, so a failed build leaves the old site as it was;
`scorecard.site.folder` decides which folders it may replace and does the swap.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin
from typing import Any

from scorecard.clock import clock_stand_in
from scorecard.config import Settings
from scorecard.context import RunContext
from scorecard.rules.scorecard import Scorecard, compute_scorecard
from scorecard.errors import UserError
from scorecard.pipeline import validated_month
from scorecard.problem import Problem, Unshown
from scorecard.report.build import build_report
from scorecard.report.model import Report
from scorecard.report.read import read_report
from scorecard.site.folder import (check_replaceable, check_site_dir, discard, make_staging, project_root,
                               protected_paths, recover, replace_site, site_lock)
from scorecard.validate.run import FileCache


@dataclass(frozen=True)
class SiteInputs:
    context: RunContext
    """The run's context: today, the settings of mkdocs.yml, the audience and the policy."""
    card: Scorecard
    """The computed facts the report was built from (the initiative pages show what each file holds)."""
    report: Report
    previous: Report | None
    warnings: tuple[Problem, ...] = ()
    """What validation warned about (it had no error): the command line prints them once."""
    unshown: Unshown = Unshown()
    """Warnings about internal files that a public build does not print (its log may be public too)."""

    @property
    def settings(self) -> Settings:
        return self.context.settings


def site_inputs(ctx: RunContext, previous: Path | Report | None = None, cache: FileCache | None = None) -> SiteInputs:
    """Validate, compute as of the month (`pipeline.reporting_month`) and the scorecard to compare with:
    `previous` (a scorecard.json file, or one already read and checked), else the month before.

    A public build always compares with the month before computed from its own initiatives: any other
    scorecard.json (an internal one, above all) would bring in initiatives and figures it must not hold."""
    policy = ctx.policy
    if ctx.public:
        previous = None
    result, month = validated_month(ctx, cache)
    card = compute_scorecard(result.initiatives, month, policy)
    if isinstance(previous, Report):
        before: Report | None = previous
    elif previous is not None:
        before = read_report(previous)
    else:
        before = build_report(compute_scorecard(result.initiatives, month - 1, policy))
    warnings = [p for p in result.problems if p.level == "warning"]  # a public build's: only its own files'
    return SiteInputs(ctx, card, build_report(card), before, tuple(warnings), result.unshown)


def serve_site(ctx: RunContext, dev_addr: str | None, full: bool = False) -> None:
    """`mkdocs serve` with live reload; by default a rebuild renders only the pages whose content changed.

    MkDocs makes the plugin itself, and the plugin is an edge that reads the clock through `scorecard.clock`:
    the month this context holds reaches it as that clock's stand-in, SCORECARD_TODAY, for as long as it serves.
    """
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    config_file = ctx.config_file
    where = dev_addr or "127.0.0.1:8000"
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    quiet = logging.getLogger("mkdocs.commands.build")
    with _docs_folder(ctx.settings) as docs, clock_stand_in(ctx.today):
        if docs:
            options["docs_dir"] = docs
        quiet.addFilter(_not_dirty)
        try:
            serve(str(config_file), build_type=None if full else "dirty", **options)
        except OSError as exc:
            raise UserError(f"cannot serve on {where}: {exc.strerror or exc}; "
                            "choose another address with --dev-addr 127.0.0.1:8001") from None
        except MkDocsException as exc:
            raise UserError(f"{config_file}: {exc.format_message()}") from None
        finally:
            quiet.removeFilter(_not_dirty)


def _not_dirty(record: logging.LogRecord) -> bool:
    """MkDocs warns of a dirty build on every rebuild; serve rebuilds dirty on purpose (the plugin rewrites every
    generated page whose content changed), so the warning says nothing to the one editing."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


@contextmanager
def _docs_folder(settings: Settings) -> Iterator[str | None]:
    """An empty stand-in when the configured docs folder does not exist: a portfolio need not have extra pages."""
    if (settings.root / settings.docs_dir).is_dir():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="scorecard-docs-") as tmp:
        yield tmp


@contextmanager
def _first_error() -> Iterator[list[str]]:
    """The messages MkDocs logs as errors while building: its exception says only 'Aborted with a BuildError!'."""
    import logging

    errors: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage().removeprefix("scorecard: "))

    handler = Keep()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield errors
    finally:
        logger.removeHandler(handler)


def build_site(site_dir: Path, inputs: SiteInputs, strict: bool = False, version: str | None = None) -> Path:
    """Build the site from computed `inputs` into `site_dir`, replacing it only when the build succeeds.

    `site_dir` must be a folder the tool may replace (see `scorecard.site.folder`); the build goes
    into a marked staging folder beside it, swapped in atomically under the site's lock. MkDocs
    runs in this process, with its startup and shutdown events, as `mkdocs build` runs it. With a
    `version` (a month `scorecard publish` deploys), the site gets Material's version selector,
    which reads mike's versions.json, and its URL gains the version, as mike's own plugin does.
    """
    from mkdocs.config import load_config

    from mkdocs.exceptions import MkDocsException

    config_file = inputs.context.config_file
    with _docs_folder(inputs.settings) as docs:
        try:
            with _first_error() as errors:
                config = load_config(str(config_file), strict=strict, **({"docs_dir": docs} if docs else {}))
        except MkDocsException as exc:
            raise UserError(f"{config_file}: {errors[0] if errors else exc.format_message()}") from None
        if version is not None:
            config.extra.setdefault("version", {"provider": "mike"})
            if config.site_url:
                config.site_url = urljoin(config.site_url, f"{version}/")
        config.plugins.on_startup(command="build", dirty=False)
        try:
            return _build(config, config_file, site_dir, inputs)
        finally:
            config.plugins.on_shutdown()


def _build(config: Any, config_file: Path, site_dir: Path, inputs: SiteInputs) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    plugin = config.plugins.get("scorecard")
    if plugin is None:
        raise UserError(f"{config_file}: the scorecard plugin is not enabled (plugins: - scorecard)")
    site = check_site_dir(site_dir, protected_paths(config, inputs.settings), project_root(inputs.settings.root))
    with site_lock(site):
        recover(site)
        check_replaceable(site)
        staging = make_staging(site)
        try:
            config.site_dir = str(staging)
            plugin.inputs = inputs  # computed once by the caller; the plugin would otherwise compute them again
            try:
                with _first_error() as errors:
                    build(config)
            except MkDocsException as exc:
                why = errors[0] if errors else exc.format_message()
                raise UserError(f"the site build failed, {site} is unchanged: {why}") from None
            replace_site(staging, site)
        finally:
            discard(staging)  # a failed build's; gone already when it became the site
    return site
