"""Where figures come from: a registry of source kinds, each turning what it reads into `Figure`s with provenance.

Every figure of the scorecard has a source. Today there is one built-in kind,
`files`: the figures a team lead enters in the initiative files' month blocks
(their provenance: the file, "entered"). The connectors of `scorecard pull`
(a warehouse, the cloud bill, usage logs) register further kinds here: each is
a class that satisfies `SourceKind`, listed in `SOURCE_KINDS` under its name.
Sources and their queries belong to the program office (its policy, under
CODEOWNERS); initiative files only name them.

Shaped like pre-commit's languages: an explicit table of kinds, one small
module each, the same signature for all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from scorecard.model import Benefits, Costs, LoadedInitiative

Measure = Literal["users", "kpi", "cost", "benefit"]
How = Literal["measured", "entered", "estimated"]


@dataclass(frozen=True)
class Provenance:
    """Where a figure came from: the source, and how it was obtained."""

    source: str
    """The source's name (`files` for the initiative files)."""
    how: How
    """measured: pulled from a system of record; entered: typed into a file; estimated: a stated assumption."""
    where: str
    """What the source read: a file's path, or a metric's name."""


@dataclass(frozen=True)
class Figure:
    """One value of one initiative for one month."""

    initiative: str
    month: str
    measure: Measure
    key: str
    """The KPI's id, or the cost or benefit category; `users` for users."""
    value: float
    provenance: Provenance


class SourceKind(Protocol):
    """What every kind of source does: read its figures for the given initiatives."""

    name: str

    def figures(self, initiatives: Sequence[LoadedInitiative]) -> Iterator[Figure]:
        ...


class Files:
    """The built-in kind: the figures in the initiative files' month blocks, as entered."""

    name = "files"

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        if options:  # the files need no settings; a typo in a policy should not pass unseen
            raise ValueError(f"the files source takes no options, got {', '.join(sorted(options))}")

    def figures(self, initiatives: Sequence[LoadedInitiative]) -> Iterator[Figure]:
        from scorecard.sources.provenance import how

        for li in initiatives:
            for month, block in sorted(li.model.months.items()):
                def made(path: str) -> Provenance:  # as the month records it: measured, estimated or entered
                    return Provenance(self.name, how(block, path), li.path)
                if block.users is not None:
                    yield Figure(li.id, month, "users", "users", float(block.users), made("users"))
                for kpi, value in block.kpis.items():
                    yield Figure(li.id, month, "kpi", kpi, float(value), made(f"kpis.{kpi}"))
                money: tuple[tuple[Measure, str, Costs | Benefits | None], ...] = (
                    ("cost", "costs", block.costs), ("benefit", "benefits", block.benefits))
                for measure, part, lines in money:
                    for key, value in (lines.model_dump(exclude_none=True) if lines is not None else {}).items():
                        yield Figure(li.id, month, measure, key, float(value), made(f"{part}.{key}"))


SOURCE_KINDS: dict[str, type[Files]] = {Files.name: Files}
"""Every kind of source by name."""


def source(kind: str, options: Mapping[str, Any] | None = None) -> SourceKind:
    """A source of `kind` with the policy's `options`; ValueError for a kind that does not exist."""
    if kind not in SOURCE_KINDS:
        raise ValueError(f"no source kind {kind!r}; the kinds are {', '.join(sorted(SOURCE_KINDS))}")
    return SOURCE_KINDS[kind](options)
