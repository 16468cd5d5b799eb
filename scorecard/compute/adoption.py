"""Adoption: users against target, growth, and the 5 -> 50 -> 500 milestones."""

from __future__ import annotations

from dataclasses import dataclass

GROWTH_WINDOW = 3


@dataclass(frozen=True)
class Adoption:
    series: tuple[tuple[int, int], ...]
    target_users: int | None
    milestones: dict[int, int | None]
    """Each milestone (5, 50, 500 users) and the first month it was reached."""

    @property
    def users(self) -> int | None:
        return self.series[-1][1] if self.series else None

    @property
    def adoption_pct(self) -> float | None:
        if self.users is None or not self.target_users:
            return None
        return 100.0 * self.users / self.target_users

    @property
    def growth_pct(self) -> float | None:
        """Month-on-month growth of active users, in %."""
        if len(self.series) < 2 or self.series[-2][1] == 0:
            return None
        return 100.0 * (self.series[-1][1] - self.series[-2][1]) / self.series[-2][1]

    @property
    def growing(self) -> bool:
        """Users up over the latest three months of figures, or already at target."""
        if not self.series:
            return False
        if self.target_users and self.series[-1][1] >= self.target_users:
            return True
        window = self.series[-GROWTH_WINDOW:]
        return len(window) > 1 and window[-1][1] > window[0][1]


def adoption(series: list[tuple[int, int]], target_users: int | None, milestones: list[int]) -> Adoption:
    reached: dict[int, int | None] = {}
    for level in milestones:
        reached[level] = next((m for m, u in series if u >= level), None)
    return Adoption(series=tuple(series), target_users=target_users, milestones=reached)
