"""What a reader of a large portfolio waits for: the site of N initiatives measured in headless Chromium.

    ./dev bench-site                      # N = 3,000 initiatives x 24 months
    ./dev bench-site --count 500 --write  # another size; --write records the table in RESULTS.md

Builds the synthetic portfolio (benchmarks/generate.py) with `scorecard build`, then reports:

- sizes: the home page's HTML, the table data it loads (one JSON file for every initiative table),
  the Decisions page, one business unit's page and the search index;
- heights at 1366x768: the home and Decisions pages, in pixels;
- timings in Debian's Chromium (Playwright), from the Performance API: the table's first render from
  its data, then sorting, filtering by a facet and filtering by words, each repeated; the time the page
  script spends (performance.measure "scorecard:*") and the time to the next frame, as a reader sees it;
- search: from opening the home page to the first results of a query in Material's search.

The targets (issue 14) are printed beside each figure: HTML under 300 KB, search index under 3 MB, sort and
filter under 100 ms.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from results import record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
CHROMIUM = "/usr/bin/chromium"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SCORECARD_TODAY": "2026-11", "SOURCE_DATE_EPOCH": "1793404800"}
REPEAT = 7


def build(count: int, months: int) -> Path:
    work = WORK / f"site-n{count}"
    initiatives = work / "initiatives"
    if not initiatives.is_dir():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(initiatives), "--count", str(count),
                        "--months", str(months), "--end", "2026-10"], check=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(\s*initiatives:).*$", rf"\1 {initiatives}", config)
    config = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: {ROOT / 'docs'}", config)
    (work / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = work / "site"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scorecard", "build", "--config", str(work / "mkdocs.yml"),
                    "--site-dir", str(site)], check=True, env=ENV, cwd=work, stdout=subprocess.DEVNULL)
    print(f"built N = {count} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


FRAME = """async (selector) => {
  const t0 = performance.now();
  ACTION;
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
}"""


def measure(site: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[str, object] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(base, wait_until="networkidle")
            page.wait_for_selector(".sc-itable--live")
            out["first render"] = page.evaluate(
                "performance.getEntriesByName('scorecard:load').map(e => e.duration)")
            out["home height"] = page.evaluate("document.documentElement.scrollHeight")
            script: dict[str, list[float]] = {"sort": [], "facet": [], "words": []}
            frame: dict[str, list[float]] = {"sort": [], "facet": [], "words": []}
            for i in range(REPEAT):
                key = ["net", "name", "stake", "payback", "verdict", "kpi", "stage"][i % 7]
                frame["sort"].append(page.evaluate(FRAME.replace(
                    "ACTION", "document.querySelector(selector).click()"), f".sc-itable th[data-key='{key}']"))
                verdict = ["=kill", "=scale", "=fix", "", "=iterate", "=sustain", ""][i]
                frame["facet"].append(page.evaluate(FRAME.replace("ACTION", (
                    "const s = document.querySelector(selector); s.value = '" + verdict + "'; "
                    "s.dispatchEvent(new Event('change', {bubbles: true}))")), "select[data-facet='verdict']"))
                words = ["invoice", "contract sales", "legal 1", "", "routes", "forecast", ""][i]
                frame["words"].append(page.evaluate(FRAME.replace("ACTION", (
                    "const s = document.querySelector(selector); s.value = '" + words + "'; "
                    "s.dispatchEvent(new Event('input', {bubbles: true}))")), ".sc-itable .sc-filter"))
            for name, measure_name in (("sort", "sort"), ("facet", "filter"), ("words", "filter")):
                entries = page.evaluate(f"performance.getEntriesByName('scorecard:{measure_name}').map(e => e.duration)")
                script[name] = entries if name == "sort" else entries[(0 if name == "facet" else 1)::2]
            out["script"] = script
            out["frame"] = frame
            out["url after"] = page.evaluate("location.search")
            page.goto(base + "decisions/", wait_until="networkidle")
            out["decisions height"] = page.evaluate("document.documentElement.scrollHeight")
            searches = []
            for query in ("invoice", "legal", "routes tickets"):
                page.goto(base, wait_until="domcontentloaded")
                started = page.evaluate("performance.now()")
                page.keyboard.press("/")  # Material's shortcut opens the search
                page.keyboard.type(query)
                page.wait_for_selector(".md-search-result__item", timeout=60_000)
                searches.append(page.evaluate("performance.now()") - started)
            out["search"] = searches
            browser.close()
    finally:
        server.shutdown()
    return out


def sizes(site: Path) -> dict[str, int]:
    units = sorted((site / "units").glob("*/index.html"), key=lambda p: p.stat().st_size)
    return {"home": (site / "index.html").stat().st_size,
            "table data": (site / "assets" / "scorecard" / "initiatives.json").stat().st_size,
            "decisions": (site / "decisions" / "index.html").stat().st_size,
            "largest unit page": units[-1].stat().st_size if units else 0,
            "search index": (site / "search" / "search_index.json").stat().st_size}


def table(count: int, months: int, size: dict[str, int], m: dict[str, object]) -> str:
    def kb(n: int) -> str:
        return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):.1f} ms (max {max(values):.1f})"

    script, frame = m["script"], m["frame"]
    rows = [
        ("home page HTML", kb(size["home"]), "under 300 KB"),
        ("table data, every initiative (JSON, loaded once)", kb(size["table data"]), ""),
        ("largest business-unit page HTML", kb(size["largest unit page"]), ""),
        ("Decisions page HTML", kb(size["decisions"]), ""),
        ("search index", kb(size["search index"]), "under 3 MB"),
        ("home page height at 1366x768", f"{m['home height']:,} px", "(was 140,264 px of table)"),
        ("Decisions page height at 1366x768", f"{m['decisions height']:,} px", "(was 202,255 px)"),
        ("table's first render from its data (script)", ms(m["first render"]), ""),
        ("sort 3,000 rows: script / to next frame", f"{ms(script['sort'])} / {ms(frame['sort'])}", "under 100 ms"),
        ("filter by a facet: script / to next frame", f"{ms(script['facet'])} / {ms(frame['facet'])}", "under 100 ms"),
        ("filter by words: script / to next frame", f"{ms(script['words'])} / {ms(frame['words'])}", "under 100 ms"),
        ("page opened to first search results", f"{statistics.median(m['search']) / 1000:.2f} s "
                                                  f"(max {max(m['search']) / 1000:.2f})", "(was 6.7 s)"),
    ]
    lines = [f"N = {count:,} initiatives x {months} months (benchmarks/generate.py), as of 2026-10; timings are the "
             f"median of {REPEAT} in Debian's Chromium, headless, on this machine.", "",
             "| measure | result | target |", "| --- | --: | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    lines += ["", f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}, "
                  f"{version}.", "", "Command: `./dev bench-site --write`"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--write", action="store_true", help="record the table in benchmarks/RESULTS.md")
    args = parser.parse_args()
    site = build(args.count, args.months)
    text = table(args.count, args.months, sizes(site), measure(site))
    print(text)
    if args.write:
        record("site", "./dev bench-site --write", "The site at scale (issue 14)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
