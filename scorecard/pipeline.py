"""The stages wired together: settings -> validated portfolio -> scorecard.

Used by the command line and by the MkDocs plugin alike.
"""

from __future__ import annotations

from scorecard.config import Settings
from scorecard.engine import Scorecard, compute_scorecard, latest_month
from scorecard.errors import InvalidPortfolio, UserError
from scorecard.validate import FileCache, ValidationResult, validate_paths


def validated(settings: Settings, today: int, strict: bool = False, cache: FileCache | None = None) -> ValidationResult:
    """Validate the portfolio; raise InvalidPortfolio (with every problem) when it fails."""
    result = validate_paths([settings.initiatives], today=today, base=settings.root, cache=cache)
    if result.failed(strict):
        raise InvalidPortfolio(result.problems, result.files)
    return result


def validated_month(settings: Settings, today: int, as_of: int | None = None,
                    cache: FileCache | None = None) -> tuple[ValidationResult, int]:
    """Validate; (the result, the as-of month: `as_of` or the latest month with data)."""
    result = validated(settings, today, cache=cache)
    month = as_of if as_of is not None else latest_month(result.initiatives)
    if month is None:
        raise UserError(f"{settings.initiatives}: no month of figures in any initiative; give --as-of YYYY-MM")
    return result, month


def compute(settings: Settings, today: int, as_of: int | None = None) -> Scorecard:
    """Validate, then compute the scorecard as of `as_of` (default: the latest month with data)."""
    policy = settings.policy()
    result, month = validated_month(settings, today, as_of)
    return compute_scorecard(result.initiatives, month, policy)
