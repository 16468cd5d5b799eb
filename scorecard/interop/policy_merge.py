"""`scorecard import --mapping M --write-policy`: merge what a mapping needs into the portfolio's policy file.

The file is the program office's, comments and order included, so it is not rewritten: each entry the mapping
needs and the file lacks is inserted as text, in the block it belongs to (a field under `fields:`, a control
under `governance: controls:`), or appended at the end when the file has no such block. A value the file already
gives is kept, and named when it differs from the mapping's. Replacing the governance catalogue (a different
`governance.preset`) turns the controls the initiatives record into errors, so it is refused unless asked for.
The merged text is checked as a policy before it is written, and written whole or not at all.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scorecard.errors import InvalidPortfolio, UserError
from scorecard.load.reader import LoadError, parse_text
from scorecard.policy import Policy, policy_from_text


@dataclass
class Merge:
    text: str
    added: list[str] = field(default_factory=list)
    """The dotted keys inserted."""
    kept: list[str] = field(default_factory=list)
    """The dotted keys whose value the file keeps though the mapping's differs."""
    catalogue: tuple[str, str] | None = None
    """(the file's, the mapping's) governance preset, when they differ."""
    policy: Policy = field(default_factory=Policy)
    """The merged policy, as the tool reads it."""


def _dump(key: str, value: Any, indent: int) -> list[str]:
    """`key: value` as block YAML lines, each indented `indent` spaces."""
    text = yaml.safe_dump({key: value}, default_flow_style=False, sort_keys=False, allow_unicode=True, width=200)
    return [" " * indent + line for line in text.rstrip("\n").split("\n")]


def merge_policy(existing: str, needed: str, path: str = "policy.yml", replace_catalogue: bool = False) -> Merge:
    """The text of `existing` with what `needed` adds (both policy YAML); raises UserError when it cannot, and
    InvalidPortfolio when the file itself does not read as a policy (its problems, with their lines)."""
    policy_from_text(existing, path)  # a file with errors is mended first, by whoever owns it
    newline = "\r\n" if "\r\n" in existing else "\n"
    existing = existing.replace("\r\n", "\n")
    try:
        doc = parse_text(existing, path, [])
    except LoadError as exc:  # pragma: no cover - policy_from_text has read the same text
        raise InvalidPortfolio([exc.problem]) from None
    have = doc.data if isinstance(doc.data, dict) else {}
    if doc.data is not None and not isinstance(doc.data, dict):
        raise UserError(f"{path} is not a mapping of policy keys; merge the mapping's policy by hand")
    want = yaml.safe_load(needed) or {}
    lines = existing.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = Merge("")
    inserts: list[tuple[int, list[str]]] = []  # (after this 0-based line, lines)
    appended: list[str] = []

    def walk(want_node: dict[str, Any], have_node: Any, loc: tuple[str, ...]) -> None:
        for key, value in want_node.items():
            dotted = ".".join((*loc, key))
            if isinstance(have_node, dict) and key in have_node:
                if isinstance(value, dict) and isinstance(have_node[key], dict):
                    walk(value, have_node[key], (*loc, key))
                elif have_node[key] != value:
                    out.kept.append(dotted)
                continue
            out.added.append(dotted)
            if not loc:
                appended.extend(_dump(key, value, 0))
                continue
            line, column = doc.locate(loc, key=True)
            start = line - 1
            if lines[start].split("#")[0].rstrip().endswith(("{}", "}")):
                raise UserError(f"{path}:{line}: '{'.'.join(loc)}' is written inside {{ }}; write it as a block "
                                "(one entry a line) and run again, or merge the mapping's policy by hand")
            end = start
            child = None
            for n in range(start + 1, len(lines)):
                text = lines[n]
                if not text.strip() or text.lstrip().startswith("#"):
                    continue
                indent = len(text) - len(text.lstrip(" "))
                if indent <= column - 1:
                    break
                child = indent if child is None else child
                end = n
            inserts.append((end, _dump(key, value, child if child is not None else column + 1)))

    walk(want, have, ())
    found = have.get("governance")
    governance: dict[str, Any] = found if isinstance(found, dict) else {}
    preset_have = governance.get("preset") or Policy().governance.preset
    preset_want = (want.get("governance") or {}).get("preset")
    if preset_want and preset_have != preset_want:
        out.catalogue = (str(preset_have), str(preset_want))
        if replace_catalogue and "preset" in governance:
            line, column = doc.locate(("governance", "preset"))
            text = lines[line - 1]
            rest = text[column - 1:]
            value = str(governance["preset"])
            if not rest.startswith(value):
                raise UserError(f"{path}:{line}: write governance.preset plainly (preset: {value}) and run again")
            lines[line - 1] = text[:column - 1] + str(preset_want) + rest[len(value):]
            out.kept.remove("governance.preset")
    grouped: dict[int, list[str]] = {}
    for end, block in inserts:  # several under one block: in the mapping's order
        grouped.setdefault(end, []).extend(block)
    for end in sorted(grouped, reverse=True):
        lines[end + 1:end + 1] = grouped[end]
    if appended:  # at the end of the document: before its `...` end marker, when it has one
        stop = next((i for i, text in enumerate(lines) if text.rstrip() == "..."), len(lines))
        lines[stop:stop] = (([""] if stop and lines[stop - 1].strip() else []) +
                            ["# added by scorecard import --write-policy"] + appended)
    out.text = "\n".join(lines) + "\n"
    try:  # the merge must give a policy the tool reads, as it reads it, or nothing is written
        out.policy = policy_from_text(out.text, path)
    except InvalidPortfolio as exc:
        first = next((p for p in exc.problems if p.level == "error"), exc.problems[0])
        raise UserError(f"{path}:{first.line}: merged with what the mapping needs, the policy would not validate: "
                        f"{first.message}; change that line (or merge the mapping's policy by hand), then run again") \
            from None
    out.text = out.text.replace("\n", newline)  # the file's own line ends
    return out


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all (a temporary file beside it, then renamed over it)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)  # the temporary file this made
        raise
