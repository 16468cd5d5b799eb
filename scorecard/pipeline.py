"""The stages wired together: settings -> validated portfolio -> scorecard.

Used by the command line and by the MkDocs plugin alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from scorecard.audience import for_audience
from scorecard.config import Settings
from scorecard.engine import Scorecard, compute_scorecard
from scorecard.errors import InvalidPortfolio, UserError
from scorecard.months import format_month, parse_month
from scorecard.problem import quotable
from scorecard.model import LoadedInitiative
from scorecard.validate import FileCache, ValidationResult, validate_paths


def validated(settings: Settings, today: int, strict: bool = False, cache: FileCache | None = None) -> ValidationResult:
    """Validate the portfolio; raise InvalidPortfolio (with every problem) when it fails."""
    result = validate_paths([settings.initiatives], today=today, base=settings.root, cache=cache,
                            catalogue=settings.policy().catalogue)
    if settings.audience == "public":  # its log may be public: quote nothing from a file it does not publish
        result.problems, result.unshown = quotable(result.problems, result.public)
    if result.failed(strict):
        raise InvalidPortfolio(result.problems, result.files, result.unshown)
    # what the build may hold (a public one: the public view), before anything is computed from it
    result.initiatives = for_audience(settings, result.initiatives)
    return result


EARLIEST = 1970 * 12
"""The first month the tool knows (1970-01)."""


def first_month(initiatives: Sequence[LoadedInitiative]) -> int | None:
    """The earliest month any file has figures for."""
    months = [parse_month(k) for li in initiatives for k in li.model.months]
    return min((m for m in months if m is not None), default=None)


def reporting_month(settings: Settings, today: int, as_of: int | None = None,
                    initiatives: Sequence[LoadedInitiative] | None = None) -> int:
    """The month to judge as of: `as_of` (from --as-of), else the `as_of` option, else the last complete month.

    A month that has not ended is refused (its figures are not in yet), and so is one before the
    first month of figures in `initiatives` (its scorecard would be empty).
    """
    source = "--as-of" if as_of is not None else "mkdocs.yml: as_of"
    month = as_of if as_of is not None else settings.as_of
    last = today - 1
    if month is None:
        if last < EARLIEST:
            raise UserError(f"today is in {format_month(today)}: there is no complete month to judge as of; "
                            "give --today a later month")
        return last
    if month > last:
        raise UserError(f"{source} {format_month(month)} has not ended yet (today is in {format_month(today)}): "
                        f"the latest month to judge as of is {format_month(last)}")
    first = first_month(initiatives) if initiatives is not None else None
    if first is not None and month < first:
        raise UserError(f"{source} {format_month(month)} is before the first month of figures, {format_month(first)}: "
                        f"give a month from {format_month(first)} to {format_month(last)}")
    return month


def validated_month(settings: Settings, today: int, as_of: int | None = None,
                    cache: FileCache | None = None) -> tuple[ValidationResult, int]:
    """Validate; (the result, the as-of month: see `reporting_month`)."""
    result = validated(settings, today, cache=cache)
    return result, reporting_month(settings, today, as_of, result.initiatives)


def compute(settings: Settings, today: int, as_of: int | None = None) -> Scorecard:
    """Validate, then compute the scorecard as of the reporting month (`reporting_month`)."""
    policy = settings.policy()
    result, month = validated_month(settings, today, as_of)
    return compute_scorecard(result.initiatives, month, policy)
