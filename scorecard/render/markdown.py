"""The Jinja2 environment of the Markdown the tool writes outside the site: the pull-request comment and the digest.

Markdown has no autoescape, so this environment escapes every `{{ }}` itself (`finalize`): a value from a file
becomes inert Markdown, every character other than a letter, digit or space a character reference, so that it
cannot end a table cell, open a code span, start a line, mention someone or link anywhere. Only Markup passes
as it is: what the filters below return, and `raw`, for the figures and months the tool formats itself.

Unlike the pages, these templates come from the package only: the pull-request comment is written while checking
an untrusted pull request, so a template in the repository must not shape it.
"""

from __future__ import annotations

from scorecard.problem import plural

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from scorecard.render.escape import md_inline
from scorecard.render.templates import PACKAGE


def _escaped(value: Any) -> Any:
    return value if isinstance(value, Markup) else md_inline(value)


def code(value: Any) -> Markup:
    """A value as a code span (an HTML <code>, since a backtick in the value could end a Markdown one)."""
    return Markup(f"<code>{md_inline(value)}</code>")


def show(value: Any) -> Markup:
    """A YAML value as JSON in a code span; (none) when there is none."""
    return Markup("(none)") if value is None else code(json.dumps(value, ensure_ascii=False, default=str))


def raw(value: Any) -> Markup:
    """A value the tool wrote itself (a month, a score), as it is."""
    return Markup(str(value))


def markdown_environment(layers: Sequence[Path] = (PACKAGE / "markdown",)) -> jinja2.Environment:
    """The Markdown templates, from `layers` (the package's)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(p) for p in layers]), autoescape=False,
                             finalize=_escaped, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(code=code, show=show, raw=raw, plural=lambda n, word: raw(plural(n, word)))
    return env


def render_markdown(name: str, layers: Sequence[Path] = (PACKAGE / "markdown",), **context: Any) -> str:
    """Render one Markdown template; the text ends in exactly one newline."""
    return markdown_environment(layers).get_template(name).render(**context).rstrip("\n") + "\n"
