"""The files every page shares: the chart library and the site's own script and styles."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast

from scorecard.render.cache import cached_file
from scorecard.render.pages import ASSETS
from scorecard.render.templates import Templates


class _VlConvert(Protocol):
    """What this reads of vl_convert, as it behaves: its stub leaves out `__version__` and makes the snippet of
    `javascript_bundle` required, though it defaults to None (the default snippet sets window.vegaEmbed)."""

    __version__: str

    def javascript_bundle(self, snippet: str | None = None, vl_version: str | None = None) -> str: ...


def vega_bundle() -> Path | str:
    """vega + vega-lite + vega-embed as one classic script that sets window.vegaEmbed.

    vl_convert assembles it in about 3 s, so it is kept in the cache, keyed by
    the vl_convert version (the bundle is a function of that alone): the path
    of the cached file, or the text itself when the cache cannot be written.
    """
    import vl_convert

    vlc = cast(_VlConvert, vl_convert)  # the stub is wrong on both (see _VlConvert)
    name = f"vega-bundle-{vlc.__version__}.js"
    return cached_file(name, vlc.javascript_bundle) or vlc.javascript_bundle()


def static_files(templates: Templates) -> dict[str, Path]:
    """The site's own assets (scorecard.js, scorecard.css, ...) by their place in the site, the portfolio's first."""
    return {f"{ASSETS}/{rel}": path for rel, path in templates.files("assets").items()}
