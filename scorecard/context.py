"""One run's context: what a command depends on besides its input files, built once at the edge.

The command line (`scorecard.cli`) and the MkDocs plugin are the edges. Each
builds one frozen `RunContext`: the month it is today (`--today`, else
$SCORECARD_TODAY, else the clock), the as-of month asked for (`--as-of`, else
the `as_of` option), the caller's SOURCE_DATE_EPOCH and the settings of
mkdocs.yml (paths, audience, policy, the site's name and address). Every stage
after it takes the context or the values in it; none reads the clock, the
environment or mkdocs.yml itself.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from scorecard.clock import this_month
from scorecard.config import Settings, read_settings
from scorecard.errors import UsageError, UserError
from scorecard.months import format_month, year_month
from scorecard.policy import Policy

EARLIEST = 1970 * 12
"""The first month the tool knows (1970-01)."""

EPOCH_ENV = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class RunContext:
    given_today: int | None = None
    """`--today`, or None: the clock (or $SCORECARD_TODAY) is read the first time `today` is asked for."""
    given_settings: Settings | None = None
    """Settings the edge already has (the plugin: MkDocs' own reading), or None: `config_path` is read when needed."""
    config_path: str | Path | None = None
    """`--config` (None: ./mkdocs.yml, which need not exist)."""
    as_of_asked: int | None = None
    """The month asked for on the command line (`--as-of`, `--month`), or None: the option, else the last month."""
    asked_by: str = "--as-of"
    """The option that asked for `as_of_asked`, for an error line (publish: `--month`)."""
    epoch: str | None = None
    """The caller's SOURCE_DATE_EPOCH as given (None: unset): the build is then dated at the end of the as-of
    month. Checked when a build needs it, so that a command that builds nothing never fails on it."""

    @functools.cached_property
    def today(self) -> int:
        """The calendar month now (a month index): months from it on have not ended. Read once, when first needed,
        so that a command that needs no date (schema, rules) never reads the clock."""
        return self.given_today if self.given_today is not None else this_month()

    @functools.cached_property
    def settings(self) -> Settings:
        """mkdocs.yml's scorecard options and site settings, read once, when first needed."""
        return self.given_settings if self.given_settings is not None else read_settings(self.config_path)

    @property
    def policy(self) -> Policy:
        return self.settings.policy()

    @property
    def public(self) -> bool:
        """A public build: public initiatives only, the withheld fields removed (see `scorecard.audience`)."""
        return self.settings.public

    @property
    def config_file(self) -> Path:
        return self.settings.config_file

    @functools.cached_property
    def as_of(self) -> int:
        """The month to judge as of: the one asked for, else the `as_of` option, else the last complete month.
        A month that has not ended is refused: its figures are not in yet."""
        source = self.asked_source()
        month = self.as_of_asked if self.as_of_asked is not None else self.settings.as_of
        last = self.today - 1
        if month is None:
            if last < EARLIEST:
                raise UserError(f"today is in {format_month(self.today)}: there is no complete month to judge as "
                                "of; give --today a later month")
            return last
        if month > last:
            error = UsageError if self.as_of_asked is not None else UserError  # an option's value, or mkdocs.yml's
            raise error(f"{source} {format_month(month)} has not ended yet (today is in "
                            f"{format_month(self.today)}): the latest month to judge as of is {format_month(last)}")
        return month

    def asked_source(self) -> str:
        """Where the as-of month was asked for, for an error line."""
        return self.asked_by if self.as_of_asked is not None else "mkdocs.yml: as_of"

    def at(self, as_of: int) -> RunContext:
        """The same run judged as of another month (publish's month, the month before)."""
        return dataclasses.replace(self, as_of_asked=as_of)

    def build_epoch(self, as_of: int) -> int:
        """The date the build's pages and sitemap carry: the caller's SOURCE_DATE_EPOCH, else the end of `as_of`."""
        given = caller_epoch(self.epoch)
        return given if given is not None else month_end_epoch(as_of)


def month_end_epoch(as_of: int) -> int:
    """The last day of the as-of month, in seconds since 1970 (00:00 UTC)."""
    year, month = year_month(as_of)
    day = calendar.monthrange(year, month)[1]
    return calendar.timegm((year, month, day, 0, 0, 0))


def caller_epoch(text: str | None) -> int | None:
    """SOURCE_DATE_EPOCH as the caller set it: a whole number of seconds, or None when unset."""
    given = (text or "").strip()
    if not given:
        return None
    if not given.isascii() or not given.isdigit() or int(given) >= 2**32:  # gzip headers hold 32 bits
        raise UserError(f"{EPOCH_ENV} must be a whole number of seconds since 1970, got {given[:40]!r}; "
                        "unset it to date the build at the end of the as-of month")
    return int(given)


def edge_context(settings: Settings | None = None, config_file: str | Path | None = None, *,
                 today: int | None = None, as_of: int | None = None, asked_by: str = "--as-of") -> RunContext:
    """The context of one run, from the edge: the environment now; the clock (unless `today` pins it) and, unless
    `settings` are given (the plugin has MkDocs' own), mkdocs.yml the first time a stage needs them."""
    return RunContext(given_today=today, given_settings=settings, config_path=config_file, as_of_asked=as_of,
                      asked_by=asked_by, epoch=os.environ.get(EPOCH_ENV))
