"""The stages wired together: settings -> validated portfolio -> scorecard.

Used by the command line and by the MkDocs plugin alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from scorecard.audience import for_audience
from scorecard.context import RunContext
from scorecard.rules.scorecard import Scorecard, compute_scorecard
from scorecard.errors import InvalidPortfolio, UserError
from scorecard.months import format_month, parse_month
from scorecard.problem import quotable
from scorecard.model import LoadedInitiative
from scorecard.validate.run import FileCache, ValidationResult, validate_paths


def validated(ctx: RunContext, strict: bool = False, cache: FileCache | None = None) -> ValidationResult:
    """Validate the portfolio; raise InvalidPortfolio (with every problem) when it fails."""
    settings = ctx.settings
    result = validate_paths([settings.initiatives], today=ctx.today, base=settings.display_root, cache=cache,
                            catalogue=ctx.policy.catalogue)
    if ctx.public:  # its log may be public: quote nothing from a file it does not publish
        result.problems, result.unshown = quotable(result.problems, result.public, ctx.policy.public.withhold)
    if result.failed(strict):
        raise InvalidPortfolio(result.problems, result.files, result.unshown)
    # what the build may hold (a public one: the public view), before anything is computed from it
    result.initiatives = for_audience(settings, result.initiatives)
    return result


def first_month(initiatives: Sequence[LoadedInitiative]) -> int | None:
    """The earliest month any file has figures for."""
    months = [parse_month(k) for li in initiatives for k in li.model.months]
    return min((m for m in months if m is not None), default=None)


def reporting_month(ctx: RunContext, initiatives: Sequence[LoadedInitiative]) -> int:
    """The month to judge as of (`RunContext.as_of`), refused when it is before the first month of figures in
    `initiatives` (its scorecard would be empty)."""
    month = ctx.as_of
    first = first_month(initiatives)
    if (ctx.as_of_asked is not None or ctx.settings.as_of is not None) and first is not None and month < first:
        raise UserError(f"{ctx.asked_source()} {format_month(month)} is before the first month of figures, "
                        f"{format_month(first)}: give a month from {format_month(first)} to "
                        f"{format_month(ctx.today - 1)}")
    return month


def validated_month(ctx: RunContext, cache: FileCache | None = None) -> tuple[ValidationResult, int]:
    """Validate; (the result, the as-of month: see `reporting_month`)."""
    result = validated(ctx, cache=cache)
    return result, reporting_month(ctx, result.initiatives)


def compute(ctx: RunContext) -> Scorecard:
    """Validate, then compute the scorecard as of the reporting month (`reporting_month`)."""
    result, month = validated_month(ctx)
    return compute_scorecard(result.initiatives, month, ctx.policy)
