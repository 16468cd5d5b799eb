"""Where things are: the `scorecard` plugin's options in mkdocs.yml.

The command line and the MkDocs plugin read the same options, so that
`scorecard report` and the site always judge by the same policy:

    plugins:
      - scorecard:
          initiatives: initiatives   # the folder of initiative files
          policy: policy.yml         # optional: thresholds that differ from the defaults
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scorecard.errors import UserError
from scorecard.policy import Policy, load_policy

DEFAULT_CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class Settings:
    root: Path
    initiatives: Path
    policy_file: Path | None
    options: dict[str, Any]

    def policy(self) -> Policy:
        return load_policy(self.policy_file)

    def path(self, option: str, default: str | None = None) -> Path | None:
        """An option naming a file or folder, resolved against the folder of mkdocs.yml."""
        value = self.options.get(option) or default
        return (self.root / value) if value else None


def settings(root: Path, options: dict[str, Any]) -> Settings:
    """Settings from the plugin's options, paths relative to `root` (the folder of mkdocs.yml)."""
    policy = options.get("policy")
    return Settings(root=root, initiatives=root / (options.get("initiatives") or "initiatives"),
                    policy_file=(root / policy) if policy else None, options=options)


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags meant for MkDocs: read them as nothing."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    for entry in config.get("plugins") or []:
        if entry == "scorecard":
            return {}
        if isinstance(entry, dict) and "scorecard" in entry:
            return dict(entry["scorecard"] or {})
    return {}


def read_settings(config_file: str | Path | None = None) -> Settings:
    """Settings from mkdocs.yml (or the defaults when it does not exist)."""
    path = Path(config_file or DEFAULT_CONFIG)
    options: dict[str, Any] = {}
    if path.exists():
        try:
            config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: cannot read it as YAML: {exc}") from None
        options = plugin_options(config) if isinstance(config, dict) else {}
    elif config_file is not None:
        raise UserError(f"{path}: no such file")
    return settings(path.resolve().parent, options)
