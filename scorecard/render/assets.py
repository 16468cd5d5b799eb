"""The files every page shares: the chart library and the site's own script and styles."""

from __future__ import annotations

import os
from pathlib import Path

import vl_convert

from scorecard.render.pages import ASSETS


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scorecard"


def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one classic script that sets window.vegaEmbed.

    vl_convert assembles it in about 3 s, so it is kept in the user's cache,
    keyed by the vl_convert version (the bundle is a function of that alone).
    """
    path = _cache_dir() / f"vega-bundle-{vl_convert.__version__}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home only costs the 3 s again next time
    return bundle


def static_files(folder: Path) -> dict[str, Path]:
    """The site's own assets (scorecard.js, scorecard.css, ...) by their place in the site."""
    if not folder.is_dir():
        return {}
    return {f"{ASSETS}/{p.relative_to(folder).as_posix()}": p for p in sorted(folder.rglob("*")) if p.is_file()}
