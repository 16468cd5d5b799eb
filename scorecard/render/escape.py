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
- `safe_url`: only http and https links, percent-encoded so that nothing but
  URL characters remains; anything else yields no link; `mailto` does the same
  for an address. Both are still attribute-escaped by the template (`&`, `'`),
  or by `attribute` where a template we inherit (Material's edit button) writes
  the value raw.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_SCHEME = re.compile(r"^https?://.", re.IGNORECASE)
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")
URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
"""Characters kept as they are in a URL (RFC 3986 reserved and unreserved, and `%` of an existing escape);
every other character, `"`, `<`, `>`, `\\`, `` ` ``, `{`, `}`, `|`, `^` and non-ASCII included, is percent-encoded."""
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
    """The URL percent-encoded if it is http(s) without spaces or control characters, else None (no link)."""
    text = str(value or "")
    if not _SCHEME.match(text) or _UNSAFE.search(text):
        return None
    return quote(text, safe=URL_SAFE)


def mailto(value: Any) -> str | None:
    """A `mailto:` URL for one address, percent-encoded (no `?cc=` or `&body=` can ride along)."""
    text = str(value or "")
    if not text or _UNSAFE.search(text) or text.count("@") != 1:
        return None
    return "mailto:" + quote(text, safe="@!$'*+-._~")


def attribute(value: str) -> str:
    """A value escaped for a double-quoted attribute, for templates that write it raw."""
    return str(escape(value))


def edit_link(edit_url: str, path: str) -> str:
    """The edit link of a file: `{path}` in the configured URL replaced by the path, percent-encoded."""
    return safe_url(edit_url.replace("{path}", quote(path, safe="/"))) or ""
