"""The pull's edge: validate the portfolio, gather the figures from the sources, then write the files whose text
changes (each whole or not at all, and only once what it would hold validates)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.context import RunContext
from scorecard.errors import UsageError
from scorecard.interop.policy_merge import write_atomically
from scorecard.pipeline import validated
from scorecard.sources.pull import FilePlan, Gathered, bindings, gather, plan
from scorecard.sources.write import Unwritable, apply
from scorecard.validate.run import validate_text


@dataclass
class PullRun:
    """What a pull did: per initiative what it filled, kept and could not write; and what failed."""

    gathered: Gathered
    plans: list[FilePlan] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    """The files written (none in a dry run, none whose text is unchanged)."""
    refused: list[str] = field(default_factory=list)
    """One line per file or binding that could not be written."""
    bound: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    """How long each phase took (validate, gather, write): for `pull -v` and the benchmark, never in a file."""

    @property
    def failed(self) -> bool:
        return bool(self.gathered.failed or self.refused)


def policy_root(ctx: RunContext) -> Path:
    """The folder the policy's relative file paths are read from: the policy's own (else mkdocs.yml's)."""
    found = ctx.settings.policy_file
    return found.parent if found is not None else ctx.settings.root


def pull(ctx: RunContext, months: Sequence[str], only: Sequence[str] = (), dry_run: bool = False,
         env: Mapping[str, str] | None = None) -> PullRun:
    clock = time.perf_counter()
    result = validated(ctx)
    validated_at = time.perf_counter()
    policy = ctx.policy
    ids = {li.id for li in result.initiatives}
    unknown = [i for i in only if i not in ids]
    if unknown:
        raise UsageError(f"--only {unknown[0]}: no initiative has that id (the ids are the file names, e.g. "
                         f"{sorted(ids)[0] if ids else 'contract-review'})")
    every, clashes = bindings(result.initiatives, policy)
    chosen = [b for b in every if not only or b.initiative in only]
    gathered = gather(policy, policy_root(ctx), chosen, months, os.environ if env is None else env, every)
    gathered_at = time.perf_counter()
    out = PullRun(gathered, refused=list(clashes), bound=len(chosen),
                  seconds={"validate": validated_at - clock, "query": gathered.query_seconds,
                           "gather": gathered_at - validated_at})
    by_initiative: dict[str, list] = {}
    for f in gathered.figures:
        by_initiative.setdefault(f.initiative, []).append(f)
    root = ctx.settings.display_root
    texts: list[tuple[Path, str, str]] = []
    for li in result.initiatives:
        if li.id not in by_initiative:
            continue
        p = plan(li, by_initiative[li.id])
        out.plans.append(p)
        if not p.updates:
            continue
        path = root / li.path
        raw = path.read_bytes().decode("utf-8")
        crlf = "\r\n" in raw
        text = raw.replace("\r\n", "\n") if crlf else raw
        try:
            new = apply(text, p.updates)
        except Unwritable as exc:
            out.refused.append(f"{li.path}: {exc}")
            continue
        checked = validate_text(new, li.path, ctx.today, policy.catalogue)
        if checked.model is None:  # what the source gives breaks a rule of the file (a month before its first stage)
            first = next(pr for pr in checked.problems if pr.level == "error")
            out.refused.append(f"{li.path}: not written, since it would not validate: "
                               f"{first.path}:{first.line}:{first.column}: {first.text()}")
            continue
        if crlf:
            new = new.replace("\n", "\r\n")
        if new != raw:
            texts.append((path, li.path, new))
    if not dry_run:  # every file's text is made and checked before the first is written
        for path, shown, new in texts:
            write_atomically(path, new)
            out.written.append(shown)
    out.seconds["write"] = time.perf_counter() - gathered_at
    return out
