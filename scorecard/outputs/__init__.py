"""The outputs: every file the scorecard writes from its typed report, registered under a name.

Each output is one function from a `Job` (the report, the month it is compared
with, the facts behind it and the site's options) to its files, `{name:
content}`. The site, `report`, `export`, `digest` and `pack` read this registry;
nothing else lists the outputs. An output marked `internal` (the digest, the
board pack) is for the organisation's own leaders: a public build never makes
it, and that rule lives here only. The registers (`omb-2025`) come from the
policy's catalogue, so the full list is `outputs(policy)`.

Like yamllint's rules, the registry is an explicit table, not classes found by
name at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scorecard.rules.scorecard import Scorecard
from scorecard.policy import Policy
from scorecard.render.options import PageCache, SiteOptions
from scorecard.report.model import Report

Files = dict[str, str | bytes]
"""An output's files by their path in the site."""


@dataclass(frozen=True)
class Job:
    """What an output is made from."""

    report: Report
    card: Scorecard | None
    """The facts the report was built from: the registers and the initiative pages show what each file holds
    (None in the process of `pack.SitePack`, whose outputs read the report alone)."""
    previous: Report | None = None
    options: SiteOptions = SiteOptions()
    fields: tuple[str, ...] = ()
    """The ids of the organisation's published fields (the CSV and the workbook give each a column)."""
    cache: PageCache | None = None
    """The rendered initiative pages of a live preview, kept between its builds."""


def job(report: Report, card: Scorecard, previous: Report | None = None, options: SiteOptions = SiteOptions(),
        cache: PageCache | None = None) -> Job:
    """The job of a computed scorecard: its published fields from its policy."""
    return Job(report, card, previous, options, tuple(f.id for f in card.policy.published_fields), cache)


def _card(job: Job) -> Scorecard:
    if job.card is None:  # the registry lists these outputs as made in the build's own process
        raise RuntimeError("this output needs the computed facts")
    return job.card


@dataclass(frozen=True)
class Output:
    name: str
    make: Callable[[Job], Files]
    describe: str
    internal: bool = False
    """Only for the organisation: a public build never makes it."""
    site: bool = True
    """Whether a site build holds it."""
    background: bool = False
    """Slow (seconds for a large portfolio): a site build makes it in a process of its own, beside MkDocs."""
    tags: frozenset[str] = field(default_factory=frozenset)


def _table(job: Job) -> Files:
    from scorecard.outputs.table import to_table

    return {"scorecard.txt": to_table(job.report)}


def _json(job: Job) -> Files:
    from scorecard.outputs.scorecard_json import to_json

    return {"scorecard.json": to_json(job.report)}


def _csv(job: Job) -> Files:
    from scorecard.outputs.scorecard_csv import to_csv

    return {"scorecard.csv": to_csv(job.report, job.fields)}


def _xlsx(job: Job) -> Files:
    from scorecard.interop.export import workbook

    return {"scorecard.xlsx": workbook(job.report, list(job.fields))}


def _digest(job: Job) -> Files:
    from scorecard.outputs.digest import digest_markdown

    o = job.options
    return {"digest.md": digest_markdown(job.report, job.previous, o.site_url, o.site_name, o.directory_urls)}


def _pack(job: Job) -> Files:
    from scorecard.outputs.pack import FILENAME, pack_pdf

    o = job.options
    return {FILENAME: pack_pdf(job.report, job.previous, o.templates, o.site_name, o.site_url)}


def _pages(job: Job) -> Files:
    from scorecard.render.pages import render_site

    return dict(render_site(job.report, _card(job), job.previous, job.options, job.cache))


def _register(name: str) -> Callable[[Job], Files]:
    def make(job: Job) -> Files:
        from scorecard.interop.export import inventory_csv, registers

        card = _card(job)
        return {f"inventory-{name}.csv": inventory_csv([(r.id, r.facts.initiative) for r in card.results],
                                                       registers(card.policy.catalogue)[name])}
    return make


OUTPUTS: dict[str, Output] = {o.name: o for o in (
    Output("pages", _pages, "the site's pages, the initiative tables' data and the initiative file schema"),
    Output("json", _json, "scorecard.json: the whole report (schema/scorecard.schema.json)"),
    Output("csv", _csv, "scorecard.csv: one row per initiative, safe to open in a spreadsheet"),
    Output("xlsx", _xlsx, "scorecard.xlsx: a sheet per table of the report", internal=True, background=True),
    Output("digest", _digest, "digest.md: this month's decisions, changes and overdue decisions", internal=True),
    Output("pack", _pack, "board-pack.pdf: the month's decisions and figures for the board", internal=True,
           background=True),
    Output("table", _table, "a plain table for a terminal", site=False),
)}
"""The outputs every portfolio has; `outputs(policy)` adds the registers its policy declares."""


def outputs(policy: Policy, public: bool = False) -> dict[str, Output]:
    """Every output of a portfolio under `policy`; `public`: only those a public build may make."""
    from scorecard.interop.export import registers

    every = {**OUTPUTS, **{name: Output(name, _register(name), f"inventory-{name}.csv: the portfolio in the layout "
                                        f"of the {mapping.title or name}", tags=frozenset({"register"}))
                           for name, mapping in registers(policy.catalogue).items()}}
    return {name: o for name, o in every.items() if not (public and o.internal)}


def site_outputs(policy: Policy, public: bool) -> list[Output]:
    """The outputs a site build holds."""
    return [o for o in outputs(policy, public).values() if o.site]


def site_files(job: Job) -> dict[str, str]:
    """Every file of a site build that is made in its own process, in the registry's order: all text (the
    binary ones, the workbook and the board pack, are made in the background)."""
    out: dict[str, str] = {}
    for o in site_outputs(_card(job).policy, job.options.public):
        if not o.background:
            for name, content in o.make(job).items():
                if not isinstance(content, str):
                    raise TypeError(f"output {o.name} makes {name} as bytes; a binary one is made in the background")
                out[name] = content
    return out
