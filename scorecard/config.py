"""Where things are: the `scorecard` plugin's options in mkdocs.yml.

The command line and the MkDocs plugin read the same options, so that
`scorecard report` and the site always judge by the same policy:

    plugins:
      - scorecard:
          initiatives: initiatives   # the folder of initiative files
          policy: policy.yml         # optional: thresholds that differ from the defaults
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scorecard.errors import UsageError, UserError
from scorecard.months import month_arg
from scorecard.policy import Policy, load_policy

DEFAULT_SITE_NAME = "AI initiative scorecard"
"""The site's name when mkdocs.yml gives none (and the name `scorecard init` writes by default)."""

DEFAULT_CONFIG = "mkdocs.yml"

OPTIONS: dict[str, str | None] = {
    "initiatives": "initiatives",
    "policy": None,
    "templates": "site_templates",
    "edit_url": None,
    "as_of": None,
    "previous": None,
    "audience": None,
}
"""The scorecard plugin's options and their defaults: the one schema that the command line and the MkDocs
plugin both read (every option is text: a path relative to mkdocs.yml, a URL or a month)."""


@dataclass(frozen=True)
class Settings:
    root: Path
    """The folder of mkdocs.yml: relative paths in the options are resolved against it."""
    options: dict[str, str | None]
    """Every option of OPTIONS, defaults filled in."""
    config_file: Path = Path(DEFAULT_CONFIG)
    """The mkdocs.yml these settings come from (it need not exist: then every option is its default)."""
    site_name: str = DEFAULT_SITE_NAME
    """mkdocs.yml's site_name (the default when it gives none)."""
    site_url: str | None = None
    """mkdocs.yml's site_url: links in the digest and the board pack are absolute when it is set."""
    directory_urls: bool = True
    """mkdocs.yml's use_directory_urls."""
    docs_dir: str = "docs"
    """mkdocs.yml's docs_dir (relative to its folder)."""
    files_root: Path | None = None
    """What the initiative files' paths are shown relative to, when not `root`: a pull request's check built with
    the base commit's mkdocs.yml from a temporary folder names them as in the repository (`site/trusted.py`)."""

    @property
    def display_root(self) -> Path:
        return self.files_root or self.root

    @property
    def initiatives(self) -> Path:
        return self.root / str(self.options["initiatives"])

    @property
    def policy_file(self) -> Path | None:
        return self.path("policy")

    @property
    def templates(self) -> Path:
        return self.root / str(self.options["templates"])

    def policy(self) -> Policy:
        """The policy in force, read once for these settings (a serve rebuild makes new settings)."""
        return self._policy

    @functools.cached_property
    def _policy(self) -> Policy:
        from scorecard.load.discover import display

        found = self.policy_file
        # named as the initiatives are, from the working folder (-f sc/mkdocs.yml: sc/policy.yml); a --base build
        # reads the base's copy from a temporary folder, named from its mkdocs.yml's folder
        here = Path.cwd()
        named = None if found is None else display(found, here if Path(os.path.abspath(found)).is_relative_to(here)
                                                   else self.root)
        policy = load_policy(found, named)
        if self.public:
            return policy.for_public()  # the verdicts judge, and the outputs hold, what the public build holds
        return policy

    @property
    def as_of(self) -> int | None:
        """The pinned as-of month (the `as_of` option), or None: then the last complete month is used."""
        value = self.options.get("as_of")
        if not value:
            return None
        try:
            return month_arg(str(value))
        except ValueError as exc:
            raise UserError(f"mkdocs.yml: the scorecard option as_of: {exc}") from None

    @property
    def public(self) -> bool:
        """The one test of the audience: a public build holds public initiatives only, withheld fields removed."""
        return self.audience == "public"

    @property
    def audience(self) -> str:
        """`internal` (default: every initiative, every figure) or `public` (public initiatives, fields withheld)."""
        value = self.options.get("audience") or "internal"
        if value not in ("internal", "public"):
            raise UserError(f"mkdocs.yml: the scorecard option audience is '{value}'; use internal or public")
        return str(value)

    def path(self, option: str, default: str | None = None) -> Path | None:
        """An option naming a file or folder, resolved against the folder of mkdocs.yml."""
        value = self.options.get(option) or default
        return (self.root / value) if value else None


def settings(config_file: Path, options: dict[str, Any], site: dict[str, Any] | None = None) -> Settings:
    """Settings from the plugin's options (unknown ones refused) and mkdocs.yml's `site` settings (site_name,
    site_url, use_directory_urls), paths relative to the folder of `config_file`."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise UserError(f"mkdocs.yml: the scorecard plugin has no option '{unknown[0]}'; "
                        f"its options are {', '.join(OPTIONS)}")
    site = site or {}
    name, url = site.get("site_name"), site.get("site_url")
    return Settings(root=config_file.resolve().parent, options={k: options.get(k) or d for k, d in OPTIONS.items()},
                    config_file=config_file, site_name=name if isinstance(name, str) and name else DEFAULT_SITE_NAME,
                    site_url=url if isinstance(url, str) and url else None,
                    directory_urls=site.get("use_directory_urls", True) is not False,
                    docs_dir=docs if isinstance(docs := site.get("docs_dir"), str) and docs else "docs")


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags meant for MkDocs: read them as nothing."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _entries(plugins: Any) -> list[tuple[Any, Any]]:
    """(name, options) of each plugin, from the list form (`- search`, `- scorecard: {...}`) or the mapping form."""
    if isinstance(plugins, dict):
        return list(plugins.items())
    out = []
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict):
            out += list(entry.items())
        else:
            out.append((entry, None))
    return out


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The scorecard plugin's options: a mapping of option names to text (a path, a URL or a month)."""
    for name, options in _entries(config.get("plugins")):
        if name != "scorecard":
            continue
        if options is None:
            return {}
        if not isinstance(options, dict):
            raise UserError("mkdocs.yml: the scorecard plugin's options must be a mapping such as "
                            "{initiatives: initiatives}")
        for key, value in options.items():
            if value is not None and (not isinstance(value, str) or "\0" in value):
                raise UserError(f"mkdocs.yml: the scorecard option '{key}' must be text, e.g. {key}: ...")
        return dict(options)
    return {}


def read_yaml(path: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data (MkDocs' own tags read as nothing); {} when it is not a mapping."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read it as YAML: {' '.join(str(exc).split())}") from None
    return config if isinstance(config, dict) else {}


def read_settings(config_file: str | Path | None = None) -> Settings:
    """Settings from mkdocs.yml (or the defaults when it does not exist)."""
    path = Path(config_file or DEFAULT_CONFIG)
    raw: dict[str, Any] = {}
    if path.exists():
        raw = read_yaml(path)
    elif config_file is not None:  # named by --config-file: the command line is wrong
        raise UsageError(f"{path}: no such file; the site is configured in mkdocs.yml")
    return settings(path, plugin_options(raw), raw)
