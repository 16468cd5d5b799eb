"""The few exception types the program raises.

A `UserError` is something the person running the command can fix: it prints
one clean line and exits 1. `InvalidPortfolio` carries every problem found, so
that all of them are reported in one run. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

from scorecard.problem import Problem, Unshown


class UserError(Exception):
    """A mistake in the input or the command line, explained in one line."""


class UsageError(UserError):
    """The command line itself is wrong (exit code 2)."""


class InvalidPortfolio(UserError):
    """Validation found errors; nothing downstream may run on this input."""

    def __init__(self, problems: list[Problem], files: int | None = None, unshown: Unshown = Unshown()) -> None:
        self.problems = problems
        self.files = files if files is not None else len({p.path for p in problems})
        self.unshown = unshown
        """A public build's count of what it does not quote (problems of files it does not publish)."""
        errors = sum(1 for p in problems if p.level == "error") + unshown.errors
        super().__init__(f"{errors} error{'' if errors == 1 else 's'} in the initiative files")
