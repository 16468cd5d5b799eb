"""Text from initiative files is hostile: the only ways it may reach a page.

Every value from a pull request enters a page through one of these:
- `html_text`: HTML-escaped, with `{` and `}` as character references too, so
  that no later templating pass (a macros plugin, say) can evaluate `{{ ... }}`
  and Markdown's attribute lists (`{: onclick=...}`) never see a brace;
- `md_inline`: for the few values that sit in Markdown itself (a page's `#`
  heading): every character other than a letter, digit or space becomes a
  numeric character reference, so no Markdown or extension syntax survives;
- `json_script`: JSON to embed in a page (the charts' data sit in a
  `<template>`), with `<`, `>` and `&` written as `\\u003c`, `\\u003e`,
  `\\u0026`: no markup, no character reference and no `</script>` can
  appear in it, whatever element holds it;
- `safe_url`: only http and https links; anything else yields no link.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
_JSON_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


def html_text(value: Any) -> Markup:
    """Escape a value for HTML text or a quoted attribute."""
    if isinstance(value, Markup):
        return value
    return Markup(str(escape(value)).translate(_BRACES))


def md_inline(value: Any) -> Markup:
    """A value as inert Markdown: punctuation as character references."""
    return Markup("".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in str(value)))


def json_script(value: Any) -> Markup:
    """JSON that is safe inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_JSON_UNSAFE))


def safe_url(value: Any) -> str | None:
    """The URL if it is plain http(s), else None (the template then shows no link)."""
    text = str(value or "").strip()
    return text if _URL.match(text) else None
