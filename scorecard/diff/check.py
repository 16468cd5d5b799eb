"""What a pull request does to the scorecard: `scorecard diff --base REF`.

For the files changed under the initiatives folder between REF and the
working tree: their validation result, every change to the past, and the
scorecard as of the reporting month (`RunContext.as_of`) computed on both sides and compared
(initiatives added or removed, months added, verdict, score and KPI status
changes). Changes to the past are what a reviewer must see:

- a *restatement*: a figure of a month REF already had, edited or withdrawn
  (a month's figures are withdrawn by keeping the block as
  `2026-03: {restated: why}`); its reason is the month block's `restated:`;
- a *moved goalpost*: the baseline, target, target month, direction, unit or
  primary flag of a KPI REF already had, changed, or the KPI removed; its
  reason is the KPI's `restated:`;
- a *removal*: a month block or a whole initiative file deleted. History is
  never deleted, so a removal has no valid reason: the hint says what to do
  instead.

`--strict` fails on any of them without a reason. Renamed and moved files are
compared with their old version. The base side is read from git's object
database (`ls-tree`, `cat-file`) into a temp folder: no attribute, symlink or
submodule of the base can change what is read or write outside it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from scorecard.audience import for_audience
from scorecard.config import Settings
from scorecard.context import RunContext
from scorecard.diff.history import compare_history
from scorecard.diff.model import Diff, safe_path, under_folder
from scorecard.errors import UserError
from scorecard.gitrepo import BLOB_MODES, Repo
from scorecard.load.reader import MAX_BYTES
from scorecard.load.units import spellings, unit_key
from scorecard.model import LoadedInitiative
from scorecard.months import format_month
from scorecard.problem import Problem, shown
from scorecard.report.build import build_report
from scorecard.report.changes import compare
from scorecard.rules.scorecard import compute_scorecard
from scorecard.validate.run import at_business_unit, validate_paths


def diff(ctx: RunContext, base: str) -> Diff:
    settings = ctx.settings
    root = settings.root
    repo = Repo(root)
    commit = repo.commit(base)
    folder = _folder(settings)
    files = repo.changes(commit, folder)
    today = ctx.today
    catalogue = ctx.policy.catalogue
    head = validate_paths([settings.initiatives], today=today, base=root, catalogue=catalogue)
    # A Problem shows its path escaped (a newline in a name): compare paths the way a Problem holds them.
    changed = {shown(c.path) for c in files}
    # every problem of the changed files, and any error elsewhere (it would stop the build too)
    result = Diff(base, commit, files, [p for p in head.problems if p.path in changed or p.level == "error"])
    with tempfile.TemporaryDirectory() as tmp:
        written = _write_base(repo, commit, folder, Path(tmp))
        for change in files:
            compare_history(result, change, written.get(change.old_path or change.path), root, folder)
        if head.failed():
            return result
        before = validate_paths([Path(tmp) / folder], today=today, base=Path(tmp), catalogue=catalogue)
    heads = {li.path: li for li in head.initiatives}
    bases = {li.path: li for li in before.initiatives}
    for change in files:
        now = heads.get(change.path)
        if now is not None:
            then = bases.get(change.old_path or change.path)
            added = sorted(set(now.model.months) - (set(then.model.months) if then else set()))
            if added:
                result.months_added[change.path] = added
    result.problems += [at_business_unit(p, root) for p in _renamed_units(before.initiatives, head.initiatives, changed)]
    as_of = ctx.as_of  # the month the site would show once this is merged
    result.as_of = format_month(as_of)
    policy = settings.policy()
    # what the change does to what the build holds (a public configuration: the public record only)
    result.changes = compare(build_report(compute_scorecard(for_audience(settings, before.initiatives), as_of, policy)),
                             build_report(compute_scorecard(for_audience(settings, head.initiatives), as_of, policy)))
    return result


def _renamed_units(before: list[LoadedInitiative], after: list[LoadedInitiative], changed: set[str]) -> list[Problem]:
    """A warning on each changed file that makes the site show an existing business unit under another spelling.

    Units are one by case and spacing and shown with their most common spelling, so a pull request that adds
    files could otherwise rename another team's unit without a word.
    """
    was = {unit_key(n): s for n, s in spellings(li.model.business_unit for li in before).items()}
    now = spellings(li.model.business_unit for li in after)
    out = []
    for li in after:
        name = li.model.business_unit
        old = was.get(unit_key(name))
        if li.path in changed and old is not None and now[name] != old and name == now[name]:
            out.append(Problem(li.path, 1, 1, "warning", "unit-spelling",
                               f"this change makes the site show the business unit '{old}' as '{name}'",
                               f"write '{old}', as the other files do"))
    return out


def _folder(settings: Settings) -> str:
    """The initiatives folder relative to the root, as git is given it."""
    try:
        return settings.initiatives.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        raise UserError(f"{settings.initiatives} is outside {settings.root}; "
                        "diff compares the initiatives folder inside the repository") from None


def _write_base(repo: Repo, commit: str, folder: str, target: Path) -> dict[str, Path]:
    """The plain files under `folder` at `commit`, written under `target`: {path in the repository: file}.

    Symlinks, submodules and unsafe names are left out; nothing is written
    outside `target`, which holds no link.
    """
    (target / folder).mkdir(parents=True, exist_ok=True)
    entries = [e for e in repo.tree(commit, folder)
               if e.kind == "blob" and e.mode in BLOB_MODES and under_folder(e.path, folder) and safe_path(e.path)]
    content = repo.blobs([e.oid for e in entries if e.size is not None and e.size <= MAX_BYTES])
    written = {}
    for e in entries:
        dest = target / e.path
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "xb") as out:
                if e.oid in content:
                    out.write(content[e.oid])
                else:  # over the size limit: as long as the loader needs to refuse it, not gigabytes
                    out.truncate(MAX_BYTES + 1)
        except OSError:  # a name this file system cannot hold, or a file where a folder should be
            continue
        written[e.path] = dest
    return written
