"""RESULTS.md: each benchmark writes its own marked section and keeps the analysis written around it."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def record(name: str, command: str, heading: str, text: str) -> None:
    """Replace the section `name` (between its markers) with `text`, or add it under `heading` at the end."""
    body = RESULTS.read_text(encoding="utf-8")
    start, end = f"<!-- {name}: written by {command} -->", f"<!-- end of {name} -->"
    block = f"{start}\n{text}\n{end}"
    if start in body:
        body = body[:body.index(start)] + block + body[body.index(end) + len(end):]
    else:
        body = body.rstrip("\n") + f"\n\n## {heading}\n\n" + block + "\n"
    RESULTS.write_text(body, encoding="utf-8")
