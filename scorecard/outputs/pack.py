"""The board pack: the month's scorecard as a PDF that goes to a board meeting.

A cover with the month; one page of decisions with the money at stake; one page of portfolio figures and
charts; one page for each initiative the scorecard says to scale or kill (the most money at stake first, up
to `PAGES`). `scorecard pack` writes it, and every `build` and `publish` puts `board-pack.pdf` in the site.

The engine is WeasyPrint, chosen over headless Chromium because:
- it is a Python library (`pip install`), so a build needs no browser;
- it writes the same bytes for the same input: no creation date, no random document id, which Chromium adds
  to every PDF;
- it renders the SVG charts as vectors and embeds (subsets) the fonts;
- it fetches nothing: its URL fetcher is given the `data:` protocol only.

The charts are the site's own Vega-Lite specs, drawn to SVG at build time by vl-convert with the print
theme below. WeasyPrint needs the Pango library (Debian: libpango-1.0-0 and libpangoft2-1.0-0); without
it, `scorecard pack` fails with that instruction, and a site build goes on without the pack, saying why.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scorecard import fmt
from scorecard.extras import install_line
from scorecard.config import DEFAULT_SITE_NAME
from scorecard.errors import UserError
from scorecard.render import charts
from scorecard.report.model import InitiativeReport, Report
from scorecard.report.read import parse_report
from scorecard.render.options import SiteOptions
from scorecard.render.templates import PACKAGE

FILENAME = "board-pack.pdf"
PAGES = 10
"""At most this many initiative pages (the most money at stake first); the decisions page lists them all."""
LISTED = 10
"""Initiatives to scale and to kill named on the decisions page, each, before "and N more"."""
PANGO = ("the board pack needs the Pango library for WeasyPrint "
         "(Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0)")

PRINT_THEME = {
    "background": "white", "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
    "view": {"stroke": None},
    "axis": {"labelColor": "#444", "titleColor": "#222", "gridColor": "#e4e4e4", "domainColor": "#888",
             "tickColor": "#888", "labelFontSize": 10},
    "legend": {"labelColor": "#222", "labelFontSize": 10, "orient": "bottom"},
    "title": {"color": "#222", "anchor": "start", "fontSize": 12, "fontWeight": 600, "offset": 6},
    "text": {"color": "#222"}, "rule": {"color": "#666"},
}


class PackUnavailable(UserError):
    """WeasyPrint cannot run here (its system library is missing)."""


def _rows(data: Any) -> list[dict[str, Any]]:
    """A dataset as rows: the payloads hold columns (`{field: [values]}`), as scorecard.js reads them."""
    if isinstance(data, list):
        return data
    keys = list(data)
    return [dict(zip(keys, values)) for values in zip(*(data[k] for k in keys))] if keys else []


def chart_svg(payload: dict[str, Any], width: int, height: int | None = None) -> str:
    """One chart of the site drawn to SVG, the way the browser draws it (layers without data left out)."""
    import vl_convert

    spec = copy.deepcopy(charts.specs()[payload["chart"]])
    spec["datasets"] = {name: _rows(data) for name, data in payload["datasets"].items()}
    if "layer" in spec:
        spec["layer"] = [layer for layer in spec["layer"]
                         if not (layer.get("data") or {}).get("name") or spec["datasets"].get(layer["data"]["name"])]
    spec["title"] = payload["title"]
    spec["width"] = width
    if height:
        spec["height"] = height
    spec["config"] = {**spec.get("config", {}), **PRINT_THEME}
    return vl_convert.vegalite_to_svg(spec)


def _image(svg: str) -> str:
    """An SVG as a data URL for an <img>: its text can never become markup of the pack's page."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "weasyprint":  # a core or site install: the pack is an extra
            raise PackUnavailable(f"the board pack needs WeasyPrint, which the pack extra installs: "
                                  f"{install_line('pack')}") from None
        raise PackUnavailable(f"{PANGO}: {str(exc).splitlines()[0][:160]}") from None
    except ImportError as exc:  # the package is there: what fails is its system library
        raise PackUnavailable(f"{PANGO}: {str(exc).splitlines()[0][:160]}") from None
    except OSError as exc:
        raise PackUnavailable(f"{PANGO}: {str(exc).splitlines()[0][:160]}") from None
    return weasyprint


def pack_context(current: Report, previous: Report | None) -> dict[str, Any]:
    """What the pack shows: the report's portfolio, the decisions it lists and the initiatives it gives a page,
    whatever the size of the portfolio."""
    from scorecard.render.pages import by_money, decide_lists, stake, tiles

    items = current.by_id()
    portfolio = current.portfolio
    decide = decide_lists(current.initiatives)
    pages: list[InitiativeReport] = sorted(decide["scale"] + decide["kill"], key=lambda i: (-stake(i), i.id))[:PAGES]
    fix = by_money(portfolio.fix_list, items, "fix")
    return {"as_of": current.as_of, "currency": current.currency, "portfolio": portfolio, "pages": pages,
            "counts": {v: len(decide[v]) for v in ("scale", "kill")},
            "decide": {v: decide[v][:LISTED] for v in ("scale", "kill")},
            "fix": {"count": len(fix), "names": [items[i].name for i in fix[:5]]},
            "tiles": tiles(portfolio, previous.portfolio if previous else None, current.currency)[:6],
            "more": max(0, len(decide["scale"]) + len(decide["kill"]) - PAGES)}


def pack_html(context: dict[str, Any], templates: Sequence[Path] = (PACKAGE / "pages",),
              site_name: str = DEFAULT_SITE_NAME, site_url: str | None = None) -> str:
    """The pack as one HTML document (A4 landscape pages), charts inline as SVG images."""
    from scorecard.render.pages import environment

    currency, portfolio = context["currency"], context["portfolio"]
    page_charts = {}
    for item in context["pages"]:
        fin = item.financials
        primary = next((k for k in item.kpis if k.primary and k.series), None)
        page_charts[item.id] = [
            _image(chart_svg(charts.money_chart(fin.monthly, fin.payback_month,
                                                f"Cumulative cost and benefit ({currency})", currency), 420, 200)),
            *([_image(chart_svg(charts.kpi_chart(primary), 420, 200))] if primary else [])]
    env = environment(templates)
    return env.get_template("board-pack.html.j2").render(
        **context, site_name=site_name, site_url=site_url, page_charts=page_charts,
        portfolio_charts=[_image(chart_svg(charts.funnel_chart(portfolio), 420, 230)),
                          _image(chart_svg(charts.money_chart(
                              portfolio.monthly or [], None, f"Cumulative cost and benefit, all initiatives ({currency})",
                              currency), 420, 230))],
        money=lambda v: fmt.money(v, currency))


def pack_pdf(report: Report, previous: Report | None, templates: Sequence[Path] = (PACKAGE / "pages",),
             site_name: str = DEFAULT_SITE_NAME, site_url: str | None = None) -> bytes:
    """The board pack of a report as PDF bytes."""
    weasyprint = _weasyprint()
    html = pack_html(pack_context(report, previous), templates, site_name, site_url)
    # inline data only: nothing in a pack comes from a file or the network, whatever a value says
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return bytes(weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf())


def write_pack(report: Report, previous: Report | None, out: Path,
               templates: Sequence[Path] = (PACKAGE / "pages",), site_name: str = DEFAULT_SITE_NAME,
               site_url: str | None = None) -> Path:
    """Write the board pack of a report to `out` (through a temporary file: never half a PDF)."""
    data = pack_pdf(report, previous, templates, site_name, site_url)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out


def previous_json(inputs: Any) -> str | None:
    """The scorecard.json of the month the pack compares with (`SiteInputs.previous`), or None."""
    from scorecard.outputs.scorecard_json import to_json

    return to_json(inputs.previous) if inputs.previous is not None else None


WORKBOOK = "scorecard.xlsx"
"""The Data page's workbook, made in the pack's process (openpyxl takes seconds for a large portfolio)."""


class SitePack:
    """The slow outputs of a site build (the registry's `background` ones: the workbook, the board pack), made
    beside it: started when the pages are rendered, collected after.

    A separate Python process (`python -m scorecard.outputs.pack FOLDER`, never a fork of a process that may hold
    threads) makes them while MkDocs builds the pages, so on two cores they add little to a build's time. Its
    input is the report as scorecard.json holds it, read back through the typed model. `collect` puts the
    files into the built site, or says why one is missing: the build goes on.
    """

    def __init__(self, names: Sequence[str], report_json: str, previous_json: str | None,
                 options: SiteOptions, fields: Sequence[str] = ()) -> None:
        import subprocess
        import sys
        import tempfile

        self.names = list(names)
        self.folder = Path(tempfile.mkdtemp(prefix="scorecard-pack-"))
        (self.folder / "scorecard.json").write_text(report_json, encoding="utf-8")
        if previous_json is not None:
            (self.folder / "previous.json").write_text(previous_json, encoding="utf-8")
        job = {"outputs": self.names, "fields": list(fields), "templates": [str(t) for t in options.templates],
               "site_name": options.site_name, "site_url": options.site_url}
        (self.folder / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        try:
            self.process: subprocess.Popen[str] | None = subprocess.Popen(
                [sys.executable, "-P", "-m", "scorecard.outputs.pack", str(self.folder)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        except OSError:  # no interpreter to start (an embedded Python): make them when collected, in this one
            self.process = None

    def collect(self, site: Path) -> str | None:
        """Move the files into `site`; None, or why one is missing."""
        import shutil

        try:
            if self.process is None:
                code, errors = _main(str(self.folder)), ""
            else:
                errors = self.process.communicate()[1]
                code = self.process.returncode
            made = self.folder / "out"
            if "xlsx" in self.names:
                if not (made / WORKBOOK).is_file():
                    return f"no {WORKBOOK} in the site: the workbook failed (exit code {code})"
                shutil.move(str(made / WORKBOOK), str(site / WORKBOOK))
            if "pack" not in self.names:
                return None
            pdf, why = made / FILENAME, self.folder / "why"
            if code == 0 and pdf.is_file():
                shutil.move(str(pdf), str(site / FILENAME))
                return None
            if why.exists():
                reason = why.read_text(encoding="utf-8")
            else:
                last = (errors or "").strip().splitlines()[-1:] or [f"exit code {code}"]
                reason = f"the board pack failed: {last[0][:200]}"
            return f"no {FILENAME} in the site: {reason}"
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        """The build failed: stop and leave nothing behind."""
        import shutil

        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)


def _report(path: Path) -> Report:
    report = parse_report(json.loads(path.read_text(encoding="utf-8")))
    if report is None:  # written by the build that started this process: reaching this is a bug
        raise RuntimeError(f"{path}: not a complete report")
    return report


def _main(folder: str) -> int:
    """The process of `SitePack`: make FOLDER/job.json's outputs into FOLDER/out, or say why in FOLDER/why."""
    from scorecard.outputs import OUTPUTS, Job

    where = Path(folder)
    job = json.loads((where / "job.json").read_text(encoding="utf-8"))
    report = _report(where / "scorecard.json")
    previous = _report(where / "previous.json") if (where / "previous.json").is_file() else None
    options = SiteOptions(templates=[Path(t) for t in job["templates"]], site_name=job["site_name"],
                          site_url=job["site_url"])
    made = where / "out"
    made.mkdir()
    for name in job["outputs"]:
        try:
            files = OUTPUTS[name].make(Job(report, None, previous, options, tuple(job["fields"])))
        except UserError as exc:  # PackUnavailable; not named: this module runs as __main__, a class of its own
            (where / "why").write_text(str(exc), encoding="utf-8")
            return 3
        for rel, content in files.items():
            (made / rel).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1]))
