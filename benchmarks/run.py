"""Benchmark scorecard at portfolio sizes N, each command timed as a whole process.

    ./dev bench                         # N = 250, 1000, 4000 with 36 months, 3 runs each
    ./dev bench --sizes 250 --runs 1    # a quick look

For each N: `scorecard validate`, `scorecard report --format json`, `scorecard
build`, and the baseline, plain `mkdocs build` (no scorecard plugin) of the very
same pages the plugin generates (dumped once), so that the plugin's overhead is
a ratio measured side by side. Also peak memory, site size, the size of an
initiative page and of the home page with what they load, and (at the smallest
N) the time `mkdocs serve` takes to show an edit to one initiative file.
The table goes to stdout and, with --write, to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
AS_OF = "2026-10"
PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1793404800",
       "SCORECARD_TODAY": "2026-11"}  # the month after AS_OF: every run judges AS_OF, whatever the clock says


@dataclass
class Run:
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


@dataclass
class Result:
    n: int
    runs: dict[str, Run]
    site_mb: float
    page_median_kb: float
    page_max_kb: float
    page_assets_kb: float
    home_kb: float
    home_assets_kb: float
    reload: list[float] = field(default_factory=list)

    def per_initiative(self, command: str) -> float:
        return self.runs[command].median / self.n


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command to completion; (wall seconds, peak resident MB of that process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def config_text(initiatives: Path, plugin: bool, docs: Path | None = None) -> str:
    """mkdocs.yml for the benchmark: the repository's, with absolute paths (and, for the baseline, no plugin)."""
    from scorecard.render.templates import PACKAGE

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("initiatives: initiatives", f"initiatives: {initiatives}")
    if plugin:
        return text.replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}")
    from scorecard.site.parts import NAV, SCRIPTS, STYLES

    # the baseline gets by hand what the plugin adds: the package's Material overrides and the pages
    text = text.replace("  name: material\n", f"  name: material\n  custom_dir: {PACKAGE / 'overrides'}\n")
    text = text.replace("docs_dir: docs", f"docs_dir: {docs}")
    text = re.sub(r"  - scorecard:\n(      .*\n)+", "", text)
    nav = "".join(f"  - {title}: {src}\n" for entry in NAV for title, src in entry.items())
    extra = "".join(f"  - {s}\n" for s in STYLES)
    scripts = "".join(f"  - {s}\n" for s in SCRIPTS)
    return (text + f"\nnav:\n{nav}not_in_nav: |\n  /initiatives/\n  /units/*.md\n"
            f"extra_css:\n{extra}extra_javascript:\n{scripts}")


def dump_pages(initiatives: Path, docs: Path) -> None:
    """Write every page and asset the plugin would add, as plain files, for the baseline build."""
    from scorecard.config import settings
    from scorecard.render import assets
    from scorecard.context import edge_context
    from scorecard.outputs import job, site_files
    from scorecard.render.pages import ASSETS, DIGEST, SiteOptions
    from scorecard.site.build import site_inputs
    from scorecard.render.templates import PACKAGE, Templates

    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(PACKAGE / "docs", docs)
    found = settings(initiatives.parent / "mkdocs.yml", {"initiatives": str(initiatives)})
    inputs = site_inputs(edge_context(found))
    files = site_files(job(inputs.report, inputs.card, inputs.previous, SiteOptions()))
    files.pop(DIGEST)  # written beside the pages, not one of them
    bundle = assets.vega_bundle()
    files[f"{ASSETS}/vega.js"] = bundle.read_text(encoding="utf-8") if isinstance(bundle, Path) else bundle
    for src, path in assets.static_files(Templates(None)).items():
        files[src] = path.read_text(encoding="utf-8")
    for src, content in files.items():
        target = docs / src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def page_with_assets(site: Path, page: Path) -> tuple[int, int]:
    """(HTML bytes, bytes of the CSS and JS it loads from the site: shared and cached across pages)."""
    html = page.read_text(encoding="utf-8")
    refs = set(re.findall(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href)="([^"]+)"', html))
    total = 0
    for ref in refs:
        target = (page.parent / ref.split("?")[0]).resolve()
        if target.is_file() and site.resolve() in target.parents:
            total += target.stat().st_size
    return len(html.encode("utf-8")), total


def live_reload(folder: Path, config: Path, runs: int) -> list[float]:
    """Seconds from saving an edit to one initiative file until `mkdocs serve` serves the changed page."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    text = config.read_text(encoding="utf-8")
    serve_config = folder / "mkdocs-serve.yml"
    serve_config.write_text(re.sub(r"^site_url: .*$", f"site_url: http://127.0.0.1:{port}/", text, flags=re.M),
                            encoding="utf-8")
    proc = subprocess.Popen([PY, "-m", "scorecard.cli", "serve", "--config", str(serve_config),
                             "--dev-addr", f"127.0.0.1:{port}"], cwd=folder, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = sorted((folder / "initiatives").glob("*.yaml"))[0]
    url = f"http://127.0.0.1:{port}/initiatives/{path.stem}/"
    original = path.read_text(encoding="utf-8")
    times = []
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)
        for i in range(runs):
            marker = f"Renamed for the benchmark {i}"
            path.write_text(re.sub(r"^name: .*$", f"name: {marker}", original, count=1, flags=re.M), encoding="utf-8")
            start = time.perf_counter()
            while marker not in urllib.request.urlopen(url, timeout=30).read().decode("utf-8"):
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            time.sleep(1.5)
    finally:
        path.write_text(original, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=30)
    return times


def bench(n: int, months: int, runs: int, reload_runs: int) -> Result:
    folder = WORK / f"n{n}"
    initiatives = folder / "initiatives"
    if not initiatives.is_dir() or len(list(initiatives.glob("*.yaml"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([PY, str(HERE / "generate.py"), str(initiatives), "--count", str(n), "--months", str(months),
                        "--end", AS_OF], check=True, stdout=subprocess.DEVNULL)
    config = folder / "mkdocs.yml"
    config.write_text(config_text(initiatives, plugin=True), encoding="utf-8")
    docs = folder / "baseline-docs"
    dump_pages(initiatives, docs)
    baseline = folder / "mkdocs-baseline.yml"
    baseline.write_text(config_text(initiatives, plugin=False, docs=docs), encoding="utf-8")
    commands = {
        "validate": [PY, "-m", "scorecard.cli", "validate", str(initiatives)],
        "report": [PY, "-m", "scorecard.cli", "report", "--format", "json", "--config", str(config)],
        "build": [PY, "-m", "scorecard.cli", "build", "--config", str(config), "--site-dir", str(folder / "site")],
        "mkdocs": [PY, "-m", "mkdocs", "build", "-q", "-f", str(baseline), "-d", str(folder / "site-baseline")],
    }
    results = {name: Run() for name in commands}
    for _ in range(runs):  # interleaved, so that a slow spell of the machine hits every command alike
        for name, cmd in commands.items():
            seconds, peak = timed(cmd, folder)
            results[name].seconds.append(seconds)
            results[name].peak_mb.append(peak)
    site = folder / "site"
    pages = sorted((site / "initiatives").glob("*/index.html"))
    sizes = sorted(p.stat().st_size for p in pages)
    _, page_assets = page_with_assets(site, pages[len(pages) // 2])
    home_html, home_assets = page_with_assets(site, site / "index.html")
    return Result(n=n, runs=results, site_mb=tree_bytes(site) / 1e6, page_median_kb=sizes[len(sizes) // 2] / 1e3,
                  page_max_kb=sizes[-1] / 1e3, page_assets_kb=page_assets / 1e3, home_kb=home_html / 1e3,
                  home_assets_kb=home_assets / 1e3,
                  reload=live_reload(folder, config, reload_runs) if reload_runs else [])


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    versions = ", ".join(f"{p} {version(p)}" for p in ("mkdocs", "mkdocs-material", "altair", "vl-convert-python",
                                                       "pydantic", "PyYAML", "Markdown", "Jinja2"))
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 2**20:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {versions}")


def table(results: list[Result], months: int, runs: int, command: str) -> str:
    lines = [f"Portfolios of N initiatives × {months} months (benchmarks/generate.py), as of {AS_OF}; each command "
             f"a whole process, median of {runs} runs interleaved; peak = the largest resident set of any run.", "",
             "| N | validate | report (JSON) | build | plain mkdocs build, same pages | build / plain | peak memory (build) "
             "| site | initiative page (median / max) | home page |",
             "| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |"]
    for r in results:
        b, m = r.runs["build"], r.runs["mkdocs"]
        lines.append(
            f"| {r.n:,} | {r.runs['validate'].median:.2f} s | {r.runs['report'].median:.2f} s | {b.median:.1f} s "
            f"| {m.median:.1f} s | {b.median / m.median:.2f} | {b.peak:.0f} MB | {r.site_mb:.1f} MB "
            f"| {r.page_median_kb:.1f} / {r.page_max_kb:.1f} KB + {r.page_assets_kb:.0f} KB shared "
            f"| {r.home_kb:.0f} KB + {r.home_assets_kb:.0f} KB shared |")
    first, last = results[0], results[-1]
    if first is not last:
        lines += ["", f"Growth from N = {first.n:,} to {last.n:,}: time or size per initiative at {last.n:,} "
                      f"over the same at {first.n:,} (linear = 1.0):", ""]
        for label, key in (("validate", "validate"), ("report", "report"), ("build", "build"), ("plain mkdocs", "mkdocs")):
            lines.append(f"- {label}: {last.per_initiative(key) / first.per_initiative(key):.2f}")
        lines.append(f"- site size: {(last.site_mb / last.n) / (first.site_mb / first.n):.2f}")
        lines.append(f"- peak memory (build): "
                     f"{(last.runs['build'].peak / last.n) / (first.runs['build'].peak / first.n):.2f}")
    for r in results:
        if r.reload:
            lines += ["", f"Live preview, N = {r.n:,}: an edit to one initiative file is served after "
                          f"{statistics.median(r.reload):.2f} s (median of {len(r.reload)}: "
                          + ", ".join(f"{s:.2f}" for s in r.reload) + ")."]
    lines += ["", f"Machine: {machine()}.", "", f"Command: `{command}`"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 4000])
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reload-runs", type=int, default=5, help="live-preview edits at the smallest N (0: skip)")
    parser.add_argument("--write", action="store_true", help="also write benchmarks/RESULTS.md")
    args = parser.parse_args()
    results = []
    for i, n in enumerate(sorted(args.sizes)):
        print(f"bench: N = {n:,} ...", file=sys.stderr, flush=True)
        results.append(bench(n, args.months, args.runs, args.reload_runs if i == 0 else 0))
    command = "./dev bench " + " ".join(sys.argv[1:])
    text = table(results, args.months, args.runs, command.strip())
    print(text)
    if args.write:
        write_results(HERE / "RESULTS.md", text)


START, END = "<!-- results: written by ./dev bench --write -->", "<!-- end of results -->"


def write_results(path: Path, text: str) -> None:
    """Replace the measured part of RESULTS.md, keeping the analysis written around it."""
    block = f"{START}\n{text}{END}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    if START in old and END in old:
        new = old[:old.index(START)] + block + old[old.index(END) + len(END) + 1:]
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
