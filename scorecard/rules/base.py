"""What a rule is and returns: the shape every rule module has (checked by mypy), and a finding with its verdict,
its reason and the numbers behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from scorecard.compute.facts import Facts
from scorecard.policy import Policy

from scorecard.model import VERDICTS


@dataclass(frozen=True)
class Finding:
    rule: str
    verdict: str | None
    """The verdict this finding argues for; None for a flag that decides nothing."""
    message: str
    """One sentence with the numbers behind it."""
    change: str = ""
    """What would change it: the nearest threshold that would flip the finding."""
    numbers: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")


class Rule(Protocol):
    """A rule module: its id (what an exemption names), its name in plain words, and its docstring, which is its
    user documentation (the methodology page is generated from it). The registry and the methodology read only
    this, so they need no special case."""

    ID: str
    NAME: str


class VerdictRule(Rule, Protocol):
    """A rule that argues for a verdict from an initiative's facts as of the month."""

    def evaluate(self, f: Facts, p: Policy) -> Finding | None: ...


class FlagRule(Rule, Protocol):
    """A rule that decides nothing but flags what the verdicts imply: it reads the verdict history, month by month
    (month index, verdict), that the verdict rules produced."""

    def evaluate(self, f: Facts, p: Policy, history: Sequence[tuple[int, str | None]]) -> Finding | None: ...
