"""The options every page is rendered with (the site's settings as the pages need them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scorecard.config import DEFAULT_SITE_NAME
from scorecard.render.templates import PACKAGE


@dataclass(frozen=True)
class SiteOptions:
    templates: Sequence[Path] = (PACKAGE / "pages",)
    """The folders of page templates, the first that holds a template wins (the portfolio's, then the package's)."""
    edit_url: str | None = None
    """A URL with `{path}` for the initiative file's path in the repository, e.g. .../edit/main/{path}."""
    directory_urls: bool = True
    site_url: str | None = None
    """Where the site is published: the digest links into it."""
    site_name: str = DEFAULT_SITE_NAME
    audience: str = "internal"
    """`internal` or `public`: a public build holds only public initiatives, without what `withheld` lists."""

    @property
    def public(self) -> bool:
        return self.audience == "public"


PageCache = dict[str, tuple[str, object, str]]
"""Rendered initiative pages by path: (the item's JSON, its model, the page), kept by `mkdocs serve`."""
