"""What a rule returns: a finding with its verdict, its reason and the numbers behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
