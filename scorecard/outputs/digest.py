"""The digest: this month's decisions with their money, what changed and what is overdue, in a few lines of Markdown.

For the people who never open the site: `scorecard digest` prints it (the publish workflow puts it in the job
summary, and can open an issue with it), and every build writes it into the site as `digest.md`. Text from
initiative files goes in as inert Markdown (every character but letters, digits and spaces as a character
reference), links are built from the site's own URL and the initiatives' ids.
"""

from __future__ import annotations

from typing import Any

from scorecard import fmt
from scorecard.report.changes import compare
from scorecard.config import DEFAULT_SITE_NAME
from scorecard.render.escape import md_inline, safe_url
from scorecard.report.model import InitiativeReport, Report

SHOWN = 5
"""Initiatives named per decision before "and N more"."""


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

    def link(item: InitiativeReport) -> str:
        name = md_inline(item.name)
        return f"[{name}]({page('initiatives/' + item.id)})" if base else str(name)

    def money(value: float | None) -> str:
        return fmt.money(value, cur)

    portfolio = current.portfolio
    lines = [f"# {md_inline(title)}: {fmt.month_name(current.as_of, long=True)}", ""]
    lines.append(f"As of {fmt.month_name(current.as_of)}: {portfolio.initiatives} initiatives, {portfolio.active} active; "
                 f"portfolio net {money(portfolio.net)}.")
    lines.append("")
    lines.append("## Decide this month")
    lines.append("")
    for verdict in ("scale", "kill"):  # the words of the site's decision block
        items = [i for i in current.initiatives if i.verdict == verdict]
        total = (portfolio.stake_by_verdict or {}).get(verdict)
        head = f"**{verdict.title()} {len(items)}**" + (
            "" if not total else f": {money(total.monthly)} of benefit a month at target users" if verdict == "scale"
            else f": stopping them saves {money(-total.monthly)} a month of net burn")
        lines.append(f"- {head}" + ("" if items else ": none"))
        items.sort(key=lambda i: ((-1 if verdict == "scale" else 1) * (i.monthly_stake or 0), i.id))
        for item in items[:SHOWN]:
            monthly = item.monthly_stake
            amount = money(monthly) if verdict == "scale" or monthly is None else "burns " + money(-monthly)
            lines.append(f"  - {link(item)}: {amount} a month, {verdict} since {fmt.month_name(item.waiting_since or item.verdict_since)}"
                         + (" (overdue)" if item.decision_overdue else
                            f", decide by {fmt.month_name(item.decide_by)}" if item.decide_by else ""))
        if len(items) > SHOWN:
            lines.append(f"  - and {len(items) - SHOWN} more" + (f": [Decisions]({page('decisions')})" if base else ""))
    overdue = [i for i in current.initiatives if i.decision_overdue]
    if overdue:
        lines += ["", f"**Overdue:** {len(overdue)} of these " + ("decisions wait" if len(overdue) > 1 else "decision waits")
                  + " longer than the policy allows."]
    changes = changes if changes is not None else compare(previous, current)
    if previous is not None:
        moved = [f"{link(v['item'])} {v['before'] or 'none'} → {v['after'] or 'none'}" for v in changes["verdicts"]]
        lines += ["", f"## Changed since {fmt.month_name(previous.as_of)}", ""]
        lines.append("- Verdicts: " + ("; ".join(moved[:SHOWN]) + (f"; and {len(moved) - SHOWN} more" if len(moved) > SHOWN else "")
                                       if moved else "none changed"))
        if changes["new"]:
            lines.append("- New: " + ", ".join(link(i) for i in changes["new"][:SHOWN]))
        if changes["stages"]:
            lines.append("- Stages: " + "; ".join(f"{link(s['item'])} {s['before']} → {s['after']}"
                                                  for s in changes["stages"][:SHOWN]))
        if changes["missing_updates"]:
            n = len(changes["missing_updates"])
            lines.append(f"- No figures for {fmt.month_name(current.as_of)} yet: {n} {'initiative' if n == 1 else 'initiatives'}")
    if base:
        lines += ["", f"[Open the scorecard]({base}) · [Decisions]({page('decisions')})"]
    return "\n".join(lines) + "\n"
