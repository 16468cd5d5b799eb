"""Business units: one unit however its name is written, and a stable page for each.

Initiative files name their unit in free text, and they come from pull
requests, so `Sales`, `sales`, `Sales ` and `SALES` must be one unit, not four
look-alike pages. `unit_key` is the form names are compared in; `spellings`
picks the one spelling a unit is shown with; `unit_slug` and `unit_slugs` give
its page under units/; `spelling_problems` warns about the files that write a
unit differently from the rest.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from scorecard.model import LoadedInitiative
from scorecard.problem import Problem, shown, sort_problems

RESERVED = frozenset({"index", "readme"})
"""Slugs a unit never gets: units/index.md is the Business units page, and MkDocs reads README.md as an index."""
MAX_SLUG = 60
_HASH_LENGTHS = (6, 12, 64)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_LATIN = str.maketrans({"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae",
                        "œ": "oe", "þ": "th", "ŋ": "ng"})
"""Latin letters NFKD does not take apart (keys are case-folded, so lower case is enough; ß folds to ss)."""


@functools.lru_cache(maxsize=4096)
def unit_key(name: str) -> str:
    """The form unit names are compared in: two names with the same key are one unit.

    NFKC (full-width and other compatibility forms become plain letters), no
    invisible format characters (zero-width spaces, bidi controls, soft
    hyphens), case-folded, and whitespace trimmed and collapsed to one space.
    """
    text = "".join(c for c in unicodedata.normalize("NFKC", name) if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())


def _tidy(name: str) -> str:
    """A name as it may be shown: NFC, whitespace trimmed and collapsed; case and letters as written."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def _visible(name: str) -> str:
    return _tidy("".join(c for c in name if unicodedata.category(c) != "Cf"))


def spellings(names: Iterable[str]) -> dict[str, str]:
    """Each name (one per initiative, repeats count) -> the one spelling its unit is shown with.

    The most common spelling of the unit after tidying spaces; a tie goes to
    the first in code-point order, so the choice does not depend on file order.
    """
    names = list(names)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for name in names:
        counts[unit_key(name)][_tidy(name)] += 1
    chosen = {key: min(c, key=lambda s: (-c[s], s)) for key, c in counts.items()}
    return {name: chosen[unit_key(name)] for name in names}


def _transliterate(key: str) -> str:
    """ASCII letters, digits and hyphens: accents dropped (NFKD), anything else a hyphen; at most MAX_SLUG long."""
    text = unicodedata.normalize("NFKD", key).translate(_LATIN)
    text = "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode().lower()
    return _NOT_SLUG.sub("-", text).strip("-")[:MAX_SLUG].strip("-")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def unit_slug(name: str) -> str:
    """The slug of a unit's page when no other unit claims the same one (see `unit_slugs`).

    The transliterated name (`Finanças & Contrôle` -> `financas-controle`); if
    nothing is left (`財務`) or the slug is reserved (`Index`), `unit-` or the
    slug followed by six hex digits of the SHA-256 of the unit's key, so it
    depends on the name alone.
    """
    key = unit_key(name)
    base = _transliterate(key)
    return base if base and base not in RESERVED else f"{base or 'unit'}-{_digest(key)[:_HASH_LENGTHS[0]]}"


def unit_slugs(names: Iterable[str]) -> dict[str, str]:
    """Each name -> the slug of its unit's page: one slug per unit (names with one `unit_key`), never two alike.

    A slug depends on the unit's own name, not on a counter or on which other
    units exist, so adding or removing a unit moves no other unit's page. The
    one exception is a collision: when different units transliterate to the
    same slug (`Café` and `Cafe`), the unit whose key sorts first keeps it and
    each other one gets its own hash suffix (`cafe-1a2b3c`), so only a newcomer
    that collides and sorts first can move a page. A hash-suffixed slug that
    another unit's plain slug already holds gets a longer hash (12, then 64 hex
    digits, longer than any plain slug), so the result is always unique.
    """
    names = list(names)
    keys = sorted({unit_key(n) for n in names})
    slug_of: dict[str, str] = {}
    taken: set[str] = set()
    pending: list[tuple[str, str]] = []
    for key in keys:
        base = _transliterate(key)
        if base and base not in RESERVED and base not in taken:
            slug_of[key] = base
            taken.add(base)
        else:
            pending.append((key, base or "unit"))
    for key, base in pending:
        digest = _digest(key)
        slug = next(s for n in _HASH_LENGTHS if (s := f"{base}-{digest[:n]}") not in taken)
        slug_of[key] = slug
        taken.add(slug)
    return {name: slug_of[unit_key(name)] for name in names}


def _shown(text: str) -> str:
    """Quoted, with tabs, line breaks and invisible characters written as escapes."""
    return f"'{shown(text)}'"


def spelling_problems(initiatives: Sequence[LoadedInitiative]) -> list[Problem]:
    """A warning for each file that writes its business unit differently from the spelling the site shows.

    Pure. Each warning points at line 1, column 1: the validator, which knows
    where `business_unit` is in the file, is the place to move it there.
    """
    names = [li.model.business_unit for li in initiatives]
    chosen = spellings(names)
    written = Counter((unit_key(n), _tidy(n)) for n in names)
    problems = []
    for li in initiatives:
        name = li.model.business_unit
        want = chosen[name]
        if name == want:
            continue
        if _visible(name) == _visible(want):
            message = (f"business unit {_shown(name)} is shown as {_shown(want)}: they differ only in spaces, "
                       "invisible characters or Unicode encoding")
            hint = f"write {_shown(want)}"
        else:
            n = written[(unit_key(name), want)]
            message = (f"business unit {_shown(name)} is written {_shown(want)} in {n} other "
                       f"file{'' if n == 1 else 's'}; use one spelling")
            hint = (f"write {_shown(want)}: units are compared without regard to case and spacing, "
                    "so these files are already one unit, shown with its most common spelling")
        problems.append(Problem(li.path, 1, 1, "warning", "unit-spelling", message, hint))
    return sort_problems(problems)
