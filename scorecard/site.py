"""The site's edges: gather its inputs, and build it into `site/` atomically.

`site_inputs` is what the MkDocs plugin needs: the validated portfolio, the
scorecard as of the month and the previous month's scorecard to compare with.
`build_site` runs MkDocs into a fresh folder beside the target and swaps it in
only when the build succeeded, so a failed build leaves the old site as it was.
"""

from __future__ import annotations

import calendar
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorecard.clock import this_month
from scorecard.config import Settings
from scorecard.engine import Scorecard, compute_scorecard
from scorecard.errors import UserError
from scorecard.pipeline import validated_month
from scorecard.report import REPORT_VERSION, to_dict
from scorecard.validate import FileCache


@dataclass(frozen=True)
class SiteInputs:
    settings: Settings
    card: Scorecard
    previous: dict[str, Any] | None


def previous_scorecard(path: Path) -> dict[str, Any]:
    """A scorecard.json written by an earlier build (for example the last published month)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot read the previous scorecard: {exc}") from None
    if not isinstance(doc, dict) or doc.get("report_version") != REPORT_VERSION:
        raise UserError(f"{path}: not a scorecard.json of report version {REPORT_VERSION}")
    return doc


def site_inputs(settings: Settings, as_of: int | None = None, previous: Path | None = None,
                today: int | None = None, cache: FileCache | None = None) -> SiteInputs:
    """Validate, compute as of the month (default: the latest with data) and the month before."""
    policy = settings.policy()
    month_now = today if today is not None else this_month()
    result, month = validated_month(settings, max(month_now, as_of or 0), as_of, cache)
    card = compute_scorecard(result.initiatives, month, policy)
    if previous is not None:
        before: dict[str, Any] | None = previous_scorecard(previous)
    else:
        before = to_dict(compute_scorecard(result.initiatives, month - 1, policy))
    return SiteInputs(settings, card, before)


def source_date_epoch(as_of: int) -> int:
    """The build date pages and the sitemap carry: the last day of the as-of month, not the clock."""
    year, month = divmod(as_of, 12)
    day = calendar.monthrange(year, month + 1)[1]
    return calendar.timegm((year, month + 1, day, 0, 0, 0))


def build_site(config_file: Path, site_dir: Path, inputs: SiteInputs, strict: bool = False) -> Path:
    """Build the site from computed `inputs` into `site_dir`, replacing it only when the build succeeds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        plugin = config.plugins.get("scorecard")
        if plugin is None:
            raise UserError(f"{config_file}: the scorecard plugin is not enabled (plugins: - scorecard)")
        plugin.inputs = inputs  # computed once by the caller; the plugin would otherwise compute them again
        try:
            build(config)
        except MkDocsException as exc:
            raise UserError(f"the site build failed, {site_dir} is unchanged: {exc.format_message()}") from None
        _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site_dir


def _swap(new: Path, target: Path) -> None:
    """Put `new` in the place of `target` with two renames (the old one is removed after)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
