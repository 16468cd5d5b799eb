"""The `scorecard` MkDocs plugin: glue between MkDocs and the pipeline.

on_config validates the portfolio and computes and renders every page (so an
invalid portfolio stops the build before MkDocs cleans `site/`); on_files adds
the rendered pages and the assets as generated files; on_serve watches the
initiative files, the policy and the templates for `mkdocs serve`.

    plugins:
      - scorecard:
          initiatives: initiatives        # folder of initiative files
          policy: policy.yml              # optional thresholds
          edit_url: https://github.com/ORG/REPO/edit/main/{path}
          as_of: 2026-10                  # optional (scorecard build --as-of overrides it)
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from scorecard.config import OPTIONS, Settings, settings
from scorecard.context import edge_context
from scorecard.errors import InvalidPortfolio, UserError
from scorecard.problem import format_report
from scorecard.outputs.pack import SitePack, previous_json
from scorecard.render import assets
from scorecard.render.blocks import restore, stash
from scorecard.render.escape import attribute, edit_link
from scorecard.outputs import job, site_files, site_outputs
from scorecard.render.options import PageCache
from scorecard.render.pages import ASSETS, DIGEST, search_only_the_top
from scorecard.site.build import SiteInputs, site_inputs
from scorecard.site.parts import NAV, SCRIPTS, STYLES, refuse_links, site_options
from scorecard.site.folder import check_site_dir, project_root, protected_paths, write_marker
from scorecard.render.templates import Templates
from scorecard.validate.run import FileCache

if TYPE_CHECKING:
    from mkdocs.structure.nav import Navigation
    from mkdocs.utils.templates import TemplateContext

log = logging.getLogger("mkdocs.plugins.scorecard")



class ScorecardConfig(Config):
    """The options' schema is config.OPTIONS, which the command line reads too: every option is optional text."""

    vars().update({name: c.Optional(c.Type(str)) for name in OPTIONS})  # a class body's namespace is a dict


class _Generated(File):
    """A generated file that a dirty rebuild (`scorecard serve`) rewrites only when its content changed."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


def _add_overrides(config: MkDocsConfig, templates: Templates) -> None:
    """Material's templates are overridden by the portfolio's overrides, then the package's (after any custom_dir)."""
    dirs = config.theme.dirs
    ours = [str(d) for d in templates.layers("overrides")]
    if ours[-1] in dirs:  # already added (a rebuild of `mkdocs serve` reuses the config)
        return
    at = 1 if config.theme.custom_dir else 0
    dirs[at:at] = [d for d in ours if d not in dirs]


class ScorecardPlugin(BasePlugin[ScorecardConfig]):
    def __init__(self) -> None:
        self.validation_cache: FileCache = {}
        self.page_cache: PageCache = {}
        self.page_signature: object = None
        self.seen: dict[str, int] = {}
        """Hash of each generated file's content in the previous build of this `mkdocs serve`."""
        self.inputs: SiteInputs | None = None
        """Set by `scorecard build`, which has validated and computed already."""
        self.generated: dict[str, str] = {}
        self.static: dict[str, Path] = {}
        self.watched: list[Path] = []
        self.templates = Templates(None)
        self.docs: dict[str, Path] = {}
        self.settings: Settings | None = None
        self.edit_urls: dict[str, str] = {}
        self.blocks: dict[str, list[str]] = {}
        self.digest: str | None = None
        self.serving = False
        self.pack: SitePack | None = None
        self.caller_epoch: str | None = None
        """SOURCE_DATE_EPOCH as the caller set it (None: unset), put back after each build."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance across the rebuilds of `mkdocs serve` (see `seen`)."""
        self.serving = command == "serve"

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._restore_epoch()
        if self.digest is not None:  # this month's decisions in a few lines, for an e-mail or a chat post
            (Path(config.site_dir) / DIGEST).write_text(self.digest, encoding="utf-8")
        if self.pack is not None:  # the month's board pack, made while the pages were built
            pack, self.pack = self.pack, None
            why = pack.collect(Path(config.site_dir))
            if why:
                log.warning(why)

    def on_build_error(self, *, error: Exception) -> None:
        self._restore_epoch()
        if self.pack is not None:
            self.pack.cancel()
            self.pack = None

    def _restore_epoch(self) -> None:
        """Put the caller's SOURCE_DATE_EPOCH back: the next build (a rebuild of `serve`, another month) dates itself."""
        if self.caller_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self.caller_epoch

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        inputs = self.inputs or self._compute(config)
        own = inputs.settings.templates
        templates = Templates.at(own)
        project = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        try:
            self.caller_epoch = os.environ.get("SOURCE_DATE_EPOCH")
            # MkDocs reads the build date from the environment: set it for this build only
            os.environ["SOURCE_DATE_EPOCH"] = str(inputs.context.build_epoch(inputs.card.as_of))
            options = site_options(inputs, templates, config.use_directory_urls, config.site_url, config.site_name)
            refuse_links([config.docs_dir, *(d for d in (config.theme.custom_dir,) if d), str(own)], project)
        except UserError as exc:
            raise PluginError(f"scorecard: {exc}") from None
        edit_url = options.edit_url
        signature = (edit_url, config.use_directory_urls, templates.signature())
        if signature != self.page_signature:  # a template or an option changed: no cached page is current
            self.page_cache.clear()
            self.page_signature = signature
        self.generated = site_files(job(inputs.report, inputs.card, inputs.previous, options, self.page_cache))
        self.digest = self.generated.pop(DIGEST, None)  # a file for the site's root, not a page
        slow = [o.name for o in site_outputs(inputs.card.policy, inputs.context.public) if o.background]
        if not self.serving and slow:  # a live preview rebuilds often: no board pack each time
            if self.pack is not None:
                self.pack.cancel()
            self.pack = SitePack(slow, str(self.generated["scorecard.json"]), previous_json(inputs), options,
                                 fields=[f.id for f in inputs.card.policy.published_fields])
        self.templates = templates
        self.static = assets.static_files(templates)
        self.docs = templates.files("docs")
        self.watched = [p for p in (inputs.settings.initiatives, inputs.settings.policy_file, templates.own) if p]
        _add_overrides(config, templates)
        self.settings = inputs.settings
        if edit_url:
            # Material writes page.edit_url into its edit button's href without escaping it
            self.edit_urls = {f"initiatives/{r.id}.md": attribute(edit_link(edit_url, r.path))
                              for r in inputs.card.results}
        if config.nav is None:
            config.nav = NAV
        config.extra_css = [*STYLES, *config.extra_css]
        config.extra_javascript = [*SCRIPTS, *config.extra_javascript]
        return config

    def _compute(self, config: MkDocsConfig) -> SiteInputs:
        """For plain `mkdocs build` and `serve`: the inputs `scorecard build` and `publish` hand over computed.
        This is an edge: the run's context is built here, from MkDocs' own reading of mkdocs.yml."""
        options: dict[str, Any] = {k: v for k, v in self.config.items() if v is not None}
        site = {"site_name": config.site_name, "site_url": config.site_url, "docs_dir": config.docs_dir,
                "use_directory_urls": config.use_directory_urls}
        try:
            found = settings(Path(config.config_file_path or "mkdocs.yml"), options, site)
            return site_inputs(edge_context(found), cache=self.validation_cache, previous=found.path("previous"))
        except InvalidPortfolio as exc:
            raise PluginError("the portfolio is invalid; nothing was built:\n"
                              + format_report(exc.problems, exc.files, "standard", exc.unshown)) from None
        except (UserError, ValueError) as exc:
            raise PluginError(f"scorecard: {exc}") from None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Before MkDocs empties `site_dir` (plain `mkdocs build`, mike): refuse a folder it must not empty."""
        if self.settings is None:
            return
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            site = check_site_dir(Path(config.site_dir), protected_paths(config, self.settings), project_root(root))
        except UserError as exc:
            raise PluginError(f"scorecard: {exc}") from None
        write_marker(site)  # MkDocs' clean keeps dotfiles, so the marker survives into the new site

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for src, content in self.generated.items():
            digest = hash(content)  # of the whole page: the stashed HTML blocks hold the figures and notes
            if src.endswith(".md"):
                content, self.blocks[src] = stash(content)
            hidden = src.startswith(("initiatives/", "units/")) and src != "units/index.md"
            # File.generated makes a `cls`, but its annotation says File: this one is a _Generated
            file = cast(_Generated, _Generated.generated(
                config, src, content=content,
                inclusion=InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED))
            file.changed = self.seen.get(src) != digest
            self.seen[src] = digest
            files.append(file)
        bundle = assets.vega_bundle()
        files.append(File.generated(config, f"{ASSETS}/vega.js", abs_src_path=str(bundle)) if isinstance(bundle, Path)
                     else File.generated(config, f"{ASSETS}/vega.js", content=bundle))
        for src, path in self.static.items():
            files.append(File.generated(config, src, abs_src_path=str(path)))
        for src, path in self.docs.items():
            if files.get_file_from_path(src) is None:  # a page of the same name in the docs folder wins
                files.append(File.generated(config, src, abs_src_path=str(path)))
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        blocks = self.blocks.get(page.file.src_uri)
        html = restore(html, blocks) if blocks else html
        return search_only_the_top(html) if page.file.src_uri in self.generated and \
            page.file.src_uri.startswith("initiatives/") else html

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if page.file.src_uri in self.generated:
            # a generated page has no Markdown source to edit: point at its YAML file, or at nothing
            page.edit_url = self.edit_urls.get(page.file.src_uri)
        return context

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        for path in self.watched:
            if path.exists():
                server.watch(str(path))
        return server
