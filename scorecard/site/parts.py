"""What every engine's site shares, whichever engine builds it (the MkDocs plugin, or Zensical from plain files).

The navigation and the shared scripts and styles, the options the pages are
rendered with, the build date, and the refusal to read anything through a
symbolic link. Each raises `UserError`; the MkDocs plugin turns it into MkDocs'
own error type.
"""

from __future__ import annotations

import os

from scorecard.errors import UserError
from scorecard.problem import shown
from scorecard.render.escape import safe_url
from scorecard.render.pages import ASSETS, SiteOptions
from scorecard.site.build import SiteInputs
from scorecard.render.templates import Templates

NAV = [{"Home": "index.md"}, {"Decisions": "decisions.md"}, {"Changes": "changes.md"},
       {"Business units": "units/index.md"}, {"Methodology": "methodology.md"}, {"Data": "data.md"},
       {"Submit an update": "contribute.md"}]
SCRIPTS = [f"{ASSETS}/vega.js", f"{ASSETS}/specs.js", f"{ASSETS}/scorecard.js"]
STYLES = [f"{ASSETS}/scorecard.css"]


def site_options(inputs: SiteInputs, templates: Templates, directory_urls: bool, site_url: str | None = None,
                 site_name: str | None = None) -> SiteOptions:
    """The options the pages are rendered with: the portfolio's templates first, and a checked edit_url."""
    edit_url = inputs.settings.options["edit_url"]
    if edit_url and (safe_url(edit_url) is None or "{path}" not in edit_url):
        raise UserError("edit_url must be an http(s) address without spaces that holds {path}, "
                        f"e.g. https://github.com/ORG/REPO/edit/main/{{path}}; got {edit_url!r}")
    return SiteOptions(templates=templates.layers("pages"), edit_url=edit_url, directory_urls=directory_urls,
                       site_url=site_url, site_name=site_name or inputs.settings.site_name,
                       audience=inputs.settings.audience)


def _within(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def refuse_links(folders: list[str], project: str) -> None:
    """Refuse every symbolic link in `folders` (the docs, theme override and template folders), and a folder
    reached by one: an engine would copy, and Jinja would read, whatever a link points at.

    Judged from the project folder (the folder of mkdocs.yml) when a folder lies in it, so that a linked
    docs folder counts too.
    """
    found = []
    for folder in (f for f in folders if os.path.lexists(f)):
        top = os.path.abspath(folder)
        base = project if _within(top, project) else top
        if os.path.relpath(os.path.realpath(top), os.path.realpath(base)) != os.path.relpath(top, base):
            found.append(top)
            continue
        for here, dirs, names in os.walk(top):  # never follows a link
            found += [os.path.join(here, n) for n in (*dirs, *names) if os.path.islink(os.path.join(here, n))]
    if found:
        raise UserError("the site never reads or copies a file through a symbolic link (it may point outside the "
                        "repository): " + ", ".join(sorted({shown(p) for p in found})) + "; commit the files themselves")
