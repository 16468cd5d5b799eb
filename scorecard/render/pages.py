"""Render the whole site's pages from a computed scorecard, in memory.

`render_site` returns `{path in the docs folder: content}`; the MkDocs plugin
adds them as generated files. Nothing here touches the file system except
reading templates, and nothing reads the clock: the same scorecard gives the
same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.utils import get_relative_url

from scorecard import fmt
from scorecard.report.changes import compare
from scorecard.rules.scorecard import Result, Scorecard
from scorecard.render.methodology import methodology_markdown
from scorecard.catalogue import Catalogue, FieldSpec
from scorecard.interop.export import registers
from scorecard.compute.kpis import STATUS_LABEL
from scorecard.compute.stake import total_words
from scorecard.compute.provenance import figure_paths
from scorecard.sources.provenance import how
from scorecard.model import STAGES, WITHHELD_TEXT, json_schema
from scorecard.months import format_month
from scorecard.problem import plural
from scorecard.render import charts
from scorecard.rules import RULE_NAMES
from scorecard.report.model import Finding
from scorecard.render.escape import edit_link, html_text, json_script, mailto, md_inline, safe_url
from scorecard.render.options import PageCache, SiteOptions
from scorecard.report.doc import item_lines
from scorecard.report.model import InitiativeReport, MonthMoney, Portfolio, Report
from scorecard.load.units import unit_key, unit_slugs

VERDICT_ORDER = {"kill": 0, "fix": 1, "scale": 2, "iterate": 3, "sustain": 4, "closed": 5, None: 6}
ASSETS = "assets/scorecard"


MONEY_TILES = ("Cumulative cost", "Cumulative benefit", "Net benefit", "Portfolio ROI")
WITHHELD = "withheld"


DIGEST = "digest.md"
"""The digest in render_site's output: a file for the site's root, not a page (the plugin writes it after the build)."""


_SECTION = re.compile(r"<h2 id=")


def search_only_the_top(html: str) -> str:
    """An initiative page's HTML with every section after the top one out of the search index.

    The search finds an initiative by its name, summary, unit, stage, owner and sponsor (the top of the
    page); its verdict, figures, month tables and charts stay out, so that the index of thousands of
    initiatives stays small (Material's search skips a section whose heading has data-search-exclude).
    """
    return _SECTION.sub("<h2 data-search-exclude id=", html)


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown file (relative to the site root)."""
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return f"{stem}/" if directory_urls else f"{stem}.html"


def environment(templates: Sequence[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(t) for t in templates]), autoescape=True, undefined=jinja2.StrictUndefined,
        finalize=lambda v: html_text(v) if isinstance(v, str) else v, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update({
        "md": md_inline, "json_script": json_script, "safe_url": safe_url, "mailto": mailto, "num": fmt.num, "pct": lambda v, digits=1: fmt.pct(v, digits),
        "status": lambda s: STATUS_LABEL.get(s, s or "n/a"), "label": lambda s: (s or "").replace("_", " "),
        "rule_name": lambda r: RULE_NAMES.get(r, (r or "").replace("_", " ")), "month": fmt.month_name,
        "reason": _reason_text, "prose": fmt.months_in_prose, "plural": plural,
        "stake_words": lambda total, which, money: total_words(which, total, money),
    })
    return env


def _reason_text(finding: Finding) -> str:
    """A reason's message without its rule's name in front: the page shows the name already."""
    message, name = finding.message, RULE_NAMES.get(finding.rule, "")
    if name and message.lower().startswith(name.lower() + ":"):
        message = message[len(name) + 1:].strip()
    elif message.startswith(finding.rule + " waived"):  # an exemption: "waived until Jan 2027 by ..."
        message = message[len(finding.rule) + 1:]
    return fmt.months_in_prose(message)


def _signed(value: float, show: Callable[[float], str]) -> str:
    return ("+" if value > 0 else fmt.MINUS if value < 0 else "\u00b1") + show(abs(value)).lstrip("-")


def tiles(portfolio: Portfolio, previous: Portfolio | None, currency: str) -> list[dict[str, Any]]:
    """The home page's headline figures, each with its change since last month (None: nothing to compare)."""
    def money(v: float | None) -> str:
        return fmt.money(v, currency)

    def pct(v: float | None) -> str:
        return fmt.pct(None if v is None else 100 * v, 1)

    def points(v: float) -> str:
        return f"{100 * v:.1f} pts"

    p, q = portfolio, previous
    rows: list[tuple[str, Any, Any, Callable[[Any], str], Callable[[Any], str], str | None]] = [
        ("Active initiatives", p.active, q and q.active, fmt.num, fmt.num, None),
        ("Active users", p.active_users, q and q.active_users, fmt.num, fmt.num, None),
        ("Cumulative cost", p.cumulative_cost, q and q.cumulative_cost, money, money, None),
        ("Cumulative benefit", p.cumulative_benefit, q and q.cumulative_benefit, money, money, None),
        ("Net benefit", p.net, q and q.net, money, money, None),
        ("Portfolio ROI", p.roi, q and q.roi, pct, points, None),
    ]
    for kind in ("scale", "fix", "kill"):
        rows.append((f"To {kind}", p.by_verdict.get(kind, 0),
                     q.by_verdict.get(kind, 0) if q else None, fmt.num, fmt.num, kind))
    out = []
    for label, now, before, show, show_delta, verdict in rows:
        delta = None if now is None or before is None else now - before
        out.append({"label": label, "value": show(now), "verdict": verdict, "delta": delta,
                    "delta_text": None if delta is None else _signed(delta, show_delta)})
    return out


DECIDE_SHOWN = 5
"""How many initiatives of each decision the home page names before "and N more"."""


def stake(item: InitiativeReport) -> float:
    """The money the initiative's verdict moves a month; 0 when there is none (or it is withheld)."""
    return item.monthly_stake or 0.0


def decide_lists(items: Sequence[InitiativeReport]) -> dict[str, list[InitiativeReport]]:
    """The initiatives to scale and to kill, the most money at stake first (the most added net; the most burn
    avoided): one sign, so both sort the same way."""
    return {which: sorted((i for i in items if i.verdict == which), key=lambda i: (-stake(i), i.id))
            for which in ("scale", "kill")}


STAGE_ORDER = {stage: rank for rank, stage in enumerate(STAGES)}  # paused too, after production
KPI_ORDER = {"off_track": 0, "target_missed": 1, "at_risk": 2, "on_track": 3, "target_met": 4, "no_data": 5, None: 6}
TABLE_PAGE = 50
"""Rows of an initiative table in the page itself: the first page, for readers without script and for search engines."""
TABLE_DATA = f"{ASSETS}/initiatives.json"
"""Every row of the initiative tables, as compact JSON: the page's script filters, sorts and pages it."""


GROUP_OVER = 10
"""A decision list longer than this is grouped by business unit, each unit folded: the page stays short."""
OVERDUE_SHOWN = 10


def by_money(ids: list[str], items: dict[str, InitiativeReport], which: str) -> list[str]:
    """Scale and kill: the most money at stake first (the most added net; the most burn avoided); fix: the most
    burn first (its money at stake is its net run rate, most negative first)."""
    def money(ident: str) -> float:
        return stake(items[ident])
    return sorted(ids, key=(lambda i: (money(i), i)) if which == "fix" else (lambda i: (-money(i), i)))


def decision_groups(ids: list[str], items: dict[str, InitiativeReport], which: str,
                    units: dict[str, str]) -> list[dict[str, Any]]:
    """One verdict's initiatives by business unit, the most money at stake first (units and rows)."""
    groups: dict[str, list[str]] = {}
    for ident in by_money(ids, items, which):
        groups.setdefault(items[ident].business_unit, []).append(ident)
    out = [{"unit": u, "slug": units[u], "ids": g, "monthly": sum(stake(items[i]) for i in g)}
           for u, g in groups.items()]
    return sorted(out, key=lambda g: (-abs(g["monthly"]), g["unit"].lower()))


def overdue_first(ids: list[str], items: dict[str, InitiativeReport]) -> list[str]:
    """The overdue decisions, the most money at stake first (burn or benefit alike), then the longest wait."""
    def key(ident: str) -> tuple[float, int, str]:
        return (-abs(stake(items[ident])), -(items[ident].waiting_months or 0), ident)
    return sorted(ids, key=key)


def _initiative_row(item: InitiativeReport, currency: str) -> dict[str, Any]:
    primary = next((k for k in item.kpis if k.primary), None)
    row = {"id": item.id, "name": item.name, "unit": item.business_unit, "stage": item.stage,
           "verdict": item.verdict, "order": VERDICT_ORDER.get(item.verdict, 6),
           "kpi": primary.status if primary else None, "overdue": item.decision_overdue, "risk": item.risk_tier,
           "measured": item.measured,
           "model": item.operating_model or "", "fields": item.fields, **dict.fromkeys(TABLE_MONEY)}
    fin = item.financials
    if fin is not None:  # None: a public build that withholds money, and the tables have no money columns
        monthly = item.monthly_stake
        payback = fin.payback_month or fin.projected_payback_month
        row.update({"net": fin.net, "stake": monthly, "stake_text": "–" if monthly is None else fmt.money(monthly, currency),
                    "net_text": fmt.money(fin.net, currency), "payback": payback,
                    "projected": not fin.payback_month and bool(payback),
                    "payback_text": fmt.month_name(payback) if payback else "none"})
    return row


TABLE_MONEY = ("stake", "stake_text", "net", "net_text", "payback", "payback_text", "projected")
"""The initiative tables' money columns, absent from a build that withholds money."""

FACET_MAX = 25
"""A text field of the organisation's own becomes a table filter when it has at most this many values."""
WORDS_MAX = 200
"""Shorter text field values are searched by the tables' words filter; longer ones (descriptions) are not
loaded, so that the table's data stays small."""


def field_facets(rows: list[dict[str, Any]], specs: tuple[FieldSpec, ...]) -> list[FieldSpec]:
    """The organisation's fields the tables filter by: every choice field, and text fields with few values."""
    out = []
    for spec in specs:
        values = {str(r["fields"][spec.id]) for r in rows if spec.id in r["fields"]}
        if spec.type == "choice" or (spec.type == "text" and 0 < len(values) <= FACET_MAX):
            out.append(spec)
    return out


def table_json(rows: list[dict[str, Any]], units: dict[str, str], specs: tuple[FieldSpec, ...] = (),
               money: bool = True) -> str:
    """The rows of every initiative table as columns (one array per field, no repeated keys): about 100 bytes a row.

    Units are listed once and rows hold their index. The page's script builds each row with the same markup as
    the `initiative_table` macro, from text nodes only. The organisation's fields come as facets (`f.ID`
    columns, see `field_facets`) and as `words`, the short values the words filter searches. A build that
    withholds money (`money=False`) sends no money columns, and the tables show none.
    """
    names = sorted({r["unit"] for r in rows})
    index = {u: n for n, u in enumerate(names)}
    keys = ("id", "name", "unit", "stage", "verdict", "was", "overdue") + (TABLE_MONEY if money else ()) + (
        "kpi", "risk", "model")
    columns: dict[str, list[Any]] = {k: [] for k in keys}
    for r in rows:
        for key, values in columns.items():
            value = index[r["unit"]] if key == "unit" else r[key]
            values.append(int(value) if isinstance(value, bool) else value)
    facets = field_facets(rows, specs)
    for spec in facets:
        columns[f"f.{spec.id}"] = [str(r["fields"].get(spec.id, "")) for r in rows]
    if specs:
        columns["words"] = [" ".join(str(v) for k, v in r["fields"].items() if len(str(v)) <= WORDS_MAX) for r in rows]
    return json.dumps({"units": [[u, units[u]] for u in names], "rows": columns,
                       "facets": [[f"f.{spec.id}", spec.name, f"{spec.name}: all"] for spec in facets],
                       "order": {"verdict": VERDICT_ORDER_NAMES, "stage": list(STAGE_ORDER),
                                 "kpi": [k for k in KPI_ORDER if k]},
                       "status": {k: v for k, v in STATUS_LABEL.items()}},
                      ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


VERDICT_ORDER_NAMES = [v for v in VERDICT_ORDER if v]


GOVERNANCE_LABEL = {"done": "present", "expired": "expired", "missing": "missing", "in_progress": "in progress",
                    "past_due": "past due", "not_applicable": "not applicable"}


def _governance_rows(r: Result, catalogue: Catalogue) -> list[dict[str, Any]]:
    """The required controls in the tier's order, then other recorded controls ("not required"), then autonomy."""
    g = r.facts.governance
    rows = []
    for state in g.controls:
        status = "exempted" if state.exempted else GOVERNANCE_LABEL[state.status]
        rows.append({"control": state.name, "id": state.id, "status": status, "done": state.date or state.note,
                     "due": state.due, "note": state.note if state.date else None, "evidence": state.evidence})
    for ident, value in r.facts.initiative.governance.items():
        if ident not in g.required and value is not None:
            done = value if isinstance(value, str) else (value.date or value.note)
            rows.append({"control": catalogue.name(ident), "id": ident, "status": "not required", "done": done, "due": None,
                         "note": None, "evidence": None})
    if r.facts.initiative.autonomy == "autonomous":
        status = "exempted" if "autonomy" in g.exempted else "missing" if "autonomy" in g.gaps else "present"
        rows.append({"control": "Autonomous operation approved", "id": "autonomy", "status": status,
                     "done": "autonomous", "due": None, "note": None, "evidence": None})
    return rows


def _how(block: Any, money_shown: bool) -> str:
    """How a month's figures were obtained, in words: "3 measured, 1 estimated, 4 entered"."""
    counts = {"measured": 0, "estimated": 0, "entered": 0}
    for path in figure_paths(block):
        if money_shown or not path.startswith(("costs.", "benefits.")):
            counts[how(block, path)] += 1
    return ", ".join(f"{n} {k}" for k, n in counts.items() if n)


def _labeller(r: Result) -> Any:
    """A figure's path in words: users -> Active users; kpis.x -> the KPI's name; costs.x -> Cost: x."""
    names = {f"kpis.{k.id}": k.name for k in r.facts.initiative.kpis}

    def label(path: str) -> str:
        if path == "users":
            return "Active users"
        part, _, name = path.partition(".")
        return names.get(path) or f"{'Cost' if part == 'costs' else 'Benefit'}: {name.replace('_', ' ')}"
    return label


def _month_rows(r: Result, money_shown: bool = True) -> list[dict[str, Any]]:
    """The month blocks up to the as-of month, newest first, with their cost and benefit totals."""
    fin = r.facts.financials
    money = dict(zip(fin.months, zip(fin.cost, fin.benefit)))
    return [{"month": format_month(month), "status": block.status, "users": block.users, "note": block.note,
             "evidence": block.evidence, "restated": block.restated, "how": _how(block, money_shown),
             "cost": money[month][0] if block.costs else None, "benefit": money[month][1] if block.benefits else None}
            for month, block in reversed(r.facts.blocks)]


def _history(r: Result) -> dict[str, Any]:
    """Stage history and recorded decisions up to the as-of month."""
    return {"stage_history": list(r.facts.stage_history), "decisions": list(r.facts.decisions)}


@dataclass
class _Page:
    """What every template gets: where the page is and how to link from it."""

    src: str
    directory_urls: bool

    def link(self, target_src: str) -> str:
        target = page_url(target_src, self.directory_urls) if target_src.endswith(".md") else target_src
        here = page_url(self.src, self.directory_urls)
        return get_relative_url(target or ".", here or ".") if target != here else "./"




def unit_series(card: Scorecard, unit: str) -> list[MonthMoney]:
    """A business unit's cumulative cost and benefit, month by month."""
    return [MonthMoney(**m) for m in card.unit_series.get(unit_key(unit), [])]


def render_site(report: Report, card: Scorecard, previous: Report | None, options: SiteOptions,
                cache: PageCache | None = None) -> dict[str, str]:
    """Every generated page and data file, keyed by its path in the docs folder.

    The pages read the `report`; an initiative page also shows what its file holds (`card`: the facts
    the report was built from). With a `cache`, an initiative page whose data and file are the same as in
    the previous call is not rendered again (a live preview rebuilds one page).
    """
    env = environment(options.templates)
    items = report.initiatives
    lines = item_lines(report)
    by_id = {r.id: r for r in card.results}
    portfolio = report.portfolio
    units = unit_slugs(sorted({i.business_unit for i in items} | set(portfolio.by_business_unit)))
    changes = compare(previous, report)
    currency = report.currency
    was = {v["item"].id: v["before"] for v in changes["verdicts"]}
    show_money = report.money
    rows = sorted(({**_initiative_row(i, currency), "was": was.get(i.id, "")} for i in items),
                  key=lambda x: (x["order"], x["id"]))
    common = {"as_of": report.as_of, "currency": currency, "units": units, "show_money": show_money,
              "public": options.public, "site_name": options.site_name,
              "money": (lambda v: fmt.money(v, currency)) if show_money else (lambda v: WITHHELD),
              "ASSETS": ASSETS, "TABLE_DATA": TABLE_DATA, "WITHHELD_TEXT": WITHHELD_TEXT,
              "TABLE_PAGE": TABLE_PAGE}

    def render(template: str, src: str, **context: Any) -> str:
        page = _Page(src, options.directory_urls)
        return env.get_template(template).render(**common, link=page.link, **context)

    out: dict[str, str] = {}
    out["index.md"] = render(
        "home.md.j2", "index.md", portfolio=portfolio, rows=rows, decide=decide_lists(items), shown=DECIDE_SHOWN,
        tiles=[t for t in tiles(portfolio, previous.portfolio if previous else None, currency)
               if show_money or t["label"] not in MONEY_TILES],
        charts=[charts.funnel_chart(portfolio)] + ([
                charts.money_chart(portfolio.monthly or [], None, f"Cumulative cost and benefit, all initiatives ({currency})",
                                   currency)] if show_money else []),
        compared_with=changes["compared_with"])
    lookup = report.by_id()
    lists = {"scale": portfolio.scale_list, "kill": portfolio.kill_list, "fix": portfolio.fix_list}
    out["decisions.md"] = render(
        "decisions.md.j2", "decisions.md", portfolio=portfolio, items=lookup, decide=decide_lists(items),
        shown=DECIDE_SHOWN, group_over=GROUP_OVER, overdue=overdue_first(portfolio.overdue, lookup),
        overdue_shown=OVERDUE_SHOWN, overdue_months=card.policy.decisions.overdue_months,
        ordered={v: by_money(ids, lookup, v) for v, ids in lists.items()},
        groups={v: decision_groups(ids, lookup, v, units) for v, ids in lists.items()})
    out["changes.md"] = render("changes.md.j2", "changes.md", changes=changes)
    out["units/index.md"] = render("units.md.j2", "units/index.md", by_unit=portfolio.by_business_unit,
                                   portfolio=portfolio)
    for unit in dict.fromkeys(i.business_unit for i in items):  # the report gives each unit one spelling: one page
        src = f"units/{units[unit]}.md"
        if src in out:  # unit_slugs reserves the generated pages' names: reaching this is a bug
            raise RuntimeError(f"business unit {unit!r} would overwrite {src}")
        out[src] = render("unit.md.j2", src, unit=unit, totals=portfolio.by_business_unit[unit],
                          rows=[r for r in rows if r["unit"] == unit],
                          chart=charts.money_chart(unit_series(card, unit), None,
                                                   f"Cumulative cost and benefit ({currency})", currency)
                          if show_money else None)
    milestones = list(card.policy.milestones)
    for item, line in zip(items, lines):
        r = by_id[item.id]
        src = f"initiatives/{item.id}.md"
        key = line + units[item.business_unit]
        hit = cache.get(src) if cache is not None else None
        if hit is not None and hit[0] == key and hit[1] is r.facts.initiative:
            out[src] = hit[2]
            continue
        fin = item.financials
        out[src] = render(
            "initiative.md.j2", src, i=item, ini=r.facts.initiative, governance=_governance_rows(r, card.policy.catalogue),
            own_fields=[(spec, r.facts.initiative.fields[spec.id]) for spec in card.policy.published_fields
                        if spec.id in r.facts.initiative.fields],
            kpi_charts=[charts.kpi_chart(k) for k in item.kpis if k.series],  # no empty charts
            money_chart=charts.money_chart(fin.monthly, fin.payback_month, f"Cumulative cost and benefit ({currency})",
                                           currency) if fin is not None else None,
            users_chart=charts.users_chart(item.adoption, milestones),
            months=_month_rows(r, show_money), **_history(r), figure_label=_labeller(r),
            source_label=lambda name: (card.policy.sources[name].description or name) if name in card.policy.sources
            else name,
            edit_url=edit_link(options.edit_url, item.path) if options.edit_url else None)
        if cache is not None:
            cache[src] = (key, r.facts.initiative, out[src])
    out["methodology.md"] = methodology_markdown(card.policy, options.templates)
    out["data.md"] = render("data.md.j2", "data.md", registers=registers(card.policy.catalogue),
                            fields=list(card.policy.published_fields))
    out[TABLE_DATA] = table_json(rows, units, card.policy.published_fields, money=show_money)
    out["initiative.schema.json"] = json.dumps(json_schema(replace(card.policy.catalogue, fields=card.policy.published_fields)), indent=2, ensure_ascii=False) + "\n"
    out[f"{ASSETS}/specs.js"] = "window.scorecardSpecs = " + json_script(charts.specs()) + ";\n"
    return out
