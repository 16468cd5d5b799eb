"""Read YAML files strictly and remember where every key and value stands.

This is the only module that parses files. It drives libyaml's event parser
(the C one shipped in the PyYAML wheel) and builds plain Python values itself,
instead of calling `yaml.load`, because that lets it:

- refuse anchors, aliases and explicit tags outright (no alias bombs, no
  `!!python/...` objects): the first one ends the file with one problem;
- cap nesting depth while parsing: libyaml's own composer recurses and crashes
  on very deep nesting, and its scanner slows down quadratically with depth;
- report duplicate keys (PyYAML silently keeps the last one), at the second key;
- resolve plain scalars the YAML 1.2 way: `yes`, `no`, `on`, `off` stay text,
  `012` is twelve, dates stay the text `2026-11-01`, keys are always text;
- record the line and column of every key and value for error messages;
- notice a plain text value followed by a comment on its line (`note: ticket #4521`
  keeps only `ticket`), so that the validator can say so.

It reads only regular files, never through a symbolic link (`O_NOFOLLOW`), and
never waits on a FIFO or a device.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel

from scorecard.model import Initiative
from yaml._yaml import CParser
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from scorecard.problem import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_DIGITS = 40
"""A longer run of digits is read as a float (infinite when huge), so that the model bounds it with a clear
message: Python refuses to print an int of over 4,300 digits, and no figure in a file needs 40."""

# (line, column) of a key and of its value, 1-based.
Mark = tuple[int, int, int, int]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_SPECIAL_FLOATS = {
    ".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
    ".nan": float("nan"),
}


@dataclass
class Document:
    """The values of one YAML file, plus where each of them was written."""

    path: str
    data: Any
    marks: dict[tuple[int, Any], Mark] = field(default_factory=dict, repr=False)
    commented: set[tuple[int, Any]] = field(default_factory=set, repr=False)
    """(id(container), key) of each plain text value that a comment follows on the same line."""
    text: str = field(default="", repr=False)
    """The source, for messages that quote it."""
    todo: bool = False
    """Whether the text holds `TODO` (the untouched starter file), so the validator looks for it."""

    def locate(self, loc: tuple[Any, ...], key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `loc` (or of its key with key=True).

        When `loc` goes deeper than the file (a missing key), this answers the
        position of the deepest part that exists: the mapping that lacks it.
        """
        best = (1, 1)
        node = self.data
        for i, step in enumerate(loc):
            mark = self.marks.get((id(node), step)) if isinstance(node, (dict, list)) else None
            if mark is None:
                return best
            last = i == len(loc) - 1
            best = (mark[0], mark[1]) if (key and last) else (mark[2], mark[3])
            node = node[step]
        return best


class LoadError(Exception):
    """The file cannot be read as YAML at all; `problem` says why and where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _plain(value: str) -> Any:
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value) if len(value) <= MAX_DIGITS else float(value)
    if _FLOAT.match(value):
        return float(value)
    special = _SPECIAL_FLOATS.get(value.lower())
    if special is not None:
        return special
    return value


def _error(path: str, line: int, column: int, rule: str, message: str, hint: str = "") -> LoadError:
    return LoadError(Problem(path, line, column, "error", rule, message, hint))


def _start(event: Event) -> tuple[int, int]:
    """1-based (line, column) where `event` starts; libyaml marks every event, (1, 1) is only for the types."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _end(event: Event) -> int:
    """Index in the text just after `event`; libyaml marks every event, 0 is only for the types."""
    mark = event.end_mark
    return mark.index if mark is not None else 0


def _refuse_extras(path: str, event: Any) -> None:
    """Raise for an anchor, an alias or an explicit tag; return for anything else."""
    mark = event.start_mark
    if getattr(event, "anchor", None) is not None or isinstance(event, AliasEvent):
        raise _error(
            path, mark.line + 1, mark.column + 1, "yaml-anchor",
            "YAML anchors and aliases (&name, *name) are not allowed",
            "write the value out in full",
        )
    if getattr(event, "tag", None) is not None and event.tag != "!":
        raise _error(
            path, mark.line + 1, mark.column + 1, "yaml-tag",
            f"YAML tags such as '{event.tag.replace('tag:yaml.org,2002:', '!!')}' are not allowed",
            "remove the tag and write a plain value",
        )


def parse_text(text: str, path: str, problems: list[Problem]) -> Document:
    """Build a Document from YAML text; soft problems (duplicate keys) go to `problems`."""
    doc = Document(path, None, text=text)
    text, back = _hide_odd_breaks(text)
    marks = doc.marks
    root: list[Any] = []
    # A frame is [container, pending key, key line, key column]; the bottom frame holds the root.
    stack: list[list[Any]] = [[root, None, 1, 1]]
    documents = 0
    parser = CParser(text)
    try:
        while True:
            # The C parser makes events of exactly these classes, so isinstance picks the same branches.
            event = parser.get_event()
            if isinstance(event, StreamEndEvent):
                break
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, column = _start(event)
                    raise _error(path, line, column, "syntax",
                                 "a second YAML document ('---') in one file",
                                 "keep one initiative per file")
                continue
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                stack.pop()
                continue
            if isinstance(event, ScalarEvent):
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    _refuse_extras(path, event)
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent, AliasEvent)):
                _refuse_extras(path, event)
            else:
                continue
            frame = stack[-1]
            container = frame[0]
            line, column = _start(event)
            is_map = container.__class__ is dict
            if is_map and frame[1] is None:
                if not isinstance(event, ScalarEvent):
                    raise _error(path, line, column, "syntax",
                                 "a mapping key must be plain text, not a list or mapping")
                key = event.value if back is None else event.value.translate(back)
                if key in container:
                    first = marks.get((id(container), key))
                    where = f" (first on line {first[0]})" if first else ""
                    problems.append(Problem(
                        path, line, column, "error", "duplicate-key",
                        f"duplicate key '{key}'{where}", "keep only one of them"))
                    frame[1], frame[2], frame[3] = _DUPLICATE, line, column
                else:
                    frame[1], frame[2], frame[3] = key, line, column
                continue
            plain = False
            if isinstance(event, ScalarEvent):
                plain = event.style in ("", None)
                raw = event.value if back is None else event.value.translate(back)
                value: Any = _plain(raw) if plain else raw
            elif isinstance(event, MappingStartEvent):
                value = {}
            else:
                value = []
            if is_map:
                key = frame[1]
                frame[1] = None
                # A repeated key's value is still parsed, but the first one is kept.
                if key is not _DUPLICATE:
                    container[key] = value
                    marks[(id(container), key)] = (frame[2], frame[3], line, column)
                    if plain and value.__class__ is str and _comment_follows(text, _end(event)):
                        doc.commented.add((id(container), key))
            else:
                if plain and value.__class__ is str and _comment_follows(text, _end(event)):
                    doc.commented.add((id(container), len(container)))
                marks[(id(container), len(container))] = (line, column, line, column)
                container.append(value)
            if not isinstance(event, ScalarEvent):
                if len(stack) > MAX_DEPTH:
                    raise _error(path, line, column, "syntax",
                                 f"nesting deeper than {MAX_DEPTH} levels",
                                 "initiative files are never this deep; check the indentation")
                stack.append([value, None, line, column])
    except yaml.YAMLError as exc:
        raise _yaml_error(path, text, exc) from None
    finally:
        parser.dispose()
    doc.data = root[0] if root else None
    return doc


_DUPLICATE = object()
_ODD_BREAKS = ("\u2028", "\u2029", "\x85")


def _hide_odd_breaks(text: str) -> tuple[str, dict[int, int] | None]:
    """libyaml reads U+2028, U+2029 and U+0085 as line breaks (YAML 1.1); editors and YAML 1.2 do not.

    Swap them for private-use characters the text does not hold, so that lines are counted as an editor
    counts them and the characters stay part of the text; the table swaps them back.
    """
    if not any(c in text for c in _ODD_BREAKS):
        return text, None
    spare = (chr(c) for c in range(0xF8FF, 0xE000, -1) if chr(c) not in text)
    there = {ord(c): next(spare) for c in _ODD_BREAKS}
    return text.translate(there), {ord(v): k for k, v in there.items()}


def _comment_follows(text: str, end: int) -> bool:
    """Whether a `#` comment starts after the blanks that follow position `end` on its line."""
    if text[end:end + 1] not in (" ", "\t"):
        return False
    newline = text.find("\n", end)
    rest = text[end:newline if newline >= 0 else None]
    return rest.lstrip(" \t").startswith("#")


def _deep_flow(text: str) -> tuple[int, int]:
    """(line, column) of the bracket that opens the MAX_DEPTH-th nested flow collection (quotes are not
    skipped: this only places an error that the scanner already found)."""
    depth = line = 0
    start = -1
    for index, char in enumerate(text):
        if char == "\n":
            line, start = line + 1, index
        elif char in "[{":
            depth += 1
            if depth == MAX_DEPTH:
                return line + 1, index - start
        elif char in "]}":
            depth = max(depth - 1, 0)
    return 1, 1


def _yaml_error(path: str, text: str, exc: yaml.YAMLError) -> LoadError:
    opened = getattr(exc, "context_mark", None)
    mark = getattr(exc, "problem_mark", None) or opened
    if "end of stream" in str(getattr(exc, "problem", "")) and opened is not None:
        mark = opened  # an unclosed quote or bracket: where it opened, not the end of the file
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    else:
        position = getattr(exc, "position", 0) or 0
        before = text[:position]
        line = before.count("\n") + 1
        column = position - (before.rfind("\n") + 1) + 1
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None)
    if "nesting depth" in str(problem):  # PyYAML 6.0.3+ stops deep flow nesting itself, in its scanner
        line, column = _deep_flow(text)
        return _error(path, line, column, "syntax", f"nesting deeper than {MAX_DEPTH} levels",
                      "initiative files are never this deep; check the indentation")
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in source[: len(source) - len(source.lstrip(" \t"))] or "'\\t'" in str(problem):
        tab = source.find("\t") + 1 if "\t" in source else column
        return _error(path, line, tab, "syntax", "a TAB character is used for indentation; YAML allows only spaces",
                      "replace the TAB with spaces (most editors can show TABs and convert them)")
    lines = text.splitlines()
    for n in (line - 1, line):  # libyaml often stops on the line after the mistake
        odd = odd_space_at(lines[n - 1], n) if 0 < n <= len(lines) else None
        if odd is not None:
            return _error(path, *odd)
    found = _diagnose(lines, line, column, str(problem))
    if found is not None:
        return _error(path, *found)
    message = f"{context}: {problem}" if context else str(problem)
    # libyaml often notices a missing quote, colon or bracket on the line after the mistake
    return _error(path, line, column, "syntax", f"YAML syntax error: {message}",
                  "check the indentation and quoting on this line and the one above")


ODD_SPACES = {"\u00a0": "a non-breaking space (U+00A0)", "\u202f": "a narrow non-breaking space (U+202F)",
              "\u2007": "a figure space (U+2007)", "\u3000": "an ideographic space (U+3000)",
              "\u200b": "a zero-width space (U+200B)", "\ufeff": "a zero-width no-break space (U+FEFF)"}
"""Characters that look like a space (or like nothing) and that YAML does not read as one."""
_ODD = "[" + "".join(ODD_SPACES) + "]"
_ODD_INDENT = re.compile("^([ " + "".join(ODD_SPACES) + "]*?)" + _ODD)
_ODD_AFTER_KEY = re.compile(r"(?:^ *(?:- +)?|[{,] *)([A-Za-z0-9_][A-Za-z0-9_.-]*):(" + _ODD + ")")
_ODD_AFTER_VALUE = re.compile(r"[^\s" + "".join(ODD_SPACES) + r"](" + _ODD + r")[\s" + "".join(ODD_SPACES)
                              + r"]*(?:[#,}\]].*)?$")


ODD_FIX = "replace it with an ordinary space (it comes with text copied from a web page or a document)"
ODD_REMOVE = "remove it (it comes with text copied from a web page or a document)"
ODD_HINTS = (ODD_FIX, ODD_REMOVE)
"""The hints of an odd space's problem: the one mistake that explains the others on its lines."""


def odd_space_at(line: str, n: int) -> tuple[int, int, str, str, str] | None:
    """An odd space on line `n` where YAML needs a real one: in the indentation, or after a key's colon.

    Asked only where something failed (libyaml stopped on or just after the line, or the schema refused what the
    line became): in text an odd space is the writer's, and valid YAML is never refused for one.
    """
    indent = _ODD_INDENT.match(line)
    if indent:
        char = line[len(indent.group(1))]
        return (n, len(indent.group(1)) + 1, "syntax",
                f"the indentation holds {ODD_SPACES[char]}, which YAML does not read as a space", ODD_FIX)
    after = _ODD_AFTER_KEY.search(line)
    if after:
        key, char = after.groups()
        return (n, after.start(2) + 1, "syntax", f"after '{key}:' comes {ODD_SPACES[char]}, which YAML does not "
                f"read as a space, so the key and its value read as one text", ODD_FIX)
    trailing = _ODD_AFTER_VALUE.search(line)
    if trailing:
        char = trailing.group(1)
        return (n, trailing.start(1) + 1, "syntax", f"the value ends with {ODD_SPACES[char]}, which YAML does not "
                "read as a space, so it is part of the value", ODD_REMOVE)
    return None


_KEY_LINE = re.compile(r"^( *)(- +)?([A-Za-z0-9_][A-Za-z0-9_.-]*): *(.*)$")
_PLAIN_START = re.compile(r"[^\s\"'{\[|>&*!%@`#]")
_QUOTED_START = re.compile(r"^([\"'])((?:(?!\1).)*)\1\s*([^\s#].*)$")
TOP_LEVEL_KEYS = frozenset(Initiative.model_fields)


def _nested_keys() -> frozenset[str]:
    """The keys of every mapping below the top level: `name` is a KPI's too, `adoption` only the file's."""
    seen: set[type] = set()
    keys: set[str] = set()

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            if annotation is not Initiative:
                keys.update(annotation.model_fields)
            for f in annotation.model_fields.values():
                walk(f.annotation)
        for arg in get_args(annotation):
            walk(arg)

    walk(Initiative)
    return frozenset(keys)


ONLY_TOP_LEVEL_KEYS = TOP_LEVEL_KEYS - _nested_keys()


def _quoted(text: str) -> str:
    """`text` as one YAML scalar in quotes: single quotes unless it holds one, then double quotes escaped."""
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _without_comment(value: str) -> str:
    """A plain value without its trailing `# comment` (YAML starts a comment at ' #')."""
    at = value.find(" #")
    return value[:at].rstrip() if at >= 0 else value


def _spaces(n: int) -> str:
    return f"{n} space" if n == 1 else f"{n} spaces"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _diagnose(lines: list[str], line: int, column: int, problem: str) -> tuple[int, int, str, str, str] | None:
    """The mistakes team leads really make, named in words, from where libyaml stopped: (line, column, rule,
    message, hint), or None for the generic message."""
    if not 0 < line <= len(lines):
        return None
    source = lines[line - 1]
    m = _KEY_LINE.match(source)
    if m is None:
        return None
    spaces, key, value = len(m.group(1)), m.group(3), m.group(4)
    value_at = len(source) - len(value) + 1  # 1-based column where the value starts
    if "mapping values are not allowed" in problem and value and column > value_at and ": " in value \
            and _PLAIN_START.match(value):
        text = _without_comment(value)
        return (line, value_at + value.index(": "), "syntax",
                f"the text of '{key}' contains ': ', which YAML reads as the start of a new key",
                f"put the whole value in quotes: {key}: {_quoted(text)}" if len(text) <= 60 else
                "put the whole value in quotes")
    quoted = _QUOTED_START.match(value)
    if quoted and "did not find expected key" in problem:
        mark, whole = quoted.group(1), value.rstrip()
        if not whole.endswith(mark):
            whole = _without_comment(whole)
        if len(whole) > 2 and whole.endswith(mark):  # 'it's done': the text's own quote closed it early
            inner = whole[1:-1]
            return (line, value_at + len(quoted.group(2)) + 1, "syntax",
                    f"the text of '{key}' holds the quote mark that encloses it ({mark}), and YAML ends the value "
                    "there", f"enclose it in the other kind of quotes: {key}: {_quoted(inner)}")
        return (line, value_at, "syntax",
                f"the text of '{key}' starts with a quoted word, and YAML ends the value at its closing quote",
                f"put the whole value in quotes, the other kind outside: {key}: {_quoted(whole)}")
    top = key in TOP_LEVEL_KEYS and spaces > 0 and m.group(2) is None
    sibling = None if top and key in ONLY_TOP_LEVEL_KEYS else _out_of_line(lines, line, spaces, key)
    if sibling is not None:
        return sibling
    if top:
        above = next((lines[n] for n in range(line - 2, -1, -1) if lines[n].strip() and _indent(lines[n]) == 0
                      and not lines[n].lstrip().startswith("#")), "")
        parent = above.split(":", 1)[0].strip()
        return (line, 1, "syntax", f"'{key}' is a top-level key, but it is indented {_spaces(spaces)}, so YAML reads it "
                f"as part of '{parent}' above" if parent else f"'{key}' is a top-level key, but it is indented "
                f"{_spaces(spaces)}", f"start '{key}:' at the beginning of the line")
    return None


def _out_of_line(lines: list[str], line: int, spaces: int, key: str) -> tuple[int, int, str, str, str] | None:
    """Two keys of one mapping indented differently: `users:` at 3 spaces, `kpis:` at 4."""
    previous = next((n for n in range(line - 2, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
                    None)
    if previous is None:
        return None
    before = _KEY_LINE.match(lines[previous])
    if before is None or before.group(4) == "" or _indent(lines[previous]) == spaces:
        return None  # the line above opens a mapping (or lines up): not two keys out of line
    other = _indent(lines[previous])
    at = next((n for n in range(previous - 1, -1, -1) if lines[n].strip() and _indent(lines[n]) < min(other, spaces)),
              None)
    parent_key = lines[at].strip().removeprefix("- ").split(":", 1)[0] if at is not None else ""
    usual = _child_indent(lines, _indent(lines[at]), skip=at) if at is not None else None
    a, b = (before.group(3), previous + 1, other), (key, line, spaces)
    odd, fine = (a, b) if usual == spaces else (b, a)
    under = f" under '{parent_key}'" if parent_key else ""
    def indent_it(n: int | None) -> str:
        return "start it at the beginning of the line" if n == 0 else f"indent it {_spaces(n or 0)}"
    return (odd[1], odd[2] + 1, "syntax", f"'{odd[0]}' on line {odd[1]} is indented {_spaces(odd[2])}, out of line "
            f"with '{fine[0]}' on line {fine[1]} ({fine[2]}): the keys{under} line up",
            f"{indent_it(usual)}, as elsewhere in the file" if usual in (other, spaces)
            else f"{indent_it(fine[2])}, like '{fine[0]}'")


def _child_indent(lines: list[str], parent: int, skip: int) -> int | None:
    """The most common indentation of the first key under a `key:` line indented `parent` spaces (but line `skip`)."""
    counts: dict[int, int] = {}
    for n, text in enumerate(lines[:-1]):
        m = _KEY_LINE.match(text)
        if m and n != skip and _indent(text) == parent and m.group(4) == "" and m.group(2) is None:
            child = next((x for x in lines[n + 1:] if x.strip() and not x.lstrip().startswith("#")), "")
            if _indent(child) > parent:
                counts[_indent(child)] = counts.get(_indent(child), 0) + 1
    return max(counts, key=lambda k: (counts[k], -k)) if counts else None


def _read_regular(path: Path, shown: str) -> tuple[bytes, int]:
    """(The bytes of a regular file, at most MAX_BYTES + 1, its size); never through a link, never blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if os.path.islink(path):
            raise _error(shown, 1, 1, "file", "is a symbolic link; initiative files must be regular files",
                         "commit the file itself, not a link to it") from None
        raise _error(shown, 1, 1, "file", f"cannot read the file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _error(shown, 1, 1, "file", "is not a regular file (a folder, FIFO or device)",
                         "initiative files are plain text files")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(MAX_BYTES + 1), info.st_size
    except OSError as exc:
        raise _error(shown, 1, 1, "file", f"cannot read the file: {exc.strerror}") from None
    finally:
        os.close(fd)


def read_document(path: Path | str, display: str | None = None) -> tuple[Document, list[Problem]]:
    """Read and parse one file. Raises LoadError when nothing can be used."""
    shown = display or str(path)
    raw, size = _read_regular(Path(path), shown)
    if len(raw) > MAX_BYTES:
        raise _error(shown, 1, 1, "file-size",
                     f"file is {max(size, len(raw)):,} bytes, over the limit of {MAX_BYTES:,}",
                     "an initiative file is a few kilobytes; move long text elsewhere and link it")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise _error(shown, line, column, "encoding",
                     f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                     "save it with UTF-8 encoding") from None
    text = text.removeprefix("\ufeff")
    problems: list[Problem] = []
    doc = parse_text(text, shown, problems)
    doc.todo = "TODO" in text or "todo@example.com" in text
    return doc, problems
