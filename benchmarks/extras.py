"""The light install against the full one (issue 23 §2): size on disk and time of `pip install` of the wheel, the
core alone against `[all]`, each into a new virtual environment, side by side, median of 3 runs interleaved.

Both take their packages from pip's cache when it holds them (the first run fills it), so the times compare
installs, not downloads. Run: `./dev bench-extras` (`--write` updates benchmarks/RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = ("<!-- extras: written by ./dev bench-extras --write -->", "<!-- end of extras -->")


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def install(wheel: Path, extra: str, work: Path) -> tuple[float, int, int]:
    """(seconds, bytes of the environment, packages) of one install into a new environment."""
    env = work / f"venv-{extra or 'core'}"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    empty = size(env)
    target = f"{wheel}[{extra}]" if extra else str(wheel)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "-q",
                    "--disable-pip-version-check", target], check=True, env={**os.environ, "PIP_NO_INPUT": "1"})
    seconds = time.perf_counter() - start
    listed = subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "list",
                             "--format", "freeze", "--disable-pip-version-check"],
                            check=True, capture_output=True, text=True).stdout.split()
    return seconds, size(env) - empty, len(listed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
                        "-w", str(work), str(ROOT)], check=True)
        wheel = next(work.glob("ai_scorecard-*.whl"))
        results: dict[str, list[tuple[float, int, int]]] = {"": [], "all": []}
        for n in range(args.runs):
            for extra in ("", "all"):
                run = work / f"run-{n}"
                run.mkdir(exist_ok=True)
                results[extra].append(install(wheel, extra, run))
    rows = {}
    for extra, runs in results.items():
        rows[extra] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[0][2])
    (ct, cs, cn), (at, as_, an) = rows[""], rows["all"]
    text = "\n".join([
        MARK[0],
        f"`pip install` of the wheel into a new virtual environment, from pip's cache; median of {args.runs} runs "
        "interleaved (benchmarks/extras.py).",
        "",
        "| install | packages | size | time |",
        "| --- | --: | --: | --: |",
        f"| core: `ai-scorecard` (validate, new, schema, rules, init, CSV import) | {cn} | {cs / 1e6:.1f} MB | {ct:.1f} s |",
        f"| everything: `ai-scorecard[all]` | {an} | {as_ / 1e6:.1f} MB | {at:.1f} s |",
        f"| core / everything | | {cs / as_:.2f} | {ct / at:.2f} |",
        "",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}.",
        "",
        "Command: `./dev bench-extras --write`",
        MARK[1],
    ])
    print(text)
    if args.write:
        path = ROOT / "benchmarks" / "RESULTS.md"
        old = path.read_text(encoding="utf-8")
        if MARK[0] in old:
            head, _, rest = old.partition(MARK[0])
            _, _, tail = rest.partition(MARK[1])
            new = head + text + tail
        else:
            new = old.rstrip("\n") + "\n\n## The light install\n\n" + text + "\n"
        path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
