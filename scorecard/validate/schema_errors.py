"""Turn pydantic's validation errors into Problems that point at the YAML.

Like rendercv, we keep each error's location (`('kpis', 0, 'target')`), look
it up in the document's marks to get the line and column, and rewrite the
message in the words of someone filling in a file ("'12k' is not a number")
rather than a Python type checker's.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from scorecard.load.reader import ODD_HINTS, ODD_SPACES, Document, odd_space_at
from scorecard.model import CONTROL_ID_PATTERN, EMAIL_PATTERN, KPI_ID_PATTERN, NOT_BLANK, URL_PATTERN
from scorecard.months import DATE_PATTERN, MONTH_PATTERN
from scorecard.problem import Problem, withholdable

NUMBER_HINT = "write a plain number such as 12000: no units, separators or quotes"
_GROUPED = re.compile(r"^([+-]?)([0-9]{1,3}(?:([,.' \u00a0])[0-9]{3})+)(?:([,.])([0-9]+))?$")
_SUFFIXED = re.compile(r"^([+-]?[0-9]+(?:\.[0-9]+)?)\s*([kKmM%])$")
_CURRENCY = re.compile(r"^(?:[$\u20ac\u00a3]|[A-Z]{3}\s)\s*|\s*(?:[$\u20ac\u00a3]|\s[A-Z]{3})$")


_DECIMAL_COMMA = re.compile(r"^([+-]?[0-9]+),([0-9]{1,2}|[0-9]{4,})$|^([+-]?0),([0-9]+)$")


def number_hint(text: str) -> str:
    """What to write instead of a number written as text: '1,200' -> write 1200, '45%' -> write 45, '10,8' -> 10.8."""
    bare = _CURRENCY.sub("", text.strip())
    decimal = _DECIMAL_COMMA.match(bare)
    if decimal:
        whole, fraction = decimal.group(1) or decimal.group(3), decimal.group(2) or decimal.group(4)
        return f"'{text}' looks like a decimal comma: write {whole}.{fraction}"
    grouped = _GROUPED.match(bare)
    if grouped:
        sign, digits, sep, point, decimals = grouped.groups()
        if point is None or point != sep:
            plain = sign + digits.replace(sep, "") + (f".{decimals}" if decimals else "")
            return f"'{text}' looks like a number with a thousands separator: write {plain}"
    suffixed = _SUFFIXED.match(bare)
    if suffixed:
        number, unit = suffixed.groups()
        factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000, "%": 1}[unit]
        value = float(number) * factor
        shown = f"{value:.0f}" if value == int(value) else f"{value:g}"
        return f"write {shown}" + (" (the percent sign is implied by the unit)" if unit == "%" else "")
    if bare != text.strip() and re.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]+)?", bare):
        return f"write {bare}: the currency is the portfolio's"
    return NUMBER_HINT
_KEY_STEP = "[key]"


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model that sits at `loc`, for 'did you mean' hints."""
    current: Any = model
    for step in loc:
        if isinstance(step, int) or step == _KEY_STEP:
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        if step in fields:
            current = _inner_model(fields[step].annotation)
        else:
            # a dict entry (e.g. a month): the value type is the dict's value model
            continue
    return list(getattr(current, "model_fields", {}) or [])


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _bound(value: Any) -> str:
    return f"{value:,.0f}" if isinstance(value, (int, float)) and float(value).is_integer() else str(value)


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


# pattern -> (rule id, what a matching value is, what to do)
_PATTERNS = {
    MONTH_PATTERN: ("month", "a valid month", "write the month as YYYY-MM, e.g. 2026-11"),
    DATE_PATTERN: ("date", "a valid date", "write the date as YYYY-MM or YYYY-MM-DD"),
    URL_PATTERN: ("url", "an http(s) link", "use a full http:// or https:// address, with no spaces (write %20)"),
    EMAIL_PATTERN: ("value", "an e-mail address", "write one address like name@example.com"),
    KPI_ID_PATTERN: ("value", "a valid KPI id", "use snake_case: lower-case letters, digits and _"),
    CONTROL_ID_PATTERN: ("value", "a valid control id", "use snake_case: lower-case letters, digits and _, "
                         "starting with a letter"),
    NOT_BLANK: ("blank", "", "write the text, or leave the key out where it is optional"),
}


_FLOW_ENTRY = re.compile(r"(?:^|,)\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*:\s")
_WRITTEN_NUMBER = re.compile(r"[$\u20ac\u00a3]?\s*[+-]?[$\u20ac\u00a3]?[0-9][0-9,.]*")


def _flow_number(doc: Document, loc: tuple[Any, ...], key: bool) -> tuple[str, str, int, int] | None:
    """`{licenses: $1,234,567}` reads as the text '$1' and keys '234' and '567': for an error on any of the
    pieces, (the entry's key, the number as written, its line and column), read from the line itself."""
    line, column = doc.locate(loc, key=key)
    lines = doc.text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    opened, closed = source.rfind("{", 0, column), source.find("}", column - 1)
    if opened < 0 or closed < 0:
        return None
    inside = source[opened + 1:closed]
    starts = list(_FLOW_ENTRY.finditer(inside))
    for this, following in zip(starts, [*starts[1:], None]):
        end = following.start() if following else len(inside)
        if not opened + 1 + this.start() <= column - 1 < opened + 1 + end:
            continue
        written = inside[this.end():end].strip()
        if "," in written and _WRITTEN_NUMBER.fullmatch(written):
            return this.group(1), written, line, opened + 1 + this.end() + 1
        return None
    return None


def _odd_space(doc: Document, loc: tuple[Any, ...], kind: str, value: Any) -> Problem | None:
    """A key or text the schema refuses because an odd space stood where YAML needs a real one: the indentation
    (`\u00a0 users: 5` is a key named '\u00a0 users') or after a colon (`users:\u00a05` is the text 'users:\u00a05')."""
    if kind == "extra_forbidden" and loc:
        text, key = str(loc[-1]), True
    elif isinstance(value, str):
        text, key = value, False
    else:
        return None
    if not any(c in text for c in ODD_SPACES):
        return None
    line, _ = doc.locate(loc, key=key)
    lines = doc.text.splitlines()
    found = odd_space_at(lines[line - 1], line) if 0 < line <= len(lines) else None
    if found is None:
        return None
    return Problem(doc.path, *found[:2], "error", *found[2:], withholdable(loc))


def problem_from_error(doc: Document, model: type[BaseModel], err: Any) -> Problem | None:
    """The problem of one of pydantic's errors; None for the second half of a mistake another error names."""
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    where = dotted(tuple(s for s in loc if s != _KEY_STEP))
    at_key = bool(loc) and loc[-1] == _KEY_STEP
    if at_key:
        loc = loc[:-1]
    rule, message, hint = "type", f"'{where}': {err['msg']}", ""
    use_key = at_key

    odd = _odd_space(doc, loc, kind, value)
    if odd is not None:
        return odd
    # {support: 1,200}, {cycle_time: 10,8}, {licenses: $2,500}: the comma split one number into pieces
    pieces = kind in ("extra_forbidden", "missing", "float_type", "int_type", "float_parsing", "int_parsing",
                      "string_pattern_mismatch", "dict_type", "model_type")
    entry = _flow_number(doc, loc, key=at_key or kind == "extra_forbidden" or value is None) if pieces and loc else None
    if entry is not None:
        name, written, line, column = entry
        path = (*loc[:-1], name)
        plain = _CURRENCY.sub("", written)
        if plain != written:
            number = re.sub(r"[^0-9.+-]", "", number_hint(plain).rsplit("write ", 1)[-1])
            return Problem(doc.path, line, column, "error", "number",
                           f"'{dotted(path)}' must be a number, got the text '{written}'",
                           f"write {number}: '{written}' is one amount, the currency is the portfolio's, and inside "
                           "{ }, a comma separates entries", withholdable(path))
        return Problem(doc.path, line, column, "error", "number", f"'{dotted(path)}': {number_hint(written)}",
                       "inside { }, a comma separates entries", withholdable(path))
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        rule, message = "unknown-key", f"unknown key '{name}'" + (f" in '{dotted(loc[:-1])}'" if len(loc) > 1 else "")
        hint = suggest(name, allowed) or (f"allowed keys: {', '.join(allowed)}" if allowed else "")
        use_key = True
    elif kind == "missing":
        name = str(loc[-1])
        parent = dotted(loc[:-1])
        rule, message = "missing-key", f"missing required key '{name}'" + (f" in '{parent}'" if parent else "")
        line, column = doc.locate(loc[:-1], key=True) if loc[:-1] else (1, 1)
        return Problem(doc.path, line, column, "error", rule, message, "")
    elif kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        if isinstance(value, str):
            rule, message, hint = "number", f"'{where}' must be a number, got the text {_shown(value)}", \
                number_hint(value)
        elif kind.startswith("int") and isinstance(value, float):
            rule, message = "type", f"'{where}' must be a whole number, got {_shown(value)}"
        else:
            rule, message = "type", f"'{where}' must be a number, got {_shown(value)}"
    elif kind == "int_from_float":
        rule, message = "type", f"'{where}' must be a whole number, got {_shown(value)}"
    elif kind == "finite_number":
        rule, message, hint = "number", f"'{where}' must be a finite number, got {_shown(value)}", NUMBER_HINT
    elif kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        is_amount = len(loc) >= 2 and loc[-2] in ("costs", "benefits")
        rule = "negative-amount" if is_amount and bound == 0 else "value"
        message = f"'{where}' must be {_bound(bound)} or more, got {_shown(value)}"
        if is_amount:
            hint = "record a refund or saving as a benefit, not a negative cost"
    elif kind == "less_than_equal":
        rule, message = "value", f"'{where}' must be at most {_bound(ctx.get('le'))}, got {_shown(value)}"
    elif kind == "literal_error":
        expected = [a.strip("'") for a in str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")]
        rule, message = "value", f"'{where}' must be one of {', '.join(expected)}; got {_shown(value)}"
        hint = suggest(str(value), expected) if isinstance(value, str) else ""
    elif kind == "string_type":
        rule, message = "type", f"'{where}' must be text, got {_shown(value)}"
        hint = "put the value in quotes" if isinstance(value, (int, float, bool)) else ""
    elif kind == "string_too_short":
        rule, message = "value", f"'{where}' must not be empty"
    elif kind == "string_too_long":
        rule, message = "value", f"'{where}' is {len(str(value))} characters long, over the limit of {ctx.get('max_length')}"
        hint = "shorten it, or link to a longer document"
    elif kind == "string_pattern_mismatch":
        rule, noun, hint = _PATTERNS.get(str(ctx.get("pattern", "")), ("value", "valid", ""))
        if rule == "blank":
            message = f"'{where}' is blank"
        elif at_key:
            message = f"key {_shown(value)} in '{dotted(loc[:-1])}' is not {noun}"
        else:
            message = f"'{where}' is not {noun}: {_shown(value)}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        rule, message = "type", f"'{where or 'the file'}' must be a mapping of keys to values, got {_shown(value)}"
    elif kind == "union_type":
        rule, message = "type", f"'{where}' must be {' or '.join(ctx['kinds'])}, got {_shown(value)}"
    elif kind == "list_type":
        rule, message = "type", f"'{where}' must be a list, got {_shown(value)}"
        hint = "write it as [a, b] or as lines starting with '- '"
    elif kind == "bool_type":
        rule, message = "type", f"'{where}' must be true or false, got {_shown(value)}"
    elif kind == "value_error":
        rule, message = "value", f"'{where or 'the file'}': {str(err['msg']).removeprefix('Value error, ')}"
    elif kind == "too_short":
        rule, message = "value", f"'{where}' needs at least {ctx.get('min_length')} entr{'y' if ctx.get('min_length') == 1 else 'ies'}"
        use_key = True

    line, column = doc.locate(loc, key=use_key)
    return Problem(doc.path, line, column, "error", rule, message, hint, withholdable(loc))


def validate_model(doc: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate `doc.data` against `model`: (instance or None, problems)."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = _merge_misspelt(_one_branch(doc.data, exc.errors(include_url=False)))
        problems = [p for e in errors if (p := problem_from_error(doc, model, e)) is not None]
        odd = [p for p in problems if p.hint in ODD_HINTS]
        return None, list(dict.fromkeys(odd or problems))  # an odd space moves what follows it: the rest follows
        # from it; the pieces of one number split by commas are one problem


def _branch_at(data: Any, loc: tuple[Any, ...], kind: str) -> tuple[int, Any] | None:
    """Where `loc` names one branch of a union (`governance.risk_assessment.ControlStatus`): a step that is no key
    or index of the data there. (The step's index, the value the union was given.)"""
    node = data
    for i, step in enumerate(loc):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        elif isinstance(step, str) and step != _KEY_STEP and (i < len(loc) - 1 or kind not in ("missing", "extra_forbidden")):
            return i, node
        else:
            return None
    return None


def _branch_kind(tag: str) -> str:
    """The kind of value a union branch takes, in words, from pydantic's name for it."""
    bare = tag.removeprefix("constrained-")
    for prefix, words in (("str", "text"), ("int", "a number"), ("float", "a number"), ("date", "a date"),
                          ("list", "a list"), ("dict", "a mapping"), ("bool", "true or false")):
        if bare.startswith(prefix):
            return words
    return "a mapping of keys to values"


def _one_branch(data: Any, errors: list[Any]) -> list[Any]:
    """A value that fits no branch of a union gets one error in words, not one per branch under pydantic's type
    names; a mapping or a text that fits one branch's kind gets that branch's errors."""
    out: list[Any] = []
    unions: dict[tuple[Any, ...], list[tuple[str, Any]]] = {}
    values: dict[tuple[Any, ...], Any] = {}
    for e in errors:
        found = _branch_at(data, tuple(e["loc"]), e["type"])
        if found is None:
            out.append(e)
            continue
        i, value = found
        prefix = tuple(e["loc"][:i])
        unions.setdefault(prefix, []).append((str(e["loc"][i]), {**e, "loc": (*prefix, *e["loc"][i + 1:])}))
        values[prefix] = value
    for prefix, branches in unions.items():
        value = values[prefix]
        fits = "a mapping of keys to values" if isinstance(value, dict) else "text" if isinstance(value, str) else None
        chosen = [e for tag, e in branches if _branch_kind(tag) == fits]
        if chosen:
            out.extend(chosen)
        else:
            kinds = list(dict.fromkeys(_branch_kind(tag) for tag, _ in branches))
            out.append({"type": "union_type", "loc": prefix, "input": value, "msg": "", "ctx": {"kinds": kinds}})
    return out


def _merge_misspelt(errors: list[Any]) -> list[Any]:
    """A misspelt required key is one mistake, not two: keep the 'unknown key' error only."""
    missing = {(tuple(e["loc"][:-1]), e["loc"][-1]) for e in errors if e["type"] == "missing"}
    covered = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent = tuple(e["loc"][:-1])
            names = [name for (p, name) in missing if p == parent]
            close = difflib.get_close_matches(str(e["loc"][-1]), names, n=1, cutoff=0.6)
            if close:
                covered.add((parent, close[0]))
    return [e for e in errors if not (e["type"] == "missing" and (tuple(e["loc"][:-1]), e["loc"][-1]) in covered)]
