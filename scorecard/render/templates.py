"""Where the site's templates come from: the package, overlaid by the portfolio's own folder.

The package carries everything a site needs (the repository's top-level
`site_templates/`, installed as the data package `scorecard.site_templates`):
`pages/` (Jinja2 page templates), `assets/` (CSS, JS), `overrides/`
(Material template overrides) and `docs/` (pages such as the contributor
guide). A portfolio repository overrides any one of them by putting a file at
the same relative path in its own `site_templates/` folder (the plugin's
`templates` option), the way Material's `custom_dir` works; everything else
comes from the package, so upgrading is a change of version pin.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path


def _package_folder() -> Path:
    """Where the package's templates are: pyproject.toml maps the top-level `site_templates/` to the package
    `scorecard.site_templates`, which a wheel installs inside `scorecard/` and an editable install finds in place."""
    spec = importlib.util.find_spec("scorecard.site_templates")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if locations:
        return Path(locations[0]).resolve()
    # the source tree itself, imported from a checkout (python -m from its root) beside an installed copy
    source = Path(__file__).resolve().parents[2] / "site_templates"
    if (source / "__init__.py").is_file():
        return source
    raise RuntimeError("the scorecard package was installed without its site_templates; reinstall it")


PACKAGE = _package_folder()
PARTS = ("pages", "assets", "overrides", "docs")


@dataclass(frozen=True)
class Templates:
    own: Path | None
    """The portfolio's own templates folder, or None when it has none."""

    @classmethod
    def at(cls, folder: Path | None) -> Templates:
        """The portfolio's folder, when it has one that is not the package's own (the tool's repository)."""
        if folder is None or not folder.is_dir() or folder.resolve() == PACKAGE:
            return cls(None)
        return cls(folder)

    def layers(self, part: str) -> list[Path]:
        """The folders of one part, the portfolio's first: the first that holds a file wins."""
        own = [self.own / part] if self.own is not None and (self.own / part).is_dir() else []
        return [*own, PACKAGE / part]

    def files(self, part: str) -> dict[str, Path]:
        """Every file of one part by its relative path (posix), the portfolio's replacing the package's."""
        out: dict[str, Path] = {}
        for layer in reversed(self.layers(part)):
            out.update({p.relative_to(layer).as_posix(): p for p in sorted(layer.rglob("*")) if p.is_file()})
        return dict(sorted(out.items()))

    def signature(self) -> tuple[tuple[str, int], ...]:
        """Path and modification time of every page template: a change means no cached page is current."""
        return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in self.files("pages").values()))
