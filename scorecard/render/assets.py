"""The files every page shares: the chart library and the site's own script and styles."""

from __future__ import annotations

from pathlib import Path

from scorecard.render.cache import cached_file
from scorecard.render.pages import ASSETS
from scorecard.render.templates import Templates


def vega_bundle() -> Path | str:
    """vega + vega-lite + vega-embed as one classic script that sets window.vegaEmbed.

    vl_convert assembles it in about 3 s, so it is kept in the cache, keyed by
    the vl_convert version (the bundle is a function of that alone): the path
    of the cached file, or the text itself when the cache cannot be written.
    """
    import vl_convert

    name = f"vega-bundle-{vl_convert.__version__}.js"
    return cached_file(name, vl_convert.javascript_bundle) or vl_convert.javascript_bundle()


def static_files(templates: Templates) -> dict[str, Path]:
    """The site's own assets (scorecard.js, scorecard.css, ...) by their place in the site, the portfolio's first."""
    return {f"{ASSETS}/{rel}": path for rel, path in templates.files("assets").items()}
