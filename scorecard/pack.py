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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scorecard import fmt
from scorecard.engine import Scorecard
from scorecard.errors import UserError
from scorecard.render import charts
from scorecard.report import to_dict
from scorecard.templates import PACKAGE

FILENAME = "board-pack.pdf"
PAGES = 12
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
    except ImportError as exc:  # the package itself is a dependency: what fails is its system library
        raise PackUnavailable(f"{PANGO}: {str(exc).splitlines()[0][:160]}") from None
    except OSError as exc:
        raise PackUnavailable(f"{PANGO}: {str(exc).splitlines()[0][:160]}") from None
    return weasyprint


def pack_html(card: Scorecard, previous: dict[str, Any] | None, templates: Sequence[Path] = (PACKAGE / "pages",),
              site_name: str = "AI initiative scorecard", site_url: str | None = None) -> str:
    """The pack as one HTML document (A4 landscape pages), charts inline as SVG images."""
    from scorecard.render.pages import by_money, decide_lists, environment, tiles

    current = to_dict(card)
    items = {i["id"]: i for i in current["initiatives"]}
    currency = card.policy.currency
    portfolio = current["portfolio"]
    decide = decide_lists(current["initiatives"])
    pages = sorted(decide["scale"] + decide["kill"],
                   key=lambda i: (-abs((i["stake"] or {}).get("monthly") or 0.0), i["id"]))[:PAGES]
    page_charts = {}
    for item in pages:
        fin = item["financials"]
        primary = next((k for k in item["kpis"] if k["primary"] and k["series"]), None)
        page_charts[item["id"]] = [
            _image(chart_svg(charts.money_chart(fin["monthly"], fin["payback_month"],
                                                f"Cumulative cost and benefit ({currency})", currency), 420, 200)),
            *([_image(chart_svg(charts.kpi_chart(primary), 420, 200))] if primary else [])]
    env = environment(templates)
    return env.get_template("board-pack.html.j2").render(
        site_name=site_name, site_url=site_url, as_of=current["as_of"], currency=currency, portfolio=portfolio,
        items=items, decide=decide, listed=LISTED, pages=pages, page_charts=page_charts,
        fix=by_money(portfolio["fix_list"], items, "fix"),
        tiles=tiles(portfolio, previous["portfolio"] if previous else None, currency),
        portfolio_charts=[_image(chart_svg(charts.funnel_chart(portfolio), 420, 230)),
                          _image(chart_svg(charts.money_chart(
                              portfolio["monthly"], None, f"Cumulative cost and benefit, all initiatives ({currency})",
                              currency), 420, 230))],
        money=lambda v: fmt.money(v, currency), more=max(0, len(decide["scale"]) + len(decide["kill"]) - PAGES))


def write_pack(card: Scorecard, previous: dict[str, Any] | None, out: Path,
               templates: Sequence[Path] = (PACKAGE / "pages",), site_name: str = "AI initiative scorecard",
               site_url: str | None = None) -> Path:
    """Write the board pack PDF to `out` (through a temporary file: never half a PDF)."""
    weasyprint = _weasyprint()
    html = pack_html(card, previous, templates, site_name, site_url)
    # inline data only: nothing in a pack comes from a file or the network, whatever a value says
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None)
    data = document.write_pdf()
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out



def pack_into_site(card: Scorecard, previous: dict[str, Any] | None, site: Path, templates: Sequence[Path],
                   site_name: str, site_url: str | None) -> str | None:
    """Write `board-pack.pdf` into a built site; None, or why there is no pack (the build goes on without it)."""
    try:
        write_pack(card, previous, site / FILENAME, templates, site_name, site_url)
    except PackUnavailable as exc:
        return f"no {FILENAME} in the site: {exc}"
    return None
