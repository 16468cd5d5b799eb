"""Build the site with Zensical, the successor of Material for MkDocs, which has no plugin API.

Zensical reads mkdocs.yml and builds Material sites, but skips plugins it does not
know without a word: the scorecard plugin's pages would simply be missing. So
`build_with_zensical` hands it what the plugin would add, as plain files. It
renders the same pages and assets into the docs folder of a throwaway project,
beside the portfolio's own pages and the theme overrides, writes a mkdocs.yml of
the portfolio's settings for it (relative paths only: an absolute docs_dir made
Zensical 0.0.73 panic), runs `zensical build` and swaps the result in with the
same safety as `scorecard.site.build.build_site`.

The pages keep their HTML blocks. Zensical renders Markdown with Python-Markdown,
which passes a raw HTML block through as it is; the MkDocs plugin stashes the
blocks only to spare Python-Markdown's HTML parser the work. But Zensical then
reads every relative URL of a page, raw HTML included, as relative to the page's
Markdown file and rewrites it for the page's URL, where MkDocs rewrites only
Markdown links. The templates write links relative to the page's URL, so with
directory URLs each generated page `X.md` goes in as `X/index.md`: its file then
lies where its URL does, the rewrite changes nothing, and the URL is still `X/`.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from scorecard.errors import UserError
from scorecard.render import assets
from scorecard.outputs.pack import SitePack, previous_json
from scorecard.outputs import job, site_files, site_outputs
from scorecard.render.pages import ASSETS, DIGEST
from scorecard.site.build import SiteInputs
from scorecard.site.folder import (check_replaceable, check_site_dir, discard, make_staging, project_root,
                               protected_paths, recover, replace_site, site_lock, write_marker)
from scorecard.site.parts import NAV, SCRIPTS, STYLES, refuse_links, site_options
from scorecard.render.templates import Templates

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("scorecard")

INSTALL = "install it with pip install 'ai-scorecard[zensical]'"
HIDDEN = "/initiatives/\n/units/\n"
"""Pages kept out of the navigation (linked from the index pages), as the plugin marks them NOT_IN_NAV."""
DROPPED = ("docs_dir", "site_dir", "watch")
"""Settings whose paths mean something only beside the portfolio's mkdocs.yml: the staging project sets its own."""


def zensical_command() -> list[str]:
    """How to run Zensical: as a module of this Python when it can import it (the one this tool was installed
    with), else the `zensical` executable beside this Python or first on PATH."""
    if importlib.util.find_spec("zensical") is not None:
        return [sys.executable, "-m", "zensical"]
    beside = Path(sys.executable).parent / "zensical"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("zensical")
    if found is None:
        raise UserError(f"the zensical engine needs Zensical, which is not installed; {INSTALL}")
    return [found]


# mkdocs.yml is read keeping the tags meant for the engine (`!ENV`, `!!python/name:`, ...), and written back with them


@dataclass(frozen=True)
class _Tagged:
    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: Any) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_mapping(node, deep=True))


def _write_tag(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _keep_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_Dumper.add_representer(_Tagged, _write_tag)


def _read_config(config_file: Path) -> dict[str, Any]:
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{config_file}: cannot read it: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict):
        raise UserError(f"{config_file}: not a mapping of MkDocs settings")
    return raw


def _theme(raw: dict[str, Any]) -> dict[str, Any]:
    theme = raw.get("theme")
    return dict(theme) if isinstance(theme, dict) else {"name": theme if isinstance(theme, str) else "material"}


def _without_scorecard(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != "scorecard"}
    if isinstance(plugins, list):
        return [p for p in plugins if p != "scorecard" and not (isinstance(p, dict) and "scorecard" in p)]
    return plugins


def source_path(src: str, directory_urls: bool) -> str:
    """Where a generated file goes in the staging docs folder: a page at its URL's folder (see the module's doc)."""
    if not directory_urls or not src.endswith(".md") or src == "index.md" or src.endswith("/index.md"):
        return src
    return src[:-3] + "/index.md"


def _renamed(nav: Any, moved: dict[str, str]) -> Any:
    if isinstance(nav, str):
        return moved.get(nav, nav)
    if isinstance(nav, list):
        return [_renamed(entry, moved) for entry in nav]
    if isinstance(nav, dict):
        return {title: _renamed(entry, moved) for title, entry in nav.items()}
    return nav


def _listed(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key)
    return list(value) if isinstance(value, list) else []


def zensical_config(raw: dict[str, Any], moved: dict[str, str], inherit: str | None = None) -> dict[str, Any]:
    """The mkdocs.yml Zensical builds the staging project with: the portfolio's settings, the pages as plain files.

    What the plugin adds at build time is written out: the navigation (unless the portfolio has its own),
    the pages kept out of it, the site's styles and scripts first, the overrides folder, and no scorecard plugin.
    `moved` maps a generated page to where `source_path` put it, for the navigation.
    """

    config = {key: value for key, value in raw.items() if key not in DROPPED and key != "INHERIT"}
    if inherit is not None:
        config = {"INHERIT": inherit, **config}
    own_hidden = raw.get("not_in_nav")
    config.update({
        "docs_dir": "docs", "site_dir": "site", "theme": {**_theme(raw), "custom_dir": "overrides"},
        "nav": _renamed(raw.get("nav") or NAV, moved),
        "not_in_nav": HIDDEN + (own_hidden if isinstance(own_hidden, str) else ""),
        "extra_css": [*STYLES, *_listed(raw, "extra_css")],
        "extra_javascript": [*SCRIPTS, *_listed(raw, "extra_javascript")],
    })
    if "plugins" in raw:
        config["plugins"] = _without_scorecard(raw["plugins"])
    return config


@dataclass(frozen=True)
class _ConfigView:
    """The three settings `sitedir.protected_paths` reads from an MkDocs config, without loading MkDocs' plugins."""

    config_file_path: str
    docs_dir: str
    theme: Any


@dataclass(frozen=True)
class _Theme:
    custom_dir: str | None


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a folder over `target`, a file of the same path replaced (the later layer wins)."""
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)


def _write_docs(docs: Path, own_docs: Path, templates: Templates, pages: dict[str, str], moved: dict[str, str]) -> None:
    """The staging docs folder: the portfolio's pages, the package's where it has none, then every generated file."""
    docs.mkdir()
    if own_docs.is_dir():
        _copy_tree(own_docs, docs)
    for src, path in templates.files("docs").items():
        if not (docs / src).exists():
            (docs / src).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / src)
    for src, path in assets.static_files(templates).items():
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / src)
    bundle = assets.vega_bundle()
    (docs / ASSETS).mkdir(parents=True, exist_ok=True)
    if isinstance(bundle, Path):
        shutil.copyfile(bundle, docs / ASSETS / "vega.js")
    else:
        (docs / ASSETS / "vega.js").write_text(bundle, encoding="utf-8")
    for src, content in pages.items():  # a generated page replaces one of the same path, as in the plugin
        target = docs / moved.get(src, src)
        if (docs / src).is_file():
            (docs / src).unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))


def _write_overrides(overrides: Path, templates: Templates, custom_dir: Path | None) -> None:
    """Material overrides in one folder: the package's, the portfolio's templates over them, its custom_dir on top."""
    overrides.mkdir()
    for layer in reversed(templates.layers("overrides")):
        _copy_tree(layer, overrides)
    if custom_dir is not None:
        _copy_tree(custom_dir, overrides)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ISSUE = re.compile(r"^(?:Error|Warning): (.+)$")
_WHERE = re.compile(r"\[ (\S+) \]")


def issues(output: str) -> list[str]:
    """Zensical's findings, one line each ("about.md:3:10: page does not exist"), from its coloured report."""
    lines = [line.strip() for line in _ANSI.sub("", output).splitlines()]
    found = []
    for i, line in enumerate(lines):
        issue = _ISSUE.match(line)
        if issue:
            where = _WHERE.search(lines[i + 1]) if i + 1 < len(lines) else None
            found.append(f"{where.group(1)}: {issue.group(1)}" if where else issue.group(1))
    return found


def _run(command: list[str], project: Path, epoch: int, strict: bool) -> str | None:
    """Run `zensical build` in `project`; None when it built the site, else the line that says why not.

    Its warnings go to the `scorecard` logger, one line each (MkDocs' go to its own logger the same way).
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    try:
        done = subprocess.run([*command, "build", "--config-file", "mkdocs.yml", *(["--strict"] if strict else [])],
                              cwd=project, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              errors="replace")
    except OSError as exc:
        return f"cannot run {command[0]}: {exc.strerror}; {INSTALL}"
    output = done.stdout + "\n" + done.stderr
    found = issues(output)
    if done.returncode != 0:
        last = [line for line in _ANSI.sub("", output).splitlines() if line.strip()]
        why = found[0] if found else last[-1].strip() if last else "no message"
        return f"zensical build exited with {done.returncode}: {why}"
    for issue in found:
        log.warning("zensical: %s", issue)
    if not (project / "site" / "index.html").is_file():
        return "zensical build wrote no index.html"
    return None


def build_with_zensical(site_dir: Path, inputs: SiteInputs, strict: bool = False) -> Path:
    """Build the site from computed `inputs` with Zensical into `site_dir`, replacing it only when the build succeeds.

    The same pages, assets and overrides as `build_site`, and the same rules for `site_dir`:
    the staging project is a marked folder beside it, so that a killed run leaves nothing
    the next one does not clear away.
    """

    command = zensical_command()
    config_file = inputs.context.config_file
    raw = _read_config(config_file)
    root = Path(os.path.abspath(config_file)).parent
    given = raw.get("docs_dir")
    docs_dir = given if isinstance(given, str) else "docs"
    own_docs = root / docs_dir
    custom = _theme(raw).get("custom_dir")
    custom_dir = root / custom if isinstance(custom, str) and custom else None
    templates = Templates.at(inputs.settings.templates)
    directory_urls = inputs.settings.directory_urls
    options = site_options(inputs, templates, directory_urls, inputs.settings.site_url, inputs.settings.site_name)
    refuse_links([str(f) for f in (own_docs, custom_dir, templates.own) if f], str(root))
    epoch = inputs.context.build_epoch(inputs.card.as_of)
    pages = site_files(job(inputs.report, inputs.card, inputs.previous, options))
    digest = pages.pop(DIGEST, None)
    slow = [o.name for o in site_outputs(inputs.card.policy, inputs.context.public) if o.background]
    moved = {src: source_path(src, directory_urls) for src in pages}
    inherit = raw.get("INHERIT")
    view = _ConfigView(str(config_file), str(own_docs), _Theme(str(custom_dir) if custom_dir else None))
    protected = protected_paths(cast("MkDocsConfig", view), inputs.settings)  # reads only what the view holds
    site = check_site_dir(site_dir, protected, project_root(inputs.settings.root))
    with site_lock(site):
        recover(site)
        check_replaceable(site)
        project = make_staging(site)
        try:
            _write_docs(project / "docs", own_docs, templates, pages, moved)
            _write_overrides(project / "overrides", templates, custom_dir)
            parent = os.path.relpath(root / inherit, project) if isinstance(inherit, str) else None
            text = yaml.dump(zensical_config(raw, moved, parent), Dumper=_Dumper, sort_keys=False, allow_unicode=True)
            (project / "mkdocs.yml").write_text(text, encoding="utf-8")
            pack = SitePack(slow, str(pages["scorecard.json"]), previous_json(inputs), options,
                            fields=[f.id for f in inputs.card.policy.published_fields]) if slow else None
            failed = _run(command, project, epoch, strict)  # the pack is made while Zensical builds
            if failed:
                if pack is not None:
                    pack.cancel()
                raise UserError(f"the site build failed, {site} is unchanged: {failed}")
            built = project / "site"
            if digest is not None:
                (built / DIGEST).write_text(str(digest), encoding="utf-8")
            why = pack.collect(built) if pack is not None else None
            if why:
                logging.getLogger("mkdocs").warning(why)
            write_marker(built)
            replace_site(built, site)
        finally:
            discard(project)
    return site
