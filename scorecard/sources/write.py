"""Write pulled figures into an initiative file's text, keeping every other byte: its comments, its layout and the
figures a person typed.

Edits are spans of the original text (found from the YAML nodes' marks), applied from the end so that the earlier
positions stay right. A value that exists is replaced in place (in `{ }` or in a block); a missing one is added to
its mapping; a missing month block is added in month order; the month's `measured:` block, which `pull` owns, is
written whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml


class Unwritable(Exception):
    """A file's layout that `pull` does not edit (a month written in `{ }`): one line, what to do."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str
    order: str = ""


_PLAIN = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_.\-]*|sha256:[0-9a-f]{64})$")
_WORDS = frozenset(("true", "false", "null", "yes", "no", "on", "off", "y", "n"))


def scalar(value: Any) -> str:
    """A value as YAML text: numbers and plain words as they are, any other text in double quotes (JSON's quoting
    is YAML's), so that a value read back is the same text whatever it holds."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return text if _PLAIN.match(text) and text.lower() not in _WORDS else json.dumps(text, ensure_ascii=False)


def flow(entry: Mapping[str, Any]) -> str:
    """A mapping on one line: {source: bill, metric: cloud, params: {key: "x"}, ...}."""
    parts = []
    for k, v in entry.items():
        parts.append(f"{k}: {flow(v) if isinstance(v, Mapping) else scalar(v)}")
    return "{" + ", ".join(parts) + "}"


def _lookup(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index just after the newline of the line that holds `index` (or the text's end)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _content_end(text: str, node: yaml.Node) -> int:
    """The end of the last line that holds `node`'s content (a block's end mark runs on past blank lines and
    comments; its last child's end does not)."""
    last = node
    while isinstance(last, yaml.MappingNode) and last.value:
        last = last.value[-1][1]
    while isinstance(last, yaml.SequenceNode) and last.value and last.flow_style is False:
        last = last.value[-1]
    return _line_end(text, max(last.end_mark.index - 1, last.start_mark.index))


def _child_indent(block: yaml.MappingNode, default: int) -> int:
    return block.value[0][0].start_mark.column if block.value else default


@dataclass
class MonthUpdate:
    """What to write into one month: figure path -> value text, and the month's whole measured block."""

    values: dict[str, str]
    measured: dict[str, dict[str, Any]]


def _set_in(text: str, parent_key: yaml.Node, parent: yaml.Node, name: str, value: str, indent: int,
            edits: list[Edit]) -> None:
    """Set `name: value` in the mapping `parent` (in `{ }` or a block)."""
    found = _lookup(parent, name)
    if found is not None:
        _, v = found
        if not isinstance(v, yaml.ScalarNode):
            raise Unwritable(f"{name} is not a single value")
        if v.start_mark.index == v.end_mark.index:  # `name:` with nothing after it
            edits.append(Edit(v.start_mark.index, v.end_mark.index, " " + value if text[v.start_mark.index - 1:v.start_mark.index] == ":" else value))
        else:
            edits.append(Edit(v.start_mark.index, v.end_mark.index, value))
        return
    if isinstance(parent, yaml.MappingNode) and parent.flow_style:
        close = parent.end_mark.index - 1  # the `}`
        before = text[parent.start_mark.index + 1:close].strip()
        edits.append(Edit(close, close, (", " if before else "") + f"{name}: {value}", order=name))
    elif isinstance(parent, yaml.MappingNode):
        at = _content_end(text, parent)
        edits.append(Edit(at, at, " " * _child_indent(parent, indent) + f"{name}: {value}\n", order=name))
    else:  # `costs:` left empty
        edits.append(Edit(parent.start_mark.index, parent.end_mark.index, f" {{{name}: {value}}}", order=name))


def month_edits(text: str, month_key: yaml.Node, block: yaml.Node, update: MonthUpdate, month: str) -> list[Edit]:
    """The edits that write `update` into an existing month block."""
    if not isinstance(block, yaml.MappingNode) or block.flow_style:
        raise Unwritable(f"month {month} is written on one line; write it as a block (one key a line) to pull "
                         "into it")
    indent = _child_indent(block, month_key.start_mark.column + 2)
    edits: list[Edit] = []
    groups: dict[str, dict[str, str]] = {}
    for path, value in sorted(update.values.items()):
        part, _, name = path.partition(".")
        if part == "users":
            _set_in(text, month_key, block, "users", value, indent, edits)
        else:
            groups.setdefault(part, {})[name] = value
    for part, values in groups.items():
        found = _lookup(block, part)
        if found is None:
            line = " " * indent + f"{part}: {{" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}\n"
            at = _content_end(text, block)
            edits.append(Edit(at, at, line, order=part))
            continue
        k, node = found
        for name, value in values.items():
            _set_in(text, k, node, name, value, indent + 2, edits)
    found = _lookup(block, "measured")
    lines = " " * indent + "measured:\n" + "".join(
        " " * (indent + 2) + f"{path}: {flow(entry)}\n" for path, entry in sorted(update.measured.items()))
    if found is not None:
        k, node = found
        start = _line_start(text, k.start_mark.index)
        end = _content_end(text, node) if not (isinstance(node, yaml.MappingNode) and node.flow_style) \
            else _line_end(text, node.end_mark.index - 1)
        edits.append(Edit(start, end, lines if update.measured else ""))
    elif update.measured:
        at = _content_end(text, block)
        edits.append(Edit(at, at, lines, order="~measured"))
    return edits


def new_month(month: str, update: MonthUpdate, indent: int) -> str:
    """A whole month block, for a month the file does not have yet."""
    pad = " " * (indent + 2)
    out = [" " * indent + f"{month}:\n"]
    groups: dict[str, dict[str, str]] = {}
    for path, value in sorted(update.values.items()):
        part, _, name = path.partition(".")
        if part == "users":
            out.append(pad + f"users: {value}\n")
        else:
            groups.setdefault(part, {})[name] = value
    for part in ("kpis", "costs", "benefits"):
        if part in groups:
            out.append(pad + f"{part}: {{" + ", ".join(f"{k}: {v}" for k, v in groups[part].items()) + "}\n")
    if update.measured:
        out.append(pad + "measured:\n")
        out += [pad + "  " + f"{path}: {flow(entry)}\n" for path, entry in sorted(update.measured.items())]
    return "".join(out)


def apply(text: str, updates: Mapping[str, MonthUpdate]) -> str:
    """`text` with every month's update written in (Unwritable for a layout it does not edit)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise Unwritable("the file is not a mapping")
    edits: list[Edit] = []
    months = _lookup(root, "months")
    if months is not None and not (isinstance(months[1], yaml.MappingNode) and not months[1].flow_style):
        if isinstance(months[1], yaml.MappingNode) and months[1].value:
            raise Unwritable("months is written on one line; write it as a block to pull into it")
        months_key, months_node = months
        block = "".join(new_month(m, u, months_key.start_mark.column + 2) for m, u in sorted(updates.items()))
        start = months_node.start_mark.index
        end = months_node.end_mark.index
        edits.append(Edit(start, end, "\n" + block.rstrip("\n")))
        return _applied(text, edits)
    if months is None:
        block = "".join(new_month(m, u, 2) for m, u in sorted(updates.items()))
        tail = "" if text.endswith("\n") or not text else "\n"
        return text + tail + "months:\n" + block
    months_key, node = months
    assert isinstance(node, yaml.MappingNode)
    indent = node.value[0][0].start_mark.column if node.value else months_key.start_mark.column + 2
    present = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    for month, update in sorted(updates.items()):
        if month in present:
            edits += month_edits(text, *present[month], update, month)
            continue
        later = sorted((k.start_mark.index, m) for m, (k, _) in present.items() if m > month)
        at = _line_start(text, later[0][0]) if later else _content_end(text, node)
        # after any edit of the month before at the same place (its own order keys sort before "~~")
        edits.append(Edit(at, at, new_month(month, update, indent), order="~~" + month))
    return _applied(text, edits)


def _applied(text: str, edits: list[Edit]) -> str:
    for e in sorted(edits, key=lambda e: (e.start, e.end, e.order), reverse=True):
        text = text[:e.start] + e.text + text[e.end:]
    return text
