"""Keep generated HTML away from Python-Markdown's HTML parser.

The generated pages are Markdown headings around blocks of HTML that the
templates have already escaped. Python-Markdown would pass those blocks
through untouched, but only after running its HTML parser over every one of
them, which was the largest single cost of a build (about 40% at 1,000
initiatives). `stash` swaps each HTML block for a short comment placeholder
before MkDocs sees the page; `restore` puts the blocks back into the HTML that
Markdown produced. The result is the same page, built without parsing the HTML twice.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"<!--scorecard-block-(\d+)-->")
_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def stash(markdown: str) -> tuple[str, list[str]]:
    """(Markdown with each top-level HTML block replaced by a placeholder, the blocks).

    As in Python-Markdown, a block starts with a tag at the start of a
    paragraph and runs, across blank lines, to the tag that closes it.
    """
    blocks: list[str] = []
    out: list[str] = []
    chunks = re.split(r"\n{2,}", markdown.strip("\n"))
    i = 0
    while i < len(chunks):
        start = _START.match(chunks[i])
        if not start:
            out.append(chunks[i])
            i += 1
            continue
        tag = start.group(1)
        opened = re.compile(rf"<{tag}[\s>/]", re.IGNORECASE)
        closed = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
        block = [chunks[i]]
        depth = 0 if tag.lower() in _VOID else len(opened.findall(chunks[i])) - len(closed.findall(chunks[i]))
        i += 1
        while depth > 0 and i < len(chunks):
            block.append(chunks[i])
            depth += len(opened.findall(chunks[i])) - len(closed.findall(chunks[i]))
            i += 1
        out.append(f"<!--scorecard-block-{len(blocks)}-->")
        blocks.append("\n\n".join(block))
    return "\n\n".join(out) + "\n", blocks


def restore(html: str, blocks: list[str]) -> str:
    """Put the stashed blocks back in place of their placeholders."""
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)
