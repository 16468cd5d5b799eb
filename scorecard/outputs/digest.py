"""The digest: this month's decisions with their money, what changed and what is overdue, in a few lines of Markdown.

For the people who never open the site: `scorecard digest` prints it (the publish workflow puts it in the job
summary, and can open an issue with it), and every build writes it into the site as `digest.md`. The words are
`site_templates/markdown/digest.md.j2`'s; text from initiative files goes in as inert Markdown (every character
but letters, digits and spaces as a character reference), links are built from the site's own URL and the
initiatives' ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from scorecard import fmt
from scorecard.compute.stake import total_words
from scorecard.report.changes import compare
from scorecard.config import DEFAULT_SITE_NAME
from scorecard.render.escape import md_inline, safe_url
from scorecard.render.markdown import markdown_environment
from scorecard.report.model import InitiativeReport, Report

SHOWN = 5
"""Initiatives named per decision before "and N more"."""
TEMPLATE = "digest.md.j2"


def digest_markdown(current: Report, previous: Report | None, site_url: str | None = None,
                    title: str = DEFAULT_SITE_NAME, directory_urls: bool = True,
                    changes: dict[str, Any] | None = None) -> str:
    """The digest of `current` against `previous`; links need the site's URL. `changes`:
    `changes.compare(previous, current)` when the caller has it already."""
    cur = current.currency
    url = (safe_url(site_url) or "") if site_url else ""
    base = url.rstrip("/") + "/" if url else ""

    def page(path: str) -> str:
        return f"{base}{path}/" if directory_urls else f"{base}{path}.html"

    def link(item: InitiativeReport) -> Markup:
        name = md_inline(item.name)
        return Markup(f"[{name}]({page('initiatives/' + item.id)})") if base else name

    def money(value: float | None) -> str:
        return fmt.money(value, cur)

    portfolio = current.portfolio
    decisions = []
    for verdict in ("scale", "kill"):  # the words of the site's decision block
        items = [i for i in current.initiatives if i.verdict == verdict]
        total = (portfolio.stake_by_verdict or {}).get(verdict)
        items.sort(key=lambda i: (-(i.monthly_stake or 0), i.id))  # the most at stake first, as on the site
        decisions.append({
            "verdict": verdict, "members": items, "more": max(len(items) - SHOWN, 0),
            "total": "" if not total else f": {total_words(verdict, total, money)}",
            "shown": [{"item": item, "amount": _amount(item, money), "ask": item.ask.split(";")[0].split(":")[0] if item.ask else None,  # its money is the line's
                       "since": waiting(item),
                       "tail": " (overdue)" if item.decision_overdue else
                       f", decide by {fmt.month_name(item.decide_by)}" if item.decide_by else ""}
                      for item in items[:SHOWN]],
        })
    changes = changes if changes is not None else compare(previous, current)
    changed = None
    if previous is not None:
        changed = {"since": fmt.month_name(previous.as_of), "verdicts": changes["verdicts"][:SHOWN],
                   "more": max(len(changes["verdicts"]) - SHOWN, 0), "new": changes["new"][:SHOWN],
                   "stages": changes["stages"][:SHOWN], "missing": len(changes["missing_updates"])}
    env = markdown_environment()
    env.filters["link"] = link
    return env.get_template(TEMPLATE).render(
        title=title, month_long=fmt.month_name(current.as_of, long=True), month=fmt.month_name(current.as_of),
        p=portfolio, net=money(portfolio.net) if portfolio.net is not None else "n/a (no figures)",
        decisions=decisions, changed=changed, base=base, page=page,
        overdue=sum(1 for i in current.initiatives if i.decision_overdue)).rstrip("\n") + "\n"


def waiting(item: InitiativeReport) -> str:
    """The one "since" of a scale or kill verdict, as the site's cards say it (see `_macros.j2`'s `waiting`)."""
    if item.waiting_since:
        n = item.waiting_months or 0
        return f"waiting since {fmt.month_name(item.waiting_since)} ({n} {'month' if n == 1 else 'months'})"
    if item.decided:
        d = item.decided
        users = f"{d.milestone_users:,} users " if d.milestone_users else ""
        return (f"decided {fmt.month_name(d.month)}: {users}by {fmt.month_name(d.until)}" if d.milestone
                else f"decided {fmt.month_name(d.month)}, stands until {fmt.month_name(d.until)}")
    return f"{item.verdict} since {fmt.month_name(item.verdict_since)}" if item.verdict_since else ""


def _amount(item: InitiativeReport, money: Callable[[float | None], str]) -> str:
    """The money at stake and what it counts, as on the site's cards: `USD 50.0k a month, added net at 500 users`,
    and a kill's one-off exit cost."""
    label = item.stake.label if item.stake else ""
    one_off = item.stake.one_off if item.stake else None
    return (money(item.monthly_stake) + " a month" + (f", {label}" if label else "")
            + (f", after a one-off exit cost of {money(-one_off)}" if one_off else ""))
